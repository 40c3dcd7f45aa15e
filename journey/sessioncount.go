package journey

import (
	"hash/maphash"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

// SummarizeEventSessions returns what SummarizeSessions(Sessions(events, gap), e)
// returns, without building the sessions: the same splitting rule (a user's event starts
// a new session when it comes gap or more after that user's previous event; a gap of 0
// means [DefaultSessionGap]) and the same counts by the rules of e. The events need not
// be sorted; it is fastest on a log sorted by time, as event stores export them.
//
// No events is an error wrapping [cxmetrics.ErrEmpty]; an empty user name, a negative
// gap, a time more than 2^63 seconds before 1970, a negative MinDuration or
// MinPageViews, or more than 2^31 - 1 events are the errors of [Sessions] and
// [SummarizeSessions].
func SummarizeEventSessions(events []Event, gap time.Duration, e Engagement) (SessionStats, error) {
	if gap < 0 {
		return SessionStats{}, inputErr("gap", -1, gap, cxmetrics.ErrOutOfRange, "(must be >= 0)")
	}
	if gap == 0 {
		gap = DefaultSessionGap
	}
	rules, err := newEngagementRules(e)
	if err != nil {
		return SessionStats{}, err
	}
	if len(events) == 0 {
		return SessionStats{}, inputErr("events", -1, "[]", cxmetrics.ErrEmpty, "")
	}
	if len(events) > maxSessionEvents {
		return SessionStats{}, inputErr("events", -1, len(events), cxmetrics.ErrTooLarge, "(at most 2^31 - 1)")
	}
	if st, ok := countSessions(events, gap, rules); ok {
		return st, nil
	}
	for i := range events {
		switch e := &events[i]; {
		case e.User == "":
			return SessionStats{}, inputErr("user", i, `""`, cxmetrics.ErrEmpty, "")
		case e.Time.Before(minSortable):
			return SessionStats{}, inputErr("time", i, e.Time, cxmetrics.ErrOutOfRange, "(more than 2^63 seconds before 1970)")
		}
	}
	// countSessions fails only on the events checked above.
	return SessionStats{}, inputErr("events", -1, len(events), cxmetrics.ErrCorrupt, "(could not be counted)")
}

// maxSessionEvents is the most events that Sessions and SummarizeEventSessions take.
const maxSessionEvents = 1<<31 - 1

// engagementRules are the thresholds of an Engagement with its defaults filled in, and
// the event names it lists.
type engagementRules struct {
	minDur      time.Duration
	minViews    int
	pageView    map[string]bool // nil: every event is a page view
	conversion  map[string]bool
	allViews    bool // pageView is nil and conversion empty: no name needs a look-up
	cacheNames  [16]string
	cacheClass  [16]uint8
	cacheFilled [16]bool
}

func newEngagementRules(e Engagement) (*engagementRules, error) {
	if e.MinDuration < 0 {
		return nil, inputErr("minimum duration", -1, e.MinDuration, cxmetrics.ErrOutOfRange, "(must be >= 0)")
	}
	if e.MinPageViews < 0 {
		return nil, inputErr("minimum page views", -1, e.MinPageViews, cxmetrics.ErrOutOfRange, "(must be >= 0)")
	}
	r := &engagementRules{minDur: e.MinDuration, minViews: e.MinPageViews,
		pageView: nameSet(e.PageViews), conversion: nameSet(e.Conversions)}
	if r.minDur == 0 {
		r.minDur = 10 * time.Second
	}
	if r.minViews == 0 {
		r.minViews = 2
	}
	r.allViews = r.pageView == nil && len(r.conversion) == 0
	return r, nil
}

// Bits of an event's class.
const (
	classView       = 1
	classConversion = 2
)

// class returns whether the event name is a page view and whether it is a conversion.
// Names are few and, from ReadEventsCSV, share their memory, so a small cache that
// compares strings (equal pointers compare at once) answers most look-ups; a clone of r
// serves one goroutine.
func (r *engagementRules) class(name string) uint8 {
	if r.allViews {
		return classView
	}
	k := len(name) & 15
	if len(name) > 0 {
		k ^= int(name[0]) & 15
	}
	if r.cacheFilled[k] && r.cacheNames[k] == name {
		return r.cacheClass[k]
	}
	var c uint8
	if r.pageView == nil || r.pageView[name] {
		c |= classView
	}
	if r.conversion[name] {
		c |= classConversion
	}
	r.cacheNames[k], r.cacheClass[k], r.cacheFilled[k] = name, c, true
	return c
}

// tally adds one finished session to st.
func (r *engagementRules) tally(st *SessionStats, views int, dur time.Duration, converted bool) {
	st.Sessions++
	if views < 2 {
		st.SinglePage++
	}
	if dur >= r.minDur || views >= r.minViews || converted {
		st.Engaged++
	}
}

// countKey is an event as countSessions needs it: its user, its time as Unix seconds and
// nanoseconds, its class in the top bits of the nanoseconds, and the low half of the
// user's hash.
type countKey struct {
	user string
	sec  int64
	nsec uint32 // nanoseconds | class<<30
	hash uint32
}

// countSessions counts sessions in the three parallel passes of hashPartitions and a
// walk of each partition in time order (sorting it when the input was not sorted) with a
// small open-addressing table of the session open for each user. The first pass also
// checks the events, and ok is false when one has an empty user or a time before
// minSortable.
func countSessions(events []Event, gap time.Duration, rules *engagementRules) (st SessionStats, ok bool) {
	workers := partitionWorkers(len(events))
	local := make([]engagementRules, workers)
	for w := range local {
		local[w] = *rules // each worker its own cache of name classes
	}
	keys, bounds, ok := hashPartitions(events, workers, func(w, i int, h uint64) countKey {
		e := &events[i]
		return countKey{user: e.User, sec: e.Time.Unix(), nsec: uint32(e.Time.Nanosecond()) | uint32(local[w].class(e.Name))<<30, hash: uint32(h)}
	})
	if !ok {
		return SessionStats{}, false
	}
	results := make([]SessionStats, workers)
	tables := make([]sessionTable, workers)
	eachPartition(len(bounds)-1, workers, func(w, p int) {
		tables[w].count(keys[bounds[p]:bounds[p+1]], gap, rules, &results[w])
	})
	for _, r := range results {
		st.Sessions += r.Sessions
		st.SinglePage += r.SinglePage
		st.Engaged += r.Engaged
	}
	return st, true
}

// partitionWorkers returns the number of goroutines that split n events.
func partitionWorkers(n int) int { return min(runtime.GOMAXPROCS(0), max(1, n/65536)) }

// hashPartitions returns a key for each event, made by key(worker, index, hash of the
// user), grouped in partitions by the top bits of the hash, in input order within each:
// partition p is keys[bounds[p]:bounds[p+1]]. A partition holds about 4096 events, so
// that a table of its users stays in the processor's cache, where one table for every
// user would miss it on almost every event. The first of its two passes over the events
// hashes each user and counts the events of each partition, the second scatters the
// keys; the events are split among workers goroutines. ok is false when an event has an
// empty user or a time before minSortable.
func hashPartitions[K any](events []Event, workers int, key func(w, i int, h uint64) K) (keys []K, bounds []int, ok bool) {
	n := len(events)
	k := min(12, bits.Len(uint(n/4096)))
	parts := 1 << k
	chunk := (n + workers - 1) / workers
	seed := maphash.MakeSeed()
	hashes := make([]uint64, n)
	counts := make([][]int, workers) // counts[w][p]: events of worker w in partition p
	var bad atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := make([]int, parts)
			counts[w] = c
			for i := w * chunk; i < min(n, (w+1)*chunk); i++ {
				e := &events[i]
				if e.User == "" || e.Time.Before(minSortable) {
					bad.Store(true)
					return
				}
				h := maphash.String(seed, e.User)
				hashes[i] = h
				c[h>>(64-k)]++ // 0 when k is 0
			}
		}()
	}
	wg.Wait()
	if bad.Load() {
		return nil, nil, false
	}
	// start[w][p]: where worker w's events of partition p go; partitions in order, and
	// within one the workers in input order.
	bounds = make([]int, parts+1)
	start := make([][]int, workers)
	for w := range start {
		start[w] = make([]int, parts)
	}
	pos := 0
	for p := range parts {
		bounds[p] = pos
		for w := range workers {
			start[w][p] = pos
			pos += counts[w][p]
		}
	}
	bounds[parts] = pos
	keys = make([]K, n)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := start[w]
			for i := w * chunk; i < min(n, (w+1)*chunk); i++ {
				h := hashes[i]
				p := h >> (64 - k)
				keys[at[p]] = key(w, i, h)
				at[p]++
			}
		}()
	}
	wg.Wait()
	return keys, bounds, true
}

