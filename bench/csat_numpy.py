"""Peer benchmark for csat.Compute: CSAT of 10 million answers with numpy.bincount.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/csat_numpy.py
bench/csat.sh runs this and the Go benchmarks in one go. The timing harness is
bench/numpy_peer.py.

Like csat.Compute, each call counts the answers per point of the 1-5 scale (bincount),
then derives the satisfied share (top-2 box, 4-5) and the mean rating from the counts.
"""
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from numpy_peer import run  # noqa: E402

POINTS = np.arange(6)


def csat(counts):
    total = counts.sum()
    return 100.0 * counts[4:].sum() / total, (counts * POINTS).sum() / total


run(1, 5, csat)
