package cxbeam

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
)

// Rejected is an input row that a metric's tally refuses, with the reason: the element of
// the dead-letter output of SplitNPS, SplitCSAT and SplitCES. Key is "" for rows without
// a key, Weight 1 for unweighted rows.
type Rejected struct {
	Key    string  `json:"key"`
	Score  int     `json:"score"`
	Weight float64 `json:"weight"`
	Reason string  `json:"reason"` // the tally's error, e.g. "nps: score 11: out of range [0, 10]"
}

// check holds the scale of exactly one metric and, after setup, a function that tells
// whether that metric's tally accepts an answer: it adds the answer to a scratch tally,
// which it empties again, so that a row is judged by the tally's own validation alone.
type check struct {
	NPS  *nps.Scale  `json:"nps,omitempty"`
	CSAT *csat.Scale `json:"csat,omitempty"`
	CES  *ces.Scale  `json:"ces,omitempty"`

	accept func(score int, weight float64) error
}

func (c *check) setup() error {
	switch {
	case c.NPS != nil:
		t, err := newNPSTally(*c.NPS)
		if err != nil {
			return err
		}
		c.accept = func(x int, w float64) error { defer t.Reset(); return t.AddWeighted(x, w) }
	case c.CSAT != nil:
		t, err := newCSATTally(*c.CSAT)
		if err != nil {
			return err
		}
		c.accept = func(x int, w float64) error { defer t.Reset(); return t.AddWeighted(x, w) }
	case c.CES != nil:
		t, err := newCESTally(*c.CES)
		if err != nil {
			return err
		}
		c.accept = func(x int, w float64) error { defer t.Reset(); return t.AddWeighted(x, w) }
	default:
		return fmt.Errorf("cxbeam: split function without a scale: %w", cxmetrics.ErrInvalidScale)
	}
	return nil
}

// judge reports whether the tally accepts a row, and sends a refused one to rejected.
func (c *check) judge(key string, x int, w float64, rejected func(Rejected)) bool {
	if err := c.accept(x, w); err != nil {
		rejected(Rejected{Key: key, Score: x, Weight: w, Reason: err.Error()})
		return false
	}
	return true
}

// splitFn splits unweighted scores.
type splitFn struct{ check }

func (f *splitFn) Setup() error { return f.setup() }

func (f *splitFn) ProcessElement(x int, valid func(int), rejected func(Rejected)) {
	if f.judge("", x, 1, rejected) {
		valid(x)
	}
}

// splitWeightedFn splits weighted answers.
type splitWeightedFn struct{ check }

func (f *splitWeightedFn) Setup() error { return f.setup() }

func (f *splitWeightedFn) ProcessElement(x Weighted, valid func(Weighted), rejected func(Rejected)) {
	if f.judge("", x.Score, x.Weight, rejected) {
		valid(x)
	}
}

// splitKVFn splits unweighted scores by key.
type splitKVFn struct{ check }

func (f *splitKVFn) Setup() error { return f.setup() }

func (f *splitKVFn) ProcessElement(k string, x int, valid func(string, int), rejected func(Rejected)) {
	if f.judge(k, x, 1, rejected) {
		valid(k, x)
	}
}

// splitKVWeightedFn splits weighted answers by key.
type splitKVWeightedFn struct{ check }

func (f *splitKVWeightedFn) Setup() error { return f.setup() }

func (f *splitKVWeightedFn) ProcessElement(k string, x Weighted, valid func(string, Weighted), rejected func(Rejected)) {
	if f.judge(k, x.Score, x.Weight, rejected) {
		valid(k, x)
	}
}
