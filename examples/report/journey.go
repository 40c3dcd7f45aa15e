package main

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey"
	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/attribution"
	"github.com/cxmetrics/cxmetrics/journey/clv"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
	"github.com/cxmetrics/cxmetrics/journey/funnel"
)

// The report's fixed choices for the event log.
const (
	funnelWindow   = 24 * time.Hour      // from a visit to each later funnel step
	lookback       = 30 * 24 * time.Hour // touchpoints that count toward a purchase
	clvUnit        = 7 * 24 * time.Hour  // the CLV models count time in weeks
	clvMonths      = 12                  // CLV horizon
	weeksPerMonth  = 365.25 / 12 / 7
	annualDiscount = 0.10
	topCustomers   = 10
	maxBreakdown   = 12 // most values of a property to break the funnel down by
)

// wilson returns the share k/n in percent with its Wilson score interval: Estimate is
// the share.
func wilson(k, n int) (cxmetrics.Interval, error) {
	if n <= 0 {
		return cxmetrics.Interval{}, cxmetrics.ErrEmpty
	}
	p := float64(k) / float64(n)
	lo, hi, err := survey.Proportion("report", cxmetrics.Wilson, p, float64(n), level)
	if err != nil {
		return cxmetrics.Interval{}, err
	}
	return cxmetrics.Interval{Estimate: 100 * p, Lower: 100 * lo, Upper: 100 * hi, Level: level, Method: cxmetrics.Wilson}, nil
}

// StageReport is one journey stage: its question, the metrics the data can answer it
// with, and those that need other data.
type StageReport struct {
	Stage    journey.Stage   `json:"stage"`
	Question string          `json:"question"`
	Metrics  []StageMetric   `json:"metrics"`
	Missing  []MissingMetric `json:"missing"`
}

// StageMetric is one computed metric of a stage.
type StageMetric struct {
	Name     string              `json:"name"`
	Value    float64             `json:"value"`
	Unit     string              `json:"unit"` // "%", "count", "money", "points", "orders"
	Interval *cxmetrics.Interval `json:"interval,omitempty"`
	Explain  string              `json:"explain"`
	Func     string              `json:"func"`
}

// MissingMetric is a metric of a stage that the files cannot give, and what it needs.
type MissingMetric struct {
	Name  string `json:"name"`
	Needs string `json:"needs"`
}

// needs says what each stage metric that an event log and a survey cannot give would need.
var needs = map[string]string{
	"share of voice":            "brand and category mentions or ad spend",
	"total site visits":         "an event log",
	"organic keyword traffic":   "keyword search volumes and click-through rates",
	"retail visits":             "store door counts",
	"cart abandonment rate":     "cart and purchase events",
	"store visits vs purchases": "store visits and till receipts",
	"customer lifetime value":   "purchases of customers who bought more than once",
	"repeat purchase rate":      "purchase events",
	"average order value":       "purchase events with their value",
	"support ticket volume":     "support tickets",
	"net promoter score":        "survey responses with an nps column",
	"willingness to recommend":  "survey responses with an nps column",
	"social sentiment":          "social media mentions rated positive, neutral or negative",
	"referrals":                 "referral records of new customers",
}

// shop is what the stages need from the event log, counted once.
type shop struct {
	users      int
	sessions   int
	byChannel  map[string]int // sessions by the channel of their first event with one
	stats      journey.SessionStats
	pageViews  []string // nil: every event counts as a page view
	carts      int      // cart events, once per session until a purchase follows
	cartOrders int      // carts that a purchase in the session followed
	orders     int
	revenue    float64
	buyers     map[string]int // purchases per customer
}

