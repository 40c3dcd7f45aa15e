// Package stats holds the numerical building blocks that the metric packages share:
// compensated sums, normal and Student's t quantiles, sampling from multinomial, binomial,
// gamma and Dirichlet distributions with a caller's *rand.Rand, and sample quantiles.
//
// Nothing here is specific to one metric. Functions assume validated input: the metric
// packages check their data and return errors before they call in here.
package stats
