package funnel_test

import (
	"fmt"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/funnel"
)

func Example() {
	at := func(h, m int) time.Time { return time.Date(2024, 3, 1, h, m, 0, 0, time.UTC) }
	events := []journey.Event{
		{User: "ann", Name: "visit", Time: at(9, 0)},
		{User: "ann", Name: "cart", Time: at(9, 5)},
		{User: "ann", Name: "purchase", Time: at(9, 20)},
		{User: "bob", Name: "visit", Time: at(10, 0)},
		{User: "bob", Name: "cart", Time: at(10, 15)},
		{User: "cid", Name: "visit", Time: at(11, 0)},
		{User: "cid", Name: "cart", Time: at(11, 45)},
		{User: "cid", Name: "purchase", Time: at(13, 5)}, // outside the two-hour window
		{User: "dan", Name: "visit", Time: at(12, 0)},
	}
	f := funnel.Funnel{
		Steps:  []funnel.Step{{Event: "visit"}, {Event: "cart"}, {Event: "purchase"}},
		Window: 2 * time.Hour,
	}
	res, err := f.Run(events)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("users:", res.Users)
	for _, s := range res.Steps {
		fmt.Printf("%-8s %d  %3.0f%% of start  %3.0f%% of previous  dropped %d  median %v\n",
			s.Name, s.Reached, 100*s.FromStart, 100*s.FromPrevious, s.DroppedAfter, s.MedianTimeToConvert)
	}
	// Output:
	// users: 4
	// visit    4  100% of start  100% of previous  dropped 1  median 0s
	// cart     3   75% of start   75% of previous  dropped 2  median 15m0s
	// purchase 1   25% of start   33% of previous  dropped 0  median 15m0s
}

// Mixpanel's example: with a one-hour window, A 1:00, A 1:30, B 1:45, C 2:15 converts when
// the newest A starts the attempt, but not when the first A holds.
func ExampleAnchor() {
	at := func(h, m int) time.Time { return time.Date(2024, 3, 1, h, m, 0, 0, time.UTC) }
	events := []journey.Event{
		{User: "u", Name: "A", Time: at(1, 0)},
		{User: "u", Name: "A", Time: at(1, 30)},
		{User: "u", Name: "B", Time: at(1, 45)},
		{User: "u", Name: "C", Time: at(2, 15)},
	}
	for _, anchor := range []funnel.Anchor{funnel.LatestStart, funnel.FirstStart} {
		f := funnel.Funnel{
			Steps:  []funnel.Step{{Event: "A"}, {Event: "B"}, {Event: "C"}},
			Window: time.Hour,
			Anchor: anchor,
		}
		res, err := f.Run(events)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: converted %d of %d\n", anchor, res.Steps[2].Reached, res.Users)
	}
	// Output:
	// latest start: converted 1 of 1
	// first start: converted 0 of 1
}

// Intervals, times to convert as percentiles and a histogram, breakdown values compared
// with the rest, a weekly trend and the users who dropped out.
func ExampleFunnel_analysis() {
	day := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, time.UTC) }
	var events []journey.Event
	add := func(user, country string, d int, steps int) {
		for i, name := range []string{"visit", "cart", "purchase"}[:steps] {
			events = append(events, journey.Event{User: user, Name: name, Time: day(d, 9+i),
				Props: map[string]string{"country": country}})
		}
	}
	for i := range 40 {
		add(fmt.Sprint("fr", i), "fr", 4+i%7, 1+i%3)  // 13 of 40 convert
		add(fmt.Sprint("us", i), "us", 11+i%7, 2+i%2) // 20 of 40 convert
	}
	add("zoe", "us", 12, 1)
	f := funnel.Funnel{
		Steps:       []funnel.Step{{Event: "visit"}, {Event: "cart"}, {Event: "purchase"}},
		Window:      24 * time.Hour,
		BreakdownBy: "country",
		Bins:        []time.Duration{30 * time.Minute, 90 * time.Minute},
		Trend:       funnel.Week,
		ListUsers:   true,
	}
	res, err := f.Run(events)
	if err != nil {
		fmt.Println(err)
		return
	}
	// R: prop.test(33, 81, correct = FALSE)$conf.int = [0.3070, 0.5162];
	// prop.test(c(13, 20), c(40, 41), correct = FALSE)$p.value = 0.136, doubled by Holm.
	last := res.Steps[2]
	fmt.Printf("converted %d of %d: %.1f%%, 95%% Wilson [%.1f%%, %.1f%%]\n", last.Reached, res.Users,
		100*last.FromStart, last.FromStartInterval.Lower, last.FromStartInterval.Upper)
	fmt.Println("time to convert: median", res.TimeToConvert.P50, "p90", res.TimeToConvert.P90)
	fmt.Println("cart to purchase histogram (<30m, 30m-90m, >=90m):", last.Histogram)
	for _, t := range res.BreakdownTests {
		fmt.Printf("%s: %.1f%% vs %.1f%% for the rest, Holm p = %.3f\n", t.Value, 100*t.Rate, 100*t.RestRate, t.PHolm)
	}
	for _, p := range res.Trend {
		fmt.Printf("week of %s: %d of %d\n", p.Start.Format("Jan 2"), p.Converted, p.Users)
	}
	fmt.Println("dropped after visit, first three:", res.Steps[0].DroppedUsers[:3])
	// Output:
	// converted 33 of 81: 40.7%, 95% Wilson [30.7%, 51.6%]
	// time to convert: median 2h0m0s p90 2h0m0s
	// cart to purchase histogram (<30m, 30m-90m, >=90m): [0 33 0]
	// fr: 32.5% vs 48.8% for the rest, Holm p = 0.272
	// us: 48.8% vs 32.5% for the rest, Holm p = 0.272
	// week of Mar 4: 13 of 40
	// week of Mar 11: 20 of 41
	// dropped after visit, first three: [fr0 fr12 fr15]
}

// A log read as a stream, sorted by user and then time, as ORDER BY user, time exports
// it: RunSeq keeps one user's state at a time.
func ExampleRunner_RunSeq() {
	at := func(h, m int) time.Time { return time.Date(2024, 3, 1, h, m, 0, 0, time.UTC) }
	log := []journey.Event{
		{User: "ann", Name: "visit", Time: at(9, 0)},
		{User: "ann", Name: "purchase", Time: at(9, 20)},
		{User: "bob", Name: "visit", Time: at(10, 0)},
		{User: "bob", Name: "visit", Time: at(9, 0)}, // breaks the promise
	}
	stream := func(yield func(journey.Event, error) bool) {
		for _, e := range log {
			if !yield(e, nil) {
				return
			}
		}
	}
	f := funnel.Funnel{Steps: []funnel.Step{{Event: "visit"}, {Event: "purchase"}}}
	var r funnel.Runner
	_, err := r.RunSeq(f, funnel.ByUser, stream)
	fmt.Println(err)
	log = log[:3]
	res, err := r.RunSeq(f, funnel.ByUser, stream)
	fmt.Println(res.Users, res.Steps[1].Reached, err)
	// Output:
	// funnel: event of user "bob" at 2024-03-01T09:00:00Z at index 3: out of range (earlier than the user's event before it, at 2024-03-01T10:00:00Z; each user's events must be sorted by time)
	// 2 1 <nil>
}
