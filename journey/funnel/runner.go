package funnel

import (
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Runner computes funnels and keeps its large buffers from one run to the next, so that
// repeated runs over large logs reuse memory instead of asking the operating system for
// hundreds of megabytes each time (on some machines the page faults of fresh memory cost
// more than the computation). Its zero value is ready to use. A Runner keeps no
// reference to the caller's events between runs. It is not safe for concurrent use: give
// each goroutine its own.
type Runner struct {
	ws  []*workspace // one per worker
	res resultBuffers
	// The routes of streamParallel, per chunk and destination worker, and the most
	// routes each held in this run.
	routes [][]item
	routed []int
	// Settings that tests change to reach every path with small logs; 0 or false for
	// the defaults.
	tune struct {
		chunkEvents        int  // events per chunk of streamParallel
		ringChunks         int  // chunks in flight in streamParallel
		claimEvents        int  // events per claim of the grouping path
		minEventsPerWorker int  // events per worker
		noRecent           bool // keep the recent cache off
		route              int  // how streamParallel routes: 0 its choice, or routeAddr...
		// around, when set, runs each worker's share of a fan-out: it must call
		// work(w) once; fanned, when set, is called after each fan-out.
		around func(w int, work func(w int))
		fanned func()
	}
}

// workspace holds the buffers of one worker.
type workspace struct {
	recs    []record
	recs2   []record
	ends    []int
	scratch []int64
	table   tableBuffers
	batch   []item
	router  router
	scatter [][]record // per part
	offs    []int      // spread's groups
	byGroup []uint64
	res     resultBuffers
}

// block returns a block of the given width, for one user at a time.
func (ws *workspace) block(width int) []int64 {
	if cap(ws.scratch) < width {
		ws.scratch = make([]int64, width)
	}
	return ws.scratch[:width]
}

// workspaces returns n workspaces.
func (r *Runner) workspaces(n int) []*workspace {
	for len(r.ws) < n {
		r.ws = append(r.ws, new(workspace))
	}
	return r.ws[:n]
}

// Run computes the funnel over an event log; see [Runner.Run].
func (f Funnel) Run(events []journey.Event) (Result, error) {
	var r Runner
	return r.Run(f, events)
}

// minEventsPerWorker is the smallest number of events for which Run starts another
// worker: below, the goroutines cost more than they save.
const minEventsPerWorker = 1 << 16

// Run computes the funnel f over an event log. The events may come in any order; events
// with equal times keep their input order. Each user counts once, with their best
// attempt (see the package documentation). Run returns an *[cxmetrics.InputError] for an
// invalid funnel definition or for an event without a user or a time, and an error
// wrapping [cxmetrics.ErrEmpty] when there are no steps or no events. A log in which
// nobody reaches the first step gives a Result with zero counts.
func (r *Runner) Run(f Funnel, events []journey.Event) (Result, error) {
	if err := f.validate(); err != nil {
		return Result{}, err
	}
	if len(events) == 0 {
		return Result{}, fmt.Errorf("funnel: no events: %w", cxmetrics.ErrEmpty)
	}
	if uint64(len(events)) > math.MaxUint32 {
		return Result{}, &cxmetrics.InputError{Pkg: pkg, What: "event count", Index: -1,
			Value: len(events), Err: cxmetrics.ErrTooLarge, Detail: "(at most 2^32-1)"}
	}
	workers := f.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	perWorker := minEventsPerWorker
	if r.tune.minEventsPerWorker > 0 {
		perWorker = r.tune.minEventsPerWorker
	}
	workers = max(1, min(workers, len(events)/perWorker))
	ns := f.compile()
	// Stream a log sorted by time, walk one sorted by user and time user by user, and
	// group any other. Where filters must see each event once, so with filters the order
	// is checked before anything is matched.
	byTime, byUser := true, false
	if f.hasWhere() {
		var err error
		if byTime, byUser, err = r.checkOrder(events, workers); err != nil {
			return Result{}, err
		}
	}
	var u users
	var err error
	if byTime {
		if u, byTime, err = r.stream(&f, events, ns, workers); err != nil {
			return Result{}, err
		}
	}
	switch {
	case byTime:
	case byUser:
		u, _ = r.walk(&f, events, ns, workers, false)
	default:
		// Without filters, a log not sorted by time is walked as if sorted by user,
		// checking the order and the events on the way; the first that breaks it sends
		// the log to the grouping path, once it is validated.
		ok := false
		if !f.hasWhere() {
			if u, ok = r.walk(&f, events, ns, workers, true); !ok {
				if _, _, err = r.checkOrder(events, workers); err != nil {
					return Result{}, err
				}
			}
		}
		if !ok {
			if u, err = r.group(&f, events, ns, workers, 0); err != nil {
				return Result{}, err
			}
		}
	}
	if f.BreakdownBy != "" || f.ListUsers {
		u.resolve(events, f.BreakdownBy, f.ListUsers)
	}
	u.workers, u.fan = workers, r.fanOut
	return u.result(&f)
}

// hasWhere reports whether some step has a Where filter.
func (f *Funnel) hasWhere() bool {
	for _, s := range f.Steps {
		if s.Where != nil {
			return true
		}
	}
	return false
}

// checkEvent validates one event and returns its time.
func checkEvent(e *journey.Event, i int) (int64, error) {
	if e.User == "" {
		return 0, &cxmetrics.InputError{Pkg: pkg, What: "event user", Index: i, Value: `""`,
			Err: cxmetrics.ErrEmpty}
	}
	t, ok := eventTime(e)
	if !ok {
		return 0, timeError(e, i)
	}
	return t, nil
}

// checkOrder validates the events and reports whether they are sorted by time, and
// whether they are sorted by user and then by time (users in increasing byte order).
// Several workers check consecutive shares of the log, each from the last event of the
// share before it; the error is that of the first invalid event, whatever the workers.
func (r *Runner) checkOrder(events []journey.Event, workers int) (byTime, byUser bool, err error) {
	if workers == 1 {
		return checkRange(events, 0, len(events))
	}
	type checked struct {
		byTime, byUser bool
		err            error
	}
	shares := make([]checked, workers)
	r.fanOut(workers, func(w int) {
		s := &shares[w]
		s.byTime, s.byUser, s.err = checkRange(events, w*len(events)/workers, (w+1)*len(events)/workers)
	})
	byTime, byUser = true, true
	for _, s := range shares {
		if s.err != nil {
			return false, false, s.err
		}
		byTime, byUser = byTime && s.byTime, byUser && s.byUser
	}
	return byTime, byUser, nil
}

// checkRange is checkOrder for events[lo:hi], which it compares with events[lo-1] too,
// if any; it does not validate events[lo-1].
func checkRange(events []journey.Event, lo, hi int) (byTime, byUser bool, err error) {
	byTime, byUser = true, true
	prev := int64(math.MinInt64)
	if lo > 0 {
		prev, _ = eventTime(&events[lo-1])
	}
	for i := lo; i < hi; i++ {
		e := &events[i]
		t, err := checkEvent(e, i)
		if err != nil {
			return false, false, err
		}
		byTime = byTime && t >= prev
		if i > 0 && byUser {
			if u := events[i-1].User; e.User == u {
				byUser = t >= prev
			} else {
				byUser = e.User > u
			}
		}
		prev = t
	}
	return byTime, byUser, nil
}

// walk computes the counted attempts of a valid log sorted by user and then by time: it
// feeds each user's run of events to the engine with one block, so that its memory
// beyond the result is that of one user. Workers take consecutive users. With check,
// walk also checks that the events are valid and sorted by user and then by time, and
// stops at the first that is not, reporting ok false; without, ok is true.
func (r *Runner) walk(f *Funnel, events []journey.Event, ns *names, workers int, check bool) (u users, ok bool) {
	// Split the log at the first user boundary after each share.
	cuts := []int{0}
	for w := 1; w < workers; w++ {
		c := max(w*len(events)/workers, cuts[len(cuts)-1])
		for c > 0 && c < len(events) && events[c].User == events[c-1].User {
			c++
		}
		cuts = append(cuts, c)
	}
	cuts = append(cuts, len(events))
	var failed atomic.Bool
	walkRange := func(ws *workspace, lo, hi int, u *users) {
		eng := newEngine(f)
		b := ws.block(eng.width)
		strict := f.Order == Strict
		for i := lo; i < hi; {
			if check && failed.Load() {
				return
			}
			eng.init(b)
			j := i
			prev := int64(math.MinInt64)
			for ; j < hi && events[j].User == events[i].User; j++ {
				e := &events[j]
				t, ok := eventTime(e)
				if check {
					// Within a run the times must not decrease; a new run's user must
					// follow the last.
					if !ok || e.User == "" || t < prev || (j == i && j > 0 && e.User <= events[j-1].User) {
						failed.Store(true)
						return
					}
					prev = t
				}
				m, x := f.classify(ns, e)
				if m|x == 0 && !strict {
					continue
				}
				eng.step(b, m, x, t, int64(j))
			}
			u.add(eng, b)
			i = j
		}
	}
	u = r.parallel(f, workers, func(w int, ws *workspace, u *users) {
		walkRange(ws, cuts[w], cuts[w+1], u)
	})
	return u, !failed.Load()
}

// parallel runs work on workers goroutines, each with its own workspace and accumulator
// of counted attempts, and returns the attempts of all. One worker runs on the calling
// goroutine.
func (r *Runner) parallel(f *Funnel, workers int, work func(w int, ws *workspace, u *users)) users {
	wss := r.workspaces(workers)
	if workers == 1 {
		u := r.newUsers(f, 0)
		work(0, wss[0], &u)
		return u
	}
	us := make([]users, workers)
	r.fanOut(workers, func(w int) {
		us[w] = newUsers(f, &wss[w].res, 0)
		work(w, wss[w], &us[w])
	})
	return r.merge(f, us)
}

// fanOut calls work(w) for w in [0, workers) on as many goroutines and waits for them.
func (r *Runner) fanOut(workers int, work func(w int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r.tune.around != nil {
				r.tune.around(w, work)
				return
			}
			work(w)
		}()
	}
	wg.Wait()
	if r.tune.fanned != nil {
		r.tune.fanned()
	}
}

