// Package attribution shares conversions, and their value, among the marketing channels
// that customers touched on their way: the heuristic models (first touch, last touch,
// linear, position-based, time decay), the Markov-chain removal-effect model and the
// Shapley value.
//
// # Paths
//
// A [Path] is a sequence of touchpoints with the number of journeys that followed it and
// converted (Conversions, with their total Value) or did not (Nulls), the layout of R's
// ChannelAttribution package. [ReadPathsCSV] reads ChannelAttribution's CSV files, with
// the field separator (',', ';' or tab) detected from the header; [PathsCSV] sets the field
// and touchpoint separators explicitly. Every fault of a file, in a field or in the header,
// is a [*cxmetrics.ParseError] with its line, column and column name, as in every reader
// of the module. [PathsFromEvents] and [TimedPathsFromEvents] build paths from a
// [journey.Event] log: per user, in time order, each conversion event closes a path made
// of the touchpoints within a lookback window before it, and the touchpoints after a
// user's last conversion form a path that did not convert. An event without a user is an
// error, as in every reader of event logs, rather than a user of its own.
//
// # Models
//
//   - [FirstTouch] and [LastTouch] give each path's credit to one touchpoint.
//   - [Linear] shares it equally among the touchpoints, counting repeats, as
//     ChannelAttribution's heuristic_models.
//   - [PositionBased] gives fixed shares to the first and last touchpoints and the rest to
//     the touchpoints between (40/20/40 with [UShapedFirst] and [UShapedLast]).
//   - [TimeDecay] weighs each touchpoint of a [TimedPath] by 2^(-dt / halfLife), dt its
//     time before the conversion (7-day half-life by default, as Google Analytics).
//   - [Markov] builds an absorbing Markov chain of order 1 to 4 and credits each channel
//     in proportion to its removal effect, the drop in the probability of conversion when
//     the channel is removed (Anderl et al., 2016).
//   - [Shapley] gives each channel its Shapley value in the game whose coalitions earn the
//     conversions of the paths they cover, exactly, with Zhao et al.'s (2018) formula.
//
// Every model lists every channel of the paths, sorted by conversions, largest first, and
// its credits sum to the total conversions and the total value of the paths (up to
// rounding). Nulls matter only to Markov.
//
// # Uncertainty
//
// [Bootstrap], [BootstrapTimed] and [BootstrapEvents] give every model's credits
// percentile bootstrap intervals ([Intervals]); a [Model] names the model and its
// parameters. On paths the bootstrap resamples journeys, the unit a Path counts:
// the converting and non-converting journeys of all paths are one multinomial draw per
// resample, so its cost depends on the number of paths, not of journeys. On an event log
// it resamples users, with all of their journeys, since a user's journeys are not
// independent. The Markov model re-weighs one chain per resample; its removal effects
// get intervals too. Resamples are at most [MaxResamples], resamples x channels at most
// [MaxBootstrapCells]; the caller's *rand.Rand seeds the resamples, and the result does
// not depend on GOMAXPROCS.
//
// [MarkovResult] carries the chain it solved: [TransitionMatrix] names its states
// (start, the channel tuples, conversion, null) and lists the row-stochastic matrix's
// non-zero entries; [TransitionMatrix.Dense] gives it as a gonum matrix.
//
// # Errors and bounds
//
// Paths are validated before any work: an empty path or touchpoint, a negative or
// non-finite count, a non-finite value are [*cxmetrics.InputError] values naming the path.
// Totals are summed so that partial sums cannot overflow: the totals of conversions and
// values may lie beyond the float64 range as long as each channel's credit does not; a
// credit that does is an error wrapping [cxmetrics.ErrNotFinite], never an infinity.
// The work of every model is linear in the number of touchpoints, except Markov's, which
// solves one linear system per channel (see [Markov] for its bounds); the Markov order is
// at most [MaxMarkovOrder], and the touchpoints of all paths together at most
// [MaxTouchpoints]; beyond either bound a model returns an error wrapping
// [cxmetrics.ErrTooLarge].
//
// # Exact Markov solutions
//
// ChannelAttribution estimates the Markov model by simulating journeys through the chain,
// so its removal effects carry sampling noise and change between runs. Markov here solves
// the absorbing chain exactly: the probability of conversion is s'(I - Q)^-1 r, found by
// LU decomposition for chains of up to 64 states and by Gauss-Seidel iteration to
// machine precision for larger ones (higher orders have thousands of states), once for the
// full chain and once per removed channel. For any order, the probability of conversion
// of a chain built from paths equals total conversions / (total conversions + total nulls),
// since the transition weights form a flow; the removal effects are where the order shows.
//
// # Decisions
//
// Where the usual descriptions of these models are silent, this package decides:
//
//   - Repeated consecutive touchpoints count in the heuristic models (in a > a > b, a earns
//     two thirds of the linear credit) and collapse in Markov (a > a > b walks a > b), as
//     in ChannelAttribution. Shapley counts each channel once per path.
//   - PositionBased gives a one-touch path's credit to its touch and splits a two-touch
//     path's credit in the ratio first : last (50/50 for the U-shaped model).
//   - Markov removes a channel by sending every transition into a state that ends with it
//     to null; at order above 1 this removes every state that contains the channel.
//   - Markov's removal effects are clipped to [0, 1]; rounding can otherwise make an
//     effect of zero slightly negative.
//   - Markov needs conversions: with none there are no removal effects, and it returns
//     an error wrapping [cxmetrics.ErrEmpty] rather than zeros or NaN. A path whose
//     conversions and nulls are below 2^-1074 of the total (so that scaling the total to
//     1 leaves them 0) adds nothing to the chain.
//   - Paths with neither conversions nor nulls are allowed and add nothing; their channels
//     are listed with zero credit.
//   - Value may be negative (a refund); counts may not.
//   - PathsFromEvents gives a conversion with no touchpoint in its window the touchpoint
//     [Direct], so no conversion is lost. Touchpoints older than the window before a
//     conversion are dropped, not counted as a path that did not convert: the same user
//     did convert.
//   - Shapley has no limit on the number of channels. For its game, Zhao et al.'s
//     formula is the exact Shapley value and costs time linear in the touchpoints; the
//     textbook sum over all 2^n coalitions, which would need such a limit, is used only
//     in the tests, as the reference the formula is checked against.
package attribution
