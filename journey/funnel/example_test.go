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
