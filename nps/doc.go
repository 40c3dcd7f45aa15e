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
// The share of promoters is also the willingness-to-recommend share (WRS) of the
// recommendation question's top two boxes; package csat computes it, with its binomial
// intervals, on any scale.
//
// [Compute] and [ComputeScale] take a slice of scores and optional survey weights,
// [ComputeSeq] a stream, and a [Tally] accumulates answers one at a time, merges across
// shards and serialises, for services that score live data. All return a [Result].
//
// # Weights
//
// If weights is nil then all of the weights are 1. A weighted NPS is the ratio estimator
// Σ w z / Σ w of the per-answer values z = +1 (promoter), 0 (passive), -1 (detractor), and
// its variance is the linearization (Taylor) variance that survey statisticians use (R's
// survey::svymean with weights only):
//
//	Var(NPS) = 100² · Σ w_i² (z_i - NPS/100)² / (Σ w_i)²
//
// which is the multinomial 100² (p₊ + p₋ - (p₊ - p₋)²)/n when the weights are equal. It
// stays right when the weights are related to the answers; Kish's effective n (Σw)²/Σw²
// does not: in a simulation with a 10% stratum of mostly detractors sampled at a fifth of
// the rate (TestWeightedCoverage), 95% Wald intervals with Kish's n cover 91-92% at n = 500
// to 2,000, and with the linearization variance 93.8-95.0%. [Result.EffectiveN] is the
// variance-equivalent effective n, (p₊ + p₋ - NPS²)/Var on the proportion scale (as
// survey::svyciprop), which every interval uses; it is N for unweighted answers, and it can
// exceed N when the weights shrink the variance. Answers with weight 0 count in N but not
// in the shares. Non-zero weights must lie in [1e-150, 1e150], so that their squares and
// the sums of them stay finite; weights are relative, so rescale weights outside.
//
// # Intervals
//
// [Result.Interval] offers four methods (Rocks 2016, "Interval Estimation for the 'Net
// Promoter Score'", The American Statistician 70(4), compares them), and
// [Result.Bootstrap] a fifth:
//
//   - Wald: the normal approximation; it collapses to a point when every answer falls in
//     one category and under-covers for small n, worst at high scores.
//   - AdjustedWald: Wald after adding 3/4 promoter, 3/2 passive and 3/4 detractor (n + 3),
//     the pseudo-observations of the R package NPS (an option of its nps_test, whose
//     default test is the plain Wald).
//   - Tango: the score interval for the difference of paired proportions, which the NPS is
//     ((promoters - detractors)/n); never degenerate.
//   - Bayesian: the equal-tailed interval of the posterior of p₊ - p₋ under a uniform
//     Dirichlet(1, 1, 1) prior, computed by quadrature to about 1e-9 (no random draws); above
//     10⁶ effective answers by the Cornish-Fisher expansion with the posterior's skewness.
//   - Bootstrap: the percentile interval from the caller's *rand.Rand; it resamples the
//     category counts (one multinomial draw per resample), so its cost does not depend on
//     the number of answers.
//
// Their exact coverage of 95% intervals, summed over every sample of n answers (the
// bootstrap with 1,000 resamples; TestCoverageTable, run with go test -run CoverageTable -v):
//
//	NPS (shares)         n    Wald  AdjustedWald  Tango  Bayesian  Bootstrap
//	-10 (.4 .3 .3)      10   90.0%      94.8%     94.8%   95.3%      90.2%
//	                    20   92.7%      94.3%     95.0%   95.6%      93.3%
//	                    50   94.0%      94.7%     95.0%   95.2%      93.9%
//	                   100   94.6%      94.8%     95.0%   95.1%      94.4%
//	                   500   94.9%      95.0%     95.0%   95.0%      94.8%
//	0 (.05 .9 .05)      10   98.4%     100.0%     99.9%  100.0%      99.1%
//	                    20   98.6%      99.8%     98.6%   99.8%      98.6%
//	                    50   94.0%      97.5%     95.3%   97.5%      95.3%
//	                   100   95.2%      96.0%     95.7%   95.9%      95.3%
//	                   500   95.0%      95.4%     95.1%   95.1%      95.4%
//	30 (.2 .3 .5)       10   89.6%      96.2%     94.7%   96.2%      90.4%
//	                    20   92.6%      94.8%     94.7%   95.6%      91.6%
//	                    50   94.1%      95.0%     95.1%   95.2%      93.7%
//	                   100   94.5%      94.9%     95.0%   95.1%      94.5%
//	                   500   94.9%      95.0%     95.0%   95.0%      94.7%
//	60 (.1 .2 .7)       10   87.7%      95.1%     96.1%   93.4%      87.9%
//	                    20   90.7%      96.1%     96.4%   94.9%      91.2%
//	                    50   93.4%      95.0%     95.1%   94.7%      92.5%
//	                   100   94.1%      95.2%     95.0%   94.9%      93.7%
//	                   500   94.8%      95.0%     95.1%   95.0%      94.7%
//	85 (.03 .09 .88)    10   71.8%      96.3%     96.3%   87.7%      71.5%
//	                    20   75.9%      95.3%     95.6%   88.3%      75.9%
//	                    50   90.9%      96.0%     96.5%   92.8%      91.7%
//	                   100   92.8%      95.7%     95.2%   93.9%      92.7%
//	                   500   94.6%      95.2%     95.0%   94.8%      94.6%
//
// Where each under-covers: Wald and the bootstrap below n = 50, badly at high scores (72%
// at n = 10 and NPS 85; the bootstrap cannot vary a sample without detractors); the
// Bayesian interval at high scores below n = 100 (88% at n = 10-20 and NPS 85), because
// its uniform prior pulls the score towards 0. Adjusted Wald and Tango stay within 94.3% and
// 96.5% everywhere, and are the methods to use for small samples; with 90% passives every
// method over-covers at small n. TestCoverage checks adjusted Wald and Tango against 95% ±
// 1.5 points at n >= 100 by simulation in every test run.
//
// # Comparing, testing and planning
//
// [Compare] tests the difference between two independent samples with the pooled score
// test (the variance under the null hypothesis of one population, as the pooled
// two-proportion z-test) and gives the MOVER interval from the two Tango intervals. Its
// exact type I error at α = 5% (TestCompareTypeIError) stays within 4.3-5.3% for NPS -10,
// 0 (90% passives), 30, 60 and 85 and 30 to 500 answers per group, equal or not; the
// unpooled Wald z-test, with each sample's own variance, rejects 11.2-11.5% of true nulls
// when 30 answers are compared with 300 or 500 at NPS 85, and 7.3-7.6% at NPS 60.
//
//	NPS    30/30  30/100  30/300  30/500  50/50  100/100  100/500  300/300  500/500
//	-10    5.11%  5.05%   4.99%   4.99%   5.10%  5.04%    5.01%    5.02%    5.01%
//	0      4.78%  5.11%   5.09%   5.14%   4.48%  5.22%    5.02%    4.95%    5.03%
//	30     5.12%  5.03%   4.99%   4.96%   5.07%  5.03%    5.00%    5.02%    5.01%
//	60     5.15%  4.93%   4.88%   4.85%   5.07%  5.04%    4.98%    5.01%    5.00%
//	85     4.50%  4.53%   4.39%   4.33%   5.04%  4.93%    4.88%    4.99%    4.99%
//
// [Result.Test] tests one score against a target (Wald, as R's nps_test, or Tango's score
// test, which agrees with the Tango interval). [SampleSize] returns the number of answers
// whose expected Wald half-width is a given margin; an actual survey of that size reaches
// the margin only about half the time, and [SampleSizeAssured] returns the n that reaches it
// with a given probability. [SampleSizeCompare] returns the answers per group that give
// Compare's test a given power.
//
// # Errors
//
// Every error wraps a sentinel of the root package, so errors.Is works: a score outside
// the scale is ErrOutOfRange, a negative weight ErrNegativeWeight, NaN or Inf ErrNotFinite,
// and errors about one value are *cxmetrics.InputError values that give its index:
//
//	nps: score 11 at index 3: out of range [0, 10]
//
// A Result decoded from JSON or built by hand is validated by every method: inconsistent
// counts, shares, score, weight or effective n are ErrCorrupt, never NaN. Work is bounded: a
// tally holds at most [MaxAnswers] answers, a bootstrap at most [MaxResamples] resamples, a
// plan at most [MaxSampleSize] answers (ErrTooLarge beyond).
package nps