func countShop(events []journey.Event, o options) (*shop, error) {
	sessions, err := journey.Sessions(events, 0)
	if err != nil {
		return nil, err
	}
	s := &shop{sessions: len(sessions), byChannel: map[string]int{}, buyers: map[string]int{}}
	purchase := o.purchase()
	names := map[string]bool{}
	users := map[string]bool{}
	for _, e := range events {
		names[e.Name] = true
		users[e.User] = true
		if e.Name == purchase {
			s.orders++
			s.revenue += e.Value
			s.buyers[e.User]++
		}
	}
	s.users = len(users)
	for _, p := range o.pageViews {
		if names[p] {
			s.pageViews = o.pageViews
			break
		}
	}
	for _, ses := range sessions {
		ch := "(none)"
		cart := false
		for _, e := range ses.Events {
			if ch == "(none)" && e.Channel != "" {
				ch = e.Channel
			}
			switch {
			case e.Name == o.cart && !cart:
				cart = true
				s.carts++
			case e.Name == purchase && cart:
				s.cartOrders++
				cart = false // a later cart event in the session is a new cart
			}
		}
		s.byChannel[ch]++
	}
	if s.sessions > 0 {
		s.stats, err = journey.SummarizeSessions(sessions, journey.Engagement{PageViews: s.pageViews, Conversions: []string{purchase}})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// stageReports answers each stage's key question with the metrics the data supports.
// nps is the survey's NPS and value the CLV section, when there are.
func stageReports(s *shop, nps, wrs *ScoreSummary, value *CLVSection, o options) ([]StageReport, error) {
	const path = "github.com/cxmetrics/cxmetrics/journey."
	var out []StageReport
	for _, st := range journey.Stages() {
		r := StageReport{Stage: st, Question: st.Question(), Metrics: []StageMetric{}, Missing: []MissingMetric{}}
		done := map[string]bool{}
		add := func(m StageMetric, err error) error {
			if err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			r.Metrics = append(r.Metrics, m)
			done[m.Name] = true
			return nil
		}
		var err error
		switch st {
		case journey.Awareness:
			if s == nil {
				break
			}
			visits := make([]float64, 0, len(s.byChannel))
			channels := sortedKeys(s.byChannel)
			detail := ""
			for i, ch := range channels {
				visits = append(visits, float64(s.byChannel[ch]))
				if i > 0 {
					detail += ", "
				}
				detail += fmt.Sprintf("%s %s", ch, count(s.byChannel[ch]))
			}
			total, e := journey.TotalSiteVisits(visits)
			err = add(StageMetric{Name: "total site visits", Value: total, Unit: "count", Func: path + "TotalSiteVisits",
				Explain: "sessions (30 minutes without an event end one), by the first channel of the session: " + detail}, e)
		case journey.Consideration:
			if s == nil || s.sessions == 0 {
				break
			}
			// Bounces say whether the visits that awareness brings go on to consider.
			bounce, e1 := wilson(s.stats.SinglePage, s.stats.Sessions)
			pv := "every event counts as a page view"
			if s.pageViews != nil {
				pv = "page views are the events " + list(s.pageViews)
			}
			if err = add(StageMetric{Name: "bounce rate (Universal Analytics)", Value: bounce.Estimate, Unit: "%", Interval: &bounce, Func: path + "BounceRate",
				Explain: "sessions with fewer than two page views, Universal Analytics' definition; " + pv}, e1); err != nil {
				break
			}
			ga4, e2 := wilson(s.stats.Sessions-s.stats.Engaged, s.stats.Sessions)
			err = add(StageMetric{Name: "bounce rate (GA4)", Value: ga4.Estimate, Unit: "%", Interval: &ga4, Func: path + "GA4BounceRate",
				Explain: "sessions that were not engaged, Google Analytics 4's definition: shorter than 10 s, fewer than two page views and no purchase; a visit that reads one page for a while and then acts bounces in Universal Analytics but not in GA4"}, e2)
		case journey.Purchase:
			if s == nil {
				break
			}
			if s.carts > 0 {
				rate, e := journey.CartAbandonmentRate(float64(s.cartOrders), float64(s.carts))
				ab, e2 := wilson(s.carts-s.cartOrders, s.carts)
				err = add(StageMetric{Name: "cart abandonment rate", Value: 100 * rate, Unit: "%", Interval: &ab, Func: path + "CartAbandonmentRate",
					Explain: fmt.Sprintf("%s of %s %s ended without a purchase in their session (a cart: the event %s, once per session until a purchase)", count(s.carts-s.cartOrders), count(s.carts), plural("cart", s.carts), o.cart)}, errors.Join(e, e2))
			}
			if err == nil && s.users > 0 {
				rate, e := journey.ConversionRate(float64(len(s.buyers)), float64(s.users))
				cv, e2 := wilson(len(s.buyers), s.users)
				err = add(StageMetric{Name: "conversion rate", Value: 100 * rate, Unit: "%", Interval: &cv, Func: path + "ConversionRate",
					Explain: fmt.Sprintf("%s of %s %s bought at least once", count(len(s.buyers)), count(s.users), plural("visitor", s.users))}, errors.Join(e, e2))
			}
		case journey.Retention:
			if value != nil {
				err = add(StageMetric{Name: "customer lifetime value", Value: value.Average, Unit: "money", Func: "github.com/cxmetrics/cxmetrics/journey/clv.LifetimeValue",
					Explain: fmt.Sprintf("expected spend per customer in the next %d months (BG/NBD and Gamma-Gamma; see Customer lifetime value)", clvMonths)}, nil)
			}
			if err != nil || s == nil || len(s.buyers) == 0 {
				break
			}
			repeat := 0
			for _, n := range s.buyers {
				if n >= 2 {
					repeat++
				}
			}
			rate, e := journey.RepeatPurchaseRate(float64(repeat), float64(len(s.buyers)))
			rp, e2 := wilson(repeat, len(s.buyers))
			if err = add(StageMetric{Name: "repeat purchase rate", Value: 100 * rate, Unit: "%", Interval: &rp, Func: path + "RepeatPurchaseRate",
				Explain: fmt.Sprintf("%s of %s %s bought twice or more", count(repeat), count(len(s.buyers)), plural("customer", len(s.buyers)))}, errors.Join(e, e2)); err != nil {
				break
			}
			aov, e := journey.AverageOrderValue(s.revenue, float64(s.orders))
			if err = add(StageMetric{Name: "average order value", Value: aov, Unit: "money", Func: path + "AverageOrderValue",
				Explain: fmt.Sprintf("revenue %s over %s orders", money(s.revenue, o.currency, 0), count(s.orders))}, e); err != nil {
				break
			}
			freq, e := journey.PurchaseFrequency(float64(s.orders), float64(len(s.buyers)))
			err = add(StageMetric{Name: "purchase frequency", Value: freq, Unit: "orders", Func: path + "PurchaseFrequency",
				Explain: "orders per customer over the whole log"}, e)
		case journey.Advocacy:
			if nps != nil {
				err = add(StageMetric{Name: "net promoter score", Value: nps.Score, Unit: "points", Interval: &nps.Interval, Func: "github.com/cxmetrics/cxmetrics/nps.Compute",
					Explain: "from the survey (see Survey scores)"}, nil)
			}
			if err == nil && wrs != nil {
				err = add(StageMetric{Name: "willingness to recommend", Value: wrs.Score, Unit: "%", Interval: &wrs.Interval, Func: "github.com/cxmetrics/cxmetrics/csat.ComputeScale",
					Explain: "the share who answered 9 or 10 to the recommendation (nps) question: the promoters' share, with its Wilson interval"}, nil)
			}
		}
		if err != nil {
			return nil, err
		}
		for _, m := range st.Metrics() {
			if done[m.Name] {
				continue
			}
			need, ok := needs[m.Name]
			if !ok {
				need = "data these files do not hold: " + m.Description
			}
			if m.Name == "customer lifetime value" && s != nil && s.orders > 0 {
				need = "a lifetime-value fit: see Customer lifetime value"
			}
			r.Missing = append(r.Missing, MissingMetric{Name: m.Name, Needs: need})
		}
		out = append(out, r)
	}
	return out, nil
}

// FunnelSection is the purchase funnel with Wilson intervals on its shares.
type FunnelSection struct {
	Steps        []string             `json:"steps"`
	WindowHours  float64              `json:"window_hours"`
	BreakdownBy  string               `json:"breakdown_by,omitempty"`
	Result       funnel.Result        `json:"result"`
	FromStart    []cxmetrics.Interval `json:"from_start_intervals"`
	FromPrevious []cxmetrics.Interval `json:"from_previous_intervals"`
}

func funnelSection(events []journey.Event, o options) (*FunnelSection, error) {
	f := funnel.Funnel{Window: funnelWindow, BreakdownBy: breakdownKey(events)}
	for _, s := range o.funnel {
		f.Steps = append(f.Steps, funnel.Step{Event: s})
	}
	r, err := f.Run(events)
	if err != nil {
		return nil, err
	}
	if r.Users == 0 {
		return nil, fmt.Errorf("no user did the first step, %q", o.funnel[0])
	}
	s := &FunnelSection{Steps: o.funnel, WindowHours: funnelWindow.Hours(), BreakdownBy: f.BreakdownBy, Result: r}
	for i, st := range r.Steps {
		prev := r.Users
		if i > 0 {
			prev = r.Steps[i-1].Reached
		}
		a, err := wilson(st.Reached, r.Users)
		if err != nil {
			return nil, err
		}
		b, err := wilson(st.Reached, prev)
		if err != nil && !errors.Is(err, cxmetrics.ErrEmpty) {
			return nil, err
		}
		s.FromStart = append(s.FromStart, a)
		s.FromPrevious = append(s.FromPrevious, b)
	}
	return s, nil
}

// breakdownKey picks the first property (by name) with 2 to maxBreakdown values.
func breakdownKey(events []journey.Event) string {
	values := map[string]map[string]bool{}
	for _, e := range events {
		for k, v := range e.Props {
			m := values[k]
			if m == nil {
				m = map[string]bool{}
				values[k] = m
			}
			if len(m) <= maxBreakdown {
				m[v] = true
			}
		}
	}
	for _, k := range sortedKeys(values) {
		if n := len(values[k]); n >= 2 && n <= maxBreakdown {
			return k
		}
	}
	return ""
}

func cohortSection(events []journey.Event, o options) (*cohort.Table, error) {
	t, err := cohort.Build(events, cohort.Options{Period: cohort.Month, StartEvent: o.purchase(), ReturnEvent: o.purchase()})
	if errors.Is(err, cxmetrics.ErrEmpty) {
		return nil, fmt.Errorf("no %q event: %w", o.purchase(), err)
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// AttributionSection credits the purchases to channels by every model, side by side.
type AttributionSection struct {
	LookbackDays          float64            `json:"lookback_days"`
	Paths                 int                `json:"paths"`
	Conversions           float64            `json:"conversions"`
	Value                 float64            `json:"value"`
	Channels              []string           `json:"channels"`
	Models                []AttributionModel `json:"models"`
	ConversionProbability float64            `json:"markov_conversion_probability"`
	RemovalEffects        map[string]float64 `json:"markov_removal_effects"`
}

// AttributionModel is one model's credit per channel, in the order of Channels.
type AttributionModel struct {
	Name        string    `json:"name"`
	Conversions []float64 `json:"conversions"`
	Value       []float64 `json:"value"`
}

func attributionSection(events []journey.Event, o options) (*AttributionSection, error) {
	timed, err := attribution.TimedPathsFromEvents(events, o.purchase(), lookback)
	if err != nil {
		return nil, err
	}
	paths := make([]attribution.Path, len(timed))
	s := &AttributionSection{LookbackDays: lookback.Hours() / 24, Paths: len(timed)}
	for i, p := range timed {
		paths[i] = p.Path()
		s.Conversions += p.Conversions
		s.Value += p.Value
	}
	if s.Conversions == 0 {
		return nil, fmt.Errorf("no %q event to attribute", o.purchase())
	}
	markov, err := attribution.Markov(paths, 1)
	if err != nil {
		return nil, fmt.Errorf("the Markov model: %w", err)
	}
	s.ConversionProbability, s.RemovalEffects = markov.ConversionProbability, markov.RemovalEffects
	models := []struct {
		name string
		run  func() (attribution.Result, error)
	}{
		{"first touch", func() (attribution.Result, error) { return attribution.FirstTouch(paths) }},
		{"last touch", func() (attribution.Result, error) { return attribution.LastTouch(paths) }},
		{"linear", func() (attribution.Result, error) { return attribution.Linear(paths) }},
		{"U-shaped", func() (attribution.Result, error) {
			return attribution.PositionBased(paths, attribution.UShapedFirst, attribution.UShapedLast)
		}},
		{"time decay", func() (attribution.Result, error) { return attribution.TimeDecay(timed, 0) }},
		{"Markov", func() (attribution.Result, error) { return markov.Result, nil }},
		{"Shapley", func() (attribution.Result, error) { return attribution.Shapley(paths) }},
	}
	results := make([]attribution.Result, len(models))
	seen := map[string]bool{}
	for i, m := range models {
		r, err := m.run()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
		results[i] = r
		for _, c := range r.Credits {
			if !seen[c.Channel] {
				seen[c.Channel] = true
				s.Channels = append(s.Channels, c.Channel)
			}
		}
	}
	slices.Sort(s.Channels)
	for i, m := range models {
		am := AttributionModel{Name: m.name}
		for _, ch := range s.Channels {
			c, _ := results[i].Channel(ch)
			am.Conversions = append(am.Conversions, c.Conversions)
			am.Value = append(am.Value, c.Value)
		}
		s.Models = append(s.Models, am)
	}
	return s, nil
}

// CLVSection is the customers' predicted value from the BG/NBD and Gamma-Gamma models.
type CLVSection struct {
	Currency       string  `json:"currency"`
	TimeUnit       string  `json:"time_unit"`
	HorizonMonths  int     `json:"horizon_months"`
	AnnualDiscount float64 `json:"annual_discount"`
	Customers      int     `json:"customers"`
	Repeaters      int     `json:"repeat_customers"`
	// SpendFrequencyCorrelation is the check of the Gamma-Gamma model's assumption; nil
	// when it cannot be computed.
	SpendFrequencyCorrelation *float64        `json:"spend_frequency_correlation"`
	BGNBD                     clv.BGNBD       `json:"bgnbd"`
	GammaGamma                clv.GammaGamma  `json:"gamma_gamma"`
	Total                     float64         `json:"total_value"`
	Average                   float64         `json:"average_value"`
	ExpectedPurchases         float64         `json:"expected_purchases"`
	MeanAlive                 float64         `json:"mean_p_alive"`
	Top                       []CustomerValue `json:"top_customers"`
	Failed                    int             `json:"failed"` // customers whose value could not be computed
	FirstFailure              string          `json:"first_failure,omitempty"`
}

// CustomerValue is one customer's history and prediction.
type CustomerValue struct {
	ID                string  `json:"id"`
	Orders            int     `json:"orders"`
	Spent             float64 `json:"spent"`
	PAlive            float64 `json:"p_alive"`
	ExpectedPurchases float64 `json:"expected_purchases"`
	Value             float64 `json:"value"`
}

// clvSection fits the BG/NBD and Gamma-Gamma models to the purchases (weeks from each
// customer's first purchase to the log's last event) and predicts every customer's spend
// over the next clvMonths months, discounted at annualDiscount a year.
func clvSection(events []journey.Event, o options) (*CLVSection, error) {
	purchase := o.purchase()
	var purchases []journey.Event
	var end time.Time
	spent := map[string]float64{}
	orders := map[string]int{}
	for _, e := range events {
		if e.Time.After(end) {
			end = e.Time
		}
		if e.Name == purchase {
			purchases = append(purchases, e)
			spent[e.User] += e.Value
			orders[e.User]++
		}
	}
	if len(purchases) == 0 {
		return nil, fmt.Errorf("no %q event", purchase)
	}
	customers, ids, err := clv.CustomersFromEvents(purchases, end, clvUnit)
	if err != nil {
		return nil, err
	}
	s := &CLVSection{Currency: o.currency, TimeUnit: "week", HorizonMonths: clvMonths, AnnualDiscount: annualDiscount, Customers: len(customers)}
	for _, c := range customers {
		if c.Frequency > 0 {
			s.Repeaters++
		}
	}
	why := func(model string, err error) error {
		if errors.Is(err, cxmetrics.ErrTooFew) {
			return fmt.Errorf("the %s model needs at least %d customers who bought more than once, and %s of these %s customers did",
				model, clv.MinRepeatCustomers, count(s.Repeaters), count(s.Customers))
		}
		return fmt.Errorf("the %s model cannot be fitted to %s customers of whom %s bought more than once: %w",
			model, count(s.Customers), count(s.Repeaters), err)
	}
	if s.BGNBD, err = clv.FitBGNBD(customers); err != nil {
		return nil, why("BG/NBD", err)
	}
	if s.GammaGamma, err = clv.FitGammaGamma(customers); err != nil {
		return nil, why("Gamma-Gamma", err)
	}
	if r, err := clv.SpendFrequencyCorrelation(customers); err == nil {
		s.SpendFrequencyCorrelation = &r
	}
	discount := math.Pow(1+annualDiscount, 1.0/12) - 1
	values := make([]CustomerValue, len(customers))
	errs := make([]error, len(customers))
	// Each customer's prediction is independent of the others: share them among the cores.
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(customers); i += workers {
				c := customers[i]
				v := CustomerValue{ID: ids[i], Orders: orders[ids[i]], Spent: spent[ids[i]]}
				var err error
				if v.PAlive, err = s.BGNBD.ProbabilityAlive(c); err == nil {
					if v.ExpectedPurchases, err = s.BGNBD.ConditionalExpectedPurchases(clvMonths*weeksPerMonth, c); err == nil {
						v.Value, err = clv.LifetimeValue(s.BGNBD, s.GammaGamma, c, clvMonths, weeksPerMonth, discount)
					}
				}
				values[i], errs[i] = v, err
			}
		}()
	}
	wg.Wait()
	kept := values[:0]
	alive := 0.0
	for i, v := range values {
		if errs[i] != nil {
			if s.Failed == 0 {
				s.FirstFailure = fmt.Sprintf("customer %s: %v", ids[i], errs[i])
			}
			s.Failed++
			continue
		}
		s.Total += v.Value
		s.ExpectedPurchases += v.ExpectedPurchases
		alive += v.PAlive
		kept = append(kept, v)
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("no customer's value could be computed: %s", s.FirstFailure)
	}
	s.Average = s.Total / float64(len(kept))
	s.MeanAlive = alive / float64(len(kept))
	slices.SortStableFunc(kept, func(a, b CustomerValue) int { return cmp.Compare(b.Value, a.Value) })
	s.Top = slices.Clone(kept[:min(topCustomers, len(kept))])
	return s, nil
}
