package main

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/attribution"
	"github.com/cxmetrics/cxmetrics/journey/clv"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
	"github.com/cxmetrics/cxmetrics/journey/funnel"
)

//go:embed testdata/events.csv
var eventsCSV []byte

func readEvents() ([]journey.Event, error) {
	events, err := journey.ReadEventsCSV(bytes.NewReader(eventsCSV))
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return events, nil
}

// stagesSection prints each journey stage's key question and the shop's numbers for it.
func stagesSection(w io.Writer, events []journey.Event) error {
	heading(w, "Journey stages")
	for _, s := range journey.Stages() {
		names := ""
		for i, m := range s.Metrics() {
			if i > 0 {
				names += ", "
			}
			names += m.Name
		}
		fmt.Fprintf(w, "%-13s %s\n%-13s metrics: %s\n", s, s.Question(), "", names)
	}

	sessions, err := journey.Sessions(events, 0)
	if err != nil {
		return err
	}
	st, err := journey.SummarizeSessions(sessions, journey.Engagement{
		PageViews:   []string{"visit", "view_product"},
		Conversions: []string{"purchase"},
	})
	if err != nil {
		return err
	}
	bounce, err := st.BounceRate()
	if err != nil {
		return err
	}
	ga4, err := st.GA4BounceRate()
	if err != nil {
		return err
	}
	var carts, orders, revenue float64
	orderCount := map[string]int{}
	for _, e := range events {
		switch e.Name {
		case "add_to_cart":
			carts++
		case "purchase":
			orders++
			revenue += e.Value
			orderCount[e.User]++
		}
	}
	repeaters := 0
	for _, n := range orderCount {
		if n >= 2 {
			repeaters++
		}
	}
	abandonment, err := journey.CartAbandonmentRate(orders, carts)
	if err != nil {
		return err
	}
	aov, err := journey.AverageOrderValue(revenue, orders)
	if err != nil {
		return err
	}
	repeat, err := journey.RepeatPurchaseRate(float64(repeaters), float64(len(orderCount)))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d events, %d sessions: bounce rate %.1f%% (Universal Analytics), %.1f%% (GA4)\n",
		len(events), st.Sessions, 100*bounce, 100*ga4)
	fmt.Fprintf(w, "cart abandonment %.1f%%, average order value %.2f, repeat purchase rate %.1f%%\n",
		100*abandonment, aov, 100*repeat)
	return nil
}

func funnelSection(w io.Writer, events []journey.Event) error {
	heading(w, "Purchase funnel (ordered, 1-day window, by device)")
	f := funnel.Funnel{
		Steps: []funnel.Step{
			{Event: "visit"}, {Event: "view_product"}, {Event: "add_to_cart"}, {Event: "checkout"}, {Event: "purchase"},
		},
		Window:      24 * time.Hour,
		BreakdownBy: "device",
	}
	r, err := f.Run(events)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%-13s %7s %10s %13s %9s %12s\n", "step", "users", "from start", "from previous", "dropped", "median time")
	for _, s := range r.Steps {
		fmt.Fprintf(w, "%-13s %7d %9.1f%% %12.1f%% %9d %12s\n", s.Name, s.Reached, 100*s.FromStart, 100*s.FromPrevious, s.DroppedAfter, s.MedianTimeToConvert.Round(time.Second))
	}
	for _, device := range sortedKeys(r.Breakdown) {
		b := r.Breakdown[device]
		last := b.Steps[len(b.Steps)-1]
		fmt.Fprintf(w, "  %-8s %4d users, %5.1f%% purchase\n", device, b.Users, 100*last.FromStart)
	}
	return nil
}

func cohortSection(w io.Writer, events []journey.Event) error {
	heading(w, "Monthly cohorts: share of customers who buy again")
	t, err := cohort.Build(events, cohort.Options{Period: cohort.Month, StartEvent: "purchase", ReturnEvent: "purchase"})
	if err != nil {
		return err
	}
	fmt.Fprint(w, t.Triangle(cohort.OnOrAfter))
	return nil
}

