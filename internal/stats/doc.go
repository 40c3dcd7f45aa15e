// Package stats holds the numerical building blocks that the metric packages share and
// that need only the standard library: compensated sums, sampling from multinomial,
// binomial, gamma and Dirichlet distributions with a caller's *rand.Rand, sample
// quantiles and selection, and the finiteness test. Distribution quantiles live in
// internal/dist and least squares in internal/ols, so that a package that only sums or
// selects compiles no gonum package.
//
// Nothing here is specific to one metric. Functions assume validated input: the metric
// packages check their data and return errors before they call in here.
package stats
