"""Peer benchmark for ces.Compute: CES of 10 million answers with numpy.bincount.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/ces_numpy.py
bench/ces.sh runs this and the Go benchmarks in one go. As in bench/nps_numpy.py, numpy
counts without a range check of its own (bincount only refuses negative values); the mean,
sample standard deviation and easy (5-7) and difficult (1-3) shares come from the counts.
"""
import time

import numpy as np

N = 10_000_000
REPEATS = 20

rng = np.random.default_rng(1)
scores = rng.integers(1, 8, N)  # int64, as Go's []int
weights = rng.uniform(0.5, 2.0, N)
points = np.arange(8, dtype=float)


def ces(counts):
    total = counts.sum()
    mean = (counts * points).sum() / total
    var = (counts * (points - mean) ** 2).sum() / total * N / (N - 1)
    return mean, np.sqrt(var), counts[5:].sum() / total, counts[1:4].sum() / total


def best(f):
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def unweighted():
    return ces(np.bincount(scores, minlength=8))


def weighted():
    return ces(np.bincount(scores, weights=weights, minlength=8))


for name, f in (("unweighted", unweighted), ("weighted", weighted)):
    lo, med = best(f)
    print(f"numpy {name:10s} N={N}: best {lo*1e3:7.2f} ms, median {med*1e3:7.2f} ms, "
          f"{N/lo/1e6:7.1f} M answers/s (best), {N/med/1e6:7.1f} M answers/s (median)")
