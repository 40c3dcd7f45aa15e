// Package survey is the core that nps, csat and ces share: a survey score is a weighted
// mean of one value per answer (NPS: +1, 0, -1 by category; CSAT: 1 when satisfied; CES:
// the rating), and everything these packages have in common lives here.
//
//   - [Layout] and [Count]: validating answers and weights and counting them into bins
//     (ranges of answer values) with the fastest kernel the processor has (AVX-512 where
//     available, else a histogram loop), so that a package counts only what its metric needs.
//   - [Hist]: the weighted histogram that backs every Tally (answers, Σw and Σw² per answer
//     value), with an overflow-safe Merge and a versioned binary encoding that rejects
//     corrupt data.
//   - [Linearize]: the weighted mean of per-bin values with its linearization (Taylor)
//     variance and the variance-equivalent effective n, as R's survey package computes
//     them (svymean, svyciprop).
//   - [Proportion] and [TInterval]: the binomial and Student's t intervals, and
//     [Bootstrap]: a multinomial bootstrap of a bin-valued mean with the caller's source.
//
// Validation errors are *cxmetrics.InputError values naming the package that called.
package survey
