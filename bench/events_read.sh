#!/usr/bin/env bash
# Reads journey/funnel's benchmark log (10 million events by 1 million users; columns
# user, event, time in Unix seconds to the nanosecond) as a CSV file with DuckDB's
# read_csv into a table and with journey.ReadEventsCSV, alternating, and prints the wall
# and user+sys CPU time of each and the heap that ReadEventsCSV's events keep per event.
# The file is written by journey/internal/eventbench into a temporary folder.
# Usage: bench/events_read.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/duckdb.sh
rounds=${1:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/eventbench" ./journey/internal/eventbench
"$dir/eventbench" gen-read "$dir/events.csv"
echo "== $(du -h "$dir/events.csv" | cut -f1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$rounds"); do
	echo "== round $i"
	duckdb_node bench/events_read.cjs "$dir/events.csv"
	"$dir/eventbench" read "$dir/events.csv"
done
