package attribution

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// Path is one customer journey, or many identical ones aggregated: the channels touched,
// in order, and how many of the journeys ended in a conversion and how many did not.
//
// Conversions and Nulls are counts (they may be fractional, for example after weighting)
// and must be finite and not negative. Value is the total conversion value of the
// journeys; it must be finite and may be negative (refunds). Touchpoints must not be empty
// and no touchpoint may be the empty string.
type Path struct {
	Touchpoints []string `json:"path"`
	Conversions float64  `json:"conversions"`
	Value       float64  `json:"value"`
	Nulls       float64  `json:"nulls"`
}

// Touch is one touchpoint of a [TimedPath]: the channel, and how long before the
// conversion it happened.
type Touch struct {
	Channel string        `json:"channel"`
	Before  time.Duration `json:"before"` // from the touch to the conversion; not negative
}

// TimedPath is a [Path] whose touchpoints carry their time before the conversion, as
// [TimeDecay] needs. For a path without conversions Before is measured to the path's last
// touch.
type TimedPath struct {
	Touches     []Touch `json:"touches"`
	Conversions float64 `json:"conversions"`
	Value       float64 `json:"value"`
	Nulls       float64 `json:"nulls"`
}

// Path returns p without the times.
func (p TimedPath) Path() Path {
	tp := make([]string, len(p.Touches))
	for i, t := range p.Touches {
		tp[i] = t.Channel
	}
	return Path{Touchpoints: tp, Conversions: p.Conversions, Value: p.Value, Nulls: p.Nulls}
}

// Credit is what one channel earned: a share of the conversions and of their value.
type Credit struct {
	Channel     string  `json:"channel"`
	Conversions float64 `json:"conversions"`
	Value       float64 `json:"value"`
}

// Result is the outcome of an attribution model: one credit for every channel that appears
// in the paths (zero for a channel that earned nothing), sorted by Conversions, largest
// first, ties by channel name. The credits sum to the total conversions and the total
// value of the paths.
type Result struct {
	Credits []Credit `json:"credits"`
}

// Channel returns the credit of the named channel, and false if the channel is not in r.
func (r Result) Channel(name string) (Credit, bool) {
	for _, c := range r.Credits {
		if c.Channel == name {
			return c, true
		}
	}
	return Credit{}, false
}

// channels gives every distinct channel name a dense id, in order of first appearance.
// A small direct-mapped cache in front of the map serves most look-ups with one string
// comparison, which is cheap for the interned names that ReadPathsCSV returns.
type channels struct {
	index map[string]int32
	names []string
	cache [256]cached
}

type cached struct {
	name string
	id   int32
}

func newChannels() *channels {
	return &channels{index: make(map[string]int32)}
}

// id returns the id of name, registering it if it is new.
func (c *channels) id(name string) int32 {
	slot := &c.cache[cacheSlot(name)]
	if slot.name == name {
		return slot.id
	}
	id, ok := c.index[name]
	if !ok {
		id = int32(len(c.names))
		c.index[name] = id
		c.names = append(c.names, name)
	}
	*slot = cached{name, id}
	return id
}

// cacheSlot hashes the length and the first and last four bytes of name (all of a
// shorter one) into a slot of the channel cache.
func cacheSlot(name string) uint32 {
	n := len(name)
	var h uint32
	if n >= 4 {
		h = uint32(n)*0x9e3779b1 + binary.LittleEndian.Uint32([]byte(name[:4]))*0x85ebca77 +
			binary.LittleEndian.Uint32([]byte(name[n-4:]))*0xc2b2ae3d
	} else {
		h = uint32(n)
		for i := range n {
			h = h*31 + uint32(name[i])
		}
		h *= 0x9e3779b1
	}
	return h >> 24
}

// totals holds the sums over all paths, which may lie beyond the float64 range.
type totals struct {
	conversions, value, weight scaledSum // weight: conversions and nulls
}

