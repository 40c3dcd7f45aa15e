#!/usr/bin/python3
"""Peer of journey/attribution's Markov benchmark: the order-1 absorbing Markov chain of
ChannelAttribution's 10,000 paths, built and solved exactly with numpy.

Parsing the CSV is not timed. What is timed, as in BenchmarkMarkovOrder1: mapping channel
names to ids, collapsing repeated touchpoints, counting the transitions weighted by
conversions + nulls, and 13 exact solves with numpy.linalg.solve (the full chain and one
per removed channel). Prints the conversion probability, the removal effects and the
median time per run in milliseconds.

Usage: /usr/bin/python3 bench/attribution_numpy.py [path/to/attribution_paths.csv]
"""
import csv
import os
import sys
import time

import numpy as np


def parse(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, rows = rows[0], rows[1:]
    assert header == ["path", "total_conversions", "total_conversion_value", "total_null"], header
    paths = [[c.strip() for c in r[0].split(" > ")] for r in rows]
    conv = np.array([float(r[1]) for r in rows])
    value = np.array([float(r[2]) for r in rows])
    nulls = np.array([float(r[3]) for r in rows])
    return paths, conv, value, nulls


def markov(paths, conv, value, nulls):
    # Channel ids, in order of first appearance.
    index = {}
    flat = [index.setdefault(c, len(index)) for p in paths for c in p]
    n = len(index)
    ids = np.array(flat, dtype=np.int64)
    lengths = np.fromiter((len(p) for p in paths), dtype=np.int64, count=len(paths))
    path_of = np.repeat(np.arange(len(paths)), lengths)
    starts = np.zeros(len(ids), dtype=bool)
    starts[np.cumsum(lengths)[:-1]] = True
    starts[0] = True
    # Collapse repeated consecutive touchpoints within a path.
    keep = starts.copy()
    keep[1:] |= ids[1:] != ids[:-1]
    ids, path_of, starts = ids[keep], path_of[keep], starts[keep]
    ends = np.append(starts[1:], True)
    w = conv + nulls
    # States 0..n-1 channels, n start, n+1 conversion, n+2 null.
    frm = np.where(starts, n, np.roll(ids, 1))
    size = (n + 1) * (n + 3)
    last = ids[ends]
    weights = (np.bincount(frm * (n + 3) + ids, weights=w[path_of], minlength=size)
               + np.bincount(last * (n + 3) + n + 1, weights=conv[path_of[ends]], minlength=size)
               + np.bincount(last * (n + 3) + n + 2, weights=nulls[path_of[ends]], minlength=size))
    W = weights.reshape(n + 1, n + 3)
    P = W / W.sum(axis=1, keepdims=True)
    Q, r, s = P[:n, :n], P[:n, n + 1], P[n, :n]
    A = np.eye(n) - Q
    p = s @ np.linalg.solve(A, r)
    effects = np.empty(n)
    for c in range(n):
        keep = np.arange(n) != c
        x = np.linalg.solve(A[np.ix_(keep, keep)], r[keep])
        effects[c] = 1 - (s[keep] @ x) / p
    share = effects / effects.sum()
    names = sorted(index, key=index.get)
    return p, dict(zip(names, effects)), dict(zip(names, share * conv.sum())), dict(zip(names, share * value.sum()))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "shared", "data", "attribution_paths.csv")
    data = sys.argv[1] if len(sys.argv) > 1 else default
    paths, conv, value, nulls = parse(data)
    p, effects, credits, _ = markov(paths, conv, value, nulls)
    print(f"conversion probability {p:.17g}")
    for name in sorted(effects):
        print(f"{name} removal effect {effects[name]:.17g} conversions {credits[name]:.17g}")
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        runs = 20
        for _ in range(runs):
            markov(paths, conv, value, nulls)
        times.append((time.perf_counter() - t0) / runs)
    times.sort()
    print(f"numpy markov order 1: {1e3 * times[len(times) // 2]:.2f} ms per run "
          f"(median of {len(times)} x 20 runs; min {1e3 * times[0]:.2f} ms)")


if __name__ == "__main__":
    main()
