package csat

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/survey"
)

// MaxSampleSize is the largest sample size the planning functions return; a margin or a
// difference that needs more is an error wrapping cxmetrics.ErrTooLarge.
const MaxSampleSize = survey.MaxSampleSize

// checkShare returns an error for a share that is not finite or not in [0, 1].
func checkShare(what string, p float64) error {
	return survey.CheckArg(pkg, what, p, p >= 0 && p <= 1, "[0, 1]")
}

// checkOpenUnit returns an error for a probability that is not finite or not in (0, 1).
func checkOpenUnit(what string, p float64) error {
	return survey.CheckArg(pkg, what, p, p > 0 && p < 1, "(0, 1)")
}

// SampleSize returns the number of answers for which the Wald interval of the CSAT has
// half-width margin (in score points) at the given level, when the satisfied share is as
// given:
//
//	n = ⌈ z² · 100² · p(1 - p) / margin² ⌉,  z = z_{(1+level)/2},  p = satisfied
//
// This n makes the expected half-width about margin: the half-width of an actual survey
// varies with its observed share, and is at most margin only about half the time (use
// [SampleSizeAssured] to plan for more). For a survey whose share is unknown,
// satisfied = 0.5 is the worst case: it asks for the most answers, and as no observed share
// has a larger p̂(1 - p̂) than 1/4, its n reaches the margin in every survey. satisfied must
// be in [0, 1] and margin in (0, 100]; when the variance is zero (satisfied 0 or 1) one
// answer suffices and SampleSize returns 1. Errors name the argument (Index -1):
// ErrNotFinite for NaN or Inf, ErrOutOfRange for a value outside its range, ErrTooLarge
// when n would exceed MaxSampleSize, ErrInvalidLevel for the level.
func SampleSize(satisfied, margin, level float64) (int, error) {
	z, err := normal.Critical(pkg, level)
	if err != nil {
		return 0, err
	}
	if err := checkShare("satisfied", satisfied); err != nil {
		return 0, err
	}
	if err := survey.CheckArg(pkg, "margin", margin, margin > 0 && margin <= 100, "(0, 100]"); err != nil {
		return 0, err
	}
	v := satisfied * (1 - satisfied)
	if v == 0 {
		return 1, nil
	}
	// z²·10⁴·v/margin² in steps, so that a tiny margin overflows to +Inf, not NaN; the
	// factor keeps a product that is an integer but for rounding from the next integer up.
	n := math.Ceil(z * z * 1e4 * v / margin / margin * (1 - 1e-12))
	if !(n <= MaxSampleSize) {
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return max(1, int(n)), nil
}

// SampleSizeAssured returns the smallest number of answers for which the Wald interval of
// the CSAT at the given level has half-width at most margin (score points) with
// probability at least assurance, when the satisfied share is as given:
//
//	n = min { n : P_n( z·100·√(p̂(1 - p̂)/n) <= margin ) >= assurance }
//
// where p̂ = X/n with X ~ Binomial(n, satisfied). [SampleSize] plans for the expected
// half-width, which an actual survey reaches only about half the time; an assurance of 0.8
// or 0.9 is the usual choice (the idea is Beal's 1989 for means, "Sample size determination
// for confidence intervals on the population mean and on the difference between two
// population means", Biometrics 45(3)). The half-width is Wald's, as in SampleSize: the
// event is p̂(1 - p̂) <= c = n·margin²/(z²·100²), that is X <= k or X >= n - k for the
// largest such k below n/2, and its probability
//
//	P = P(X <= k) + P(X >= n - k)
//
// is the exact binomial sum at every n, not a normal approximation: each tail is summed
// from its end nearest the mean until the terms fall below 1e-17 of the sum, some ten
// standard deviations of terms, so that the cost grows as √n. n is found by doubling from SampleSize's n and then bisection, and is never
// below it; it reaches the assurance and n - 1 does not, but as the probability is not
// monotone in n (the binomial lattice moves it by a few points between neighbouring n at
// a few hundred answers), a slightly smaller n may reach it too. At satisfied = 0.5 every
// survey of SampleSize's n reaches the margin, and that n is returned. assurance must be in
// (0, 1); the other arguments are as for SampleSize.
func SampleSizeAssured(satisfied, margin, level, assurance float64) (int, error) {
	if err := checkOpenUnit("assurance", assurance); err != nil {
		return 0, err
	}
	n0, err := SampleSize(satisfied, margin, level)
	if err != nil || satisfied*(1-satisfied) == 0 {
		return n0, err
	}
	z, _ := normal.Critical(pkg, level)
	reaches := func(n int) bool {
		c := float64(n) * margin * margin / (z * z * 1e4) // the largest p̂(1 - p̂) that fits
		return probWaldWithin(satisfied, n, c) >= assurance
	}
	n, ok := survey.SmallestN(n0-1, n0, MaxSampleSize, reaches)
	if !ok {
		return 0, survey.TooLarge(pkg, "margin", margin, "answers")
	}
	return n, nil
}

// probWaldWithin returns P(p̂(1 - p̂) <= c) for p̂ = X/n, X ~ Binomial(n, p), 0 < p < 1.
func probWaldWithin(p float64, n int, c float64) float64 {
	if c >= 0.25 {
		return 1
	}
	nf := float64(n)
	fits := func(k int) bool { return float64(k)*float64(n-k) <= c*nf*nf }
	// The largest k <= n/2 with k(n - k) <= c·n²: near n·a, a the smaller root of
	// a(1 - a) = c, and adjusted for rounding.
	k := int(nf * (1 - math.Sqrt(1-4*c)) / 2)
	for k+1 <= n/2 && fits(k+1) {
		k++
	}
	for k >= 0 && !fits(k) {
		k--
	}
	if k < 0 {
		return 0
	}
	if 2*k >= n {
		return 1
	}
	return binomCDF(float64(k), nf, p) + binomUpper(nf-float64(k), nf, p)
}

// SampleSizeCompare returns the number of answers per group for Compare's test at
// two-sided significance alpha to detect the difference between satisfied shares a and b
// with the given power:
//
//	n = ⌈ (z_{1-α/2} √(2 p̄(1 - p̄)) + z_{power} √(a(1 - a) + b(1 - b)))² / (a - b)² ⌉,   p̄ = (a + b)/2
//
// the normal approximation for the pooled two-proportion test, with the variance under
// the null hypothesis (that of the pooled share p̄) in the first term and the variances
// under the alternative in the second (Fleiss, Levin & Paik 2003, Statistical Methods for
// Rates and Proportions, 3rd ed., eq. 4.14, without the continuity correction). It is the n
// of R's power.prop.test(p1 = a, p2 = b, sig.level = alpha, power = power), rounded up.
// Shares are in [0, 1] and must differ (ErrOutOfRange when equal: no difference to
// detect); alpha and power must be in (0, 1). A power so low that the formula's root is
// negative needs one answer.
func SampleSizeCompare(a, b, alpha, power float64) (int, error) {
	if err := checkShare("a", a); err != nil {
		return 0, err
	}
	if err := checkShare("b", b); err != nil {
		return 0, err
	}
	if err := checkOpenUnit("alpha", alpha); err != nil {
		return 0, err
	}
	if err := checkOpenUnit("power", power); err != nil {
		return 0, err
	}
	delta := a - b
	if delta == 0 {
		return 0, survey.CheckArg(pkg, "difference", 0, false, "(the shares are equal)")
	}
	pbar := (a + b) / 2
	za, zb := normal.Quantile(1-alpha/2), normal.Quantile(power)
	s := za*math.Sqrt(2*pbar*(1-pbar)) + zb*math.Sqrt(a*(1-a)+b*(1-b))
	if s <= 0 {
		return 1, nil
	}
	n := math.Ceil(s * s / (delta * delta) * (1 - 1e-12))
	if !(n <= MaxSampleSize) {
		return 0, survey.TooLarge(pkg, "difference", 100*delta, "answers per group")
	}
	return max(1, int(n)), nil
}

// maxExactTest is the largest n for which Test's ClopperPearson method runs the exact
// binomial test, whose tails cost O(√n); above it, it runs the score test, as the
// Clopper-Pearson interval turns to Wilson's there.
const maxExactTest = 1e10

// Test tests the CSAT against a target score (in percent, 0..100). The Difference is
// Score - target and its interval the chosen method's interval for the CSAT (as Interval
// gives it, clipped to [0, 100]) shifted by the target. With p = Satisfied, p₀ = target/100
// and n = EffectiveN:
//
//   - cxmetrics.Wald: z = (Score - target) / StdErr, with StdErr from the observed share.
//     It cannot test a sample whose answers are all satisfied or all not (StdErr 0): P is
//     then 1 when Score equals the target and 0 otherwise.
//   - cxmetrics.Wilson: the score test, z = (p - p₀) / √(p₀(1 - p₀)/n), with the variance
//     under the null hypothesis (R's prop.test(x, n, p₀, correct = FALSE)); P < 1 - level
//     exactly when the target lies outside the Wilson interval, so the test and the
//     interval always agree. A target of 0 or 100 that the data contradict has no variance
//     under the null: Statistic is then 0 and P 0.
//   - cxmetrics.ClopperPearson: the exact binomial test, with the two-sided p-value of R's
//     binom.test: the probability, under Binomial(n, p₀), of every count no more likely
//     than the observed x (to a relative 1e-7). Its Statistic is x, the number of
//     satisfied answers, as binom.test reports it. Like binom.test, the p-value does not
//     always agree with the Clopper-Pearson interval, which inverts the test with equal
//     tails. Above 10^10 answers it is the score test, as for Wilson.
//
// Weighted results use their effective size n = EffectiveN: the exact test takes the
// binomial with round(n) trials and round(n·p) satisfied answers. Other methods are
// ErrUnsupportedMethod; a target that is NaN or Inf is ErrNotFinite, one outside
// [0, 100] ErrOutOfRange; the level and the receiver are checked as for Interval.
func (r Result) Test(target float64, m cxmetrics.Method, level float64) (Comparison, error) {
	if err := r.check(); err != nil {
		return Comparison{}, err
	}
	if err := survey.CheckArg(pkg, "target", target, target >= 0 && target <= 100, "[0, 100]"); err != nil {
		return Comparison{}, err
	}
	iv, err := r.Interval(m, level)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Difference: r.Score - target, StdErr: r.StdErr()}
	p, p0, n := r.Satisfied, target/100, r.EffectiveN
	switch {
	case m == cxmetrics.Wald:
		c.Statistic, c.P = normal.ZTest(c.Difference, c.StdErr*c.StdErr)
	case m == cxmetrics.Wilson || (m == cxmetrics.ClopperPearson && math.Round(n) > maxExactTest):
		c.Statistic, c.P = scoreTest(p, p0, n)
	case m == cxmetrics.ClopperPearson:
		trials := math.Round(n)
		x := math.Min(trials, math.Round(n*p))
		c.Statistic, c.P = x, binomTestP(x, trials, p0)
	default:
		return Comparison{}, fmt.Errorf("csat: test with method %v: %w", m, cxmetrics.ErrUnsupportedMethod)
	}
	c.Interval = cxmetrics.Interval{Estimate: c.Difference, Lower: iv.Lower - target, Upper: iv.Upper - target, Level: level, Method: m}
	return c, nil
}

