package funnel

import (
	"fmt"
	"hash/maphash"
	"iter"
	"math"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// SeqOrder is the order in which a caller promises [Runner.RunSeq] the events.
type SeqOrder int

const (
	// ByTime promises events in time order (equal times allowed), as an event store
	// exports them. Memory is proportional to the users times the steps.
	ByTime SeqOrder = iota
	// ByUser promises each user's events together, the users in increasing byte order of
	// their ids, and each user's events in time order, as ORDER BY user, time gives them.
	// Memory is that of one user's state, besides the result.
	ByUser
)

// MaxSeqEvents is the largest number of events RunSeq reads.
const MaxSeqEvents = 1 << 40

// MaxBreakdownValues is the largest number of distinct breakdown values RunSeq keeps.
const MaxBreakdownValues = 1 << 21

// seqCounterBits is the width of the part of an event id that counts the events of a sequence; the
// breakdown value's number takes the bits above it.
const seqCounterBits = 40

// RunSeq computes the funnel f over events read once from seq, in the order the caller
// promises, and gives the same Result as Run would on the same events. It reads the
// events as they come and keeps none of them, so a log larger than memory can be
// measured; it uses one goroutine, whatever f.Workers.
//
// An event that breaks the promise is an *[cxmetrics.InputError] wrapping
// [cxmetrics.ErrOutOfRange] that names its index in the sequence, its user and its time:
// with ByTime an event earlier than the one before it; with ByUser an event earlier than
// the user's previous one, or a user whose id is not above the previous user's. An
// error from seq is returned wrapped, with the index of the event it replaced. Invalid
// events are reported as Run reports them. At most [MaxSeqEvents] events and, with a
// breakdown, [MaxBreakdownValues] distinct values are read; beyond, the error wraps
// [cxmetrics.ErrTooLarge].
func (r *Runner) RunSeq(f Funnel, order SeqOrder, seq iter.Seq2[journey.Event, error]) (Result, error) {
	if err := f.validate(); err != nil {
		return Result{}, err
	}
	if order != ByTime && order != ByUser {
		return Result{}, &cxmetrics.InputError{Pkg: pkg, What: "sequence order", Index: -1,
			Value: int(order), Err: cxmetrics.ErrUnknownLabel}
	}
	ns := f.compile()
	eng := newEngine(&f)
	u := r.newUsers(&f, 0)
	u.named = f.ListUsers
	keys := map[string]int64{}
	var names []string
	strict := f.Order == Strict
	ws := r.workspaces(1)[0]

	var tb *table
	buf := reuse(ws.batch, batchSize)
	var b []int64
	if order == ByTime {
		// The recent cache compares the addresses of id strings, which is exact only
		// while every event stays in memory: off.
		tb = newTable(eng, ws.table, 0, maphash.MakeSeed())
		tb.recent.off = math.MaxInt
	} else {
		b = ws.block(eng.width)
	}
	defer func() {
		if tb != nil {
			ws.table = tb.release()
		}
		clear(buf[:cap(buf)])
		ws.batch = buf[:0]
	}()

	i := 0
	prev := int64(math.MinInt64)
	user := ""
	for e, err := range seq {
		if err != nil {
			return Result{}, fmt.Errorf("funnel: event %d: %w", i, err)
		}
		if i == MaxSeqEvents {
			return Result{}, &cxmetrics.InputError{Pkg: pkg, What: "event count", Index: -1,
				Value: "more than " + strconv.Itoa(MaxSeqEvents), Err: cxmetrics.ErrTooLarge}
		}
		t, err := checkEvent(&e, i)
		if err != nil {
			return Result{}, err
		}
		switch {
		case order == ByTime && t < prev:
			return Result{}, orderError(&e, i, "(earlier than the event before it, at "+
				fmtTime(prev)+"; the events must be sorted by time)")
		case order == ByUser && i > 0 && e.User == user && t < prev:
			return Result{}, orderError(&e, i, "(earlier than the user's event before it, at "+
				fmtTime(prev)+"; each user's events must be sorted by time)")
		case order == ByUser && i > 0 && e.User != user && e.User < user:
			return Result{}, orderError(&e, i, "(after user "+strconv.Quote(user)+
				"; the users must come in increasing order)")
		case order == ByUser && e.User != user:
			if i > 0 {
				u.addNamed(eng, b, user)
			}
			eng.init(b)
			user = e.User
		}
		prev = t
		m, x := f.classify(ns, &e)
		id := int64(i)
		if m&eng.starts != 0 && f.BreakdownBy != "" {
			v := e.Props[f.BreakdownBy]
			k, ok := keys[v]
			if !ok {
				if len(names) == MaxBreakdownValues {
					return Result{}, &cxmetrics.InputError{Pkg: pkg, What: "breakdown value count", Index: i,
						Value: "more than " + strconv.Itoa(MaxBreakdownValues), Err: cxmetrics.ErrTooLarge}
				}
				k = int64(len(names))
				keys[v] = k
				names = append(names, v)
			}
			id |= k << seqCounterBits
		}
		i++
		if m|x == 0 && !strict {
			continue
		}
		if order == ByUser {
			eng.step(b, m, x, t, id)
			continue
		}
		buf = append(buf, item{user: e.User, t: t, id: id, m: m, x: x})
		if len(buf) == batchSize {
			tb.apply(buf)
			clear(buf)
			buf = buf[:0]
		}
	}
	if i == 0 {
		return Result{}, fmt.Errorf("funnel: no events: %w", cxmetrics.ErrEmpty)
	}
	if order == ByUser {
		u.addNamed(eng, b, user)
	} else {
		tb.apply(buf)
		for k := range tb.n {
			u.addNamed(eng, tb.block(k), tb.chunks[k/chunkUsers].users[k%chunkUsers])
		}
	}
	if f.BreakdownBy != "" {
		// The breakdown value of each user is numbered in the high bits of the id of the
		// anchoring event; the groups are those of the values some user has.
		u.group = reuse(u.ws.group, len(u.anchors))
		dense := make([]int32, len(names))
		for _, a := range u.anchors {
			k := a >> seqCounterBits
			if dense[k] == 0 {
				u.names = append(u.names, names[k])
				dense[k] = int32(len(u.names))
			}
			u.group = append(u.group, dense[k]-1)
		}
	}
	return u.result(&f)
}

// orderError reports event i, which breaks the promised order.
func orderError(e *journey.Event, i int, detail string) error {
	return &cxmetrics.InputError{Pkg: pkg, What: "event of user " + strconv.Quote(e.User) + " at",
		Index: i, Value: fmtTime(e.Time.UnixNano()), Err: cxmetrics.ErrOutOfRange, Detail: detail}
}

// fmtTime formats Unix nanoseconds in UTC.
func fmtTime(t int64) string {
	return time.Unix(0, t).UTC().Format(time.RFC3339Nano)
}