// merge returns the counted attempts of all of us, which it copies in parallel, and
// hands the buffers of each back to its workspace.
func (r *Runner) merge(f *Funnel, us []users) users {
	n := 0
	offs := make([]int, len(us)+1)
	for w := range us {
		n += len(us[w].reach)
		offs[w+1] = n
	}
	u := r.newUsers(f, n)
	s := u.nsteps - 1
	u.reach = u.reach[:n]
	u.durs = u.durs[:n*s]
	if u.keepAnchor {
		u.anchors = u.anchors[:n]
	}
	if u.keepStart {
		u.starts = u.starts[:n]
	}
	r.fanOut(len(us), func(w int) {
		v, o := &us[w], offs[w]
		copy(u.reach[o:], v.reach)
		copy(u.durs[o*s:], v.durs)
		if u.keepAnchor {
			copy(u.anchors[o:], v.anchors)
		}
		if u.keepStart {
			copy(u.starts[o:], v.starts)
		}
		v.keep()
	})
	return u
}

// stream computes the counted attempts of a log sorted by time in one pass, keeping a
// block per user. It returns ok false, and no error, when the events turn out not to be
// sorted; it validates every event up to that point.
func (r *Runner) stream(f *Funnel, events []journey.Event, ns *names, workers int) (u users, ok bool, err error) {
	u = r.newUsers(f, 0)
	if workers == 1 {
		ws := r.workspaces(1)[0]
		eng := newEngine(f)
		tb := newTable(eng, ws.table, len(events), maphash.MakeSeed())
		if r.tune.noRecent {
			tb.recent.off = math.MaxInt
		}
		buf := reuse(ws.batch, batchSize)
		defer func() {
			ws.table = tb.release()
			clear(buf[:cap(buf)]) // drop the caller's strings
			ws.batch = buf[:0]
		}()
		strict := f.Order == Strict
		prev := int64(math.MinInt64)
		for i := range events {
			e := &events[i]
			t, err := checkEvent(e, i)
			if err != nil {
				return u, false, err
			}
			if t < prev {
				return u, false, nil
			}
			prev = t
			m, x := f.classify(ns, e)
			if m|x == 0 && !strict {
				continue
			}
			buf = append(buf, item{user: e.User, t: t, id: int64(i), m: m, x: x})
			if len(buf) == batchSize {
				tb.apply(buf)
				buf = buf[:0]
			}
		}
		tb.apply(buf)
		tb.collect(&u)
		return u, true, nil
	}
	route := r.tune.route
	if route == 0 {
		route = idStrings(events)
	}
	if route == routeAddr && f.hasWhere() {
		route = routeHash // a second pass would call the filters again
	}
	u, ok, spread, err := r.streamParallel(f, events, ns, workers, route)
	if spread {
		u, ok, _, err = r.streamParallel(f, events, ns, workers, routeHash)
	}
	return u, ok, err
}

