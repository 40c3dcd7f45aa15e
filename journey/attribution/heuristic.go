package attribution

import (
	"math"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// FirstTouch gives all of a path's conversions and value to its first touchpoint.
func FirstTouch(paths []Path) (Result, error) {
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, firstTouch)
}

// LastTouch gives all of a path's conversions and value to its last touchpoint.
func LastTouch(paths []Path) (Result, error) {
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, lastTouch)
}

// Linear shares a path's conversions and value equally among its touchpoints: each
// occurrence of a channel in a path of n touchpoints earns
//
//	conversions / n
//
// so that a channel touched twice earns twice, as ChannelAttribution's heuristic_models
// does. Repeated touchpoints are not collapsed.
func Linear(paths []Path) (Result, error) {
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, linear)
}

// share is the part of a path's credit that one of its touchpoints earns.
type share struct {
	id int32
	f  float64
}

// rule appends to buf the shares of path i of c under a model that credits each path
// alone; the shares of a path sum to 1. A rule may keep state between calls, so each
// use needs its own.
type rule func(c *compiled, i int, buf []share) []share

// attribute credits every path's conversions and value as rule shares them.
func attribute(c *compiled, r rule) (Result, error) {
	l := newLedger(len(c.names))
	var buf []share
	for i := range c.ends {
		buf = r(c, i, buf[:0])
		conv, value := c.paths[i].Conversions, c.paths[i].Value
		for _, s := range buf {
			l.add(s.id, s.f*conv, s.f*value)
		}
	}
	return l.result(c.names)
}

func firstTouch(c *compiled, i int, buf []share) []share {
	return append(buf, share{c.path(i)[0], 1})
}

func lastTouch(c *compiled, i int, buf []share) []share {
	p := c.path(i)
	return append(buf, share{p[len(p)-1], 1})
}

func linear(c *compiled, i int, buf []share) []share {
	p := c.path(i)
	f := 1 / float64(len(p))
	for _, id := range p {
		buf = append(buf, share{id, f})
	}
	return buf
}

// Shares of the U-shaped position-based model: 40% of a path's credit to the first touch,
// 40% to the last, 20% shared by the touches between (Google Analytics' "position-based"
// model).
const (
	UShapedFirst = 0.4
	UShapedLast  = 0.4
)

// PositionBased gives the share first of each path's conversions and value to its first
// touchpoint, the share last to its last touchpoint, and shares the rest, 1 - first - last,
// equally among the touchpoints between them. Use [UShapedFirst] and [UShapedLast] for the
// usual 40/20/40 model. first and last must lie in [0, 1] with first + last <= 1.
//
// A path with one touchpoint gives it all the credit. A path with two touchpoints has no
// middle to take the middle share, so the two shares are scaled to sum to one:
//
//	first / (first + last) to the first touch, last / (first + last) to the second
//
// (50/50 for the U-shaped model, as Google Analytics does); when first and last are both
// zero the two touches share equally.
func PositionBased(paths []Path, first, last float64) (Result, error) {
	if err := checkPositionShares(first, last); err != nil {
		return Result{}, err
	}
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, positionBased(first, last))
}

