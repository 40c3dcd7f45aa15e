// Package nps computes the Net Promoter Score and its uncertainty.
//
// # The score
//
// Customers answer "How likely are you to recommend us to a friend or colleague?" on a
// 0-10 scale. Answers 0-6 are detractors, 7-8 passives, 9-10 promoters, and
//
//	NPS = 100 · (share of promoters - share of detractors)
//
// ranges from -100 (all detractors) to 100 (all promoters) (Reichheld 2003, "The One
// Number You Need to Grow", Harvard Business Review). [Scale] allows any integer scale and
// any breaks, such as the R package NPS's breaks argument; [Standard] is the 0-10 scale.
//
// [Compute] and [ComputeScale] take a slice of scores and optional survey weights,
// [ComputeSeq] a stream, and a [Tally] accumulates answers one at a time, merges across
// shards and serialises, for services that score live data. All return a [Result].
//
// # Weights
//
// If weights is nil then all of the weights are 1. Weighted shares are Σ_{category} w / Σ w;
// variances use the Kish effective sample size n_eff = (Σw)² / Σw², the usual
// design-effect approximation for survey weights. Answers with weight 0 count in N but not
// in the shares.
//
// # Variance and intervals
//
// With p₊ and p₋ the promoter and detractor shares, the NPS is the mean of a variable that
// is +1, 0 or -1 per answer, so
//
//	Var(NPS) = 100² · (p₊ + p₋ - (p₊ - p₋)²) / n_eff
//
// [Result.Interval] offers four methods (Rocks 2016, "Interval Estimation for the 'Net
// Promoter Score'", The American Statistician 70(4), compares them):
//
//   - Wald: the normal approximation; it collapses to a point when every answer falls in
//     one category and under-covers for small n.
//   - AdjustedWald: Wald after adding 3/4 promoter, 3/2 passive and 3/4 detractor (n + 3),
//     the default of the R package NPS; simple and close to nominal coverage from n ≈ 30.
//   - Tango: the score interval for the difference of paired proportions, which the NPS is
//     ((promoters - detractors)/n); never degenerate, good coverage at small n.
//   - Bayesian: the equal-tailed interval of the posterior of p₊ - p₋ under a uniform
//     Dirichlet(1, 1, 1) prior, computed by quadrature to about 1e-9 (no random draws).
//
// [Result.Bootstrap] gives the percentile bootstrap interval from the caller's *rand.Rand;
// it resamples the category counts (one multinomial draw per resample), so its cost does
// not depend on the number of answers.
//
// The simulation in interval_test.go (TestCoverage, run with -v) prints every method's
// coverage at n = 30, 100 and 500: adjusted Wald and Tango stay within about a point of
// 95% from n = 100; Wald under-covers at n = 30.
//
// # Comparing and planning
//
// [Compare] tests the difference between two independent samples (a z-test on the
// difference of NPS with the variances above) and gives its interval. [SampleSize] returns
// the number of answers for a given margin of error.
//
// # Errors
//
// Every error wraps a sentinel of the root package, so errors.Is works: a score outside
// the scale is ErrOutOfRange, a negative weight ErrNegativeWeight, NaN or Inf ErrNotFinite,
// and errors about one value are *cxmetrics.InputError values that give its index:
//
//	nps: score 11 at index 3: out of range [0, 10]
package nps
