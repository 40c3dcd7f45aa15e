package journey

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

// randomLog returns n events of the given number of users at random minutes over a
// span, with names among view, scroll, purchase and click, sorted by time or not.
func randomLog(rng *rand.Rand, n, users int, span time.Duration, sorted bool) []Event {
	names := []string{"view", "scroll", "purchase", "click"}
	events := make([]Event, n)
	for i := range events {
		events[i] = Event{
			User: "u" + strconv.Itoa(rng.IntN(users)),
			Name: names[rng.IntN(len(names))],
			Time: t0.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Second),
		}
	}
	if sorted {
		slices.SortStableFunc(events, func(a, b Event) int { return a.Time.Compare(b.Time) })
	}
	return events
}

// SummarizeEventSessions counts what SummarizeSessions counts over Sessions, the
// reference that builds every session, on logs sorted and not, small and large enough
// to take every worker and thousands of partitions.
func TestSummarizeEventSessionsAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	rules := []Engagement{
		{},
		{PageViews: []string{"view"}, Conversions: []string{"purchase"}},
		{MinDuration: time.Hour, MinPageViews: 3, Conversions: []string{"click"}},
	}
	for _, c := range []struct {
		n, users int
		span     time.Duration
	}{{1, 1, time.Hour}, {50, 3, 3 * time.Hour}, {5000, 700, 48 * time.Hour}, {150_000, 30_000, 30 * 24 * time.Hour}} {
		if c.n > 10_000 && raceEnabled {
			c.n, c.users = 70_000, 14_000 // still 32 partitions
		}
		for _, sorted := range []bool{true, false} {
			events := randomLog(rng, c.n, c.users, c.span, sorted)
			gaps := []time.Duration{0, time.Minute, 3 * time.Hour}
			if c.n > 10_000 {
				gaps = gaps[:1]
			}
			for _, gap := range gaps {
				sessions, err := Sessions(events, gap)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range rules {
					want, err := SummarizeSessions(sessions, e)
					if err != nil {
						t.Fatal(err)
					}
					got, err := SummarizeEventSessions(events, gap, e)
					if err != nil || got != want {
						t.Errorf("%d events of %d users, sorted %v, gap %v, %+v: got %+v, %v; want %+v",
							c.n, c.users, sorted, gap, e, got, err, want)
					}
				}
			}
		}
	}
}

// Durations that do not fit a time.Duration saturate, as time.Time.Sub does: a session
// from year 0 to year 9999 is engaged by duration, and its events are a gap apart.
func TestSummarizeEventSessionsFarApart(t *testing.T) {
	events := []Event{
		{User: "a", Name: "x", Time: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{User: "a", Name: "x", Time: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
		{User: "b", Name: "x", Time: time.Unix(math.MinInt64, 0)},
		{User: "b", Name: "x", Time: time.Unix(math.MinInt64, 0).Add(1 << 62)},
	}
	want := SessionStats{Sessions: 4, SinglePage: 4, Engaged: 0}
	for _, gap := range []time.Duration{time.Hour, math.MaxInt64} {
		sessions, _ := Sessions(events, gap)
		ref, _ := SummarizeSessions(sessions, Engagement{})
		got, err := SummarizeEventSessions(events, gap, Engagement{})
		if err != nil || got != ref {
			t.Errorf("gap %v: got %+v, %v; reference %+v", gap, got, err, ref)
		}
		if gap == time.Hour && got != want {
			t.Errorf("gap %v: got %+v, want %+v", gap, got, want)
		}
	}
}

func TestSummarizeEventSessionsErrors(t *testing.T) {
	ok := []Event{ev("a", "x", 0)}
	ancient := Event{User: "a", Name: "x", Time: time.Unix(math.MinInt64, 0).Add(-time.Hour)}
	for _, c := range []struct {
		name   string
		events []Event
		gap    time.Duration
		e      Engagement
		err    error
		index  int
	}{
		{"no events", nil, 0, Engagement{}, cxmetrics.ErrEmpty, -1},
		{"empty user", []Event{ev("a", "x", 0), ev("", "x", 0)}, 0, Engagement{}, cxmetrics.ErrEmpty, 1},
		{"negative gap", ok, -1, Engagement{}, cxmetrics.ErrOutOfRange, -1},
		{"ancient time", []Event{ev("a", "x", 0), ancient}, 0, Engagement{}, cxmetrics.ErrOutOfRange, 1},
		{"negative duration", ok, 0, Engagement{MinDuration: -1}, cxmetrics.ErrOutOfRange, -1},
		{"negative page views", ok, 0, Engagement{MinPageViews: -1}, cxmetrics.ErrOutOfRange, -1},
	} {
		_, err := SummarizeEventSessions(c.events, c.gap, c.e)
		var ie *cxmetrics.InputError
		if !errors.Is(err, c.err) || !errors.As(err, &ie) || ie.Index != c.index {
			t.Errorf("%s: %v; want %v at index %d", c.name, err, c.err, c.index)
		}
	}
}

// FuzzSummarizeEventSessions checks the counting path against Sessions and
// SummarizeSessions on random logs, with empty event names and ties in time.
func FuzzSummarizeEventSessions(f *testing.F) {
	f.Add(uint64(1), uint16(20), uint8(3), int64(60), true)
	f.Add(uint64(2), uint16(900), uint8(40), int64(0), false)
	f.Fuzz(func(t *testing.T, seed uint64, n uint16, users uint8, gapSec int64, sorted bool) {
		rng := rand.New(rand.NewPCG(seed, 2))
		events := randomLog(rng, int(n%2000), int(users)+1, time.Duration(rng.IntN(48)+1)*time.Hour, sorted)
		for i := range events {
			if i%11 == 0 {
				events[i].Name = ""
			}
		}
		gap := time.Duration(gapSec%7200) * time.Second
		e := Engagement{PageViews: []string{"view", ""}, Conversions: []string{"purchase"}}
		got, err := SummarizeEventSessions(events, gap, e)
		sessions, serr := Sessions(events, gap)
		if serr != nil || len(sessions) == 0 {
			if err == nil {
				t.Fatalf("no error where Sessions gives %v and %d sessions", serr, len(sessions))
			}
			return
		}
		want, _ := SummarizeSessions(sessions, e)
		if err != nil || got != want {
			t.Fatalf("got %+v, %v; want %+v", got, err, want)
		}
	})
}
