// Package peakend implements the peak-end rule: people remember an experience by its most
// intense moment and by its end, not by the average of all its moments, and they hardly
// notice how long it lasted. CX teams use it to decide which touchpoints of a journey to
// fix first: the worst moment and the last one.
//
// An experience is a sequence of [Moment] values, each a rating of how one moment felt and
// how long it lasted. [Remembered] applies a [Rule] to it, [Classic] being
//
//	remembered = (peak + end) / 2
//
// [Mean] is the duration-weighted average against which the rule is compared, [Summarize]
// describes an experience by its peak, trough, end, mean, duration and trend, and [Fit]
// estimates, from retrospective ratings of many experiences, how much each of the peak,
// the end, the mean and the duration actually weighs for your customers.
//
// # Evidence
//
// In the cold-pressor experiment of Kahneman, Fredrickson, Schreiber & Redelmeier (1993)
// each participant held a hand in water at 14 °C for 60 seconds, and in another trial for
// the same 60 seconds followed by 30 seconds during which the water was warmed by about
// one degree. Most (69%) chose to repeat the longer trial: it held strictly more pain, but
// ended less badly. Redelmeier & Kahneman (1996) asked colonoscopy and lithotripsy patients
// to rate their pain every 60 seconds (0–10); their retrospective evaluations followed the
// peak and the last three minutes, not the duration (4 to 69 minutes). Kahneman's Thinking,
// Fast and Slow (2011, chapter 35, figure 15) contrasts patient A, whose 8-minute
// procedure peaked at 8 and ended at 7, with patient B, whose 24-minute procedure also
// peaked at 8 but ended at 1: B suffered far more, yet remembered it as less bad.
//
// A meta-analysis of 174 effect sizes (Alaybek, Dalal, Fyffe et al. 2022) found a large
// peak-end effect on retrospective evaluations, r = 0.58 (95% CI 0.49–0.66), robust across
// settings, stronger than the effects of the trend, the first and the lowest moment, and
// an effect of duration that was essentially nil ("duration neglect").
//
// # Limits
//
// The same meta-analysis found the overall mean about as predictive as peak and end.
// Strijbosch, Mitas, van Gisbergen et al. (2019) measured long, complex, heterogeneous
// experiences and found the peak-end rule weaker there: the mean of all moments could
// predict the remembered evaluation better than peak and end. Which summary
// wins depends on the experience, so do not assume it: [Fit] regresses your own
// retrospective ratings on peak, end, mean and duration and reports [Model.R2] next to
// [Model.MeanOnlyR2] (and their adjusted versions), so you can see whether peak and end
// explain your customers' ratings better than the mean does.
//
// # Durations
//
// Durations are weights. The mean, the end window and the trend weigh each moment by its
// duration in seconds, and a zero Duration counts as one second. Give every moment its
// duration, or give none: with all durations zero every moment weighs the same, the mean
// is the plain mean of the values and the total duration is the number of moments in
// seconds. A negative duration is an error. [Remembered] uses durations only inside the
// end window: apart from that, the rule neglects duration by design.
//
// # Values and scales
//
// Values are on the caller's scale and must be finite. They may be negative: on a bipolar
// valence scale (-5 to +5) a negative value is a real rating, not a mistake, so only
// negative durations are rejected. Which moment is "the peak" depends on the scale: on a pain or
// effort scale it is the [Highest] value, on a satisfaction scale the worst moment is the
// [Lowest], and on a bipolar scale [MostIntense] takes the value farthest from
// [Rule.Neutral], keeping its sign. Ties go to the earliest moment.
//
// Any finite values work, however large or small: sums, differences and products of
// values are computed in scaled form (by powers of two, which is exact), so that every
// result a float64 can hold comes out. Only a result that is itself beyond float64's range
// (a trend slope, a prediction, a fitted coefficient) is an error, wrapping
// [cxmetrics.ErrNotFinite].
//
// The two weights of a [Rule] are relative: the remembered score is the mean of peak and
// end weighted by them, so it stays on the values' scale and {1, 1} equals {0.5, 0.5}.
// Both zero mean equal weights, so the zero Rule equals Classic. [Rule.EndWindow] has no
// upper bound: a window longer than the experience covers all of it, so every function
// makes at most a few passes over the moments whatever the rule; no parameter sets more
// work than the data.
//
// # The fit
//
// [Fit] solves the least-squares problem by Householder QR (gonum/mat) rather than the
// normal equations, so that it keeps its accuracy when the features are nearly collinear,
// as peak, end and mean often are: the routine matches NIST's certified values for the
// ill-conditioned Longley data to 11 significant digits. Standard errors are σ̂ times the
// row norms of R⁻¹, σ̂² = RSS/(N - 5). It needs at least 6 experiences (one more than its
// five coefficients, else [cxmetrics.ErrTooFew]) and ratings that are not all the same
// (else [cxmetrics.ErrNoVariation]), and it returns [cxmetrics.ErrSingular], naming the
// feature, when a feature is a linear combination of the others in your data — for example
// when every experience lasts equally long, so that duration is a multiple of the
// intercept. It never drops a feature silently and never returns NaN. Fit measures the peak as the highest value; [FitRule] measures
// peak and end with a Rule of your choice, and [Model.Predict] measures them the same way.
//
// # Errors
//
// Every bad moment is an [*cxmetrics.InputError] with its index (and, in Fit, the index of
// its experience): ErrNotFinite for a NaN or infinite value, ErrNegativeWeight for a
// negative duration. No moments is ErrEmpty. A total duration beyond time.Duration's range
// (about 292 years) is ErrTooLarge in [Summarize], whose Duration could not hold it; Fit
// and Predict measure the duration in float64 seconds and accept it. A bad Rule is reported
// by [Rule.Validate], and a Model built by hand or decoded from JSON with a NaN, infinite or
// impossible field by [Model.Validate], which [Model.Predict] calls first. All sentinels
// are the root package's (errors.Is(err, cxmetrics.ErrSingular) and so on). No function
// panics on its input or returns NaN or Inf.
//
// # References
//
//   - Kahneman, D., Fredrickson, B. L., Schreiber, C. A., & Redelmeier, D. A. (1993). When
//     more pain is preferred to less: adding a better end. Psychological Science 4(6),
//     401–405.
//   - Fredrickson, B. L., & Kahneman, D. (1993). Duration neglect in retrospective
//     evaluations of affective episodes. Journal of Personality and Social Psychology
//     65(1), 45–55.
//   - Redelmeier, D. A., & Kahneman, D. (1996). Patients' memories of painful medical
//     treatments: real-time and retrospective evaluations of two minimally invasive
//     procedures. Pain 66(1), 3–8.
//   - Kahneman, D. (2011). Thinking, Fast and Slow, chapter 35 "Two Selves". Farrar, Straus
//     and Giroux.
//   - Strijbosch, W., Mitas, O., van Gisbergen, M., Doicaru, M., Gelissen, J., &
//     Bastiaansen, M. (2019). From experience to memory: on the robustness of the
//     peak-and-end-rule for complex, heterogeneous experiences. Frontiers in Psychology
//     10, 1705.
//   - Alaybek, B., Dalal, R. S., Fyffe, S., Aitken, J. A., Zhou, Y., Qu, X., Roman, A., &
//     Baines, J. I. (2022). All's well that ends (and peaks) well? A meta-analysis of the
//     peak-end rule and duration neglect. Organizational Behavior and Human Decision
//     Processes 170, 104149.
package peakend
