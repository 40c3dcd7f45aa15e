"""Peer benchmark for ces.Compute: CES of 10 million answers with numpy.bincount.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/ces_numpy.py
bench/ces.sh runs this and the Go benchmarks in one go. The timing harness is
bench/numpy_peer.py. As in bench/nps_numpy.py, numpy counts without a range check of its
own (bincount only refuses negative values); the mean, sample standard deviation and easy
(5-7) and difficult (1-3) shares come from the counts.
"""
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from numpy_peer import N, run  # noqa: E402

points = np.arange(8, dtype=float)


def ces(counts):
    total = counts.sum()
    mean = (counts * points).sum() / total
    var = (counts * (points - mean) ** 2).sum() / total * N / (N - 1)
    return mean, np.sqrt(var), counts[5:].sum() / total, counts[1:4].sum() / total


run(1, 7, ces)
