package attribution

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

func eventLog() []journey.Event {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	day := func(d float64) time.Time { return t0.Add(time.Duration(d * 24 * float64(time.Hour))) }
	return []journey.Event{
		{User: "u1", Name: "visit", Time: day(0), Channel: "email"},
		{User: "u1", Name: "purchase", Time: day(3), Value: 50, Channel: "email"}, // not a touch
		{User: "u1", Name: "pageview", Time: day(1)},                              // no channel
		{User: "u2", Name: "visit", Time: day(0), Channel: "email"},
		{User: "u1", Name: "visit", Time: day(2), Channel: "search"},
		{User: "u2", Name: "visit", Time: day(1), Channel: "search"},
		{User: "u2", Name: "purchase", Time: day(1), Value: 20}, // same time: input order
		{User: "u1", Name: "visit", Time: day(4), Channel: "display"},
		{User: "u1", Name: "purchase", Time: day(20), Value: 30},
		{User: "u1", Name: "visit", Time: day(21), Channel: "social"},
		{User: "u3", Name: "visit", Time: day(5), Channel: "social"},
		{User: "u3", Name: "visit", Time: day(6), Channel: "social"},
	}
}

func TestPathsFromEvents(t *testing.T) {
	day := 24 * time.Hour
	got, err := PathsFromEvents(eventLog(), "purchase", 7*day)
	if err != nil {
		t.Fatal(err)
	}
	want := []Path{
		{Touchpoints: []string{"email", "search"}, Conversions: 2, Value: 70},
		{Touchpoints: []string{Direct}, Conversions: 1, Value: 30}, // display is 16 days old
		{Touchpoints: []string{"social"}, Nulls: 1},
		{Touchpoints: []string{"social", "social"}, Nulls: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v,\nwant %+v", got, want)
	}

	// Without a lookback limit, display keeps its conversion.
	got, err = PathsFromEvents(eventLog(), "purchase", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want[1] = (Path{Touchpoints: []string{"display"}, Conversions: 1, Value: 30}); !reflect.DeepEqual(got, want) {
		t.Errorf("no lookback: got %+v,\nwant %+v", got, want)
	}

	timed, err := TimedPathsFromEvents(eventLog(), "purchase", 7*day)
	if err != nil {
		t.Fatal(err)
	}
	wantTimed := []TimedPath{
		{Touches: []Touch{{"email", 3 * day}, {"search", day}}, Conversions: 1, Value: 50},
		{Touches: []Touch{{Direct, 0}}, Conversions: 1, Value: 30},
		{Touches: []Touch{{"social", 0}}, Nulls: 1},
		{Touches: []Touch{{"email", day}, {"search", 0}}, Conversions: 1, Value: 20},
		{Touches: []Touch{{"social", day}, {"social", 0}}, Nulls: 1},
	}
	if !reflect.DeepEqual(timed, wantTimed) {
		t.Errorf("timed: got %+v,\nwant %+v", timed, wantTimed)
	}

	// Two users with the same timed path aggregate.
	events := []journey.Event{
		{User: "a", Name: "visit", Channel: "x"}, {User: "a", Name: "buy", Value: 1},
		{User: "b", Name: "visit", Channel: "x"}, {User: "b", Name: "buy", Value: 2},
	}
	timed, err = TimedPathsFromEvents(events, "buy", 0)
	if err != nil {
		t.Fatal(err)
	}
	if w := []TimedPath{{Touches: []Touch{{"x", 0}}, Conversions: 2, Value: 3}}; !reflect.DeepEqual(timed, w) {
		t.Errorf("aggregated: got %+v, want %+v", timed, w)
	}
}

func TestPathsFromEventsErrors(t *testing.T) {
	events := eventLog()
	events[6].Value = math.NaN()
	for _, tc := range []struct {
		name     string
		events   []journey.Event
		event    string
		lookback time.Duration
		want     error
		index    int
	}{
		{"no events", nil, "purchase", 0, cxmetrics.ErrEmpty, -1},
		{"no conversion event", eventLog(), "", 0, cxmetrics.ErrEmpty, -1},
		{"negative lookback", eventLog(), "purchase", -time.Hour, cxmetrics.ErrOutOfRange, -1},
		{"NaN value", events, "purchase", 0, cxmetrics.ErrNotFinite, 6},
	} {
		checkBuildError(t, tc.name, tc.events, tc.event, tc.lookback, tc.want, tc.index)
	}
}

// checkBuildError checks that PathsFromEvents and TimedPathsFromEvents both reject events
// with an InputError that wraps want and names index.
func checkBuildError(t *testing.T, name string, events []journey.Event, conversion string, lookback time.Duration, want error, index int) {
	t.Helper()
	for _, build := range []func() error{
		func() error { _, err := PathsFromEvents(events, conversion, lookback); return err },
		func() error { _, err := TimedPathsFromEvents(events, conversion, lookback); return err },
	} {
		err := build()
		var ie *cxmetrics.InputError
		if !errors.Is(err, want) || !errors.As(err, &ie) || ie.Index != index {
			t.Errorf("%s: error %v, want %v at index %d", name, err, want, index)
		}
	}
}
