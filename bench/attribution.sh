#!/usr/bin/env bash
# Runs journey/attribution's Markov benchmarks and their numpy peer one after the other,
# so that both see the same machine load. Usage: bench/attribution.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
echo "== numpy peer (bench/attribution_numpy.py)"
/usr/bin/python3 bench/attribution_numpy.py | tail -1
echo "== go (BenchmarkMarkov, BenchmarkModels1M), -count $count"
go test -run '^$' -bench 'Markov/order=1/' -count "$count" ./journey/attribution/ | grep Benchmark
/usr/bin/python3 bench/attribution_numpy.py | tail -1
go test -run '^$' -bench . -count "$count" ./journey/attribution/ | grep Benchmark
