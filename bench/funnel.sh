#!/usr/bin/env bash
# Runs journey/funnel's Run and the same funnel in DuckDB (ASOF joins, bench/funnel_duckdb.cjs)
# on the benchmark log of 10 million events by 1 million users (BenchmarkRun10M's), side by
# side, alternately, so that both see the same machine load. The log is written as CSV to a
# temporary folder and loaded into DuckDB untimed; Run reads it from memory as the
# benchmarks build it. Both print the step counts, which must agree.
# Usage: bench/funnel.sh [rounds] [reps per round]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/duckdb.sh
rounds=${1:-3}
reps=${2:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== writing the benchmark log to $tmp/events.csv"
CXBENCH_FUNNEL_CSV="$tmp/events.csv" go test -count=1 -run '^TestBenchLogCSV$' ./journey/funnel/ >/dev/null
go test -c -o "$tmp/funnel.test" ./journey/funnel/
for round in $(seq "$rounds"); do
	echo "== round $round"
	duckdb_node bench/funnel_duckdb.cjs "$tmp/events.csv" "$reps"
	CXBENCH_FUNNEL_RUNS="$reps" "$tmp/funnel.test" -test.run '^TestBenchRunTimes$' -test.count=1 | grep '^go '
done