// checkPositionShares validates the shares of PositionBased.
func checkPositionShares(first, last float64) error {
	for _, s := range []struct {
		what string
		v    float64
	}{{"first-touch share", first}, {"last-touch share", last}} {
		if !stats.Finite(s.v) {
			return &cxmetrics.InputError{Pkg: "attribution", What: s.what, Index: -1, Value: s.v, Err: cxmetrics.ErrNotFinite}
		}
		if s.v < 0 || s.v > 1 {
			return &cxmetrics.InputError{Pkg: "attribution", What: s.what, Index: -1, Value: s.v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	if first+last > 1+1e-12 {
		return &cxmetrics.InputError{Pkg: "attribution", What: "first + last share", Index: -1, Value: first + last, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
	}
	return nil
}

// positionBased returns the rule of PositionBased for valid shares.
func positionBased(first, last float64) rule {
	middle := max(0, 1-first-last)
	twoFirst := 0.5
	if first+last > 0 {
		twoFirst = first / (first + last)
	}
	return func(c *compiled, i int, buf []share) []share {
		p := c.path(i)
		switch n := len(p); n {
		case 1:
			return append(buf, share{p[0], 1})
		case 2:
			return append(buf, share{p[0], twoFirst}, share{p[1], 1 - twoFirst})
		default:
			buf = append(buf, share{p[0], first}, share{p[n-1], last})
			f := middle / float64(n-2)
			for _, id := range p[1 : n-1] {
				buf = append(buf, share{id, f})
			}
			return buf
		}
	}
}

// DefaultHalfLife is the half-life [TimeDecay] uses when given 0: 7 days, as Google
// Analytics' time-decay model.
const DefaultHalfLife = 7 * 24 * time.Hour

// TimeDecay shares each path's conversions and value among its touchpoints in proportion
// to
//
//	w_i = 2^(-dt_i / halfLife)
//
// where dt_i is the time from touch i to the conversion ([Touch.Before]): a touch one
// half-life before the conversion earns half as much as a touch at the conversion. A
// halfLife of 0 means [DefaultHalfLife]; a negative one is an error. The weights are
// computed relative to the latest touch, so a path whose touches are all many half-lives
// old still shares its credit instead of losing it to underflow.
func TimeDecay(paths []TimedPath, halfLife time.Duration) (Result, error) {
	c, err := compileTimed(paths, halfLife)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, timeDecay(halfLife))
}

// compileTimed validates timed paths and halfLife as TimeDecay does and compiles them;
// the compiled paths carry no touchpoints, only the counts.
func compileTimed(paths []TimedPath, halfLife time.Duration) (*compiled, error) {
	if halfLife < 0 {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "half-life", Index: -1, Value: halfLife, Err: cxmetrics.ErrOutOfRange, Detail: "(0, +Inf)"}
	}
	if len(paths) == 0 {
		return nil, errNoPaths()
	}
	n := 0
	for _, p := range paths {
		n += len(p.Touches)
	}
	if err := checkTouchpoints(n); err != nil {
		return nil, err
	}
	ch := newChannels()
	c := &compiled{
		ids:    make([]int32, 0, n),
		before: make([]time.Duration, 0, n),
		ends:   make([]int, len(paths)),
		paths:  make([]Path, len(paths)),
	}
	for i, p := range paths {
		if err := checkCounts(i, p.Conversions, p.Value, p.Nulls); err != nil {
			return nil, err
		}
		if len(p.Touches) == 0 {
			return nil, errEmptyPath(i)
		}
		for _, t := range p.Touches {
			if t.Channel == "" {
				return nil, errEmptyTouchpoint(i)
			}
			if t.Before < 0 {
				return nil, &cxmetrics.InputError{Pkg: "attribution", What: "touch time before conversion", Index: i, Value: t.Before, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
			}
			c.ids = append(c.ids, ch.id(t.Channel))
			c.before = append(c.before, t.Before)
		}
		c.ends[i] = len(c.ids)
		c.paths[i] = Path{Conversions: p.Conversions, Value: p.Value, Nulls: p.Nulls}
		c.totals.conversions.add(p.Conversions)
		c.totals.value.add(p.Value)
		c.totals.weight.add(p.Conversions)
		c.totals.weight.add(p.Nulls)
	}
	c.names = ch.names
	return c, nil
}

// timeDecay returns the rule of TimeDecay for paths compiled by compileTimed; halfLife 0
// means DefaultHalfLife.
func timeDecay(halfLife time.Duration) rule {
	if halfLife == 0 {
		halfLife = DefaultHalfLife
	}
	h := float64(halfLife)
	return func(c *compiled, i int, buf []share) []share {
		p := c.path(i)
		before := c.before[c.ends[i]-len(p) : c.ends[i]]
		latest := slices.Min(before)
		from := len(buf)
		var sum stats.Sum
		for k, id := range p {
			w := math.Exp2(-float64(before[k]-latest) / h)
			buf = append(buf, share{id, w})
			sum.Add(w)
		}
		total := sum.Value() // >= 1: the latest touch weighs 1
		for k := from; k < len(buf); k++ {
			buf[k].f /= total
		}
		return buf
	}
}