// eachPartition calls f(worker, p) for every p in [0, parts) on workers goroutines.
func eachPartition(parts, workers int, f func(w, p int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				p := int(next.Add(1) - 1)
				if p >= parts {
					return
				}
				f(w, p)
			}
		}()
	}
	wg.Wait()
}

// openSession is the session open for one user in a sessionTable.
type openSession struct {
	user                string
	startSec, lastSec   int64
	startNsec, lastNsec uint32
	views               int32
	hash                uint32
	used, converted     bool
}

// sessionTable is an open-addressing table, with linear probing, of the open sessions of
// the users of one partition; it is reused from partition to partition.
type sessionTable struct{ slots []openSession }

// count splits the events of keys, one partition, into sessions and adds them to st.
func (t *sessionTable) count(keys []countKey, gap time.Duration, rules *engagementRules, st *SessionStats) {
	if len(keys) == 0 {
		return
	}
	if !slices.IsSortedFunc(keys, cmpKeyTime) {
		// Events at the same time may come in any order: they are less than a gap
		// apart, and a session's counts do not depend on their order.
		slices.SortFunc(keys, cmpKeyTime)
	}
	size := 1 << bits.Len(uint(2*len(keys)-1))
	if cap(t.slots) < size {
		t.slots = make([]openSession, size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	mask := uint32(size - 1)
	for i := range keys {
		k := &keys[i]
		view, conv := int32(k.nsec>>30&1), k.nsec>>31 == 1
		nsec := k.nsec & (1<<30 - 1)
		j := k.hash & mask
		for t.slots[j].used && (t.slots[j].hash != k.hash || t.slots[j].user != k.user) {
			j = (j + 1) & mask
		}
		s := &t.slots[j]
		switch {
		case !s.used:
			*s = openSession{user: k.user, hash: k.hash, startSec: k.sec, lastSec: k.sec, startNsec: nsec, lastNsec: nsec, views: view, used: true, converted: conv}
			continue
		case since(k.sec, nsec, s.lastSec, s.lastNsec) >= gap:
			rules.tally(st, int(s.views), since(s.lastSec, s.lastNsec, s.startSec, s.startNsec), s.converted)
			s.startSec, s.startNsec, s.views, s.converted = k.sec, nsec, 0, false
		}
		s.lastSec, s.lastNsec = k.sec, nsec
		s.views += view
		s.converted = s.converted || conv
	}
	for j := range t.slots {
		if s := &t.slots[j]; s.used {
			rules.tally(st, int(s.views), since(s.lastSec, s.lastNsec, s.startSec, s.startNsec), s.converted)
		}
	}
}

func cmpKeyTime(a, b countKey) int {
	switch {
	case a.sec != b.sec:
		if a.sec < b.sec {
			return -1
		}
		return 1
	case a.nsec&(1<<30-1) < b.nsec&(1<<30-1):
		return -1
	case a.nsec&(1<<30-1) > b.nsec&(1<<30-1):
		return 1
	}
	return 0
}

// since returns the time from (sec0, nsec0) to (sec, nsec), which is not earlier, as
// time.Time.Sub does: the largest Duration when it does not fit.
func since(sec int64, nsec uint32, sec0 int64, nsec0 uint32) time.Duration {
	const maxSec = int64(1<<63-1) / 1e9
	ds := uint64(sec - sec0) // sec >= sec0; the difference fits a uint64
	if ds > uint64(maxSec) {
		return 1<<63 - 1
	}
	d := int64(ds)*1e9 + int64(nsec) - int64(nsec0)
	if d < 0 { // overflow past the largest Duration
		return 1<<63 - 1
	}
	return time.Duration(d)
}
