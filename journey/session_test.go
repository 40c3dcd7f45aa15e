package journey

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

var t0 = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func ev(user, name string, offset time.Duration) Event {
	return Event{User: user, Name: name, Time: t0.Add(offset)}
}

func TestSessions(t *testing.T) {
	m := time.Minute
	events := []Event{
		ev("b", "page_view", 5*m),
		ev("a", "page_view", 0),
		ev("a", "page_view", 70*m),                // 30 min after a's previous event: a new session
		ev("a", "scroll", 10*m),                   // the input need not be sorted
		ev("a", "page_view", 40*m),                // exactly 30 min after 10 m: the gap is reached, a new session
		ev("b", "purchase", 5*m),                  // a tie with b's first event: stays after it
		ev("b", "page_view", 34*m+59*time.Second), // 29 min 59 s later: the same session
	}
	got, err := Sessions(events, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		user   string
		names  []string
		start  time.Duration
		length time.Duration
	}{
		{"a", []string{"page_view", "scroll"}, 0, 10 * m},
		{"a", []string{"page_view"}, 40 * m, 0},
		{"a", []string{"page_view"}, 70 * m, 0},
		{"b", []string{"page_view", "purchase", "page_view"}, 5 * m, 29*m + 59*time.Second},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d sessions, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		s := got[i]
		var names []string
		for _, e := range s.Events {
			names = append(names, e.Name)
		}
		if s.User != w.user || fmt.Sprint(names) != fmt.Sprint(w.names) || !s.Start.Equal(t0.Add(w.start)) || s.Duration() != w.length {
			t.Errorf("session %d: %s %v from %v for %v; want %s %v from %v for %v",
				i, s.User, names, s.Start.Sub(t0), s.Duration(), w.user, w.names, w.start, w.length)
		}
	}
	if events[0].User != "b" || events[1].Time != t0 {
		t.Error("Sessions modified its input")
	}

	// A one-hour gap joins a's first three events.
	got, err = Sessions(events, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Events) != 4 {
		t.Errorf("one-hour gap: %d sessions, first with %d events; want 2 and 4", len(got), len(got[0].Events))
	}
}

func TestSessionsErrors(t *testing.T) {
	if _, err := Sessions(nil, -time.Second); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("negative gap: %v", err)
	}
	_, err := Sessions([]Event{ev("a", "x", 0), ev("", "x", 0)}, 0)
	var ie *cxmetrics.InputError
	if !errors.Is(err, cxmetrics.ErrEmpty) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Errorf("empty user: %v", err)
	}
	if s, err := Sessions(nil, 0); s != nil || err != nil {
		t.Errorf("no events: %v, %v", s, err)
	}
	// Unix seconds of times before -2^63 s wrap around, so such a time would sort after
	// every other one.
	ancient := time.Unix(math.MinInt64, 0).Add(-time.Hour)
	_, err = Sessions([]Event{ev("a", "x", 0), {User: "a", Name: "x", Time: ancient}}, 0)
	if !errors.Is(err, cxmetrics.ErrOutOfRange) || !errors.As(err, &ie) || ie.Index != 1 {
		t.Errorf("time before -2^63 s: %v", err)
	}
	if _, err := Sessions([]Event{{User: "a", Name: "x", Time: time.Unix(math.MinInt64, 0)}, ev("a", "x", 0)}, 0); err != nil {
		t.Errorf("time at -2^63 s: %v", err)
	}
}

