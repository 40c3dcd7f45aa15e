#!/usr/bin/env bash
# Runs ces.Compute's benchmark and its numpy peer back to back, on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'Compute10M|ComputeSmall|Bootstrap' -benchmem -count "${COUNT:-5}" ./ces
/usr/bin/python3 bench/ces_numpy.py