// scoreTest returns the z statistic and two-sided p-value of the score test of a share p
// observed in n answers against p0. Without variance under the null (p0 0 or 1) z is 0,
// and p is 1 when p equals p0 and 0 otherwise.
func scoreTest(p, p0, n float64) (z, pv float64) {
	v := p0 * (1 - p0) / n
	switch {
	case v > 0:
		z = (p - p0) / math.Sqrt(v)
		return z, normal.TwoSidedP(z)
	case p == p0:
		return 0, 1
	}
	return 0, 0
}

// binomTestP returns the two-sided p-value of the exact test of x successes in n trials
// against the success probability p, as R's binom.test computes it: the sum of the
// probabilities of the counts k with P(k) <= P(x)·(1 + 10⁻⁷). The probability mass function
// is unimodal with its mode between ⌊np⌋ and ⌈np⌉, so the counts on the other side of
// the mean that qualify are a tail, found by bisection, and both tails are sums whose
// cost is O(√n) (see binomTail).
func binomTestP(x, n, p float64) float64 {
	switch {
	case p == 0 || p == 1:
		if x == n*p {
			return 1
		}
		return 0
	}
	m := n * p
	if x == m {
		return 1
	}
	d := logBinomPMF(x, n, p) + math.Log1p(1e-7)
	if x < m {
		// The smallest k in [⌈m⌉, n] with P(k) <= P(x)·(1 + 10⁻⁷), or n + 1 for none.
		lo, hi := math.Ceil(m), n+1
		for lo < hi {
			mid := math.Floor((lo + hi) / 2)
			if logBinomPMF(mid, n, p) <= d {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return math.Min(1, binomCDF(x, n, p)+binomUpper(lo, n, p))
	}
	// The largest k in [0, ⌊m⌋] with P(k) <= P(x)·(1 + 10⁻⁷), or -1 for none.
	lo, hi := -1.0, math.Floor(m)
	for lo < hi {
		mid := math.Ceil((lo + hi) / 2)
		if logBinomPMF(mid, n, p) <= d {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return math.Min(1, binomCDF(lo, n, p)+binomUpper(x, n, p))
}

// binomCDF returns P(X <= k) for X ~ Binomial(n, p), 0 < p < 1: the sum of the
// probabilities from k away from the mean when k is below it, and 1 - P(X >= k + 1)
// otherwise.
func binomCDF(k, n, p float64) float64 {
	switch {
	case k < 0:
		return 0
	case k >= n:
		return 1
	case k > n*p:
		return 1 - binomUpper(k+1, n, p)
	}
	return binomTail(k, n, p, -1)
}

// binomUpper returns P(X >= k) for X ~ Binomial(n, p), 0 < p < 1, as binomCDF does.
func binomUpper(k, n, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case k < n*p:
		return 1 - binomCDF(k-1, n, p)
	}
	return binomTail(k, n, p, 1)
}

// binomTail returns the sum of the binomial probabilities from k on in direction dir (-1
// down to 0, 1 up to n), for k on the far side of the mean from that direction's end, so
// that the terms decrease: each term from the one before by the ratio of neighbouring
// probabilities, P(j+1)/P(j) = (n-j)p / ((j+1)q), until a term no longer changes the sum.
// The terms that count lie within some ten standard deviations of k, so the cost is
// O(√(npq)) whatever n, and the relative error that many roundings, below 1e-10.
func binomTail(k, n, p float64, dir float64) float64 {
	q := 1 - p
	term := math.Exp(logBinomPMF(k, n, p))
	sum := term
	for j := k; term > sum*1e-17; {
		if dir < 0 {
			if j == 0 {
				break
			}
			term *= j * q / ((n - j + 1) * p)
			j--
		} else {
			if j == n {
				break
			}
			term *= (n - j) * p / ((j + 1) * q)
			j++
		}
		sum += term
	}
	return sum
}

// logBinomPMF returns log P(X = k) for X ~ Binomial(n, p), 0 < p < 1, 0 <= k <= n, in
// Loader's saddle-point form (Loader 2000, "Fast and accurate computation of binomial
// probabilities", as R's dbinom), which keeps its relative accuracy for any n, where
// differences of log-gamma functions lose about log10(n·log n) digits:
//
//	log P(k) = δ(n) - δ(k) - δ(n-k) - D(k, np) - D(n-k, nq) + ½ log(n / (2π k (n-k)))
//
// with δ the error of Stirling's formula and D(x, m) = x log(x/m) + m - x.
func logBinomPMF(k, n, p float64) float64 {
	switch k {
	case 0:
		return n * math.Log1p(-p)
	case n:
		return n * math.Log(p)
	}
	q := 1 - p
	lc := stirlingError(n) - stirlingError(k) - stirlingError(n-k) - devianceTerm(k, n*p) - devianceTerm(n-k, n*q)
	return lc + 0.5*math.Log(n/(2*math.Pi*k*(n-k)))
}

// stirlingError returns log(n!) - log(√(2πn) (n/e)^n) for n >= 1: directly for small n,
// by the asymptotic series 1/(12n) - 1/(360n³) + ... above 15 (as R's stirlerr).
func stirlingError(n float64) float64 {
	const s0, s1, s2, s3, s4 = 1.0 / 12, 1.0 / 360, 1.0 / 1260, 1.0 / 1680, 1.0 / 1188
	if n <= 15 {
		lg, _ := math.Lgamma(n + 1)
		return lg - (n+0.5)*math.Log(n) + n - 0.5*math.Log(2*math.Pi)
	}
	nn := n * n
	switch {
	case n > 500:
		return (s0 - s1/nn) / n
	case n > 80:
		return (s0 - (s1-s2/nn)/nn) / n
	case n > 35:
		return (s0 - (s1-(s2-s3/nn)/nn)/nn) / n
	}
	return (s0 - (s1-(s2-(s3-s4/nn)/nn)/nn)/nn) / n
}

// devianceTerm returns x log(x/m) + m - x for x, m > 0, by a series in (x - m)/(x + m)
// when x is near m, where the direct form cancels (as R's bd0).
func devianceTerm(x, m float64) float64 {
	if math.Abs(x-m) < 0.1*(x+m) {
		v := (x - m) / (x + m)
		s := (x - m) * v
		ej := 2 * x * v
		v *= v
		for j := 1; j < 1000; j++ {
			ej *= v
			s1 := s + ej/float64(2*j+1)
			if s1 == s {
				return s1
			}
			s = s1
		}
		return s
	}
	return x*math.Log(x/m) + m - x
}
