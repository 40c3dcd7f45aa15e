"""Peer benchmark for journey/clv: fit the BG/NBD model to the CDNOW summary with
scipy.optimize.minimize(method="BFGS") on a vectorized numpy log-likelihood over the log
parameters (no analytic gradient, as in the lifetimes library), and print the time per
fit in milliseconds.

Usage: /usr/bin/python3 bench/clv_scipy.py [path/to/cdnow_summary.csv] [repeats]
"""

import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln


def negative_log_likelihood(log_params, x, t_x, T):
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    a4 = np.where(
        x > 0,
        np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return -np.sum(a1 + a2 + np.logaddexp(a3, a4))


def fit(x, t_x, T):
    return minimize(negative_log_likelihood, np.zeros(4), args=(x, t_x, T), method="BFGS")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "shared", "data", "cdnow_summary.csv")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data = np.genfromtxt(path, delimiter=",", skip_header=1)
    x, t_x, T = data[:, 1], data[:, 2], data[:, 3]

    res = fit(x, t_x, T)
    r, alpha, a, b = np.exp(res.x)
    print(f"scipy BFGS: r={r:.4f} alpha={alpha:.4f} a={a:.4f} b={b:.4f} "
          f"loglik={-res.fun:.2f} nfev={res.nfev} success={res.success}")

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit(x, t_x, T)
        times.append(time.perf_counter() - start)
    times = np.array(times) * 1e3
    print(f"scipy BFGS fit: median {np.median(times):.1f} ms, min {times.min():.1f} ms "
          f"over {repeats} fits")


if __name__ == "__main__":
    main()