func TestSummarizeSessions(t *testing.T) {
	s := time.Second
	events := []Event{
		// u1: one page view, 5 s: single page, not engaged.
		ev("u1", "page_view", 0), ev("u1", "scroll", 5*s),
		// u2: one page view then 12 s later a click: single page, engaged by duration.
		ev("u2", "page_view", 0), ev("u2", "click", 12*s),
		// u3: two page views within 3 s: engaged by page views.
		ev("u3", "page_view", 0), ev("u3", "page_view", 3*s),
		// u4: a lone purchase: no page view, engaged by conversion.
		ev("u4", "purchase", 0),
		// u5: a lone page view: single page, not engaged.
		ev("u5", "page_view", 0),
	}
	sessions, err := Sessions(events, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SummarizeSessions(sessions, Engagement{PageViews: []string{"page_view"}, Conversions: []string{"purchase"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (SessionStats{Sessions: 5, SinglePage: 4, Engaged: 3}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// Universal Analytics: 4 / 5; GA4: 1 - 3/5.
	for _, c := range []struct {
		name string
		f    func() (float64, error)
		want float64
	}{{"bounce", got.BounceRate, 0.8}, {"engagement", got.EngagementRate, 0.6}, {"GA4 bounce", got.GA4BounceRate, 0.4}} {
		if v, err := c.f(); err != nil || abs(v-c.want) > 1e-15 {
			t.Errorf("%s rate %v, %v; want %v", c.name, v, err, c.want)
		}
	}

	// Every event a page view: u1 and u2 have two; a 20 s threshold drops u2's duration.
	got, err = SummarizeSessions(sessions, Engagement{MinDuration: 20 * s})
	if err != nil {
		t.Fatal(err)
	}
	if want := (SessionStats{Sessions: 5, SinglePage: 2, Engaged: 3}); got != want {
		t.Errorf("every event a page view: got %+v, want %+v", got, want)
	}

	for _, e := range []Engagement{{MinDuration: -1}, {MinPageViews: -1}} {
		if _, err := SummarizeSessions(sessions, e); !errors.Is(err, cxmetrics.ErrOutOfRange) {
			t.Errorf("%+v: %v", e, err)
		}
	}
	if _, err := SummarizeSessions(nil, Engagement{}); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("no sessions: %v", err)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// FuzzSessions checks the defining properties of the split on random logs: every event is
// in exactly one session, in time order with ties in input order; events within a session
// are less than gap apart, and consecutive sessions of one user at least gap apart.
func FuzzSessions(f *testing.F) {
	f.Add(uint64(1), uint8(20), uint8(3), int64(60))
	f.Add(uint64(2), uint8(200), uint8(1), int64(1))
	f.Fuzz(func(t *testing.T, seed uint64, n, users uint8, gapSec int64) {
		rng := rand.New(rand.NewPCG(seed, 1))
		gap := time.Duration(gapSec%7200) * time.Second
		events := make([]Event, n)
		for i := range events {
			events[i] = Event{
				User:  string(rune('a' + rng.IntN(int(users)%5+1))),
				Name:  fmt.Sprint(i), // the input position, to check order
				Time:  t0.Add(time.Duration(rng.IntN(240)) * time.Minute),
				Value: float64(i),
			}
		}
		sessions, err := Sessions(events, gap)
		if gap < 0 {
			if !errors.Is(err, cxmetrics.ErrOutOfRange) {
				t.Fatalf("gap %v: %v", gap, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if gap == 0 {
			gap = DefaultSessionGap
		}
		seen := make([]bool, len(events))
		for k, s := range sessions {
			for i, e := range s.Events {
				if e.User != s.User || seen[int(e.Value)] {
					t.Fatalf("session %d: event %+v misplaced", k, e)
				}
				seen[int(e.Value)] = true
				if i > 0 {
					p := s.Events[i-1]
					if d := e.Time.Sub(p.Time); d < 0 || d >= gap || (d == 0 && p.Value > e.Value) {
						t.Fatalf("session %d: events %v then %v", k, p, e)
					}
				}
			}
			if !s.Start.Equal(s.Events[0].Time) || !s.End.Equal(s.Events[len(s.Events)-1].Time) {
				t.Fatalf("session %d: start or end wrong", k)
			}
			if k > 0 && sessions[k-1].User == s.User && s.Start.Sub(sessions[k-1].End) < gap {
				t.Fatalf("sessions %d and %d of %s less than %v apart", k-1, k, s.User, gap)
			}
			if k > 0 && sessions[k-1].User > s.User {
				t.Fatalf("sessions not ordered by user")
			}
		}
		for i, ok := range seen {
			if !ok {
				t.Fatalf("event %d in no session", i)
			}
		}
		if len(sessions) == 0 {
			return
		}
		st, err := SummarizeSessions(sessions, Engagement{PageViews: []string{"1", "2", "3"}, Conversions: []string{"4"}})
		if err != nil {
			t.Fatal(err)
		}
		if st.Sessions != len(sessions) || st.SinglePage < 0 || st.SinglePage > st.Sessions || st.Engaged < 0 || st.Engaged > st.Sessions {
			t.Fatalf("stats %+v for %d sessions", st, len(sessions))
		}
		for _, rate := range []func() (float64, error){st.BounceRate, st.EngagementRate, st.GA4BounceRate} {
			if r, err := rate(); err != nil || r < 0 || r > 1 {
				t.Fatalf("rate %v, %v", r, err)
			}
		}
	})
}

// sessionsRef is Sessions as its doc defines it, written plainly: a stable sort of a copy
// by user and time, split where a user changes or a gap opens.
func sessionsRef(events []Event, gap time.Duration) []Session {
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b Event) int {
		if c := strings.Compare(a.User, b.User); c != 0 {
			return c
		}
		return a.Time.Compare(b.Time)
	})
	var out []Session
	start := 0
	for i := 1; i <= len(sorted); i++ {
		if i < len(sorted) && sorted[i].User == sorted[i-1].User && sorted[i].Time.Sub(sorted[i-1].Time) < gap {
			continue
		}
		evs := sorted[start:i]
		out = append(out, Session{User: evs[0].User, Start: evs[0].Time, End: evs[len(evs)-1].Time, Events: evs})
		start = i
	}
	return out
}

// Sessions agrees with the plain definition on logs large enough for every worker and
// hundreds of partitions, sorted by time and not, with ties, and with user names that
// share their first 16 bytes or differ only by trailing zero bytes.
func TestSessionsLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 140_000 // two workers
	if raceEnabled {
		n = 40_000
	}
	names := []string{"a", "a\x00", "a\x00\x00", "ab", "user-0123456789abcdef-x", "user-0123456789abcdef-y", "user-0123456789abcdef"}
	for _, sorted := range []bool{true, false} {
		events := randomLog(rng, n, n/3, 30*24*time.Hour, sorted)
		for i := range events {
			if i%97 == 0 {
				events[i].User = names[rng.IntN(len(names))]
			}
			events[i].Value = float64(i) // tells events at the same time apart
		}
		for _, gap := range []time.Duration{time.Second, 100 * time.Hour} {
			got, err := Sessions(events, gap)
			if err != nil {
				t.Fatal(err)
			}
			want := sessionsRef(events, gap)
			if len(got) != len(want) {
				t.Fatalf("sorted %v, gap %v: %d sessions, want %d", sorted, gap, len(got), len(want))
			}
			for k := range want {
				g, w := got[k], want[k]
				if g.User != w.User || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || len(g.Events) != len(w.Events) || cap(g.Events) != len(g.Events) {
					t.Fatalf("sorted %v, gap %v, session %d: %s %v-%v (%d), want %s %v-%v (%d)", sorted, gap, k,
						g.User, g.Start, g.End, len(g.Events), w.User, w.Start, w.End, len(w.Events))
				}
				for i := range w.Events {
					if g.Events[i].Value != w.Events[i].Value {
						t.Fatalf("sorted %v, gap %v, session %d, event %d differs", sorted, gap, k, i)
					}
				}
			}
		}
	}
}

// TestSessionsMapped runs Sessions on a log whose sessions take more than 64 MiB with
// their events, so that it maps their memory and finishes a collection before copying
// (see internal/pages), and checks the result against the plain definition.
func TestSessionsMapped(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("400,000 events: too slow with the race detector or in -short")
	}
	rng := rand.New(rand.NewPCG(5, 5))
	const n = 400_000 // 35 MB of events and, with a gap of a second, nearly as many sessions
	events := randomLog(rng, n, n/3, 30*24*time.Hour, false)
	for i := range events {
		events[i].Value = float64(i)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := Sessions(events, time.Second)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if after.NumGC-before.NumGC < 2 {
		t.Errorf("%d collections: the memory was not mapped beforehand", after.NumGC-before.NumGC)
	}
	want := sessionsRef(events, time.Second)
	if len(got) != len(want) {
		t.Fatalf("%d sessions, want %d", len(got), len(want))
	}
	for k := range want {
		g, w := got[k], want[k]
		if g.User != w.User || !g.Start.Equal(w.Start) || !g.End.Equal(w.End) || len(g.Events) != len(w.Events) {
			t.Fatalf("session %d: %s %v-%v (%d), want %s %v-%v (%d)", k, g.User, g.Start, g.End, len(g.Events), w.User, w.Start, w.End, len(w.Events))
		}
		for i := range w.Events {
			if ge, we := g.Events[i], w.Events[i]; ge.User != we.User || ge.Name != we.Name || !ge.Time.Equal(we.Time) || ge.Value != we.Value {
				t.Fatalf("session %d, event %d: %+v, want %+v", k, i, ge, we)
			}
		}
	}
}
