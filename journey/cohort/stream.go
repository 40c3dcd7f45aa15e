package cohort

import (
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// streamer is the state of one user while BuildSeq reads: the acquisition, the latest
// period with a return, and the revenue of that period, which is added to its cell once
// the period is known to have ended.
type streamer struct {
	sec     int64   // the acquisition event: Unix seconds
	key     int64   // the calendar index of the cohort
	pending float64 // revenue of period max, not yet in a cell
	nsec    int32   // the acquisition event: nanoseconds
	row     int32
	max     int32 // the latest period with a return (0 at least)
}

// BuildSeq builds the same table as [Build] from a stream of events sorted by time
// (equal times allowed), such as journey.ScanEventsCSV yields from an event store's
// export, reading each event once and keeping nothing of it but the state of its user:
// memory is O(users + cells), whatever the number of events. Only users with a start
// event are kept; users are told apart by their exact id strings, which are copied.
//
// The counts equal Build's on the same events in the same order; revenue sums may
// differ from Build's in the last bits, as they are added user by user.
//
// The first event whose time is before the previous event's is an [*cxmetrics.InputError]
// wrapping [cxmetrics.ErrOutOfRange] that names its index (counted from 0 over the
// whole stream), its time and the previous time. An error that the stream yields is
// returned, prefixed with the index of the event. Events after Options.AsOf are read and
// checked but not counted. Every other error is Build's, with two differences that come
// from reading once: a table whose rows would span more than [MaxPeriods] periods is an
// error wrapping [cxmetrics.ErrTooLarge] at the earliest start event, whose Detail names
// the event (or Options.AsOf) that ends the row, returned as soon as it is found; and
// the stream's length is not bounded.
func BuildSeq(o Options, events iter.Seq2[journey.Event, error]) (Table, error) {
	if err := o.check(); err != nil {
		return Table{}, err
	}
	cal := o.calendar()
	b := newBounds(cal)
	width := o.Period.rollingSeconds()
	fixed := !o.AsOf.IsZero()
	asSec, asNsec := o.AsOf.Unix(), int32(o.AsOf.Nanosecond())
	var (
		i         = -1
		prev      time.Time
		prevSec   int64
		prevNsec  int32
		ids       = make(map[string]int32)
		users     []streamer
		r         rows
		g         = o.newGroups(nil)
		rowOf     = make(map[[2]int64]int32)
		first     = -1 // the index of the earliest start event
		firstTime time.Time
		asOfKey   int64
		asOfKnown bool
	)
	for e, err := range events {
		i++
		if err != nil {
			return Table{}, fmt.Errorf("cohort: event %d: %w", i, err)
		}
		if err := o.checkEvent(&e, i); err != nil {
			return Table{}, err
		}
		s, ns := e.Time.Unix(), int32(e.Time.Nanosecond())
		if i > 0 && (s < prevSec || (s == prevSec && ns < prevNsec)) {
			return Table{}, &cxmetrics.InputError{Pkg: pkg, What: "time", Index: i, Value: e.Time, Err: cxmetrics.ErrOutOfRange,
				Detail: fmt.Sprintf("(before %v, the time of event %d: the events must be sorted by time)", prev, i-1)}
		}
		prev, prevSec, prevNsec = e.Time, s, ns
		if fixed && (s > asSec || (s == asSec && ns > asNsec)) {
			continue
		}
		// The table of period starts grows with the times; with the latest event as the
		// as-of time, a row grows with it and must fit MaxPeriods.
		if len(b.starts) > 0 && s >= b.starts[len(b.starts)-1] {
			k := cal.index(e.Time)
			if !fixed && o.longest(users[0].key, users[0].sec, users[0].nsec, k, s, ns) >= MaxPeriods {
				return Table{}, streamSpanError(o, first, firstTime, fmt.Sprintf("the event at index %d, %v,", i, e.Time.Format(time.RFC3339)))
			}
			b.cover(b.base, k)
		}
		if !fixed && first >= 0 && o.Window == Rolling && o.longest(0, users[0].sec, users[0].nsec, 0, s, ns) >= MaxPeriods {
			return Table{}, streamSpanError(o, first, firstTime, fmt.Sprintf("the event at index %d, %v,", i, e.Time.Format(time.RFC3339)))
		}
		id, known := ids[e.User]
		if !known {
			if o.StartEvent != "" && e.Name != o.StartEvent {
				continue
			}
			if first < 0 {
				first, firstTime = i, e.Time
				key := cal.index(e.Time)
				if fixed {
					asOfKey, asOfKnown = cal.index(o.AsOf), true
					if o.longest(key, s, ns, asOfKey, asSec, asNsec) >= MaxPeriods {
						return Table{}, streamSpanError(o, first, firstTime, "the as-of time "+o.AsOf.Format(time.RFC3339))
					}
				}
				b.cover(key, key)
			}
			key := b.index(s)
			k := [2]int64{0, key}
			if o.BreakdownBy != "" {
				k[0] = int64(g.value(e.Props[o.BreakdownBy]))
			}
			row, ok := rowOf[k]
			if !ok {
				row = r.add(int32(k[0]), key)
				rowOf[k] = row
			}
			id = int32(len(users))
			ids[strings.Clone(e.User)] = id
			users = append(users, streamer{sec: s, nsec: ns, key: key, row: row})
		}
		if o.ReturnEvent != "" && e.Name != o.ReturnEvent {
			continue
		}
		u := &users[id]
		var n int32
		if o.Window == Calendar {
			n = int32(b.index(s) - u.key)
		} else {
			n = int32(secondsBetween(u.sec, u.nsec, s, ns) / width)
		}
		// Periods only grow along a user's sorted events. A new period has a return; the
		// previous one has ended, since a later period has begun by the as-of time.
		if n > u.max {
			if u.pending != 0 {
				r.cell(u.row, u.max).Revenue += u.pending
				u.pending = 0
			}
			u.max = n
			r.cell(u.row, n).Active++
		}
		if o.Revenue {
			u.pending += e.Value
		}
	}
	if i < 0 {
		return Table{}, fmt.Errorf("cohort: no events: %w", cxmetrics.ErrEmpty)
	}
	asOf := o.AsOf
	if !fixed {
		asOf, asSec, asNsec = prev, prevSec, prevNsec
	}
	if len(users) == 0 {
		return Table{}, fmt.Errorf("cohort: no start event %q by %v: %w", o.StartEvent, asOf, cxmetrics.ErrEmpty)
	}
	if !asOfKnown {
		asOfKey = cal.index(asOf)
	}
	// The latest period of a user is unfinished when it holds the as-of time: its return
	// and revenue are taken back, as Build never counts them.
	for id := range users {
		u := &users[id]
		last := int32(max(0, o.longest(u.key, u.sec, u.nsec, asOfKey, asSec, asNsec)))
		if u.max > last {
			r.cell(u.row, u.max).Active--
		} else if u.pending != 0 {
			r.cell(u.row, u.max).Revenue += u.pending
		}
		r.user(u.row, last, u.max)
	}
	return r.tables(o.table(asOf), cal, g.names(), o.level()), nil
}

// streamSpanError reports a row from the earliest start event, at index first, that
// would span more than MaxPeriods periods to end (an event, or the as-of time).
func streamSpanError(o Options, first int, start time.Time, end string) error {
	return &cxmetrics.InputError{Pkg: pkg, What: "time", Index: first, Value: start, Err: cxmetrics.ErrTooLarge,
		Detail: fmt.Sprintf("(the row from this start event to %s spans more than MaxPeriods = %d %ss)", end, MaxPeriods, o.Period)}
}
