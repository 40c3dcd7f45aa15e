#!/usr/bin/env bash
# Times cohort.Build against DuckDB on the same log, side by side: a generated log of 2.9
# million events by 1 million users over 60 daily cohorts (Unix seconds, written as CSV
# to a temp dir), daily calendar cohorts in Europe/Berlin across the change to summer
# time, as of the latest event. Each round loads the file into DuckDB (untimed) and times
# the SQL retention table, then reads it with journey.ReadEventsCSV (untimed) and times
# Build, 3 runs each, and checks that every finished cell agrees.
# Usage: bench/cohort.sh [rounds]   (GOMAXPROCS and DuckDB's threads: every core)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/duckdb.sh
rounds=${1:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/cohortbench" ./journey/cohort/internal/cohortbench
"$dir/cohortbench" gen -out "$dir/events.csv"
echo "$(nproc) cores"
for r in $(seq "$rounds"); do
	echo "== round $r"
	duckdb_node bench/cohort_duckdb.cjs "$dir/events.csv" 3 "$dir/duckdb.txt"
	"$dir/cohortbench" run -in "$dir/events.csv" -reps 3 -cells "$dir/go.txt"
	if ! cmp -s "$dir/go.txt" "$dir/duckdb.txt"; then
		echo "the cells differ (cohort N eligible active):" >&2
		diff "$dir/go.txt" "$dir/duckdb.txt" | head >&2
		exit 1
	fi
	echo "every finished cell agrees ($(wc -l <"$dir/go.txt") cells)"
done