func attributionSection(w io.Writer, events []journey.Event) error {
	heading(w, "Attribution of purchases to channels (30-day lookback)")
	timed, err := attribution.TimedPathsFromEvents(events, "purchase", 30*24*time.Hour)
	if err != nil {
		return err
	}
	paths := make([]attribution.Path, len(timed))
	for i, p := range timed {
		paths[i] = p.Path()
	}
	type model struct {
		name string
		run  func() (attribution.Result, error)
	}
	models := []model{
		{"first touch", func() (attribution.Result, error) { return attribution.FirstTouch(paths) }},
		{"last touch", func() (attribution.Result, error) { return attribution.LastTouch(paths) }},
		{"linear", func() (attribution.Result, error) { return attribution.Linear(paths) }},
		{"U-shaped", func() (attribution.Result, error) {
			return attribution.PositionBased(paths, attribution.UShapedFirst, attribution.UShapedLast)
		}},
		{"time decay", func() (attribution.Result, error) { return attribution.TimeDecay(timed, 0) }},
		{"Markov", func() (attribution.Result, error) {
			m, err := attribution.Markov(paths, 1)
			return m.Result, err
		}},
		{"Shapley", func() (attribution.Result, error) { return attribution.Shapley(paths) }},
	}
	results := make([]attribution.Result, len(models))
	channels := map[string]bool{}
	for i, m := range models {
		r, err := m.run()
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		results[i] = r
		for _, c := range r.Credits {
			channels[c.Channel] = true
		}
	}
	fmt.Fprintf(w, "%-12s", "channel")
	for _, m := range models {
		fmt.Fprintf(w, " %11s", m.name)
	}
	fmt.Fprintln(w)
	for _, ch := range sortedKeys(channels) {
		fmt.Fprintf(w, "%-12s", ch)
		for _, r := range results {
			c, _ := r.Channel(ch)
			fmt.Fprintf(w, " %11.1f", c.Conversions)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func clvSection(w io.Writer, events []journey.Event) error {
	heading(w, "Customer lifetime value (BG/NBD + Gamma-Gamma, weeks)")
	var purchases []journey.Event
	end := events[0].Time
	for _, e := range events {
		if e.Name == "purchase" {
			purchases = append(purchases, e)
		}
		if e.Time.After(end) {
			end = e.Time
		}
	}
	week := 7 * 24 * time.Hour
	customers, ids, err := clv.CustomersFromEvents(purchases, end, week)
	if err != nil {
		return err
	}
	bg, err := clv.FitBGNBD(customers)
	if err != nil {
		return err
	}
	gg, err := clv.FitGammaGamma(customers)
	if err != nil {
		return err
	}
	corr, err := clv.SpendFrequencyCorrelation(customers)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d customers; BG/NBD r %.3f, alpha %.2f, a %.3f, b %.3f; Gamma-Gamma p %.2f, q %.2f, gamma %.2f\n",
		len(customers), bg.R, bg.Alpha, bg.A, bg.B, gg.P, gg.Q, gg.Gamma)
	fmt.Fprintf(w, "spend-frequency correlation %.2f (Gamma-Gamma assumes about 0)\n", corr)
	type ranked struct {
		id           string
		alive, value float64
	}
	var top []ranked
	for i, c := range customers {
		alive, err := bg.ProbabilityAlive(c)
		if err != nil {
			return err
		}
		// 12 four-week periods, 1% discount per period.
		v, err := clv.LifetimeValue(bg, gg, c, 12, 4, 0.01)
		if err != nil {
			return err
		}
		top = append(top, ranked{ids[i], alive, v})
	}
	sortDesc(top, func(r ranked) float64 { return r.value })
	fmt.Fprintf(w, "top customers by 48-week value: ")
	for i, r := range top[:min(5, len(top))] {
		if i > 0 {
			fmt.Fprint(w, ", ")
		}
		fmt.Fprintf(w, "%s %.0f (alive %.0f%%)", r.id, r.value, 100*r.alive)
	}
	fmt.Fprintln(w)
	return nil
}
