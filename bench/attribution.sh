#!/usr/bin/env bash
# Runs journey/attribution's Markov benchmarks and their numpy peer one after the other,
# so that both see the same machine load, then the bootstrap benchmarks (100 resamples of
# each model; the multinomial draw over 2 x 10,000 path categories dominates the
# heuristic models and order-1 Markov). Usage: bench/attribution.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
echo "== numpy peer (bench/attribution_numpy.py)"
/usr/bin/python3 bench/attribution_numpy.py | tail -1
echo "== go (BenchmarkMarkov, BenchmarkModels1M), -count $count"
go test -run '^$' -bench 'Markov/order=1/' -count "$count" ./journey/attribution/ | grep Benchmark
/usr/bin/python3 bench/attribution_numpy.py | tail -1
go test -run '^$' -bench . -count "$count" ./journey/attribution/ | grep Benchmark
echo "== go bootstrap (BenchmarkBootstrap: 100 resamples on 10,000 paths, 88,387 journeys), -count $count"
go test -run '^$' -bench 'Bootstrap' -count "$count" ./journey/attribution/ | grep Benchmark
