#!/usr/bin/env bash
# Runs csat.Compute's benchmark and its numpy peer back to back, on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'Compute10M|Bootstrap' -benchmem -count "${COUNT:-5}" ./csat
/usr/bin/python3 bench/csat_numpy.py
