package clv_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/clv"
)

// simulate draws n customers observed for 39 weeks from a BG/NBD process with r = 1,
// alpha = 4, a = 1, b = 2.5: purchase rates from an exponential distribution (a gamma with
// shape 1) with mean 0.25 per week, and dropout probabilities p from Beta(1, 2.5), drawn
// by inverting its distribution function 1 - (1-p)^2.5.
func simulate(rng *rand.Rand, n int) []clv.Customer {
	out := make([]clv.Customer, n)
	for i := range out {
		rate := 0.25 * rng.ExpFloat64()
		p := 1 - math.Pow(rng.Float64(), 1/2.5)
		c := clv.Customer{T: 39}
		for t := rng.ExpFloat64() / rate; t <= c.T; t += rng.ExpFloat64() / rate {
			c.Frequency++
			c.Recency = t
			if rng.Float64() < p {
				break
			}
		}
		out[i] = c
	}
	return out
}

func ExampleFitBGNBD() {
	customers := simulate(rand.New(rand.NewPCG(1, 1)), 2000)
	m, err := clv.FitBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("r = %.2f, alpha = %.2f weeks, a = %.2f, b = %.2f\n", m.R, m.Alpha, m.A, m.B)
	e, _ := m.ExpectedPurchases(52)
	fmt.Printf("a new customer buys again %.2f times in a year\n", e)
	// Output:
	// r = 0.99, alpha = 3.84 weeks, a = 1.06, b = 3.03
	// a new customer buys again 4.34 times in a year
}

// Predictions for one CDNOW customer (Fader, Hardie & Lee 2005): two repeat purchases,
// the last at week 30.43, observed for 38.86 weeks.
func ExampleBGNBD_ConditionalExpectedPurchases() {
	m := clv.BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	alive, _ := m.ProbabilityAlive(c)
	next, _ := m.ConditionalExpectedPurchases(39, c)
	fmt.Printf("P(alive) = %.4f\n", alive)
	fmt.Printf("expected purchases in the next 39 weeks: %.3f\n", next)
	// Output:
	// P(alive) = 0.7266
	// expected purchases in the next 39 weeks: 1.226
}

// Rank customers by their value over the next year, in months of 4.345 weeks, with a
// 1% monthly discount rate.
func ExampleLifetimeValue() {
	week := 7 * 24 * time.Hour
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(39 * week)
	buy := func(user string, weeks, value float64) journey.Event {
		return journey.Event{User: user, Name: "purchase", Time: start.Add(time.Duration(weeks * float64(week))), Value: value}
	}
	events := []journey.Event{
		buy("ann", 0, 30), buy("ann", 10, 25), buy("ann", 35, 40),
		buy("bob", 2, 15), buy("bob", 4, 80),
		buy("cyd", 1, 20), buy("cyd", 12, 18), buy("cyd", 20, 22), buy("cyd", 30, 19), buy("cyd", 38, 21),
		buy("dee", 5, 60),
	}
	customers, ids, err := clv.CustomersFromEvents(events, end, week)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Models fitted to CDNOW (weeks, dollars).
	bg := clv.BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}
	gg := clv.GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	type ranked struct {
		id    string
		value float64
	}
	var rank []ranked
	for i, c := range customers {
		v, err := clv.LifetimeValue(bg, gg, c, 12, 4.345, 0.01)
		if err != nil {
			fmt.Println(err)
			return
		}
		rank = append(rank, ranked{ids[i], v})
	}
	slices.SortFunc(rank, func(a, b ranked) int { return -cmpFloat(a.value, b.value) })
	for _, r := range rank {
		fmt.Printf("%s %7.2f\n", r.id, r.value)
	}
	// Output:
	// cyd   69.73
	// ann   51.74
	// bob   18.42
	// dee    9.28
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ExampleFitShiftedBetaGeometric() {
	// Fader & Hardie (2007): of 1,000 customers who signed up in year 0, these were still
	// subscribed at the start of years 0 to 7 (their "regular" segment).
	active := []int{1000, 631, 468, 382, 326, 289, 262, 241}
	m, err := clv.FitShiftedBetaGeometric(active)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("alpha = %.3f (± %.3f), beta = %.3f (± %.3f)\n", m.Alpha, m.StdErr[0], m.Beta, m.StdErr[1])
	for _, t := range []int{1, 8, 12} {
		s, _ := m.Survival(t)
		r, _ := m.RetentionRate(t)
		fmt.Printf("year %2d: %.1f%% still subscribed, retention rate %.3f\n", t, 100*s, r)
	}
	derl, _ := m.DERL(0.1, 0)
	fmt.Printf("a new subscriber pays %.2f more times, discounted at 10%%\n", derl)
	// Output:
	// alpha = 0.704 (± 0.066), beta = 1.182 (± 0.152)
	// year  1: 62.7% still subscribed, retention rate 0.627
	// year  8: 22.0% still subscribed, retention rate 0.921
	// year 12: 17.0% still subscribed, retention rate 0.945
	// a new subscriber pays 2.96 more times, discounted at 10%
}

