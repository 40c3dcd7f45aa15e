// Package clv estimates customer lifetime value from purchase histories with the BG/NBD
// model of purchase counts and the Gamma-Gamma model of spend (Fader, Hardie & Lee 2005).
//
// The simple CLV formulas (average order value × purchase frequency × lifespan, and
// margin × r / (1 + d - r)) are in package [github.com/cxmetrics/cxmetrics/journey].
//
// # From transactions to customers
//
// [CustomersFromEvents] turns a log of purchases ([journey.Event]) into one [Customer]
// per user, the fits' input, with the users' identifiers alongside: the number of repeat
// purchases x, the time of the last purchase since the first t_x, the age T at the end of
// observation, and the mean value of the repeat purchases. Events of one user at the same
// instant are one purchase; truncate times first to count at most one purchase per day.
//
// # Time units
//
// Nothing in this package assumes a time unit. CustomersFromEvents takes the unit as an
// argument (a week is 7*24*time.Hour), the models' Alpha is in that unit, and every
// horizon (ExpectedPurchases' t, LifetimeValue's periodLength) is in the unit of the
// customers the model was fitted to. There is no hidden "30 days": a month of weekly data
// is 4.345 units.
//
// # BG/NBD
//
// [FitBGNBD] fits the beta-geometric/negative binomial distribution model by maximum
// likelihood: while active a customer buys as a Poisson process whose rate is
// Gamma(r, α) across customers, and after each repeat purchase drops out with a
// probability that is Beta(a, b) across customers. The log-likelihood is evaluated in
// log-sum-exp form with its analytic gradient and maximized over log parameters (see
// Maximum likelihood below) from data-driven starting values, with times divided by the
// largest T so that the fit does not depend on the unit. A fit that does not reach an
// interior maximum returns a [*ConvergenceError] with the last parameters and
// log-likelihood, never NaN. Bad data (a NaN, a negative value, a fractional frequency,
// t_x > T) is an [*cxmetrics.InputError] that names the customer's index.
//
// The fitted [BGNBD] predicts [BGNBD.ExpectedPurchases] E[X(t)] for a new customer,
// [BGNBD.ConditionalExpectedPurchases] for a customer with a history,
// [BGNBD.ProbabilityAlive] and [BGNBD.ProbabilityOfPurchases] P(X(t) = x).
//
// # Pareto/NBD
//
// [FitParetoNBD] fits the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), in
// which a customer may drop out at any time (exponential lifetimes with Gamma(s, β)
// rates) rather than only after a purchase; [ParetoNBD.ProbabilityAlive] and
// [ParetoNBD.ConditionalExpectedPurchases] predict from it. Its likelihood contains the
// difference of two Gauss hypergeometric functions; it is written around the larger of
// α and β so that their argument lies in [0, 1), summed after Euler's transformation as
// a series of positive terms (near 1 evaluated by Gauss's continued fraction instead),
// and combined in logarithms (see FitParetoNBD). The
// gradient is taken by central differences, since the derivatives of 2F1 in its
// parameters have no closed form.
//
// # Contractual churn
//
// [FitShiftedBetaGeometric] fits the shifted-beta-geometric model (Fader & Hardie 2007)
// to the counts of a subscription cohort still active at the start of each period;
// [ShiftedBetaGeometric.Survival], [ShiftedBetaGeometric.RetentionRate] and
// [ShiftedBetaGeometric.DERL] (the discounted expected residual lifetime, Fader & Hardie
// 2010) project it.
//
// # Holdout validation
//
// A model that fits its data may still predict badly. [SplitHoldout] splits a
// transaction log at a date into the calibration customers (summarized as by
// [CustomersFromEvents], with the split as the end of observation) and the number of
// distinct purchase times each of them made between the split and the end; users whose
// first purchase is after the split are left out. [CompareHoldout] predicts each
// calibration customer's holdout purchases with a fitted [BGNBD] or [ParetoNBD] and
// tabulates mean predicted against mean actual purchases by calibration frequency, the
// last row pooling the frequent buyers (lifetimes' calibration_and_holdout_data and
// plot_calibration_purchases_vs_holdout_purchases), with the mean absolute error per
// customer and the ratio of total predicted to total actual purchases as summaries.
//
// # The hypergeometric function
//
// The paper's expressions for E[X(t)] and the conditional expectation contain the Gauss
// hypergeometric function 2F1 at z = t/(α+t), which approaches 1 for long horizons, where
// its series converges slowly and, for customers with many purchases, with catastrophic
// cancellation; the expression is also 0/0 at a = 1. This package never evaluates that
// form. Two Pfaff transformations turn it into power series in -t/α and in
// z = t/(α+t) whose coefficients have no singularity at a = 1 or a + b = 1; they are used
// (for t <= 0.75·α and t <= 9·α) while their terms show no harmful cancellation.
// Everything else integrates the definition E[X(t)] = E_p[(1 - (1 + p·t/α)^-r)/p] over
// p ~ Beta(a, b) by double-exponential quadrature, whose integrand is positive, so nothing
// cancels. All three are tested against 60-digit mpmath values over r from 0.001 to 10^4,
// a and b from 0.001 to 10^4 and t/α from 10^-6 to 10^6, to 1e-9 relative.
//
// # Gamma-Gamma
//
// [FitGammaGamma] fits the spend model to the customers with at least one repeat purchase,
// and [GammaGamma.ExpectedSpend] gives a customer's expected spend per transaction. The
// model assumes that spend per transaction is independent of purchase frequency: check
// with [SpendFrequencyCorrelation] that the correlation is near zero (0.11 on CDNOW)
// before relying on it.
//
// # Maximum likelihood
//
// Both fits minimize the mean negative log-likelihood over the logarithms of the
// parameters with the BFGS method of gonum's optimize package
// ([gonum.org/v1/gonum/optimize.BFGS], with its default bisection line search under the
// strong Wolfe conditions) and the analytic gradient. The settings are
// GradientThreshold 1e-9 (the largest gradient component at which a fit has converged),
// MajorIterations 500, and a FunctionConverge that stops a run after 20 iterations
// without a relative decrease of 1e-15. Log parameters beyond ±40 (a parameter at 0 or
// infinity, where the model is degenerate) have an objective of +Inf, from which the line
// search steps back. A run that stops early (the line search finds no better point, or
// the objective stalls at its rounding floor) is restarted from its best point with a
// fresh inverse-Hessian approximation, at most four times and only while it still
// improves; its best point is accepted when the largest gradient component there is
// below 1e-6. Otherwise, or when a parameter ends beyond e^±39, the fit returns a
// [*ConvergenceError] with the optimizer's reason and last state.
//
// # Standard errors
//
// Every fit returns the standard errors of its parameters in a StdErr array, in the
// order of the parameter fields: the square roots of the diagonal of the inverse of the
// observed information matrix, the Hessian of the negative log-likelihood (summed over
// the customers) at the fitted parameters. The Hessian is taken by central differences,
// with step 1e-4 in the log parameters, of the analytic gradient the fits already use:
// that is as accurate as a hand-derived Hessian to about eight digits, and it stays right
// whenever the likelihood changes. It is converted to the natural parameters θ by the
// chain rule, I(θ) = D⁻¹ (H - diag(g)) D⁻¹ with D = diag(θ) and g the gradient over log
// parameters, so the result is the observed information of the natural parameters as
// lifetimes and R's optim(hessian = TRUE) report it. On CDNOW the BG/NBD standard errors
// agree with the lifetimes library's summary table to its six printed digits. A fit at a
// point where the information matrix is not positive definite (a parameter the data do
// not identify) returns an error wrapping [cxmetrics.ErrSingular].
//
// # Too little data
//
// The transaction and spend models need at least [MinRepeatCustomers] customers with a
// repeat purchase; fewer is an error wrapping [cxmetrics.ErrTooFew], returned before any
// fitting, whose message says how many the data have.
//
// # Lifetime value
//
// [LifetimeValue] sums, over the next periods periods of length L, the expected purchases
// in each period times the expected spend, discounted by (1 + d)^i for period i. The
// result is revenue in the currency of the spend data; multiply by a margin for profit.
//
// [DrawParameters] draws the parameters of both fitted models from their estimated
// sampling distribution (normal on the log scale, with the inverse observed information
// as covariance, recomputed from the customers the models were fitted to), and
// [ParameterDraws.LifetimeValueInterval] turns the draws into a percentile interval for
// a customer's lifetime value. That interval covers the uncertainty of the parameters
// only, not the randomness of the customer's own purchases and spend: it says how well
// the data pin down the customer's expected value, not where their realized spend will
// fall. On CDNOW its width agrees with the delta method, and in simulations its 90%
// interval covers the value under the true parameters in about 90% of samples.
//
// # Errors and bounds
//
// Nothing here returns NaN or an infinity. Bad data are [*cxmetrics.InputError] values
// naming the customer or transaction; model values built by hand (a parameter that is
// NaN, infinite, zero or negative) make every method return an error. Extreme but valid
// inputs (times, spends or parameters near the ends of the float64 range) are computed in
// forms that do not overflow on the way, such as ln((α+T)/(α+t_x)) written as
// ln(1 + (T-t_x)/(α+t_x)), and means of values divided by their largest; a result that is
// itself beyond the float64 range is an error wrapping [cxmetrics.ErrNotFinite]. Data
// without the spread a fit or a correlation needs (every spend equal) is an error wrapping
// [cxmetrics.ErrNoVariation].
//
// The work of a prediction does not depend on its horizon t or on the number of purchases
// x: the series, the quadrature and the incomplete beta function take a bounded number of
// steps. LifetimeValue is the one call whose work grows with a parameter, its periods; it
// accepts at most [MaxPeriods], and more is an error wrapping [cxmetrics.ErrTooLarge].
// DrawParameters makes at most [MaxParameterDraws] draws, and an interval computes at
// most [MaxIntervalWork] draws × periods; more is an error wrapping
// [cxmetrics.ErrTooLarge]. Randomness comes only from the caller's *rand.Rand, and the
// draws depend only on its state.
// The fits take at most 500 iterations of BFGS.
//
// # References
//
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers" the
//     Easy Way: An Alternative to the Pareto/NBD Model. Marketing Science 24(2), 275–284.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using Iso-Value
//     Curves for Customer Base Analysis. Journal of Marketing Research 42(4), 415–430.
//   - Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman &
//     Hall.
//   - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2008). Computing P(alive) Using the
//     BG/NBD Model. Note, brucehardie.com.
//   - Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma Model of Monetary Value.
//     Note, brucehardie.com.
//   - Nocedal, J. & Wright, S. J. (2006). Numerical Optimization, 2nd ed. Springer.
//   - Takahasi, H. & Mori, M. (1974). Double exponential formulas for numerical
//     integration. Publ. RIMS Kyoto Univ. 9, 721–741.
//
// # Deviations from the lifetimes library
//
// ExpectedPurchases returns an error besides the value (for a negative or NaN horizon or
// invalid parameters) instead of NaN, like every other prediction here. FitGammaGamma
// skips customers without repeat purchases instead of requiring the caller to filter
// them. Frequencies must be whole numbers, and a customer without repeat purchases must
// have recency 0.
package clv
