// Package cxbeam runs the survey scores of nps, csat and ces as Apache Beam combiners, so
// that one pipeline scores billions of answers on any Beam runner (Dataflow, Flink, Spark,
// or locally on prism, Beam's local runner that replaced the direct runner).
//
// The package lives in its own module, github.com/cxmetrics/cxmetrics/beam, so that
// importers of the score packages never download Beam. Its name is cxbeam rather than
// beam so that it does not shadow Beam's own package in the pipelines that use both.
//
// # Combine functions
//
// [NPSFn], [CSATFn] and [CESFn] combine scores (int), and [WeightedNPSFn],
// [WeightedCSATFn] and [WeightedCESFn] answers with survey weights ([Weighted]), into the
// package's Result. Their accumulators are the packages' Tallies, which merge exactly and
// travel between workers in their MarshalBinary encoding (a coder registered with Beam),
// so that a runner may add answers to partial tallies on any worker and merge them in any
// order. Results travel as JSON, which encodes every float64 exactly. Each function holds
// its scale; the zero scale is the zero Tally's (nps.Standard, csat.Standard,
// ces.Standard7). The functions work with beam.Combine and beam.CombinePerKey directly,
// with any key type; [NPS], [NPSPerKey], [CSAT], [CSATPerKey], [CES] and [CESPerKey] wrap
// them for PCollections of int or Weighted, or of KVs of a string key and either, and
// check the scale and the element type while the pipeline is built.
//
// A key's Result equals ComputeScale's on that key's answers: the same bits when the
// answers are unweighted (every sum is an integer), and within 1e-12 (relative) when they
// are weighted (compensated sums, merged in the order the runner chooses).
//
// # Bad rows
//
// Nothing is dropped silently. A score outside the scale, or a weight that the Tally
// refuses (negative, NaN or infinite, non-zero outside [1e-150, 1e150]), fails the
// pipeline with the Tally's *cxmetrics.InputError, whose message names the value, for
// example "nps: score 11: out of range [0, 10]". A caller who prefers a dead-letter output
// runs [SplitNPS], [SplitCSAT] or [SplitCES] first: they send each refused row to a
// PCollection of [Rejected] with its key and the Tally's message as the reason, and pass
// the others on. The split judges a row by adding it to a scratch Tally of the same
// scale, so that it accepts exactly what the combine functions accept.
//
// A key whose answers all weigh zero has no score: the pipeline fails with ErrEmpty. A
// Tally holds at most nps.MaxAnswers (2^53) answers, and sums of weights beyond float64
// fail with ErrNotFinite; both fail the pipeline, as they concern a key, not a row. An
// empty PCollection gives no Result at all, as beam.Combine gives nothing for it.
package cxbeam
