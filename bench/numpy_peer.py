"""The harness that bench/nps_numpy.py, bench/csat_numpy.py and bench/ces_numpy.py share.

Each peer benchmark draws N answers uniform on its scale with weights uniform in
[0.5, 2) (as the Go benchmarks' data), counts them per point with numpy.bincount, without
and with the weights, and derives its score from the counts; run() times both and prints
one line for each.
"""
import time

import numpy as np

N = 10_000_000
REPEATS = 20


def answers(low, high):
    """N scores uniform from low to high (int64, as Go's []int) and their weights."""
    rng = np.random.default_rng(1)
    scores = rng.integers(low, high + 1, N)
    weights = rng.uniform(0.5, 2.0, N)
    return scores, weights


def best(f):
    """The best and the median of REPEATS timings of f, in seconds."""
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def run(low, high, score):
    """Times score(counts) of bincount over the answers of low..high, unweighted and weighted."""
    scores, weights = answers(low, high)

    def unweighted():
        return score(np.bincount(scores, minlength=high + 1))

    def weighted():
        return score(np.bincount(scores, weights=weights, minlength=high + 1))

    for name, f in (("unweighted", unweighted), ("weighted", weighted)):
        lo, med = best(f)
        print(f"numpy {name:10s} N={N}: best {lo*1e3:7.2f} ms, median {med*1e3:7.2f} ms, "
              f"{N/lo/1e6:7.1f} M answers/s (best), {N/med/1e6:7.1f} M answers/s (median)")
