"""Peer benchmark for journey/clv: fit the BG/NBD and Pareto/NBD models to the CDNOW
summary and the shifted-beta-geometric model to Fader & Hardie's (2007) "regular" cohort
with scipy.optimize.minimize(method="BFGS") on vectorized numpy log-likelihoods over the
log parameters (numerical gradients, as in the lifetimes library), and print the time
per fit in milliseconds. With -se it also prints the Pareto/NBD optimum refined by
Nelder-Mead and the standard errors from the inverse of a central-difference Hessian of
the summed negative log-likelihood over the natural parameters (relative step 1e-4).

Usage: /usr/bin/python3 bench/clv_scipy.py [path/to/cdnow_summary.csv] [repeats] [-se]
"""

import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1


def bgnbd_nll(log_params, x, t_x, T):
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


def pareto_nll(log_params, x, t_x, T):
    """Fader, Hardie & Lee (2005), "A Note on Implementing the Pareto/NBD Model in
    MATLAB", eq. 1, with the 2F1 branch chosen by the larger of alpha and beta."""
    r, alpha, s, beta = np.exp(log_params)
    a = r + s + x
    if alpha >= beta:
        m, b = alpha, s + 1
    else:
        m, b = beta, r + x
    d = abs(alpha - beta)
    with np.errstate(all="ignore"):
        a0 = hyp2f1(a, b, a + 1, d / (m + t_x)) / (m + t_x) ** a - hyp2f1(a, b, a + 1, d / (m + T)) / (m + T) ** a
        ll = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
              + np.log((alpha + T) ** (-(r + x)) * (beta + T) ** (-s) + s / (r + s + x) * a0))
    v = -np.sum(ll)
    return v if np.isfinite(v) else np.inf


def sbg_nll(log_params, lost, left, n):
    alpha, beta = np.exp(log_params)
    t = np.arange(1, n + 1)
    return -(np.sum(lost * (betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)))
             + left * (betaln(alpha, beta + n) - betaln(alpha, beta)))


def timed(name, fit, repeats):
    res = fit()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fit()
        times.append(time.perf_counter() - start)
    times = np.array(times) * 1e3
    p = ", ".join(f"{v:.6g}" for v in np.exp(res.x))
    print(f"scipy BFGS {name}: params {p} loglik {-res.fun:.6f} nfev {res.nfev}; "
          f"median {np.median(times):.2f} ms, min {times.min():.2f} ms over {repeats} fits")
    return res


def hessian_se(f, p, h=1e-4):
    k = len(p)
    H = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.zeros(k), np.zeros(k)
            ei[i], ej[j] = h * p[i], h * p[j]
            H[i, j] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * ei[i] * ej[j])
    return np.sqrt(np.diag(np.linalg.inv(H)))


def main():
    args = [a for a in sys.argv[1:] if a != "-se"]
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "shared", "data", "cdnow_summary.csv")
    path = args[0] if args else default
    repeats = int(args[1]) if len(args) > 1 else 20
    data = np.genfromtxt(path, delimiter=",", skip_header=1)
    x, t_x, T = data[:, 1], data[:, 2], data[:, 3]

    timed("BG/NBD", lambda: minimize(bgnbd_nll, np.zeros(4), args=(x, t_x, T), method="BFGS"), repeats)
    pareto = timed("Pareto/NBD", lambda: minimize(pareto_nll, np.zeros(4), args=(x, t_x, T), method="BFGS"),
                   max(1, repeats // 5))
    active = np.array([1000, 631, 468, 382, 326, 289, 262, 241], dtype=float)
    lost, left, n = active[:-1] - active[1:], active[-1], len(active) - 1
    timed("sBG", lambda: minimize(sbg_nll, np.zeros(2), args=(lost, left, n), method="BFGS"), repeats)

    if "-se" in sys.argv:
        res = minimize(pareto_nll, pareto.x, args=(x, t_x, T), method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
        p = np.exp(res.x)
        print("Pareto/NBD optimum", repr(p), repr(-res.fun))
        print("Pareto/NBD se", repr(hessian_se(lambda q: pareto_nll(np.log(q), x, t_x, T), p)))


if __name__ == "__main__":
    main()
