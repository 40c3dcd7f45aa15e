// Package cxmetrics turns customer-experience data into numbers a statistician would sign:
// survey scores with their uncertainty, comparisons of segments and periods, key drivers,
// journey metrics from event logs, attribution of conversions to touchpoints, customer
// lifetime value, and the peak-end rule.
//
// This root package holds only the vocabulary that every metric package shares: the
// sentinel errors with [InputError], which says which value at which position was wrong,
// and [ParseError], which says where in a file; the confidence [Interval] with its
// [Method]; and the [Estimate] that every survey score gives for comparisons.
//
// # Packages
//
//   - [github.com/cxmetrics/cxmetrics/nps]: Net Promoter Score, with variance, intervals
//     (Wald, adjusted Wald, Tango, Bayesian, bootstrap), comparisons, one-sample tests and
//     sample sizes.
//   - [github.com/cxmetrics/cxmetrics/csat]: Customer Satisfaction (top-box share on any
//     scale, and the willingness-to-recommend share), with the binomial intervals.
//   - [github.com/cxmetrics/cxmetrics/ces]: Customer Effort Score on 5- and 7-point scales
//     in either direction, with % easy and net easy.
//   - [github.com/cxmetrics/cxmetrics/segment]: many segments or periods of one score:
//     all-pairs and each-vs-rest comparisons with Holm and Benjamini-Hochberg adjustment,
//     trends, empirical-Bayes shrinkage of small segments.
//   - [github.com/cxmetrics/cxmetrics/drivers]: key driver analysis: correlations,
//     Johnson's relative weights, Shapley (LMG) decomposition of R², quadrants.
//   - [github.com/cxmetrics/cxmetrics/peakend]: the peak-end rule: remembered score,
//     duration-weighted mean, and fitting the weights to retrospective ratings.
//   - [github.com/cxmetrics/cxmetrics/journey]: the five journey stages with their key
//     questions and metrics, every metric formula, and the shared Event type.
//   - [github.com/cxmetrics/cxmetrics/journey/funnel]: ordered funnels over event logs.
//   - [github.com/cxmetrics/cxmetrics/journey/cohort]: cohort retention tables and churn.
//   - [github.com/cxmetrics/cxmetrics/journey/attribution]: heuristic, Markov and Shapley
//     attribution of conversions to channels.
//   - [github.com/cxmetrics/cxmetrics/journey/clv]: customer lifetime value, from formulas to
//     BG/NBD and Gamma-Gamma models.
//
// # Conventions
//
// Functions take plain slices; weights may be nil, meaning every answer weighs 1. Bad input
// is an error, never a panic, a NaN or a silently dropped value: every error wraps one of
// the sentinels below (test with errors.Is), an error about one value is an *InputError
// naming its position and value, a bad field of a file is a *ParseError naming its line,
// column and column name. A parameter that sets how much work a call does (resamples,
// periods, steps) has a documented bound, beyond which the call returns an error wrapping
// ErrTooLarge. Every enumerated type has one text form, used by String, MarshalText and
// UnmarshalText. Randomness comes only from a caller's *rand.Rand (math/rand/v2), so every
// result is reproducible.
package cxmetrics