// The ways streamParallel routes the events: by the address of their id strings, by
// hash with the router's cache of id addresses, or by hash alone.
const (
	routeAddr = 1 + iota
	routeHash
	routeHashAlone
)

// sampleEvents is the number of events at the start of a log that idStrings reads.
const sampleEvents = 1 << 14

// idStrings tells how streamParallel should route a log by its first events. When
// users come back (at least one event in four is a user's second or later) and every
// user's events share one id string, the log is routed by the address of the id
// strings. When users come back and no event shares a string with the first or the
// previous event of its user, as when each event has its own copy of the id, by hash
// alone, as a cache of addresses would seldom hit. Otherwise by hash, with the cache.
func idStrings(events []journey.Event) int {
	n := min(len(events), sampleEvents)
	// The first and the last string of each user.
	seen := make(map[string][2]uintptr, n/4)
	again, same := 0, 0
	for i := range n {
		id := events[i].User
		a := uintptr(idAddr(id))
		if b, ok := seen[id]; ok {
			again++
			if a == b[0] || a == b[1] {
				same++
			}
			seen[id] = [2]uintptr{b[0], a}
		} else {
			seen[id] = [2]uintptr{a, a}
		}
	}
	switch {
	case again < n/4:
		return routeHash
	case same == again:
		return routeAddr
	case same == 0:
		return routeHashAlone
	}
	return routeHash
}

