package cohort

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// seq yields the events with no error.
func seq(events []journey.Event) iter.Seq2[journey.Event, error] {
	return func(yield func(journey.Event, error) bool) {
		for _, e := range events {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// sameTable compares two tables: counts exactly, revenue within a relative 1e-12.
func sameTable(t *testing.T, got, want Table) {
	t.Helper()
	if got.Period != want.Period || got.Window != want.Window || got.Location != want.Location || !got.AsOf.Equal(want.AsOf) || len(got.Cohorts) != len(want.Cohorts) {
		t.Fatalf("got  %v %v %s %v, %d cohorts\nwant %v %v %s %v, %d cohorts", got.Period, got.Window, got.Location, got.AsOf, len(got.Cohorts),
			want.Period, want.Window, want.Location, want.AsOf, len(want.Cohorts))
	}
	same := func(what string, g, w []Cell) {
		if len(g) != len(w) {
			t.Fatalf("%s: %d cells, want %d", what, len(g), len(w))
		}
		for n := range w {
			a, b := g[n], w[n]
			if math.Abs(a.Revenue-b.Revenue) > 1e-12*math.Max(1, math.Abs(b.Revenue)) {
				t.Fatalf("%s, period %d: revenue %v, want %v", what, n, a.Revenue, b.Revenue)
			}
			a.Revenue, b.Revenue = 0, 0
			if a != b {
				t.Fatalf("%s, period %d:\n got  %+v\n want %+v", what, n, a, b)
			}
		}
	}
	for c := range want.Cohorts {
		g, w := got.Cohorts[c], want.Cohorts[c]
		if !g.Start.Equal(w.Start) || g.Users != w.Users {
			t.Fatalf("cohort %d: %v with %d users, want %v with %d", c, g.Start, g.Users, w.Start, w.Users)
		}
		same(fmt.Sprint("cohort ", c), g.Cells, w.Cells)
	}
	same("overall", got.Overall, want.Overall)
	if len(got.Breakdown) != len(want.Breakdown) {
		t.Fatalf("%d breakdown values, want %d", len(got.Breakdown), len(want.Breakdown))
	}
	for v, w := range want.Breakdown {
		sameTable(t, got.Breakdown[v], w)
	}
}

// randomSorted returns n events of up to users users over days days after base, sorted
// by time (stable, so that equal times keep their order), with fractional values.
func randomSorted(rng *rand.Rand, n, users, days int, base time.Time) []journey.Event {
	names := []string{"signup", "buy", "view"}
	plans := []map[string]string{nil, {"plan": "free"}, {"plan": "pro"}}
	events := make([]journey.Event, n)
	for i := range events {
		events[i] = journey.Event{
			User:  strconv.Itoa(rng.IntN(users)),
			Name:  names[rng.IntN(3)],
			Time:  base.Add(time.Duration(rng.Int64N(int64(days)*int64(24*time.Hour))) / time.Hour * time.Hour),
			Value: rng.Float64() * 10,
			Props: plans[rng.IntN(3)],
		}
	}
	slices.SortStableFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	return events
}

// TestBuildSeqMatchesBuild streams random sorted logs through BuildSeq and compares with
// Build on the same slice, for every period, window, filter, breakdown and as-of time,
// around the 2024 daylight-saving changes of New York and Lord Howe Island.
func TestBuildSeqMatchesBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	zones := []*time.Location{time.UTC, mustLoad("America/New_York"), mustLoad("Australia/Lord_Howe")}
	base := time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC)
	for trial := range 300 {
		events := randomSorted(rng, 1+rng.IntN(300), 1+rng.IntN(40), 1+rng.IntN(120), base)
		o := Options{
			Period:    Period(rng.IntN(3)),
			Window:    Window(rng.IntN(2)),
			Location:  zones[rng.IntN(3)],
			WeekStart: time.Weekday(rng.IntN(7)),
			Revenue:   rng.IntN(2) == 0,
		}
		if rng.IntN(3) == 0 {
			o.StartEvent = "signup"
		}
		if rng.IntN(3) == 0 {
			o.ReturnEvent = "buy"
		}
		if rng.IntN(2) == 0 {
			o.BreakdownBy = "plan"
		}
		if rng.IntN(3) == 0 {
			o.AsOf = base.Add(time.Duration(rng.Int64N(int64(130 * 24 * time.Hour))))
		}
		want, werr := Build(events, o)
		got, err := BuildSeq(o, seq(events))
		if werr != nil || err != nil {
			if !errors.Is(err, cxmetrics.ErrEmpty) || !errors.Is(werr, cxmetrics.ErrEmpty) {
				t.Fatalf("trial %d: BuildSeq %v, Build %v", trial, err, werr)
			}
			continue
		}
		sameTable(t, got, want)
	}
}

func TestBuildSeqErrors(t *testing.T) {
	sorted := slices.Clone(handLog)
	slices.SortStableFunc(sorted, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	bad := errors.New("disk on fire")
	broken := func(yield func(journey.Event, error) bool) {
		if yield(sorted[0], nil) {
			yield(journey.Event{}, fmt.Errorf("line 3: %w", bad))
		}
	}
	for _, c := range []struct {
		name   string
		events iter.Seq2[journey.Event, error]
		o      Options
		err    error
		index  int // of the InputError; -2 for none
	}{
		{"no events", seq(nil), Options{}, cxmetrics.ErrEmpty, -2},
		{"no start event", seq(sorted), Options{StartEvent: "signup"}, cxmetrics.ErrEmpty, -2},
		{"unsorted", seq(handLog), Options{}, cxmetrics.ErrOutOfRange, 3},
		{"empty user", seq([]journey.Event{sorted[0], {Name: "x", Time: sorted[1].Time}}), Options{}, cxmetrics.ErrEmpty, 1},
		{"zero time", seq([]journey.Event{sorted[0], {User: "x"}}), Options{}, cxmetrics.ErrEmpty, 1},
		{"year 10000", seq([]journey.Event{sorted[0], {User: "x", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}), Options{}, cxmetrics.ErrOutOfRange, 1},
		{"NaN value", seq([]journey.Event{sorted[0], {User: "x", Time: sorted[1].Time, Value: math.NaN()}}), Options{Revenue: true}, cxmetrics.ErrNotFinite, 1},
		{"period", seq(sorted), Options{Period: 7}, cxmetrics.ErrUnknownLabel, -1},
		{"window", seq(sorted), Options{Window: 2}, cxmetrics.ErrUnknownLabel, -1},
		{"week start", seq(sorted), Options{WeekStart: -1}, cxmetrics.ErrUnknownLabel, -1},
		{"level", seq(sorted), Options{Level: 1}, cxmetrics.ErrInvalidLevel, -1},
		{"AsOf in 10000", seq(sorted), Options{AsOf: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, cxmetrics.ErrOutOfRange, -1},
		{"stream error", broken, Options{}, bad, -2},
		{"year 9999 sets AsOf", seq(append(slices.Clone(sorted), journey.Event{User: "z", Time: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)})), Options{}, cxmetrics.ErrTooLarge, 0},
		{"year 9999, rolling weeks", seq(append(slices.Clone(sorted), journey.Event{User: "z", Time: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)})), Options{Period: Week, Window: Rolling}, cxmetrics.ErrTooLarge, 0},
		{"year 1900 starts a cohort", seq(append([]journey.Event{{User: "z", Time: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}}, sorted...)), Options{}, cxmetrics.ErrTooLarge, 0},
		{"AsOf in 9999", seq(sorted), Options{AsOf: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}, cxmetrics.ErrTooLarge, 0},
	} {
		_, err := BuildSeq(c.o, c.events)
		var ie *cxmetrics.InputError
		if !errors.Is(err, c.err) || !strings.HasPrefix(err.Error(), "cohort: ") {
			t.Errorf("%s: %v, want %v", c.name, err, c.err)
		} else if c.index > -2 && (!errors.As(err, &ie) || ie.Index != c.index) {
			t.Errorf("%s: %v, want an InputError at index %d", c.name, err, c.index)
		}
	}
	// The out-of-order error names the event, its time and the previous time.
	_, err := BuildSeq(Options{}, seq(handLog))
	if want := "cohort: time 2024-01-03 12:00:00 +0000 UTC at index 3: out of range (before 2024-01-04 12:00:00 +0000 UTC, the time of event 2: the events must be sorted by time)"; err == nil || err.Error() != want {
		t.Errorf("unsorted:\n got  %v\n want %s", err, want)
	}
}

// generated yields n events of a synthetic log sorted by time, computing each from its
// index alone so that nothing is held: event i is at second i/spread after base, by user
// i*7919 mod users. Every 2^18 events it calls sample.
func generated(n, users, spread int, base time.Time, sample func()) iter.Seq2[journey.Event, error] {
	return func(yield func(journey.Event, error) bool) {
		var buf []byte
		for i := range n {
			if i&(1<<18-1) == 0 {
				sample()
			}
			u := (i * 7919) % users
			buf = strconv.AppendInt(buf[:0], int64(u), 10)
			e := journey.Event{User: string(buf), Name: "open", Time: base.Add(time.Duration(i/spread) * time.Second), Value: 1}
			if !yield(e, nil) {
				return
			}
		}
	}
}

// TestBuildSeqBoundedMemory streams generated events through BuildSeq, never holding them,
// and checks that the heap in use, sampled while it reads, stays within a bound set by
// the users and cells alone, and that the counts add up. By default it streams 1 million
// events of 100 000 users over 60 days (about a second); with COHORT_STREAM_EVENTS=n it
// streams n events (go test -run BoundedMemory -v with COHORT_STREAM_EVENTS=20000000
// takes about 10 s).
func TestBuildSeqBoundedMemory(t *testing.T) {
	n := 1_000_000
	if s := os.Getenv("COHORT_STREAM_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	const users = 100_000
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	before, peak := m.HeapAlloc, uint64(0)
	sample := func() {
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapAlloc)
	}
	start := time.Now()
	spread := max(1, n/(60*86400))
	tab, err := BuildSeq(Options{Revenue: true}, generated(n, users, spread, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), sample))
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	// Every user is in period 0, with the value 1 of each event in that period.
	if tab.Overall[0].Eligible != users || tab.Overall[0].Revenue < users {
		t.Errorf("period 0: %+v", tab.Overall[0])
	}
	grew := int64(peak) - int64(before)
	// 100 000 users take about 10 MB (state, map, ids), twice that with the garbage the
	// collector lets accumulate; 1 million events held would take 88 MB and more.
	const bound = 64 << 20
	t.Logf("%d events, %d users: %v, %.0f ns/event; heap grew by at most %d MB", n, users, elapsed, float64(elapsed.Nanoseconds())/float64(n), grew>>20)
	if grew > bound {
		t.Errorf("heap grew by %d MB, bound %d MB", grew>>20, bound>>20)
	}
}

// FuzzBuildSeq streams random logs of up to 60 events through BuildSeq: sorted ones must
// give Build's table, and a log with one event moved out of place must be refused at the
// first event that is earlier than the one before it.
func FuzzBuildSeq(f *testing.F) {
	f.Add(uint64(1), uint8(30), uint8(0), false)
	f.Add(uint64(2), uint8(60), uint8(0xff), false)
	f.Add(uint64(3), uint8(12), uint8(0x35), true)
	zones := []*time.Location{time.UTC, mustLoad("America/New_York"), mustLoad("Australia/Lord_Howe")}
	f.Fuzz(func(t *testing.T, seed uint64, n, flags uint8, shuffle bool) {
		rng := rand.New(rand.NewPCG(seed, 3))
		events := randomSorted(rng, int(n)%61, 1+int(flags)%9, 1+int(n)%90, time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC))
		o := Options{Period: Period(flags % 3), Window: Window(flags / 3 % 2), Location: zones[int(flags/6)%3], Revenue: flags&0x10 != 0}
		if flags&0x20 != 0 {
			o.StartEvent = "signup"
		}
		if flags&0x40 != 0 {
			o.BreakdownBy = "plan"
		}
		if shuffle && len(events) > 1 {
			i, j := rng.IntN(len(events)), rng.IntN(len(events))
			events[i], events[j] = events[j], events[i]
		}
		firstBad := -1
		for i := 1; i < len(events) && firstBad < 0; i++ {
			if events[i].Time.Before(events[i-1].Time) {
				firstBad = i
			}
		}
		got, err := BuildSeq(o, seq(events))
		if firstBad >= 0 {
			var ie *cxmetrics.InputError
			if !errors.Is(err, cxmetrics.ErrOutOfRange) || !errors.As(err, &ie) || ie.Index != firstBad {
				t.Fatalf("unsorted at %d: %v", firstBad, err)
			}
			return
		}
		want, werr := Build(events, o)
		if werr != nil || err != nil {
			if !errors.Is(err, cxmetrics.ErrEmpty) || !errors.Is(werr, cxmetrics.ErrEmpty) {
				t.Fatalf("BuildSeq %v, Build %v", err, werr)
			}
			return
		}
		sameTable(t, got, want)
	})
}

// TestBuildAnyGOMAXPROCS checks that Build gives the same table, to the last bit of every
// revenue sum, with one goroutine and with several: the users are numbered in shards
// whose number does not depend on GOMAXPROCS.
func TestBuildAnyGOMAXPROCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	events := randomSorted(rng, 140_000, 20_000, 90, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	rng.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	o := Options{Location: mustLoad("Europe/Berlin"), Revenue: true, BreakdownBy: "plan"}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one, err := Build(events, o)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(4)
	four, err := Build(events, o)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(one)
	b, _ := json.Marshal(four)
	if string(a) != string(b) {
		t.Error("the tables differ between GOMAXPROCS 1 and 4")
	}
	// And BuildSeq agrees on the sorted log.
	slices.SortStableFunc(events, func(a, b journey.Event) int { return a.Time.Compare(b.Time) })
	want, err := Build(events, o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := BuildSeq(o, seq(events))
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, got, want)
}
