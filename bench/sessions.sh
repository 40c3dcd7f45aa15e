#!/usr/bin/env bash
# Counts the sessions (30-minute gap) of a log of 2.9 million events by 1 million users
# with journey.SummarizeEventSessions (and Sessions + SummarizeSessions) and with DuckDB's
# lag() window function, alternating, on the same file in the same run. The log is
# written by journey/internal/eventbench into a temporary folder.
# Usage: bench/sessions.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/duckdb.sh
rounds=${1:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/eventbench" ./journey/internal/eventbench
"$dir/eventbench" gen-sessions "$dir/sessions.csv"
echo "== $(wc -l <"$dir/sessions.csv") lines, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
	echo "== round $i"
	duckdb_node bench/sessions.cjs "$dir/sessions.csv"
	"$dir/eventbench" sessions "$dir/sessions.csv"
done
