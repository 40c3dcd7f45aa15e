// Package segment compares many groups of one score: regions, channels, products, months.
// It answers what a CX team asks once it has a score: which segments differ, is the score
// moving, and which segment really leads.
//
// # Segments and estimates
//
// A [Segment] is a name and a [cxmetrics.Estimate]: a score, its standard error, its number
// of answers and its effective number of answers, in the metric's own units. The
// Result.Estimate method of nps, csat and ces gives it, so every function here works on
// NPS, CSAT and CES alike (and on any estimate with a standard error):
//
//	r, err := nps.Compute(scores, nil)
//	seg := segment.Segment{Name: "North", Estimate: r.Estimate()}
//
// Segments are assumed independent: their answers come from different respondents.
// Functions take the level of their intervals first and the segments last.
//
//   - [AllPairs]: every two segments, with p-values adjusted by Holm and Benjamini-Hochberg
//     and simultaneous intervals.
//   - [EachVsRest]: each segment against the pooled others.
//   - [Trend]: periods in time order, each against the previous one and the first, and a
//     linear trend.
//   - [Shrink]: empirical-Bayes estimates that pull small segments towards the mean.
//   - [Small]: the segments with too few answers to trust, for a report to mark.
//   - [AdjustHolm], [AdjustBH]: R's p.adjust, for p-values from anywhere.
//
// # Comparing two estimates
//
// Every comparison is the Wald test of two independent estimates, a [Contrast]:
//
//	d = y₁ - y₂,   SE = √(SE₁² + SE₂²),   z = d/SE,   p = 2·P(Z ≥ |z|)
//
// with the interval d ± z_{(1+level)/2}·SE. It needs only the two estimates, so it is the
// same for a share, an NPS or a mean rating. Its normal approximation fails for small
// segments, whose estimated standard error is itself noisy and often too small (at an
// extreme score a small segment often has no detractor at all). Compared with a segment of
// 300 answers at the same true NPS, the test declares a difference at α = 5% in these
// shares of pairs (TestWaldSmallSegments in sim_test.go; run with -v for the table):
//
//	answers of the small segment   10     15     30     50     100    300
//	NPS 20                         9.7%   8.6%   7.0%   5.7%   4.8%   5.4%
//	NPS 85                         0.4%   0.9%   8.1%   9.0%   6.0%   5.3%
//
// With 10 or 15 answers at NPS 85 most segments are all alike and get the pooled standard
// error of "Answers all alike" below, which makes the test conservative there. nps.Compare
// uses a pooled test for these reasons; here [Small] marks the segments too small to trust.
//
// # Many comparisons
//
// With k segments there are k(k-1)/2 pairs; at α = 5% and 10 segments, 45 tests of equal
// segments find about two "differences" by chance. [AllPairs] and [EachVsRest] therefore
// give, next to each unadjusted p-value, Holm's adjusted p-value ([AdjustHolm]: the chance
// of any false difference in the whole table stays at most α) and Benjamini-Hochberg's
// ([AdjustBH]: the expected share of false differences among those declared stays at most
// α; more powerful when many segments really differ), and a simultaneous Bonferroni
// interval that covers all the table's differences at once with probability at least the
// level. The unadjusted interval goes with the unadjusted p-value: it is for one
// comparison chosen in advance.
//
// # Each against the rest
//
// [EachVsRest] compares a segment with the other segments pooled, not with the overall
// score: the overall score contains the segment itself, so a large segment would be
// compared mostly with itself. From estimates alone, the rest's score is the combination
// of the other segments' scores weighted by their numbers of answers N_j,
//
//	y_rest = Σ_{j≠i} N_j y_j / Σ_{j≠i} N_j,   SE_rest = √(Σ_{j≠i} (N_j/N_rest)² SE_j²)
//
// For unweighted answers this is exactly the score of the other segments' answers pooled,
// since each score is a mean of per-answer values (+1/0/-1 for NPS, 0/1 for CSAT, the
// rating for CES); its standard error treats the segments as independent samples of fixed
// sizes. For weighted answers the pooled weighted score would weight the segments by their
// total weights, which an Estimate does not carry: y_rest then weights the segments by
// their numbers of answers instead, which is the same only when the segments' mean weights
// are equal. The comparison is still valid (the segment against that mix of the others),
// and SE_rest is still its standard error.
//
// # Trends
//
// [Trend] takes the periods in time order. Each period is compared with the previous one
// and with the first, and the linear trend is a weighted least-squares line through the
// scores with weights 1/SE², whose slope's standard error is the known-variance one,
// inflated when the periods scatter about the line more than their standard errors allow
// (see Trend for the formulas and the choice).
//
// # Shrinkage
//
// A segment of 12 answers with an NPS of 75 is more likely lucky than excellent. [Shrink]
// fits the normal-normal model of meta-analysis, estimates the spread of the true scores
// across segments (DerSimonian-Laird), and moves each segment towards the mean by its
// shrinkage factor B = SE²/(SE² + τ²): a precise segment keeps its score, an imprecise one
// is pulled most of the way. Ranked by shrunk score, a small segment reaches the top or
// the bottom of a league table only when its answers are strong evidence that it belongs
// there.
//
// # Small segments
//
// [Small] flags the segments whose effective number of answers (N for unweighted answers;
// for weighted ones the number of unweighted answers with the same precision) is below a
// minimum, [DefaultMinN] = 30 by default: below it
// the table under "Comparing two estimates" shows the Wald test rejecting a true null in up
// to 10% of pairs at α = 5%, and a share's standard error can reach 9 points, an NPS's 18.
// At extreme scores the test stays somewhat liberal up to about 100 answers, so a strict
// report can pass 100. The flag does not change any result; a report shows it next to the
// segment, and a table can leave such segments out of its comparisons.
//
// # Answers all alike
//
// A segment whose answers are all alike (every answer a promoter, every rating a 5) has a
// standard error of 0, which would make its tests certain and its weight infinite, and
// would leave it unshrunk at the top of a league table. AllPairs, EachVsRest, Trend and
// Shrink therefore replace a standard error of 0 with the one that segment would have at
// the pooled variance per answer of the segments whose answers vary,
//
//	SE_i = √(ū / n_i),   ū = Σ_j n_j (n_j SE_j²) / Σ_j n_j   over the segments j with SE_j > 0
//
// with n the effective numbers of answers (n_j SE_j² is segment j's variance per answer).
// This is the standard error under the hypothesis that the segment's answers spread like
// everyone else's; it is conservative for a segment whose true score is extreme. When every
// standard error is 0 there is nothing to pool, and the functions return an error wrapping
// cxmetrics.ErrNoVariation. Shrunk.SamplingStdErr shows the standard error used.
//
// # Errors
//
// Every error wraps a sentinel of the root package, so errors.Is works; errors about one
// value are *cxmetrics.InputError values that name it, its index and its segment:
//
//	segment: standard error -1 at index 2: out of range [0, +Inf) in segment "North"
//
// The sentinels:
//
//   - ErrEmpty: no segments or no p-values; an empty segment name; an estimate with N < 1
//     (the zero Estimate that Result.Estimate returns for an invalid Result).
//   - ErrTooFew: fewer than 2 segments for AllPairs, EachVsRest, Trend or Shrink.
//   - ErrTooLarge: more than MaxPairSegments segments for AllPairs, more than MaxSegments
//     for the others, more than MaxP p-values; numbers of answers that sum beyond
//     math.MaxInt in EachVsRest.
//   - ErrUnknownLabel: a segment name that repeats an earlier one.
//   - ErrNotFinite: a NaN or infinite score, standard error, effective n, p-value or
//     minimum n; a result that would overflow although the inputs are finite.
//   - ErrOutOfRange: a negative standard error; N or EffectiveN outside (0, 2^53]; a
//     p-value outside [0, 1]; a negative minimum n.
//   - ErrInvalidLevel: a confidence level outside (0, 1).
//   - ErrNoVariation: every segment's standard error is 0.
//
// # Bounds
//
// [AllPairs] takes at most [MaxPairSegments] = 1,000 segments (499,500 pairs), since its
// work and its result grow with the square of their number; the other functions take at
// most [MaxSegments] = 2^20 segments or periods, and their work is O(k log k).
package segment
