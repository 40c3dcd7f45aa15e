// Package csat computes the Customer Satisfaction Score (CSAT) and its uncertainty.
//
// # The score
//
// Customers rate their satisfaction on a short integer scale, usually 1 (very
// dissatisfied) to 5 (very satisfied). The CSAT is the share of satisfied answers, the
// top-2 box (4 and 5) of the 5-point scale, in percent (Farris, Bendle, Pfeifer &
// Reibstein 2010, "Marketing Metrics", 2nd ed., section 2.7, "Customer Satisfaction and
// Willingness to Recommend"):
//
//	CSAT = 100 · Σ_{score >= SatisfiedMin} w_i / Σ_i w_i
//
// from 0 (nobody satisfied) to 100 (everybody). [Scale] allows any integer scale and any
// satisfied band, such as 6-7 on a 1-7 scale or 9-10 on 0-10; [Standard] is the 1-5 scale
// with the top-2 box. Beside the share, a [Result] carries the mean rating Σ w_i x_i / Σ w_i
// and the distribution: the answers and the share of each point.
//
// [Compute] and [ComputeScale] take a slice of scores and optional survey weights,
// [ComputeSeq] a stream, and a [Tally] accumulates answers one at a time, merges across
// shards and serialises, for services that score live data. All return a Result.
//
// A Result holds the distribution in fixed arrays of [MaxDistributionPoints] (11) entries,
// enough for the 1-5, 1-7, 1-10 and 0-10 scales, so that Compute allocates nothing;
// [Result.Distribution] returns it as a slice. On a longer scale (a 0-100 slider) the
// arrays stay empty and [Tally.Distribution] gives the distribution.
//
// # Weights
//
// If weights is nil then all of the weights are 1. A weighted CSAT is a ratio estimator,
// the weighted mean of z_i = 1 for a satisfied answer and 0 otherwise, and its variance is
// the linearization (Taylor) variance of R's survey::svymean for a design with weights
// only:
//
//	Var(p) = Σ w_i² (z_i - p)² / (Σ w_i)²
//
// which is the binomial p(1-p)/n when every weight is equal (svymean multiplies it by
// n/(n-1); this package does not, so that unweighted intervals are the textbook ones).
// The effective sample size is the variance-equivalent n_eff = p(1-p)/Var(p), as
// survey::svyciprop uses it: N exactly when the answers are unweighted, and, unlike Kish's
// (Σw)²/Σw², right when the weights are related to the answers. Answers with weight 0
// count in N but not in the shares or the mean.
//
// # Intervals
//
// [Result.Interval] gives the binomial intervals of statsmodels' proportion_confint on
// (p, n_eff), in score points: Wald, Wilson, AgrestiCoull, ClopperPearson and Jeffreys
// (their formulas are in the method's documentation); [Result.Bootstrap] a percentile
// bootstrap from the caller's *rand.Rand. At x = 0 (no satisfied answer) and x = n (all
// satisfied) every method is defined: Wald collapses to the point, Wilson, Agresti-Coull
// and Clopper-Pearson reach 0 or 100 on that side with a positive width, and Jeffreys
// takes 0 or 100 there too (Brown, Cai & DasGupta 2001).
//
// Their exact coverage at 95% (binomial probabilities summed over every x, no random
// draws; TestCoverage), in percent:
//
//	  n     p     Wald  Wilson  AgrestiCoull  ClopperPearson  Jeffreys
//	  20  0.05   63.89   92.45         98.41           98.41     98.41
//	  20  0.50   95.86   95.86         95.86           95.86     95.86
//	  20  0.90   87.60   95.68         95.68           98.87     95.68
//	 100  0.05   87.75   96.59         96.59           98.26     93.47
//	 100  0.50   94.31   94.31         94.31           96.48     94.31
//	 100  0.90   93.24   93.64         97.16           95.57     95.57
//	1000  0.05   94.17   95.04         95.04           95.81     95.04
//	1000  0.50   94.63   94.63         94.63           95.37     94.63
//	1000  0.90   95.28   94.91         94.91           95.49     94.91
//
// Wald under-covers badly for small n and shares near 0 or 1 (64% at n = 20, p = 0.05);
// Wilson under-covers a little near the ends of small samples (92.5% at n = 20, p = 0.05;
// 93.6% at n = 100, p = 0.9), Jeffreys likewise (93.5% at n = 100, p = 0.05);
// Clopper-Pearson never covers less than the nominal level and is the widest;
// Agresti-Coull over-covers near the ends (97-98%). Wilson is the usual choice.
//
// With informative weights the intervals keep their coverage through n_eff. In
// TestWeightedCoverage a 10% stratum of mostly dissatisfied customers (20% satisfied
// against 85%) is sampled at a fifth of the rate of the rest and weighted by the inverse
// inclusion probability (5 against 1); the true CSAT is 78.5. The 95% intervals cover
// (10,000 samples a cell, Monte Carlo SE ≈ 0.2 points):
//
//	   n   Wilson   Wald
//	 100    90.7    89.6
//	 500    94.6    94.2
//	2000    95.4    95.0
//
// so they under-cover at n = 100, where the small stratum has two or three answers.
//
// # Comparing
//
// [Compare] tests the difference of two independent samples with the pooled
// two-proportion z-test (statsmodels' proportions_ztest) and gives Newcombe's hybrid score
// interval for the difference (Newcombe 1998, method 10). Its type I error at α = 5%,
// computed exactly (TestCompareTypeIError), in percent:
//
//	 n1    n2   p=0.1   0.2   0.3   0.5   0.7   0.8   0.9
//	 30    30    5.44  4.90  4.87  5.19  4.87  4.90  5.44
//	 30   100    4.56  4.89  4.99  4.94  4.99  4.89  4.56
//	 30   300    4.45  4.91  4.96  4.89  4.96  4.91  4.45
//	 30   500    4.13  4.70  4.97  5.04  4.97  4.70  4.13
//	100   100    5.20  5.13  5.10  5.60  5.10  5.13  5.20
//	100   500    5.04  4.94  4.99  5.06  4.99  4.94  5.04
//	300   300    5.08  4.99  4.97  5.19  4.97  4.99  5.08
//	500   500    4.96  4.98  5.00  5.37  5.00  4.98  4.96
//
// Over true shares 0.1 to 0.9 and every pairing of 30, 40, 50, 75, 100, 150, 200, 300
// and 500 answers it stays within 4.1-5.9% (TestCompareTypeIErrorSweep, with -v). Below
// a share of 0.1 (or above 0.9) with 30 answers a side the test turns conservative (2.8%
// at 0.05). Weighted results enter with their effective n.
//
// [Result.Test] tests one CSAT against a target: the Wald z, the score test that agrees
// with the Wilson interval, or the exact binomial test with R's binom.test p-value. For
// planning, [SampleSize] gives the answers for a margin of the Wald interval on average,
// [SampleSizeAssured] those that reach it with a given probability (exact binomial sums),
// and [SampleSizeCompare] the answers per group for Compare's test to detect a difference
// with a given power (Fleiss, Levin & Paik 2003, eq. 4.14; its exact power, summed over
// both samples, is within a point and a half of the target in TestSampleSizeComparePower).
//
// # WRS
//
// The willingness-to-recommend share (WRS, German "Weiterempfehlungsrate"; Farris et al.
// 2010, section 2.7, report it beside satisfaction as the share of customers who would
// recommend) is the share of respondents who answer in the top box of the recommendation
// question,
//
//	WRS = 100 · Σ_{score >= 9} w_i / Σ_i w_i
//
// on the 0-10 question of the Net Promoter System ("How likely is it that you would
// recommend us to a friend or colleague?", Reichheld 2003, "The One Number You Need to
// Grow", Harvard Business Review), whose top box, 9-10, are its promoters. It is the CSAT
// of the [Recommend] scale: ComputeScale(Recommend, answers, weights) gives it with every
// interval and test of this package. It is the same number as nps.Result.Promoters (times
// 100) on nps.Standard. A yes/no recommendation question is Scale{Min: 0, Max: 1,
// SatisfiedMin: 1}.
//
// # Errors
//
// Every error wraps a sentinel of the root package, so errors.Is works: a score outside
// the scale is ErrOutOfRange, a negative weight ErrNegativeWeight, NaN or Inf ErrNotFinite,
// and errors about one value are *cxmetrics.InputError values that give its index:
//
//	csat: score 6 at index 3: out of range [1, 5]
//
// A Result decoded from JSON or built by hand is validated by every method: inconsistent
// fields are ErrCorrupt (no answers ErrEmpty), never NaN.
package csat
