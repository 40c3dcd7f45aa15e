"""Peer benchmark for csat.Compute: CSAT of 10 million answers with numpy.bincount.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/csat_numpy.py
bench/csat.sh runs this and the Go benchmarks in one go.

Like csat.Compute, each call counts the answers per point of the 1-5 scale (bincount),
then derives the satisfied share (top-2 box, 4-5) and the mean rating from the counts.
"""
import time

import numpy as np

N = 10_000_000
REPEATS = 20

rng = np.random.default_rng(1)
scores = rng.integers(1, 6, N)  # int64, as Go's []int
weights = rng.uniform(0.5, 2.0, N)
POINTS = np.arange(6)


def csat(counts):
    total = counts.sum()
    return 100.0 * counts[4:].sum() / total, (counts * POINTS).sum() / total


def best(f):
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def unweighted():
    return csat(np.bincount(scores, minlength=6))


def weighted():
    return csat(np.bincount(scores, weights=weights, minlength=6))


for name, f in (("unweighted", unweighted), ("weighted", weighted)):
    lo, med = best(f)
    print(f"numpy {name:10s} N={N}: best {lo*1e3:7.2f} ms, median {med*1e3:7.2f} ms, "
          f"{N/lo/1e6:7.1f} M answers/s (best), {N/med/1e6:7.1f} M answers/s (median)")