func ExampleFitParetoNBD() {
	customers := simulate(rand.New(rand.NewPCG(1, 1)), 300)
	m, err := clv.FitParetoNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("r = %.2f (± %.2f), alpha = %.2f weeks (± %.2f)\n", m.R, m.StdErr[0], m.Alpha, m.StdErr[1])
	c := clv.Customer{Frequency: 4, Recency: 30, T: 39}
	alive, _ := m.ProbabilityAlive(c)
	e, _ := m.ConditionalExpectedPurchases(13, c)
	fmt.Printf("P(alive) = %.2f, expected purchases in the next 13 weeks %.2f\n", alive, e)
	// Output:
	// r = 1.57 (± 0.19), alpha = 7.72 weeks (± 1.10)
	// P(alive) = 0.74, expected purchases in the next 13 weeks 1.03
}

// An interval for the expected value of one customer over the next year that reflects
// how sure the fitted parameters are: 2,000 simulated customers, with spends drawn
// around $20 per purchase. The interval is for the customer's expected value; what they
// actually spend varies far more.
func ExampleParameterDraws_LifetimeValueInterval() {
	rng := rand.New(rand.NewPCG(1, 1))
	customers := simulate(rng, 2000)
	for i := range customers {
		if customers[i].Frequency > 0 {
			customers[i].MonetaryValue = 20 * math.Exp(0.4*rng.NormFloat64())
		}
	}
	bg, err := clv.FitBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	gg, err := clv.FitGammaGamma(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	draws, err := clv.DrawParameters(bg, gg, customers, rand.New(rand.NewPCG(2, 2)), 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := clv.Customer{Frequency: 4, Recency: 30, T: 39, MonetaryValue: 25}
	iv, err := draws.LifetimeValueInterval(c, 12, 4.345, 0.01, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("expected value over 12 months: $%.2f, 90%% interval [$%.2f, $%.2f]\n", iv.Estimate, iv.Lower, iv.Upper)
	// Output:
	// expected value over 12 months: $63.82, 90% interval [$60.51, $67.43]
}

// simulateEvents draws the purchases of n customers of a BG/NBD process like simulate's
// (r = 1, alpha = 4 weeks, a = 1, b = 2.5) over 78 weeks from 2024-01-01, each customer
// making a first purchase in the first 12 weeks.
func simulateEvents(rng *rand.Rand, n int) []journey.Event {
	week := 7 * 24 * time.Hour
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var events []journey.Event
	at := func(user string, weeks float64) journey.Event {
		return journey.Event{User: user, Name: "purchase", Time: start.Add(time.Duration(weeks * float64(week))).Truncate(time.Hour), Value: 20}
	}
	for i := range n {
		user := fmt.Sprintf("u%04d", i)
		rate := 0.25 * rng.ExpFloat64()
		p := 1 - math.Pow(rng.Float64(), 1/2.5)
		t := 12 * rng.Float64()
		events = append(events, at(user, t))
		for t += rng.ExpFloat64() / rate; t <= 78; t += rng.ExpFloat64() / rate {
			events = append(events, at(user, t))
			if rng.Float64() < p {
				break
			}
		}
	}
	return events
}

// Fit on the first 39 weeks of a purchase log and compare the predicted repeat purchases
// in the next 39 weeks with what the customers did, by number of calibration purchases.
func ExampleCompareHoldout() {
	week := 7 * 24 * time.Hour
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	events := simulateEvents(rand.New(rand.NewPCG(1, 1)), 1000)
	h, err := clv.SplitHoldout(events, start.Add(39*week), start.Add(78*week), week)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitBGNBD(h.Calibration)
	if err != nil {
		fmt.Println(err)
		return
	}
	cmp, err := clv.CompareHoldout(m, h, 6)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("x   customers  predicted  actual")
	for _, r := range cmp.Rows {
		label := fmt.Sprint(r.Frequency)
		if r.Frequency == 6 {
			label += "+" // the last row holds x >= 6
		}
		fmt.Printf("%-3s %9d  %9.2f  %6.2f\n", label, r.Customers, r.Predicted, r.Actual)
	}
	fmt.Printf("MAE %.2f purchases per customer, predicted/actual %.3f\n", cmp.MAE, cmp.Ratio)
	// Output:
	// x   customers  predicted  actual
	// 0         112       0.87    0.86
	// 1         302       0.38    0.48
	// 2         169       0.65    0.48
	// 3         110       1.04    0.88
	// 4          81       1.59    1.48
	// 5          50       1.74    1.88
	// 6+        176       4.28    5.25
	// MAE 1.33 purchases per customer, predicted/actual 0.903
}