// chunkEvents is the number of events in a chunk of streamParallel, and ringChunks the
// number of chunks per worker that may be in flight at once. The ring is kept small so
// that the routes of the chunks in flight (about 48 bytes per matching event, under a
// megabyte for two workers) stay in the processors' caches between the worker that
// writes them and the workers that apply them: with 32 chunks of 2^15 events the routes
// took 30 MB, went through memory, and two workers routing by hash spent 15-20% more
// processor time than one instead of 8-14%.
const (
	chunkEvents = 1 << 12
	ringChunks  = 4
)

// slice is what a worker found in a chunk of streamParallel.
type slice struct {
	err         error
	sorted      bool
	first, last int64 // times of the first and last events
}

// pipeSlot is one slot of the ring of chunks in streamParallel: the chunk whose routes
// it holds, once they are complete, and how many workers have applied them.
type pipeSlot struct {
	ready   atomic.Int64 // the chunk's number + 1 once its routes are complete; 0 before
	applied atomic.Int32
	sl      slice
}

// streamParallel is stream with several workers, each of which owns a share of the
// users, and none of which waits for the others at a barrier. The log is cut into
// chunks, numbered in order, and a ring of slots holds the routes of the chunks in
// flight: a chunk's events that may change some user's state, sent to the worker that
// owns the user (see router). Each worker applies, chunk after chunk, the routes to its
// users as soon as their chunk is routed, so that they reach it in time order; when the
// next chunk is not routed yet, it claims the next unclaimed chunk whose slot is free
// (every worker has applied what it held) and routes it. A worker that finds the next
// chunk invalid or out of order stops them all: the first invalid event is an error, and
// events out of order give ok false. Memory is the users' blocks and the routes of the
// ring.
//
// A worker owns the users whose hash falls in its share (see router), or, with byAddr,
// the id strings whose address does (addrOwner). By address the routing worker needs
// neither the cache probe nor the hash, and the owner's table no more than with one
// worker, so the cost of two workers over one is one copy per matching event, and the
// check below; by hash, the routing worker also probes its cache (unless mode is
// routeHashAlone), and hashes more ids than one worker would, as its cache sees only the
// chunks it routes. By address, one user whose events hold the id in two strings could
// be owned by two workers, each of which would count part of the user's events. Every
// worker's table therefore keeps every user it saw, and at the end the tables are
// compared (see spread); if a user is in two, streamParallel reports spread, and the
// caller runs it again by hash.
func (r *Runner) streamParallel(f *Funnel, events []journey.Event, ns *names, workers, mode int) (u users, ok, spread bool, err error) {
	byAddr := mode == routeAddr
	wss := r.workspaces(workers)
	seed := maphash.MakeSeed()
	tables := make([]*table, workers)
	for w, ws := range wss {
		tables[w] = newTable(newEngine(f), ws.table, len(events), seed)
		tables[w].keepAll = byAddr
		if r.tune.noRecent {
			tables[w].recent.off = math.MaxInt
		}
		ws.router.init(mode == routeHash)
	}
	chunk := chunkEvents
	if r.tune.chunkEvents > 0 {
		chunk = r.tune.chunkEvents
	}
	nchunks := (len(events) + chunk - 1) / chunk
	ring := workers * ringChunks
	if r.tune.ringChunks > 0 {
		ring = r.tune.ringChunks
	}
	ring = min(ring, nchunks)
	for len(r.routes) < ring*workers {
		r.routes = append(r.routes, nil)
		r.routed = append(r.routed, 0)
	}
	routes, routed := r.routes[:ring*workers], r.routed[:ring*workers]
	defer func() {
		for w := range wss {
			wss[w].table = tables[w].release()
		}
		for k := range routes {
			clear(routes[k][:routed[k]])
			routes[k], routed[k] = routes[k][:0], 0
		}
	}()
	strict := f.Order == Strict
	slots := make([]pipeSlot, ring)
	var claimed atomic.Int64 // chunks claimed for routing
	var stop atomic.Bool
	var mu sync.Mutex
	stopAt := math.MaxInt // the first chunk found invalid or out of order
	var stopErr error
	// route routes chunk c into its slot, which is free.
	route := func(ws *workspace, c int, batch *[batchSize]item) {
		k := c % ring
		lo, hi := c*chunk, min((c+1)*chunk, len(events))
		out := routes[k*workers : (k+1)*workers]
		nw := uint64(len(out))
		for d := range out {
			out[d] = reuse(out[d], min(2*chunk/workers, hi-lo))
		}
		n := 0
		sl := slice{sorted: true, first: math.MaxInt64, last: math.MinInt64}
		p := int64(math.MinInt64)
		for i := lo; i < hi; i++ {
			e := &events[i]
			t, err := checkEvent(e, i)
			if err != nil {
				sl.err = err
				break
			}
			if i == lo {
				sl.first = t
			}
			if t < p {
				sl.sorted = false
			}
			p = t
			if !sl.sorted {
				continue // only validate the rest
			}
			m, x := f.classify(ns, e)
			if m|x == 0 && !strict {
				continue
			}
			if byAddr {
				d := addrOwner(e.User, nw)
				out[d] = append(out[d], item{user: e.User, t: t, id: int64(i), m: m, x: x})
				continue
			}
			batch[n] = item{user: e.User, t: t, id: int64(i), m: m, x: x}
			if n++; n == batchSize {
				ws.router.send(seed, batch[:n], out)
				n = 0
			}
		}
		ws.router.send(seed, batch[:n], out)
		for d := range out {
			routed[k*workers+d] = max(routed[k*workers+d], len(out[d]))
		}
		sl.last = p
		s := &slots[k]
		s.sl = sl
		s.applied.Store(0)
		s.ready.Store(int64(c) + 1)
	}
	// free reports whether the slot of chunk c no longer holds a chunk some worker has
	// yet to apply.
	free := func(c int) bool {
		if c < ring {
			return true
		}
		s := &slots[c%ring]
		return s.ready.Load() == int64(c-ring)+1 && int(s.applied.Load()) == workers
	}
	us := make([]users, workers)
	r.fanOut(workers, func(w int) {
		ws, tb := wss[w], tables[w]
		var batch [batchSize]item
		defer clear(batch[:]) // drop the caller's strings
		prev := int64(math.MinInt64)
		for next := 0; next < nchunks; {
			if stop.Load() {
				return
			}
			s := &slots[next%ring]
			if s.ready.Load() == int64(next)+1 {
				sl := s.sl
				if sl.err != nil || !sl.sorted || (sl.first != math.MaxInt64 && sl.first < prev) {
					mu.Lock()
					if next < stopAt {
						stopAt, stopErr = next, sl.err
					}
					mu.Unlock()
					stop.Store(true)
					return
				}
				if sl.first != math.MaxInt64 {
					prev = sl.last
				}
				for its := routes[(next%ring)*workers+w]; len(its) > 0; {
					k := min(len(its), batchSize)
					tb.apply(its[:k])
					its = its[k:]
				}
				s.applied.Add(1)
				next++
				continue
			}
			if c := int(claimed.Load()); c < nchunks && free(c) && claimed.CompareAndSwap(int64(c), int64(c)+1) {
				route(ws, c, &batch)
				continue
			}
			runtime.Gosched() // the next chunk is being routed
		}
	})
	if stop.Load() {
		return u, false, false, stopErr
	}
	if byAddr && r.spread(tables) {
		return u, false, true, nil
	}
	r.fanOut(workers, func(w int) {
		us[w] = newUsers(f, &wss[w].res, 0)
		tables[w].collect(&us[w])
	})
	return r.merge(f, us), true, false, nil
}

