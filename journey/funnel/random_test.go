package funnel

import (
	"encoding/json"
	"errors"
	"hash/maphash"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// chooser draws small integers; randomCase builds a funnel and a log from it.
type chooser func(n int) int

// bytesChooser draws from the fuzzer's bytes, then zeros.
func bytesChooser(data []byte) chooser {
	return func(n int) int {
		if len(data) == 0 {
			return 0
		}
		v := int(data[0]) % n
		data = data[1:]
		return v
	}
}

var base = time.Date(2024, 3, 27, 12, 0, 0, 0, time.UTC)

// berlin has a change to summer time on 2024-03-31, within the random logs' days.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return loc
}()

// randomCase builds a small funnel and event log: few users, few event names and
// minute-resolution times, so that ties, repeats and window edges are common.
func randomCase(c chooser) (Funnel, []journey.Event) {
	names := []string{"A", "B", "C", "D"}
	var f Funnel
	nsteps := 1 + c(4)
	used := map[string]bool{}
	for i := range nsteps {
		s := Step{Event: names[c(len(names))]}
		switch c(6) {
		case 0:
			s.Where = func(e journey.Event) bool { return e.Props["c"] != "fr" }
		case 1:
			s.Where = func(e journey.Event) bool { return e.Props["c"] == "us" }
		}
		if c(2) == 0 {
			s.Name = "step" + string(rune('1'+i))
		}
		used[s.Event] = true
		f.Steps = append(f.Steps, s)
	}
	// Minutes make ties and window edges common; with a unit of 7 hours the attempts
	// fall on several days, weeks and months of a trend.
	unit := time.Minute
	if c(4) == 0 {
		unit = 7 * time.Hour
	}
	f.Window = []time.Duration{0, 1, 2, 3, 5}[c(5)] * unit
	f.Order = Order(c(3))
	f.Anchor = Anchor(c(2))
	for range c(3) {
		if nsteps == 1 {
			break
		}
		x := Exclusion{Event: "X"}
		if !used["D"] && c(2) == 0 {
			x.Event = "D"
		}
		x.From = c(nsteps - 1)
		x.To = x.From + 1 + c(nsteps-1-x.From)
		f.Exclusions = append(f.Exclusions, x)
	}
	if c(2) == 0 {
		f.BreakdownBy = "c"
	}
	f.ListUsers = c(2) == 0
	f.Trend = Period(c(4))
	if c(2) == 0 {
		f.Location = berlin
	}
	if c(2) == 0 {
		f.Bins = []time.Duration{time.Minute, 3 * unit}
	}
	n := 1 + c(24)
	all := append(names, "X", "Y")
	events := make([]journey.Event, n)
	for i := range events {
		e := journey.Event{
			User: []string{"u1", "u2", "u3", "u4"}[c(4)],
			Name: all[c(len(all))],
			Time: base.Add(time.Duration(c(9)) * unit),
		}
		switch c(4) {
		case 0:
			e.Props = map[string]string{"c": "fr"}
		case 1:
			e.Props = map[string]string{"c": "us"}
		case 2:
			e.Props = map[string]string{"c": ""}
		}
		events[i] = e
	}
	return f, events
}

func TestRunMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	c := func(n int) int { return rng.IntN(n) }
	for i := range randomCases {
		f, events := randomCase(c)
		got, err := f.Run(events)
		if err != nil {
			t.Fatal(err)
		}
		want := refRun(f, events)
		if !equalResults(want, got) {
			t.Fatalf("case %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, f, events, want, got)
		}
		// The one-pass paths either notice that the events are out of order or get the
		// same result, with the recent cache on or off and with any number of workers;
		// the grouping path gets the same result with any number of workers.
		workers, cache := 1+c(3), c(2) == 0
		got, ok, err := stream(f, events, workers, cache)
		if err != nil {
			t.Fatal(err)
		}
		if ok && !equalResults(want, got) {
			t.Fatalf("case %d, workers %d, cache %v: funnel %+v\nevents %v\nwant %+v\ngot  %+v",
				i, workers, cache, f, events, want, got)
		}
		got, err = group(f, events, workers, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !equalResults(want, got) {
			t.Fatalf("case %d, grouped by %d workers: funnel %+v\nevents %v\nwant %+v\ngot  %+v",
				i, workers, f, events, want, got)
		}
	}
}

// TestGroupInPartsMatchesReference checks the grouping path when it splits the users
// into parts of a few records each.
func TestGroupInPartsMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	c := func(n int) int { return rng.IntN(n) }
	for i := range randomCases {
		f, events := randomCase(c)
		want := refRun(f, events)
		size := 1 + c(8)
		got, err := group(f, events, 1+c(3), size)
		if err != nil {
			t.Fatal(err)
		}
		if !equalResults(want, got) {
			t.Fatalf("case %d, parts of %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, size, f, events, want, got)
		}
	}
}

// TestHLL checks the user estimate against exact counts: within 5% (the standard error
// with 2^12 registers is 1.04/64, about 1.6%).
func TestHLL(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, n := range []int{0, 1, 10, 1000, 5000, 100_000, 1_000_000} {
		var s hll
		for i := range n {
			h := maphash.String(seed, "user-"+strconv.Itoa(i))
			s.add(h)
			s.add(h) // repeats do not count
		}
		if got := s.estimate(); math.Abs(got-float64(n)) > 0.05*float64(n)+0.5 {
			t.Errorf("%d distinct: estimate %.1f", n, got)
		}
	}
}

// sortedByTime returns the events stably sorted by time, the input Run streams.
func sortedByTime(events []journey.Event) []journey.Event {
	s := slices.Clone(events)
	slices.SortStableFunc(s, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	return s
}

// TestRunSortedMatchesReference checks the one-pass path over time-sorted logs, and
// that every funnel takes it.
func TestRunSortedMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	c := func(n int) int { return rng.IntN(n) }
	checkStreamed(t, c, func(events []journey.Event) []journey.Event { return sortedByTime(events) })
}

// checkStreamed compares Run and the one-pass path, with the recent cache on and off and
// with one to three workers, with the reference on randomCases random logs sorted by time.
func checkStreamed(t *testing.T, c func(int) int, arrange func([]journey.Event) []journey.Event) {
	t.Helper()
	for i := range randomCases {
		f, events := randomCase(c)
		events = arrange(events)
		got, err := f.Run(events)
		if err != nil {
			t.Fatal(err)
		}
		want := refRun(f, events)
		if !equalResults(want, got) {
			t.Fatalf("case %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, f, events, want, got)
		}
		workers, cache := 1+c(3), c(2) == 0
		got, ok, err := stream(f, events, workers, cache)
		if !ok || err != nil {
			t.Fatalf("case %d: events not streamed (%v)", i, err)
		}
		if !equalResults(want, got) {
			t.Fatalf("case %d, workers %d, cache %v: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, workers, cache, f, events, want, got)
		}
	}
}

// stream runs the one-pass path alone, with the recent cache on or off, and with
// several workers on chunks of one to four events, of which one to five are in flight
// at once, routed as the path chooses, by address, or by hash with or without the
// cache of addresses. Routed by address, half
// of the logs give every other event its own copy of the user id, so that a user's
// events may go to two workers and the path must notice it and route by hash.
func stream(f Funnel, events []journey.Event, workers int, cache bool) (Result, bool, error) {
	var r Runner
	r.tune.noRecent = !cache
	r.tune.chunkEvents = 1 + len(events)%4
	r.tune.ringChunks = 1 + len(events)%5
	r.tune.route = len(events) % 4
	if r.tune.route == routeAddr && len(events)%2 == 0 {
		events = slices.Clone(events)
		for i := 0; i < len(events); i += 2 {
			events[i].User = strings.Clone(events[i].User)
		}
	}
	u, ok, err := r.stream(&f, events, f.compile(), workers)
	if !ok || err != nil {
		return Result{}, ok, err
	}
	if f.BreakdownBy != "" || f.ListUsers {
		u.resolve(events, f.BreakdownBy, f.ListUsers)
	}
	res, err := u.result(&f)
	return res, err == nil, err
}

// group runs the grouping path alone, with parts of at most partSize records (0: the
// default), its workers claiming one to three events at a time.
func group(f Funnel, events []journey.Event, workers, partSize int) (Result, error) {
	var r Runner
	r.tune.claimEvents = 1 + len(events)%3
	u, err := r.group(&f, events, f.compile(), workers, partSize)
	if err != nil {
		return Result{}, err
	}
	if f.BreakdownBy != "" || f.ListUsers {
		u.resolve(events, f.BreakdownBy, f.ListUsers)
	}
	return u.result(&f)
}

// interleaveUsers returns the events with each user's events in time order (ties in
// input order) and the users interleaved at random, as a log sorted by user, or merged
// from several sources, comes.
func interleaveUsers(events []journey.Event, c func(int) int) []journey.Event {
	byUser := map[string][]journey.Event{}
	var users []string
	for _, e := range sortedByTime(events) {
		if _, ok := byUser[e.User]; !ok {
			users = append(users, e.User)
		}
		byUser[e.User] = append(byUser[e.User], e)
	}
	out := make([]journey.Event, 0, len(events))
	for len(users) > 0 {
		k := c(len(users))
		if c(4) == 0 {
			k = 0 // runs of one user, as a log sorted by user
		}
		u := users[k]
		out = append(out, byUser[u][0])
		if byUser[u] = byUser[u][1:]; len(byUser[u]) == 0 {
			users = slices.Delete(users, k, k+1)
		}
	}
	return out
}

// TestRunUserSortedMatchesReference checks Run with one to three workers over logs in
// which only each user's events are in time order (the grouping path), and over logs
// sorted by user and time (the walk user by user).
func TestRunUserSortedMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	c := func(n int) int { return rng.IntN(n) }
	for i := range randomCases {
		f, events := randomCase(c)
		events = interleaveUsers(events, c)
		if c(2) == 0 {
			slices.SortStableFunc(events, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
		}
		want := refRun(f, events)
		var r Runner
		r.tune.minEventsPerWorker = 1
		f.Workers = 1 + c(3)
		got, err := r.Run(f, events)
		if err != nil {
			t.Fatal(err)
		}
		if !equalResults(want, got) {
			t.Fatalf("case %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, f, events, want, got)
		}
	}
}

func FuzzRun(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{3, 0, 0, 1, 1, 2, 2, 0, 1, 0, 1, 0, 20, 0, 0, 1, 0, 1, 1, 0, 2, 2, 0, 3})
	f.Add([]byte{2, 1, 0, 0, 0, 0, 4, 2, 1, 0, 0, 0, 1, 12, 1, 0, 3, 1, 1, 1, 1, 2, 5, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, events := randomCase(bytesChooser(data))
		got, err := fn.Run(events)
		if err != nil {
			t.Fatal(err)
		}
		if want := refRun(fn, events); !equalResults(want, got) {
			t.Fatalf("funnel %+v\nevents %v\nwant %+v\ngot  %+v", fn, events, want, got)
		}
		events = sortedByTime(events)
		got, err = fn.Run(events)
		if err != nil {
			t.Fatal(err)
		}
		if want := refRun(fn, events); !equalResults(want, got) {
			t.Fatalf("sorted: funnel %+v\nevents %v\nwant %+v\ngot  %+v", fn, events, want, got)
		}
	})
}

// FuzzRunInput feeds arbitrary events and funnel settings to Run: it must never panic,
// and every error must wrap a known sentinel.
func FuzzRunInput(f *testing.F) {
	f.Add("A", "B", "a\x00b", int64(60), 0, 0, int64(0), int64(1), -1, 2)
	f.Add("", "B", "", int64(-1), 5, 3, int64(0), int64(0), 0, 0)
	f.Fuzz(func(t *testing.T, s1, s2, users string, window int64, order, anchor int, t1, t2 int64, from, to int) {
		fn := Funnel{
			Steps:      []Step{{Event: s1}, {Event: s2}},
			Window:     time.Duration(window),
			Order:      Order(order),
			Anchor:     Anchor(anchor),
			Exclusions: []Exclusion{{Event: "X", From: from, To: to}},
		}
		var events []journey.Event
		for i := 0; i < len(users); i++ {
			tm := time.Unix(t1, t2*int64(i))
			events = append(events, journey.Event{User: users[i : i+1], Name: []string{s1, s2, "X", "Y"}[i%4], Time: tm})
		}
		_, err := fn.Run(events)
		if err == nil {
			return
		}
		for _, s := range []error{cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrUnknownLabel} {
			if errors.Is(err, s) {
				return
			}
		}
		t.Fatalf("error wraps no known sentinel: %v", err)
	})
}

// equalResults compares results exactly, through their JSON encodings, which treat nil
// and empty slices and maps alike and fail on NaN.
func equalResults(a, b Result) bool {
	ja, err := json.Marshal(a)
	if err != nil {
		return false
	}
	jb, err := json.Marshal(b)
	return err == nil && string(ja) == string(jb)
}

// TestConcurrentRuns runs funnels from several goroutines, which share Run's buffer pool.
func TestConcurrentRuns(t *testing.T) {
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			rng := rand.New(rand.NewPCG(2, uint64(g)))
			c := func(n int) int { return rng.IntN(n) }
			for range randomCases / 40 {
				f, events := randomCase(c)
				got, err := f.Run(events)
				if err == nil && !equalResults(refRun(f, events), got) {
					err = errors.New("Run and the reference disagree")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunSortedManyUsers streams enough users to grow the user table several times and
// fill more than one chunk of blocks, with ids that are equal strings in different
// memory, and compares with the reference.
func TestRunSortedManyUsers(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 1))
	if raceEnabled {
		t.Skip("too slow under the race detector; the random comparisons cover these paths")
	}
	const users = chunkUsers + 3000
	var events []journey.Event
	for i := range 4 * users {
		u := rng.IntN(users)
		events = append(events, journey.Event{
			User: strings.Clone("user-" + strconv.Itoa(u)),
			Name: []string{"A", "B", "C", "Y"}[rng.IntN(4)],
			Time: base.Add(time.Duration(i/3) * time.Minute),
		})
	}
	for _, order := range []Order{Ordered, Strict} {
		for _, anchor := range []Anchor{LatestStart, FirstStart} {
			f := Funnel{Steps: steps("A", "B", "C"), Window: 20000 * time.Minute, Order: order, Anchor: anchor}
			got, err := f.Run(events)
			if err != nil {
				t.Fatal(err)
			}
			if want := refRun(f, events); !equalResults(want, got) {
				t.Fatalf("%v %v: want %+v\ngot  %+v", order, anchor, want, got)
			}
			if got.Users < users/2 {
				t.Fatalf("%v %v: only %d users reached the first step", order, anchor, got.Users)
			}
		}
	}
}

// TestStreamReleasesUsers checks that the buffers a run leaves for the next one hold no
// user ids, whether the run finishes, fails or meets unsorted events, with one worker or
// two.
func TestStreamReleasesUsers(t *testing.T) {
	f := Funnel{Steps: steps("A", "B")}
	sorted := []journey.Event{ev("u", "A", at(1, 0)), ev("v", "A", at(1, 1)), ev("u", "B", at(1, 2))}
	unsorted := append(slices.Clone(sorted), ev("v", "B", at(0, 0)))
	bad := append(slices.Clone(sorted), ev("", "B", at(2, 0)))
	for _, workers := range []int{1, 2} {
		for i, events := range [][]journey.Event{sorted, unsorted, bad} {
			var r Runner
			r.tune.chunkEvents = 1
			_, ok, err := r.stream(&f, events, f.compile(), workers)
			if ok != (i == 0) || (err != nil) != (i == 2) {
				t.Fatalf("case %d: ok %v, err %v", i, ok, err)
			}
			for _, ws := range r.ws {
				if len(ws.table.entries) == 0 {
					t.Fatalf("case %d: no buffers kept", i)
				}
				for _, e := range ws.table.entries {
					if e != 0 {
						t.Fatalf("case %d: table entry %#x kept", i, e)
					}
				}
				for _, c := range ws.table.chunks {
					for _, u := range c.users {
						if u != "" {
							t.Fatalf("case %d: user %q kept", i, u)
						}
					}
				}
				for _, it := range ws.batch[:cap(ws.batch)] {
					if it.user != "" {
						t.Fatalf("case %d: user %q kept in a batch", i, it.user)
					}
				}
			}
			for _, rs := range r.routes {
				for _, rt := range rs[:cap(rs)] {
					if rt.user != "" {
						t.Fatalf("case %d: user %q kept in a route", i, rt.user)
					}
				}
			}
		}
	}
}

// TestWorkersSummariseManyUsers runs a log with enough users who reach the first step
// for the workers to summarise the times to convert in parallel, and checks that two
// and three workers give the one-worker result.
func TestWorkersSummariseManyUsers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	const users = 90_000 // about 72,000 reach the first step
	var events []journey.Event
	for i := range 4 * users {
		events = append(events, journey.Event{
			User: "user-" + strconv.Itoa(rng.IntN(users)),
			Name: []string{"A", "B", "C"}[rng.IntN(3)],
			Time: base.Add(time.Duration(i) * time.Second),
		})
	}
	f := Funnel{Steps: steps("A", "B", "C"), Window: 20 * time.Hour, Workers: 1,
		Bins: []time.Duration{time.Minute, time.Hour}}
	want, err := f.Run(events)
	if err != nil {
		t.Fatal(err)
	}
	if want.Users < minEventsPerWorker {
		t.Fatalf("only %d users reached the first step", want.Users)
	}
	for _, workers := range []int{2, 3} {
		f.Workers = workers
		got, err := f.Run(events)
		if err != nil {
			t.Fatal(err)
		}
		if !equalResults(want, got) {
			t.Fatalf("%d workers: want %+v\ngot  %+v", workers, want, got)
		}
	}
}
