// Package ces computes the Customer Effort Score and its uncertainty.
//
// # The score
//
// Customers rate how easy it was to get what they came for. CES 2.0 (CEB, now Gartner,
// 2013) asks for agreement with "The company made it easy for me to handle my issue" on a
// 1-7 scale, 1 strongly disagree .. 7 strongly agree ([Standard7]); the original CES
// (Dixon, Freeman & Toman 2010, "Stop Trying to Delight Your Customers", Harvard Business
// Review) asks "How much effort did you personally have to put forth to handle your
// request?" on 1-5, 1 very low .. 5 very high effort ([Standard5]), where low is good. The
// score is the mean rating,
//
//	CES = Σ w_i r_i / Σ w_i
//
// on the scale as answered, with its standard deviation (n - 1 form), the shares of easy
// and difficult answers, and the net ease 100 · (Easy - Difficult), which ranges from -100
// to 100 like an NPS.
//
// [Compute] and [ComputeScale] take a slice of ratings and optional survey weights,
// [ComputeSeq] a stream, and a [Tally] accumulates answers one at a time, merges across
// shards and serialises, for services that score live data. All return a [Result].
//
// # Scales and buckets
//
// A [Scale] has a direction and two buckets. The buckets are read on the ease axis, on
// which higher is always easier: a rating r is its own ease when HighIsEasy is true and is
// mirrored to Min + Max - r when it is false, so Standard5's EasyMin 4 and DifficultMax 2
// make ratings 1-2 (low effort) easy and 4-5 difficult. Vendors bucket differently (top-2
// or top-3 box, with or without a neutral midpoint): any EasyMin and DifficultMax with
// Min <= DifficultMax < EasyMin <= Max is allowed, and the neutral band may be empty. A
// scale has at most [MaxScalePoints] (11) points.
//
// [Result.Normalize] maps the mean onto 0-100 with 100 the easiest end,
// 100 · (ease-axis mean - Min)/(Max - Min), so that results on 5- and 7-point scales, or
// on scales of opposite direction, compare.
//
// # Weights
//
// If weights is nil then all of the weights are 1. A weighted mean is a ratio estimator,
// and its variance is the linearization (Taylor) variance of R's survey::svymean for a
// design with weights only,
//
//	Var(CES) = n/(n-1) · Σ w_i² (r_i - CES)² / (Σ w_i)²
//
// which is s²/n when the weights are equal. The effective n of the mean is the number of
// unweighted answers with the same precision, n/(n-1) · σ̂²/Var with σ̂² = Σ w (r - CES)²/Σ w
// (N exactly when unweighted), and the t interval and Compare's test take their degrees of
// freedom from it. The Easy share has its own effective n, p(1-p)/Var(p), as
// survey::svyciprop uses. Unlike Kish's (Σw)²/Σw², these stay right when the weights are
// related to the answers. Answers with weight 0 count in N but not in the mean.
//
// # Intervals
//
// [Result.Interval] gives the Student t interval for the mean, Mean ± t_{n_eff-1} · SE, in
// rating points clipped to [Min, Max]; [Result.Bootstrap] the percentile bootstrap from
// the caller's *rand.Rand, which resamples the distribution over the points (one
// multinomial draw per resample, so its cost does not depend on n); [Result.EasyInterval]
// the Wald, Wilson, Agresti-Coull, Clopper-Pearson and Jeffreys intervals for the Easy
// share, in percent.
//
// The simulation in sim_test.go (TestCoverage; go test -v prints the table) draws 4,000
// samples per cell. Coverage of the 95% t interval:
//
//	distribution (shares of 1..k)                n=10    n=30   n=100  n=1000
//	5-point uniform                              94.4%   95.3%   95.0%   95.2%
//	5-point low effort .45 .30 .12 .08 .05       92.2%   93.9%   95.1%   94.7%
//	5-point polarised .40 .10 0 .10 .40          94.8%   94.7%   94.4%   95.1%
//	7-point tilted, mean 2.3 (see below)         91.5%   93.6%   94.5%   94.7%
//	7-point uniform                              94.6%   95.2%   95.0%   95.3%
//	7-point tilted, mean 5.7                     91.7%   94.2%   94.8%   95.0%
//	7-point tilted, mean 6.0                     89.8%   93.3%   94.7%   95.6%
//	7-point top-2 heavy, mean 5.4                93.0%   94.7%   94.2%   94.6%
//	7-point polarised, mean 4.5                  94.3%   95.0%   95.3%   94.7%
//
// The t interval under-covers skewed distributions at small n (down to 90% at n = 10 and
// 93% at n = 30 when half the answers are 7s) and is within about a point of 95% from
// n = 100. The bootstrap (1,000 resamples, 200 samples per cell) under-covers more at
// small n: 86.5-94.5% at n = 10 and 91-97% at n = 30, within Monte Carlo error of 95% from
// n = 100; prefer the t interval.
//
// The exact coverage of the 95% intervals for the Easy share (TestEasyCoverage, binomial
// sums over every x):
//
//	                Wald  Wilson  Agresti-Coull  Clopper-Pearson  Jeffreys
//	n=20   p=0.05  63.9%   92.5%      98.4%           98.4%         98.4%
//	n=20   p=0.50  95.9%   95.9%      95.9%           95.9%         95.9%
//	n=20   p=0.90  87.6%   95.7%      95.7%           98.9%         95.7%
//	n=100  p=0.05  87.7%   96.6%      96.6%           98.3%         93.5%
//	n=100  p=0.50  94.3%   94.3%      94.3%           96.5%         94.3%
//	n=100  p=0.90  93.2%   93.6%      97.2%           95.6%         95.6%
//	n=1000 p=0.05  94.2%   95.0%      95.0%           95.8%         95.0%
//	n=1000 p=0.50  94.6%   94.6%      94.6%           95.4%         94.6%
//	n=1000 p=0.90  95.3%   94.9%      94.9%           95.5%         94.9%
//
// Wald under-covers near 0% and 100% easy (64% at n = 20, p = 0.05) and is a point when
// every answer is easy or none is; Wilson and Jeffreys dip to 92.5-93.6% at small n;
// Agresti-Coull and Clopper-Pearson over-cover near the ends, and Clopper-Pearson never
// covers less than 95%.
//
// With informative weights (TestWeightedCoverage: 10% of the customers, mostly
// difficult, sampled at a fifth of the rate of the others and weighted 5), the 95% t
// interval covers 88.9% at n = 100, 92.7% at 200, 93.9% at 500, 94.6% at 1,000 and 94.8%
// at 2,000, where the same interval with Kish's effective n covers 86-89% at every n: the
// few heavily weighted answers make the estimate skewed at small n, but the linearization
// variance matches its spread.
//
// # Comparing
//
// [Compare] tests the difference between the means of two independent samples with the
// t-test under its null hypothesis of one population, whose variance it estimates from both
// samples (Student's pooled-variance test: unweighted, scipy.stats.ttest_ind(a, b,
// equal_var=True) and R's t.test(a, b, var.equal = TRUE)), as nps and csat test under the
// variance of the null; its interval is Welch's, which does not assume equal variances
// (R's t.test(a, b)$conf.int).
//
// The rejection rate under a true null (both samples from one distribution) at α = 5%,
// simulated in TestCompareTypeI (6,000 pairs per cell, Monte Carlo SE 0.28 points), on the
// 1-7 scale, with Welch's unequal-variance test beside it. The "tilted" distributions are
// the maximum-entropy ones with a given mean, shares proportional to exp(β·j): β = -0.5
// gives .41 .25 .15 .09 .06 .03 .02 (mean 2.3), β = 0.5 the reverse (mean 5.7), β = 0.65
// gives .01 .02 .04 .07 .13 .25 .48 (mean 6.0), β = -1, 0.8 and 1 means 1.6, 6.2 and 6.4;
// top-2 heavy is .02 .03 .05 .10 .25 .30 .25, polarised .25 .10 .05 .05 .05 .10 .40, and the
// thin far tail .005 .005 .01 .02 .05 .20 .71.
//
//	distribution             test     30/30  30/100  30/300  30/500 100/100 100/500 300/300 500/500
//	tilted, mean 2.3         pooled    5.0%    4.8%    5.0%    5.5%    5.5%    5.0%    5.3%    4.7%
//	                         Welch     4.9%    5.5%    6.0%    6.5%    5.5%    5.0%    5.3%    4.7%
//	uniform, mean 4.0        pooled    4.8%    4.8%    4.9%    5.2%    4.9%    5.1%    5.1%    5.0%
//	                         Welch     4.8%    4.8%    5.2%    5.2%    4.9%    5.3%    5.1%    5.0%
//	tilted, mean 5.7         pooled    4.4%    5.1%    5.2%    5.5%    5.1%    5.4%    4.6%    4.9%
//	                         Welch     4.3%    5.6%    6.3%    6.5%    5.1%    5.3%    4.6%    4.9%
//	tilted, mean 6.0         pooled    4.8%    5.1%    4.7%    4.9%    5.2%    5.2%    4.7%    5.2%
//	                         Welch     4.7%    5.7%    6.3%    6.4%    5.2%    5.7%    4.7%    5.2%
//	top-2 heavy, mean 5.4    pooled    5.2%    4.6%    4.9%    4.8%    4.2%    5.1%    5.2%    5.2%
//	                         Welch     5.0%    5.2%    6.0%    5.5%    4.2%    5.3%    5.2%    5.2%
//	polarised, mean 4.5      pooled    5.2%    4.7%    4.9%    5.0%    5.0%    5.0%    4.8%    5.2%
//	                         Welch     5.2%    4.8%    5.1%    5.4%    5.0%    5.0%    4.8%    5.2%
//	tilted, mean 1.6         pooled    4.5%    5.0%    4.5%    4.7%    5.5%    5.4%    4.8%    5.2%
//	                         Welch     4.4%    6.4%    7.0%    7.4%    5.5%    6.0%    4.8%    5.2%
//	tilted, mean 6.2         pooled    4.6%    5.2%    5.0%    4.9%    5.0%    5.0%    5.0%    5.3%
//	                         Welch     4.4%    6.3%    7.0%    7.2%    5.0%    5.5%    5.0%    5.3%
//	tilted, mean 6.4         pooled    4.9%    4.9%    5.3%    4.8%    4.5%    4.4%    5.0%    5.3%
//	                         Welch     4.7%    6.0%    6.8%    7.5%    4.5%    5.0%    5.0%    5.3%
//	thin far tail, mean 6.5  pooled    4.9%    4.5%    4.5%    5.1%    4.4%    5.0%    4.7%    5.2%
//	                         Welch     4.7%    6.4%    9.1%    9.9%    4.4%    6.3%    4.7%    5.2%
//
// The pooled test stays within 4.2-5.5% everywhere. Welch's test, which estimates the
// small group's variance from that group alone, fails when a small group is compared with a
// large one on skewed ratings: the small group's mean and variance are then correlated and
// its t skewed, so 30 answers against 300 or 500 reject 7.0-7.5% of true nulls at means
// 1.6, 6.2 and 6.4, and 9.1-9.9% with the thin far tail.
//
// [Result.Test] is the one-sample t-test of the mean against a target (R's
// t.test(x, mu = target)). For planning, [SampleSize] gives the answers for a margin of the
// t interval when the sample's SD comes out as expected, [SampleSizeAssured] those that
// reach it with a given probability (Beal 1989, for normal ratings; the kurtosis of real
// ratings moves it, as its documentation shows), and [SampleSizeCompare] the answers per
// group for Compare's test to detect a difference with a given power (noncentral t with
// Welch's degrees of freedom, which for equal groups differ little from the test's; on
// simulated 1-7 ratings within a point of the target in TestSampleSizeComparePower).
//
// # Errors
//
// Every error wraps a sentinel of the root package, so errors.Is works: a rating outside
// the scale is ErrOutOfRange, a negative weight ErrNegativeWeight, NaN or Inf
// ErrNotFinite, a variance from one answer ErrTooFew, and errors about one value are
// *cxmetrics.InputError values that give its index:
//
//	ces: score 8 at index 3: out of range [1, 7]
//
// A Result decoded from JSON or built by hand is validated by every method: fields that do
// not fit together are ErrCorrupt, never a NaN.
package ces
