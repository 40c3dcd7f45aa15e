"""Reference values for the csat tests, printed with 15 significant digits.

Run with Debian's interpreter: /usr/bin/python3 csat/testdata/reference.py
(statsmodels 0.13.5, scipy 1.10.1, numpy 1.24.2). The R values cited in the tests come
from the commands quoted next to them (R 4.2.2, survey 4.1.1).
"""
import numpy as np
from scipy.stats import binom, norm
from statsmodels.stats.proportion import (confint_proportions_2indep,
                                          proportion_confint, proportions_ztest)

METHODS = ["normal", "wilson", "agresti_coull", "beta", "jeffreys"]


def intervals():
    print("# proportion_confint(x, n, alpha, method) for", METHODS)
    for x, n, level in [(100, 200, 0.95), (51, 235, 0.95), (17, 23, 0.90), (3, 50, 0.99),
                        (0, 7, 0.95), (7, 7, 0.95), (412, 500, 0.95), (1, 1, 0.8)]:
        row = []
        for m in METHODS:
            lo, hi = proportion_confint(x, n, alpha=1 - level, method=m)
            row.append("{%.15g, %.15g}" % (lo, hi))
        print("{%d, %d, %g, [5][2]float64{%s}}," % (x, n, level, ", ".join(row)))


def compare():
    print("# confint_proportions_2indep(method='newcomb', compare='diff'), "
          "proportions_ztest(count, nobs) (pooled, two-sided)")
    for x1, n1, x2, n2 in [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29),
                           (0, 10, 0, 20), (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10),
                           (120, 150, 300, 400)]:
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
        if (x1 + x2) in (0, n1 + n2):
            z, p = 0.0, 1.0  # statsmodels divides 0 by 0 here
        else:
            z, p = proportions_ztest([x1, x2], [n1, n2])
        print("{%d, %d, %d, %d, %.15g, %.15g, %.15g, %.15g}," % (x1, n1, x2, n2, lo, hi, z, p))


def type1():
    """Exact size of the pooled z-test at alpha = 0.05: the probability, under equal true
    shares p, of the pairs of binomial counts that it rejects."""
    print("# exact type I error (%) of the pooled two-proportion z-test at alpha = 0.05")
    sizes = [(30, 30), (30, 100), (30, 300), (30, 500), (100, 100), (100, 500), (300, 300), (500, 500)]
    shares = [0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9]
    for n1, n2 in sizes:
        row = []
        for p in shares:
            x1, x2 = np.arange(n1 + 1), np.arange(n2 + 1)
            prob = np.outer(binom.pmf(x1, n1, p), binom.pmf(x2, n2, p))
            pool = (x1[:, None] + x2[None, :]) / (n1 + n2)
            v = pool * (1 - pool) * (1 / n1 + 1 / n2)
            with np.errstate(all="ignore"):
                z = np.where(v > 0, (x1[:, None] / n1 - x2[None, :] / n2) / np.sqrt(v), 0)
            row.append("%.2f" % (100 * (prob * (2 * norm.sf(np.abs(z)) < 0.05)).sum()))
        print("{%d, %d, [...]float64{%s}}," % (n1, n2, ", ".join(row)))


def coverage():
    """Exact coverage (%) of the 95% intervals, summing binomial probabilities over x. The
    Jeffreys bound at x = 0 and x = n is 0 or 1 (Brown, Cai & DasGupta 2001), as in Go."""
    print("# exact coverage (%) of 95% intervals:", METHODS)
    for n in [20, 100, 1000]:
        x = np.arange(n + 1)
        for p in [0.05, 0.5, 0.9]:
            pmf = binom.pmf(x, n, p)
            row = []
            for m in METHODS:
                lo, hi = proportion_confint(x, n, alpha=0.05, method=m)
                lo, hi = np.clip(np.asarray(lo, float), 0, 1), np.clip(np.asarray(hi, float), 0, 1)
                if m == "jeffreys":
                    lo[0], hi[-1] = 0, 1
                row.append("%.2f" % (100 * (pmf * ((lo <= p) & (p <= hi))).sum()))
            print("{%d, %g, [5]float64{%s}}," % (n, p, ", ".join(row)))


intervals()
compare()
type1()
coverage()
