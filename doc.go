// Package cxmetrics turns customer-experience data into numbers a statistician would sign:
// survey scores with their uncertainty, journey metrics from event logs, attribution of
// conversions to touchpoints, customer lifetime value, and the peak-end rule.
//
// This root package holds only the vocabulary that every metric package shares: the
// sentinel errors with [InputError], which says which value at which position was wrong,
// and the confidence [Interval] with its [Method].
//
// # Packages
//
//   - [github.com/cxmetrics/cxmetrics/nps]: Net Promoter Score, with variance, intervals
//     (Wald, adjusted Wald, Tango, Bayesian, bootstrap), comparisons and sample sizes.
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
// is an error, never a panic, a NaN or a silently dropped value. Randomness comes only from
// a caller's *rand.Rand (math/rand/v2), so every result is reproducible.
package cxmetrics
