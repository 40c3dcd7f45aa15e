package attribution

import (
	"math"
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
	l := newLedger(len(c.names))
	for i := range c.ends {
		l.add(c.path(i)[0], c.paths[i].Conversions, c.paths[i].Value)
	}
	return l.result(c.names)
}

// LastTouch gives all of a path's conversions and value to its last touchpoint.
func LastTouch(paths []Path) (Result, error) {
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	l := newLedger(len(c.names))
	for i := range c.ends {
		p := c.path(i)
		l.add(p[len(p)-1], c.paths[i].Conversions, c.paths[i].Value)
	}
	return l.result(c.names)
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
	l := newLedger(len(c.names))
	for i := range c.ends {
		p := c.path(i)
		share := 1 / float64(len(p))
		conv, value := share*c.paths[i].Conversions, share*c.paths[i].Value
		for _, id := range p {
			l.add(id, conv, value)
		}
	}
	return l.result(c.names)
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
	for _, s := range []struct {
		what string
		v    float64
	}{{"first-touch share", first}, {"last-touch share", last}} {
		if !stats.Finite(s.v) {
			return Result{}, &cxmetrics.InputError{Pkg: "attribution", What: s.what, Index: -1, Value: s.v, Err: cxmetrics.ErrNotFinite}
		}
		if s.v < 0 || s.v > 1 {
			return Result{}, &cxmetrics.InputError{Pkg: "attribution", What: s.what, Index: -1, Value: s.v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
		}
	}
	if first+last > 1+1e-12 {
		return Result{}, &cxmetrics.InputError{Pkg: "attribution", What: "first + last share", Index: -1, Value: first + last, Err: cxmetrics.ErrOutOfRange, Detail: "[0, 1]"}
	}
	middle := max(0, 1-first-last)
	twoFirst := 0.5
	if first+last > 0 {
		twoFirst = first / (first + last)
	}
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	l := newLedger(len(c.names))
	for i := range c.ends {
		p := c.path(i)
		conv, value := c.paths[i].Conversions, c.paths[i].Value
		switch n := len(p); n {
		case 1:
			l.add(p[0], conv, value)
		case 2:
			l.add(p[0], twoFirst*conv, twoFirst*value)
			l.add(p[1], (1-twoFirst)*conv, (1-twoFirst)*value)
		default:
			l.add(p[0], first*conv, first*value)
			l.add(p[n-1], last*conv, last*value)
			share := middle / float64(n-2)
			for _, id := range p[1 : n-1] {
				l.add(id, share*conv, share*value)
			}
		}
	}
	return l.result(c.names)
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
	if halfLife < 0 {
		return Result{}, &cxmetrics.InputError{Pkg: "attribution", What: "half-life", Index: -1, Value: halfLife, Err: cxmetrics.ErrOutOfRange, Detail: "(0, +Inf)"}
	}
	if halfLife == 0 {
		halfLife = DefaultHalfLife
	}
	if len(paths) == 0 {
		return Result{}, errNoPaths()
	}
	ch := newChannels()
	n := 0
	for _, p := range paths {
		n += len(p.Touches)
	}
	if err := checkTouchpoints(n); err != nil {
		return Result{}, err
	}
	ids := make([]int32, 0, n) // the channel of every touch, path after path
	for i, p := range paths {
		if err := checkCounts(i, p.Conversions, p.Value, p.Nulls); err != nil {
			return Result{}, err
		}
		if len(p.Touches) == 0 {
			return Result{}, errEmptyPath(i)
		}
		for _, t := range p.Touches {
			if t.Channel == "" {
				return Result{}, errEmptyTouchpoint(i)
			}
			if t.Before < 0 {
				return Result{}, &cxmetrics.InputError{Pkg: "attribution", What: "touch time before conversion", Index: i, Value: t.Before, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
			}
			ids = append(ids, ch.id(t.Channel))
		}
	}
	l := newLedger(len(ch.names))
	h := float64(halfLife)
	var weights []float64
	for _, p := range paths {
		latest := p.Touches[0].Before
		for _, t := range p.Touches[1:] {
			latest = min(latest, t.Before)
		}
		weights = weights[:0]
		var sum stats.Sum
		for _, t := range p.Touches {
			w := math.Exp2(-float64(t.Before-latest) / h)
			weights = append(weights, w)
			sum.Add(w)
		}
		total := sum.Value() // >= 1: the latest touch weighs 1
		for k, w := range weights {
			share := w / total
			l.add(ids[k], share*p.Conversions, share*p.Value)
		}
		ids = ids[len(weights):]
	}
	return l.result(ch.names)
}