// addrOwner returns the worker, of workers, that owns the id string user when
// streamParallel routes by address: bits 32 to 63 of a multiplicative hash of the
// address of its bytes, scaled to the number of workers.
func addrOwner(user string, workers uint64) uint64 {
	return uint64(uint32(fib(idAddr(user))>>32)) * workers >> 32
}

// spread reports whether some user is in the tables of two workers. An entry of a
// table holds the high half of the user's hash (its tag) and the user's number, and
// each table lists its entries (keepAll). Each worker scatters its own entries into
// groups by the low bits of their tags; then each worker takes a share of the groups
// and finds, in each, the tags that two tables share, with a small hash set, and
// compares those users' ids. The groups hold about 1,024 users each, and the whole
// reads each entry three times.
func (r *Runner) spread(tables []*table) bool {
	workers := len(tables)
	total := 0
	for _, tb := range tables {
		total += tb.n
	}
	bits := uint(0)
	for 1024<<bits < total {
		bits++
	}
	groups := 1 << bits
	group := func(e uint64) int { return int(e >> 32 & uint64(groups-1)) }
	wss := r.workspaces(workers)
	r.fanOut(workers, func(w int) {
		ws, tb := wss[w], tables[w]
		offs := reuse(ws.offs, groups+1)[:groups+1]
		clear(offs)
		for _, e := range tb.listed {
			offs[group(e)+1]++
		}
		for g := range groups {
			offs[g+1] += offs[g]
		}
		byGroup := reuse(ws.byGroup, len(tb.listed))[:len(tb.listed)]
		for _, e := range tb.listed {
			g := group(e)
			byGroup[offs[g]] = e
			offs[g]++
		}
		// offs[g] is now the end of group g; shift them back to the starts.
		copy(offs[1:], offs[:groups])
		offs[0] = 0
		ws.offs, ws.byGroup = offs, byGroup
	})
	var found atomic.Bool
	r.fanOut(workers, func(w int) {
		var set []uint64   // entries, by a hash of their tags; 0 is free
		var owner []uint16 // the worker of each
		for g := w * groups / workers; g < (w+1)*groups/workers && !found.Load(); g++ {
			n := 0
			for _, ws := range wss {
				n += ws.offs[g+1] - ws.offs[g]
			}
			size := 4
			for size < 2*n {
				size <<= 1
			}
			set, owner = reuse(set, size)[:size], reuse(owner, size)[:size]
			clear(set)
			for v, ws := range wss {
				for _, e := range ws.byGroup[ws.offs[g]:ws.offs[g+1]] {
					tag := e >> 32
					i := int(tag>>bits) & (size - 1)
					for ; set[i] != 0; i = (i + 1) & (size - 1) {
						if set[i]>>32 == tag && int(owner[i]) != v && tables[owner[i]].user(set[i]) == tables[v].user(e) {
							found.Store(true)
							return
						}
					}
					set[i], owner[i] = e, uint16(v)
				}
			}
		}
	})
	return found.Load()
}

