"""Peer benchmark for nps.Compute: NPS of 10 million answers with numpy.bincount.

Run with Debian's interpreter (python3-numpy): /usr/bin/python3 bench/nps_numpy.py
bench/nps.sh runs this and the Go benchmarks in one go. The timing harness is
bench/numpy_peer.py.
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ in bench/
from numpy_peer import run  # noqa: E402


def nps(counts):
    total = counts.sum()
    return 100.0 * (counts[9:].sum() - counts[:7].sum()) / total


run(0, 10, nps)
