// Package drivers finds which ratings move an outcome: key driver analysis.
//
// A survey asks for an outcome (the 0-10 likelihood to recommend, an overall satisfaction
// rating, or promoter yes/no coded 1/0) and for ratings of the parts of the experience
// (speed, friendliness, price, ...), the drivers. The package says how much of the
// outcome's variance each driver accounts for, how well each driver is rated, and which
// drivers to work on first. The data come as columns, as gonum's stat takes them: y[i] is
// respondent i's outcome and x[j][i] their rating of driver j. Every respondent counts
// once (there are no survey weights).
//
// # Importance
//
// All three measures come from the least-squares regression of y on the drivers with an
// intercept, whose R² is the share of the outcome's variance the drivers explain
// together. With R_xx the drivers' correlation matrix and r the vector of their
// correlations with the outcome, R² = rᵀ R_xx⁻¹ r.
//
//   - [Correlations]: each driver's Pearson correlation with the outcome. Simple, but two
//     drivers that measure the same thing both look important.
//   - [ShapleyR2]: the LMG decomposition of R² (Lindeman, Merenda & Gold 1980), which is
//     the Shapley value of the game whose worth of a set of drivers is its R² (Lipovetsky
//     & Conklin 2001): a driver's increase of R² averaged over every order in which the
//     drivers can enter the regression,
//     φ_j = Σ_{S ⊆ N∖{j}} |S|!(k-|S|-1)!/k! · (R²(S ∪ {j}) - R²(S)).
//     It is exact, never negative, sums to R², and shares the variance two correlated
//     drivers explain together equally between them. It is what R's relaimpo calls "lmg"
//     (Grömping 2006), and the default importance of [Analyze].
//   - [RelativeWeights]: Johnson's (2000) relative weights, which regress y on the
//     orthogonal variables closest to the drivers and apportion each one's contribution
//     back: with R_xx = VΛVᵀ, Λ* = VΛ^{1/2}Vᵀ and β* = Λ*⁻¹ r, ε_j = Σ_k Λ*_jk² β*_k².
//     Never negative and summing to R² too, they approximate LMG closely (Johnson &
//     LeBreton 2004; within 0.021 of R² for every driver of the three reference data
//     sets in the tests), though Thomas et al. (2014) show data where the two rank
//     drivers differently.
//
// # One correlation matrix
//
// Every importance is a function of the correlation matrix of the outcome and the
// drivers, computed in two passes over the respondents (compensated means, then
// cross-products of the deviations, on values scaled by powers of two so that any finite
// ratings work). The R² of a subset S of drivers, r_Sᵀ R_SS⁻¹ r_S, then costs nothing per
// respondent: ShapleyR2 visits all 2^k subsets in about k·2^k operations, whatever the
// number of respondents, and at most MaxShapleyDrivers (20) drivers are accepted
// ([cxmetrics.ErrTooLarge] beyond; 15 drivers take a few milliseconds, 20 about a tenth of
// a second). RelativeWeights needs one eigendecomposition of R_xx and has no limit. On
// 100,000 respondents and 15 drivers, Analyze computes all three importances, the
// collinearity and the performance in 20-40 ms on one core.
//
// # Missing answers
//
// The functions without options ([Correlations], [RelativeWeights], [ShapleyR2]) need
// complete data: a NaN is [cxmetrics.ErrNotFinite], naming the driver and the respondent.
// [Analyze] and [Bootstrap] read NaN as "not answered" and treat it as [Options].Missing
// says:
//
//   - [Listwise] (the default) uses only the respondents who answered the outcome and
//     every driver. All correlations then describe the same people, and the results are
//     those of Correlations, RelativeWeights and ShapleyR2 on the complete respondents.
//   - [Pairwise] computes each correlation from the respondents who answered both of its
//     questions (as R's cor(use = "pairwise.complete.obs")). It keeps more answers, but the
//     correlations describe different people and may contradict each other: the drivers'
//     matrix may not be positive definite, or imply an R² above 1. Analyze then returns
//     [cxmetrics.ErrSingular] saying which, rather than repairing the matrix (a repair,
//     such as the nearest correlation matrix, would report importances for data nobody
//     gave); use Listwise for such data.
//
// A driver's performance always uses all its answers; the importances use those that the
// deletion keeps. [Analysis] reports both counts.
//
// # Collinearity
//
// [Analysis] gives each driver's variance inflation factor, VIF_j = [R_xx⁻¹]_jj =
// 1/(1 - R²_j), and the condition number √(λ_max/λ_min) of R_xx. Collinearity makes the
// regression coefficients unstable (VIF above 5-10, condition number above 30) but not the
// three importances, which is why key driver analysis uses them. Drivers that are linearly
// dependent to within [SingularTolerance] (VIF above 10^10, for example the same question
// twice) are [cxmetrics.ErrSingular], naming the driver.
//
// # Performance and quadrants
//
// A driver's performance is its normalized mean rating, 100·(mean - Min)/(Max - Min) on
// [Options].Scale, or its top-box share, the percentage of ratings of at least
// Scale.TopBoxMin ([FivePoint], [SevenPoint] and [ZeroToTen] use the top two points).
// Importance against performance places each driver in a quadrant: [KeyStrength]
// (important, well rated), [KeyWeakness] (important, poorly rated: the priority),
// [SecondaryStrength] and [SecondaryWeakness]. A driver is important when its importance
// ([Options].Importance: Shapley, the relative weight, or the absolute correlation) is at
// least the cut, and performs well when its performance is at least the cut. The cuts are
// the medians over the drivers (R's type 7, so with an odd number of drivers the median
// driver counts as high); [Analysis.WithCuts] sets others, such as 1/k of R² for
// importance or a target score for performance.
//
// # Bootstrap intervals
//
// [Bootstrap] resamples respondents with replacement from the caller's *rand.Rand and
// gives percentile intervals for R² and every driver's three importances. Results do not
// depend on GOMAXPROCS. A resample that cannot be analysed (a rare rating left out, so that
// a driver does not vary) is skipped and counted. The percentile interval runs a little
// short: in the simulation of the tests (four drivers correlated 0.5, 200 resamples,
// 1,000 samples of each size) the 90% intervals covered the population's relative weights
// and LMG shares 86-90% of the time for 50, 150 and 500 respondents, and its R² 81%, 86%
// and 89% (the sample R² is biased upwards).
//
// # Errors
//
// Every error wraps a sentinel of the root package, and errors about one value are
// *cxmetrics.InputError values naming the driver and the respondent's index:
//
//	drivers: driver 2 (price) rating 7 at index 41: out of range [1, 5]
//
// [cxmetrics.ErrEmpty] for no drivers or respondents, [cxmetrics.ErrLengthMismatch] for a
// driver with another length than y, [cxmetrics.ErrNotFinite] for an infinite value (and
// NaN where complete data are needed), [cxmetrics.ErrOutOfRange] for a rating off the
// scale, [cxmetrics.ErrTooFew] for fewer than k + 2 respondents (3 for Correlations),
// [cxmetrics.ErrNoVariation] for an outcome or driver that never varies,
// [cxmetrics.ErrSingular] for collinear drivers or inconsistent pairwise correlations,
// [cxmetrics.ErrTooLarge] beyond MaxShapleyDrivers or MaxResamples,
// [cxmetrics.ErrInvalidScale], [cxmetrics.ErrUnknownLabel], [cxmetrics.ErrInvalidLevel]
// and [cxmetrics.ErrNilRand] for bad options. No function panics on its input or returns
// NaN or Inf.
//
// # References
//
//   - Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
//     predictor variables in multiple regression. Multivariate Behavioral Research 35(1),
//     1–19.
//   - Johnson, J. W., & LeBreton, J. M. (2004). History and use of relative importance
//     indices in organizational research. Organizational Research Methods 7(3), 238–257.
//   - Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). Introduction to Bivariate and
//     Multivariate Analysis. Scott, Foresman.
//   - Lipovetsky, S., & Conklin, M. (2001). Analysis of regression in game theory approach.
//     Applied Stochastic Models in Business and Industry 17(4), 319–330.
//   - Grömping, U. (2006). Relative importance for linear regression in R: the package
//     relaimpo. Journal of Statistical Software 17(1), 1–27.
//   - Thomas, D. R., Zumbo, B. D., Kwan, E., & Schweitzer, L. (2014). On Johnson's (2000)
//     relative weights method for assessing variable importance: a reanalysis.
//     Multivariate Behavioral Research 49(4), 329–338.
//   - Belsley, D. A., Kuh, E., & Welsch, R. E. (1980). Regression Diagnostics. Wiley.
//   - Chan, T. F., Golub, G. H., & LeVeque, R. J. (1983). Algorithms for computing the
//     sample variance: analysis and recommendations. The American Statistician 37(3),
//     242–247.
package drivers
