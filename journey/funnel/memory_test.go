package funnel

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

// TestStreamMemoryIndependentOfEvents checks that the one-pass paths allocate the same
// whatever the number of events of a fixed set of users: quadrupling the events of 50
// users may not cost more than 64 KB more, where keeping a record per event would cost
// about 10 MB more.
func TestStreamMemoryIndependentOfEvents(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what is allocated")
	}
	names := []string{"visit", "view", "cart", "help", "buy"}
	logOf := func(perUser int) []journey.Event {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		var events []journey.Event
		for i := range 50 * perUser {
			events = append(events, journey.Event{
				User: "user-" + strconv.Itoa(i%50),
				Name: names[(i/50+i%7)%len(names)],
				Time: base.Add(time.Duration(i) * time.Second),
			})
		}
		return events
	}
	small, large := logOf(1000), logOf(4000)
	for _, order := range []Order{Ordered, Strict, Any} {
		for _, anchor := range []Anchor{LatestStart, FirstStart} {
			f := Funnel{Steps: steps("visit", "view", "cart", "buy"), Window: time.Hour, Order: order, Anchor: anchor,
				Exclusions: []Exclusion{{Event: "help", From: 1, To: 2}}}
			if order == Strict {
				f.Exclusions = nil // every other event breaks a strict attempt anyway
			}
			allocated := func(events []journey.Event) uint64 {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				if _, ok, err := stream(f, events, 1, true); !ok || err != nil {
					t.Fatalf("%v %v: not streamed (%v)", order, anchor, err)
				}
				runtime.ReadMemStats(&after)
				return after.TotalAlloc - before.TotalAlloc
			}
			a, b := allocated(small), allocated(large)
			if b > a+64<<10 {
				t.Errorf("%v %v: %d bytes for %d events, %d bytes for %d", order, anchor, a, len(small), b, len(large))
			}
		}
	}
}

// TestGroupMemoryIndependentOfEvents checks that the grouping path, which a log in no
// order takes, holds records for one part of the users at a time: quadrupling the events
// of 200 users may not cost more than 1 MB more, where holding every record would cost
// about 30 MB more.
func TestGroupMemoryIndependentOfEvents(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes what is allocated")
	}
	logOf := func(perUser int) []journey.Event {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		names := []string{"visit", "view", "cart", "help", "buy"}
		rng := rand.New(rand.NewPCG(7, uint64(perUser)))
		events := make([]journey.Event, 200*perUser)
		for i := range events {
			events[i] = journey.Event{
				User: "user-" + strconv.Itoa(i%200),
				Name: names[rng.IntN(len(names))],
				Time: base.Add(time.Duration(rng.IntN(1_000_000)) * time.Second),
			}
		}
		return events
	}
	small, large := logOf(1000), logOf(4000)
	f := Funnel{Steps: steps("visit", "view", "cart", "buy"), Window: time.Hour}
	allocated := func(events []journey.Event) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := group(f, events, 1, 0); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	if a, b := allocated(small), allocated(large); b > a+1<<20 {
		t.Errorf("%d bytes for %d events, %d bytes for %d", a, len(small), b, len(large))
	}
}
