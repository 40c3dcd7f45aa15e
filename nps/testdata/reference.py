"""Independent reference values for the nps interval tests (nps/interval_test.go).

Run with Debian's python3-scipy: /usr/bin/python3 nps/testdata/reference.py
Each method is computed from its definition with SciPy, not from the Go code:
  - Wald and adjusted Wald: closed forms.
  - Tango: the bounds are the two roots of |T(delta)| = z, where T is the score statistic
    with the nuisance parameter p21 maximised NUMERICALLY (brentq on the score equation
    of the constrained multinomial log-likelihood), not by Tango's closed-form quadratic.
  - Bayesian: the equal-tailed quantiles of D = X - Y under Dirichlet(1+P, 1+D, 1+Pa),
    with the CDF integrated over Y (not over X, as the Go code does) in 30-digit mpmath:
    P(D <= d) = int f_Y(y) P(X <= y + d | Y = y) dy, X/(1-y) | y ~ Beta(a, c).
"""
import math

import mpmath as mp
from scipy import optimize, stats

mp.mp.dps = 30

CASES = [  # detractors, passives, promoters
    (1, 2, 3),
    (0, 0, 10),
    (0, 0, 1),
    (5, 0, 15),
    (30, 50, 20),
    (120, 300, 580),
    (7, 0, 0),
    (2, 1, 0),
]
LEVEL = 0.95
z = stats.norm.ppf(0.5 + LEVEL / 2)


def wald(d, pa, p):
    n = d + pa + p
    pp, pd = p / n, d / n
    est = pp - pd
    se = math.sqrt(max(0.0, pp + pd - est * est) / n)
    return est - z * se, est + z * se


def adjusted_wald(d, pa, p):
    n = d + pa + p + 3
    pp, pd = (p + 0.75) / n, (d + 0.75) / n
    est = pp - pd
    se = math.sqrt((pp + pd - est * est) / n)
    return est - z * se, est + z * se


def restricted_p21(b, c, n, delta):
    """Maximise b log(p21 + delta) + c log(p21) + (n-b-c) log(1 - 2 p21 - delta) over p21
    by solving the score equation numerically (brentq); the log-likelihood is concave, so
    the root is the maximum, or the maximum is at an end of the feasible range."""
    lo = max(0.0, -delta)
    hi = (1 - delta) / 2
    if hi <= lo:
        return lo

    def score(q):
        v = 0.0
        if b > 0:
            v += b / (q + delta) if q + delta > 0 else math.inf
        if c > 0:
            v += c / q if q > 0 else math.inf
        if n - b - c > 0:
            v -= 2 * (n - b - c) / (1 - 2 * q - delta) if 1 - 2 * q - delta > 0 else math.inf
        return v

    eps = (hi - lo) * 1e-13
    a_, b_ = lo + eps, hi - eps
    fa, fb = score(a_), score(b_)
    if fa <= 0:
        return lo
    if fb >= 0:
        return hi
    return optimize.brentq(score, a_, b_, xtol=1e-300, rtol=1e-15, maxiter=500)


def tango_T(b, c, n, delta):
    q = restricted_p21(b, c, n, delta)
    v = n * (2 * q + delta * (1 - delta))
    return (b - c - n * delta) / math.sqrt(v)


def tango(d, pa, p):
    b, c, n = p, d, d + pa + p
    est = (b - c) / n
    eps = 1e-12
    if est <= -1 + eps:
        lo = -1.0
    else:
        lo = optimize.brentq(lambda x: tango_T(b, c, n, x) - z, -1 + 1e-12, est - 1e-12, xtol=1e-13)
    if est >= 1 - eps:
        hi = 1.0
    else:
        hi = optimize.brentq(lambda x: tango_T(b, c, n, x) + z, est + 1e-12, 1 - 1e-12, xtol=1e-13)
    return lo, hi


def bayes_cdf(a, bb, c, dval):
    """P(D <= d) for D = X - Y, (X, Y, Z) ~ Dirichlet(a, bb, c), integrated over
    Y ~ Beta(bb, a + c) in 30-digit arithmetic (mpmath), with breakpoints at the kinks of
    the conditional CDF P(X <= y + d | y) = I_{(y+d)/(1-y)}(a, c)."""
    d = mp.mpf(dval)
    B = mp.beta(bb, a + c)
    dens = lambda y: y ** (bb - 1) * (1 - y) ** (a + c - 1) / B
    cond = lambda y: mp.betainc(a, c, 0, min(1, max(0, (y + d) / (1 - y))), regularized=True)
    pts = sorted({mp.mpf(0), mp.mpf(1)} | {k for k in (-d, (1 - d) / 2) if 0 < k < 1})
    m = mp.mpf(bb) / (a + bb + c)
    sd = mp.sqrt(m * (1 - m) / (a + bb + c + 1))
    pts = sorted(set(pts) | {k for k in (m - 10 * sd, m, m + 10 * sd) if 0 < k < 1})
    return mp.quad(lambda y: dens(y) * cond(y), pts)


def bayesian(d, pa, p):
    a, bb, c = p + 1, d + 1, pa + 1
    alpha = 1 - LEVEL
    return tuple(optimize.brentq(lambda t: float(bayes_cdf(a, bb, c, t) - q), -1, 1, xtol=1e-13)
                 for q in (alpha / 2, 1 - alpha / 2))


for case in CASES:
    out = [f"{{{case[0]}, {case[1]}, {case[2]}}}"]
    for f in (wald, adjusted_wald, tango, bayesian):
        lo, hi = f(*case)
        lo, hi = max(-1.0, lo), min(1.0, hi)
        out.append(f"{{{100 * lo:.10f}, {100 * hi:.10f}}}")
    print(", ".join(out))