// claimEvents returns the number of events that a worker of the grouping path claims
// at a time.
func (r *Runner) claimEvents() int {
	if r.tune.claimEvents > 0 {
		return r.tune.claimEvents
	}
	return claimEvents
}

// newUsers returns an empty accumulator of counted attempts with room for n users.
func (r *Runner) newUsers(f *Funnel, n int) users { return newUsers(f, &r.res, n) }

// group computes the counted attempts by grouping the events by user. It splits the
// users into parts of at most partSize records, or, when partSize is 0, of as many as
// keep the records proportional to the users times the steps, and at least one part per
// worker. When the records of all parts fit in that bound at once, several workers
// first share the events out by position, each finding the records of its share and
// sending them to their parts, so that no worker reads every event, and then claim the
// parts (four per worker) one at a time; otherwise each worker takes every workers-th
// part.
func (r *Runner) group(f *Funnel, events []journey.Event, ns *names, workers, partSize int) (users, error) {
	seed := maphash.MakeSeed()
	parts, fits, err := r.plan(f, events, ns, seed, partSize, workers)
	if err != nil {
		return users{}, err
	}
	workers = min(workers, len(parts))
	if workers == 1 || !fits || partSize > 0 {
		return r.parallel(f, workers, func(w int, ws *workspace, u *users) {
			eng := newEngine(f)
			for p := w; p < len(parts); p += workers {
				recs, ends := f.records(events, ns, ws, seed, parts[p])
				groupPart(ws, eng, recs, ends, u)
			}
		}), nil
	}
	var partOf [1 << partBits]uint16
	for p, pt := range parts {
		for d := pt.lo; d < pt.hi; d++ {
			partOf[d] = uint16(p)
		}
	}
	wss := r.workspaces(workers)
	seed2 := maphash.MakeSeed()
	// The workers claim the events by chunks, and the parts one at a time, so that none
	// waits long for the others; the order in which a part's records arrive does not
	// matter, as each user's are sorted by time and event index.
	var claimed atomic.Int64
	claim := r.claimEvents()
	r.fanOut(workers, func(w int) {
		ws := wss[w]
		for len(ws.scatter) < len(parts) {
			ws.scatter = append(ws.scatter, nil)
		}
		out := ws.scatter[:len(parts)]
		for p := range out {
			// A worker's share of a part's records varies with the hash seed and
			// the chunks it claims: a margin keeps a buffer from growing, and being
			// mapped anew, in a later run.
			share := parts[p].size / workers
			out[p] = reuse(out[p], share+share/4+1024)
		}
		for {
			lo := int(claimed.Add(1)-1) * claim
			if lo >= len(events) {
				return
			}
			for i := lo; i < min(lo+claim, len(events)); i++ {
				if rec, ok := f.record(events, ns, seed, seed2, i); ok {
					p := partOf[rec.h>>(64-partBits)]
					out[p] = append(out[p], rec)
				}
			}
		}
	})
	var next atomic.Int64
	return r.parallel(f, workers, func(w int, ws *workspace, u *users) {
		eng := newEngine(f)
		srcs := make([][]record, workers)
		for p := int(next.Add(1) - 1); p < len(parts); p = int(next.Add(1) - 1) {
			for k, src := range wss {
				srcs[k] = src.scatter[p]
			}
			recs, ends := sortRecords(ws, srcs, parts[p].size)
			groupPart(ws, eng, recs, ends, u)
		}
	}), nil
}
