package funnel

import (
	"math"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Unix nanoseconds cover the years 1678 to 2262; event times must lie inside, in seconds.
const (
	minTime = math.MinInt64 / 1_000_000_000
	maxTime = math.MaxInt64 / 1_000_000_000
)

// eventTime returns the time of an event in nanoseconds since 1970, and false when it
// is the zero time or outside the years 1678 to 2262, which nanoseconds cannot hold.
func eventTime(e *journey.Event) (int64, bool) {
	sec := e.Time.Unix()
	return sec*1e9 + int64(e.Time.Nanosecond()), sec > minTime && sec < maxTime
}

// timeError returns the error for event i, whose time eventTime rejected.
func timeError(e *journey.Event, i int) error {
	if e.Time.IsZero() {
		return &cxmetrics.InputError{Pkg: pkg, What: "event time", Index: i, Value: e.Time,
			Err: cxmetrics.ErrEmpty, Detail: "(zero time)"}
	}
	return &cxmetrics.InputError{Pkg: pkg, What: "event time", Index: i, Value: e.Time,
		Err: cxmetrics.ErrOutOfRange, Detail: "(years 1678 to 2262)"}
}

// nameMatch is one event name of a funnel with the steps and the exclusion it matches.
type nameMatch struct {
	name  string
	steps []int // steps with this event name
	mask  uint32
	where bool // some of the steps have a Where filter
	// levels, for an exclusion name, has bit j set when an attempt that completed step
	// j, and not the next, is dropped by an event of this name: the steps From to To-1
	// of its exclusions. It is 0 for a step name.
	levels uint32
}

// names finds the nameMatch of an event name. Most names of a log match nothing, and
// comparing each with every name of the funnel costs more than the rest of a streaming
// pass, so names first looks up the length and first byte of the event name in a table,
// which leaves at most one candidate in most funnels.
type names struct {
	ms []nameMatch
	// by holds, for key(name), 0 when no name has that key, k+1 when only ms[k] has it,
	// and several when more than one has.
	by [1 << 11]uint8
}

const several = 0xff

// key returns the table key of a non-empty name: its length modulo 8 and its first byte.
func key(name string) int { return len(name)&7<<8 | int(name[0]) }

// lookup returns the nameMatch of name, or nil when name is no event of the funnel.
func (n *names) lookup(name string) *nameMatch {
	if name == "" {
		return nil
	}
	switch c := n.by[key(name)]; c {
	case 0:
		return nil
	case several:
		for k := range n.ms {
			if n.ms[k].name == name {
				return &n.ms[k]
			}
		}
		return nil
	default:
		if m := &n.ms[c-1]; m.name == name {
			return m
		}
		return nil
	}
}

// compile lists the distinct event names of the funnel.
func (f *Funnel) compile() *names {
	ms := f.nameMatches()
	n := &names{ms: ms}
	for k, m := range ms {
		c := &n.by[key(m.name)]
		if *c == 0 && k+1 < several {
			*c = uint8(k + 1)
		} else {
			*c = several
		}
	}
	return n
}

// nameMatches lists the distinct event names of the funnel.
func (f *Funnel) nameMatches() []nameMatch {
	var ms []nameMatch
	find := func(name string) int {
		for i := range ms {
			if ms[i].name == name {
				return i
			}
		}
		ms = append(ms, nameMatch{name: name})
		return len(ms) - 1
	}
	for k, s := range f.Steps {
		i := find(s.Event)
		ms[i].steps = append(ms[i].steps, k)
		ms[i].mask |= 1 << k
		ms[i].where = ms[i].where || s.Where != nil
	}
	for _, x := range f.Exclusions {
		i := find(x.Event)
		ms[i].levels |= (1<<x.To - 1) &^ (1<<x.From - 1)
	}
	return ms
}

// match returns the steps that an event whose name is m.name matches: those of m whose
// Where filter, if any, accepts the event. It calls each Where filter at most once.
func (f *Funnel) match(m *nameMatch, e *journey.Event) uint32 {
	if !m.where {
		return m.mask
	}
	var bits uint32
	for _, s := range m.steps {
		if w := f.Steps[s].Where; w == nil || w(*e) {
			bits |= 1 << s
		}
	}
	return bits
}

// classify returns the steps that event e matches and, when its name is that of an
// exclusion, the exclusion levels of the name (see nameMatch.levels). It calls each
// Where filter of the event's name once.
func (f *Funnel) classify(ns *names, e *journey.Event) (m, x uint32) {
	nm := ns.lookup(e.Name)
	switch {
	case nm == nil:
		return 0, 0
	case nm.levels != 0:
		return 0, nm.levels
	}
	return f.match(nm, e), 0
}
