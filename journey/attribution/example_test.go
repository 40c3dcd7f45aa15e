package attribution_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/attribution"
)

// journeys is a small set of aggregated paths in ChannelAttribution's layout.
var journeys = []attribution.Path{
	{Touchpoints: []string{"search"}, Conversions: 20, Value: 1000, Nulls: 80},
	{Touchpoints: []string{"display", "search"}, Conversions: 10, Value: 400, Nulls: 30},
	{Touchpoints: []string{"email", "display", "search"}, Conversions: 15, Value: 900, Nulls: 15},
	{Touchpoints: []string{"display"}, Conversions: 2, Value: 50, Nulls: 60},
	{Touchpoints: []string{"email"}, Conversions: 5, Value: 250, Nulls: 20},
}

func print(res attribution.Result) {
	for _, c := range res.Credits {
		fmt.Printf("%-8s %6.2f conversions %8.2f value\n", c.Channel, c.Conversions, c.Value)
	}
}

func ExampleReadPathsCSV() {
	const data = `path;total_conversions;total_conversion_value;total_null
search;20;1000;80
display > search;10;400;30
email > display > search;15;900;15
`
	paths, err := attribution.ReadPathsCSV(strings.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", paths[2])

	_, err = attribution.ReadPathsCSV(strings.NewReader("path;total_conversions\nsearch;twenty\n"))
	var pe *cxmetrics.ParseError
	if errors.As(err, &pe) {
		fmt.Printf("line %d, column %d (%s), corrupt: %v\n", pe.Line, pe.Column, pe.Name, errors.Is(err, cxmetrics.ErrCorrupt))
	}
	fmt.Println(err)
	// Output:
	// {Touchpoints:[email display search] Conversions:15 Value:900 Nulls:15}
	// line 2, column 2 (total_conversions), corrupt: true
	// line 2, column 2 (total_conversions): value "twenty": corrupt data (not a number)
}

func ExamplePathsCSV() {
	const data = "path,conversions\n\"email>search\",3\n"
	paths, err := attribution.PathsCSV{Comma: ',', Separator: ">"}.Read(strings.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q %v\n", paths[0].Touchpoints, paths[0].Conversions)
	// Output:
	// ["email" "search"] 3
}

func ExamplePathsFromEvents() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	events := []journey.Event{
		{User: "ann", Name: "visit", Channel: "email", Time: t0},
		{User: "ann", Name: "visit", Channel: "search", Time: t0.Add(24 * time.Hour)},
		{User: "ann", Name: "purchase", Value: 80, Time: t0.Add(25 * time.Hour)},
		{User: "bob", Name: "visit", Channel: "display", Time: t0},
		{User: "bob", Name: "visit", Channel: "search", Time: t0.Add(time.Hour)},
	}
	paths, err := attribution.PathsFromEvents(events, "purchase", 30*24*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range paths {
		fmt.Printf("%s: %v conversions, %v value, %v nulls\n", strings.Join(p.Touchpoints, " > "), p.Conversions, p.Value, p.Nulls)
	}
	// Output:
	// email > search: 1 conversions, 80 value, 0 nulls
	// display > search: 0 conversions, 0 value, 1 nulls
}

func ExampleFirstTouch() {
	res, err := attribution.FirstTouch(journeys)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// email     20.00 conversions  1150.00 value
	// search    20.00 conversions  1000.00 value
	// display   12.00 conversions   450.00 value
}

func ExampleLastTouch() {
	res, err := attribution.LastTouch(journeys)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// search    45.00 conversions  2300.00 value
	// email      5.00 conversions   250.00 value
	// display    2.00 conversions    50.00 value
}

func ExampleLinear() {
	res, err := attribution.Linear(journeys)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// search    30.00 conversions  1500.00 value
	// display   12.00 conversions   550.00 value
	// email     10.00 conversions   550.00 value
}

func ExamplePositionBased() {
	// The U-shaped model: 40% first, 20% between, 40% last.
	res, err := attribution.PositionBased(journeys, attribution.UShapedFirst, attribution.UShapedLast)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// search    31.00 conversions  1560.00 value
	// email     11.00 conversions   610.00 value
	// display   10.00 conversions   430.00 value
}

func ExampleTimeDecay() {
	day := 24 * time.Hour
	paths := []attribution.TimedPath{
		// Email a week before the conversion weighs half as much as search on the day.
		{Touches: []attribution.Touch{{Channel: "email", Before: 7 * day}, {Channel: "search", Before: 0}}, Conversions: 3, Value: 90},
	}
	res, err := attribution.TimeDecay(paths, 0) // 7-day half-life
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// search     2.00 conversions    60.00 value
	// email      1.00 conversions    30.00 value
}

func ExampleMarkov() {
	res, err := attribution.Markov(journeys, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(conversion) = %.4f\n", res.ConversionProbability)
	for _, c := range res.Credits {
		fmt.Printf("%-8s removal effect %.4f: %6.2f conversions\n", c.Channel, res.RemovalEffects[c.Channel], c.Conversions)
	}
	// Output:
	// P(conversion) = 0.2023
	// search   removal effect 0.8654:  31.12 conversions
	// display  removal effect 0.3948:  14.20 conversions
	// email    removal effect 0.1859:   6.68 conversions
}

func ExampleShapley() {
	res, err := attribution.Shapley(journeys)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// search    30.00 conversions  1500.00 value
	// display   12.00 conversions   550.00 value
	// email     10.00 conversions   550.00 value
}

func ExampleTimedPathsFromEvents() {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	events := []journey.Event{
		{User: "ann", Name: "visit", Channel: "display", Time: t0},
		{User: "ann", Name: "visit", Channel: "email", Time: t0.Add(7 * day)},
		{User: "ann", Name: "purchase", Value: 60, Time: t0.Add(14 * day)},
	}
	paths, err := attribution.TimedPathsFromEvents(events, "purchase", 30*day)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(paths[0].Touches)
	// Display, two half-lives before the purchase, weighs 1/4; email, one before, 1/2.
	res, err := attribution.TimeDecay(paths, 7*day)
	if err != nil {
		fmt.Println(err)
		return
	}
	print(res)
	// Output:
	// [{display 336h0m0s} {email 168h0m0s}]
	// email      0.67 conversions    40.00 value
	// display    0.33 conversions    20.00 value
}

func ExampleBootstrap() {
	// 95% intervals for the last-touch and the Markov credits, from 2,000 resamples of
	// the 257 journeys behind the paths.
	for _, m := range []attribution.Model{
		{Kind: attribution.LastTouchModel},
		{Kind: attribution.MarkovModel, Order: 1},
	} {
		iv, err := attribution.Bootstrap(journeys, m, rand.New(rand.NewPCG(1, 1)), 2000, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m.Kind)
		for _, c := range iv.Credits {
			fmt.Printf("  %-8s %5.1f [%4.1f, %4.1f] conversions\n", c.Channel, c.Conversions.Estimate, c.Conversions.Lower, c.Conversions.Upper)
		}
	}
	// Output:
	// LastTouch
	//   search    45.0 [33.0, 57.0] conversions
	//   email      5.0 [ 1.0, 10.0] conversions
	//   display    2.0 [ 0.0,  5.0] conversions
	// Markov
	//   search    31.1 [23.0, 39.2] conversions
	//   display   14.2 [ 9.9, 18.6] conversions
	//   email      6.7 [ 3.7, 10.5] conversions
}

func ExampleBootstrapEvents() {
	// Resampling customers: each drawn customer brings all of their journeys.
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var events []journey.Event
	for i := range 60 {
		user := fmt.Sprintf("c%02d", i)
		channel := []string{"search", "email", "display"}[i%3]
		events = append(events, journey.Event{User: user, Name: "visit", Channel: channel, Time: day})
		if i%2 == 0 {
			events = append(events, journey.Event{User: user, Name: "purchase", Time: day.Add(time.Hour), Value: 20})
		}
	}
	iv, err := attribution.BootstrapEvents(events, "purchase", 30*24*time.Hour,
		attribution.Model{Kind: attribution.LinearModel}, rand.New(rand.NewPCG(1, 1)), 2000, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range iv.Credits {
		fmt.Printf("%-8s %4.1f [%4.1f, %4.1f]\n", c.Channel, c.Conversions.Estimate, c.Conversions.Lower, c.Conversions.Upper)
	}
	// Output:
	// display  10.0 [ 5.0, 15.0]
	// email    10.0 [ 5.0, 15.0]
	// search   10.0 [ 5.0, 15.0]
}

func ExampleMarkovResult_transitions() {
	res, err := attribution.Markov(journeys, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	tm := res.Transitions
	for _, t := range tm.Transitions {
		fmt.Printf("%-12s -> %-12s %.3f\n", tm.States[t.From], tm.States[t.To], t.Probability)
	}
	for _, ch := range []string{"display", "email", "search"} {
		fmt.Printf("removal effect of %-7s %.3f\n", ch, res.RemovalEffects[ch])
	}
	// Output:
	// (start)      -> search       0.389
	// (start)      -> display      0.397
	// (start)      -> email        0.214
	// search       -> (conversion) 0.265
	// search       -> (null)       0.735
	// display      -> search       0.530
	// display      -> (conversion) 0.015
	// display      -> (null)       0.455
	// email        -> display      0.545
	// email        -> (conversion) 0.091
	// email        -> (null)       0.364
	// (conversion) -> (conversion) 1.000
	// (null)       -> (null)       1.000
	// removal effect of display 0.395
	// removal effect of email   0.186
	// removal effect of search  0.865
}