// checkCounts validates the numbers of path i.
func checkCounts(i int, conversions, value, nulls float64) error {
	if conversions >= 0 && conversions <= math.MaxFloat64 && nulls >= 0 && nulls <= math.MaxFloat64 && math.Abs(value) <= math.MaxFloat64 {
		return nil
	}
	for _, f := range []struct {
		what string
		v    float64
	}{{"conversions", conversions}, {"nulls", nulls}, {"value", value}} {
		if !stats.Finite(f.v) {
			return &cxmetrics.InputError{Pkg: "attribution", What: f.what, Index: i, Value: f.v, Err: cxmetrics.ErrNotFinite}
		}
		if f.v < 0 && f.what != "value" {
			return &cxmetrics.InputError{Pkg: "attribution", What: f.what, Index: i, Value: f.v, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
		}
	}
	return nil
}

// compiled is a validated set of paths with every channel replaced by a dense id.
type compiled struct {
	names  []string        // channel names by id, in order of first appearance
	ids    []int32         // the touchpoints of every path, concatenated
	ends   []int           // path i is ids[ends[i-1]:ends[i]], with ends[-1] = 0
	before []time.Duration // for timed paths: the Before of every touchpoint, as ids
	paths  []Path
	totals totals
}

// path returns the channel ids of path i.
func (c *compiled) path(i int) []int32 {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.ids[start:c.ends[i]]
}

// MaxTouchpoints is the most touchpoints, over all paths, that a model accepts: channels
// and the states of a Markov chain are numbered with 32-bit integers, and there are at
// most as many of either as touchpoints.
const MaxTouchpoints = math.MaxInt32

// checkTouchpoints rejects more than MaxTouchpoints touchpoints.
func checkTouchpoints(n int) error {
	if n <= MaxTouchpoints {
		return nil
	}
	return &cxmetrics.InputError{Pkg: "attribution", What: "touchpoints", Index: -1, Value: n, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d over all paths)", MaxTouchpoints)}
}

func errNoPaths() error {
	return &cxmetrics.InputError{Pkg: "attribution", What: "paths", Index: -1, Value: 0, Err: cxmetrics.ErrEmpty}
}

func errEmptyPath(i int) error {
	return &cxmetrics.InputError{Pkg: "attribution", What: "path", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty, Detail: "(no touchpoints)"}
}

func errEmptyTouchpoint(i int) error {
	return &cxmetrics.InputError{Pkg: "attribution", What: "touchpoint", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty}
}

// compile validates paths and replaces their channels by ids.
func compile(paths []Path) (*compiled, error) {
	if len(paths) == 0 {
		return nil, errNoPaths()
	}
	n := 0
	for _, p := range paths {
		n += len(p.Touchpoints)
	}
	if err := checkTouchpoints(n); err != nil {
		return nil, err
	}
	c := &compiled{
		ids:   make([]int32, 0, n),
		ends:  make([]int, len(paths)),
		paths: paths,
	}
	ch := newChannels()
	for i := range paths {
		p := &paths[i]
		if err := checkCounts(i, p.Conversions, p.Value, p.Nulls); err != nil {
			return nil, err
		}
		if len(p.Touchpoints) == 0 {
			return nil, errEmptyPath(i)
		}
		prev, id := "", int32(-1)
		for _, tp := range p.Touchpoints {
			if tp != prev { // repeats are frequent
				if tp == "" {
					return nil, errEmptyTouchpoint(i)
				}
				prev, id = tp, ch.id(tp)
			}
			c.ids = append(c.ids, id)
		}
		c.ends[i] = len(c.ids)
		c.totals.conversions.add(p.Conversions)
		c.totals.value.add(p.Value)
		c.totals.weight.add(p.Conversions)
		c.totals.weight.add(p.Nulls)
	}
	c.names = ch.names
	return c, nil
}

// ledger accumulates the credits of every channel with compensated sums that do not
// overflow before their value does.
type ledger struct {
	conv, value []scaledSum
}

func newLedger(n int) ledger {
	return ledger{conv: make([]scaledSum, n), value: make([]scaledSum, n)}
}

// add credits channel id with the given conversions and value.
func (l ledger) add(id int32, conv, value float64) {
	l.conv[id].add(conv)
	l.value[id].add(value)
}

// result turns the ledger into a sorted Result. A credit beyond the float64 range is an
// error wrapping cxmetrics.ErrNotFinite.
func (l ledger) result(names []string) (Result, error) {
	credits := make([]Credit, len(names))
	for i, name := range names {
		credits[i] = Credit{Channel: name, Conversions: l.conv[i].value(), Value: l.value[i].value()}
		if err := checkCredit(credits[i]); err != nil {
			return Result{}, err
		}
	}
	sortCredits(credits)
	return Result{Credits: credits}, nil
}

// checkCredit rejects a credit beyond the float64 range: the paths' conversions or values
// that it sums are finite, but their sum is not.
func checkCredit(c Credit) error {
	if stats.Finite(c.Conversions) && stats.Finite(c.Value) {
		return nil
	}
	return fmt.Errorf("attribution: the credit of channel %q (%v conversions, value %v) lies beyond the float64 range: %w", c.Channel, c.Conversions, c.Value, cxmetrics.ErrNotFinite)
}

// sortCredits orders credits by conversions, largest first, then by channel name.
func sortCredits(c []Credit) {
	slices.SortFunc(c, func(a, b Credit) int {
		if r := cmp.Compare(b.Conversions, a.Conversions); r != 0 {
			return r
		}
		return cmp.Compare(a.Channel, b.Channel)
	})
}
