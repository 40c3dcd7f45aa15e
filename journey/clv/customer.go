package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Customer is the purchase history of one customer in the form the models use
// (Fader, Hardie & Lee 2005):
//
//   - Frequency x: the number of repeat purchases, a whole number (the first purchase is
//     not counted);
//   - Recency t_x: the time from the first purchase to the last one (0 when x = 0);
//   - T: the customer's age, the time from the first purchase to the end of observation;
//   - MonetaryValue: the mean value of the repeat purchases (0 when x = 0).
//
// Recency and T are in a time unit of the caller's choosing (days, weeks, ...). The unit
// is never assumed: every time a model takes or returns (its Alpha, a horizon t, a period
// length) is in the unit of the customers it was fitted to.
type Customer struct {
	Frequency, Recency, T, MonetaryValue float64
}

// CustomerSummary is one customer's [Customer] record together with their identifier.
type CustomerSummary struct {
	ID string
	Customer
}

// Summarize turns purchase transactions into one [CustomerSummary] per user, sorted by
// ID. Every event counts as a transaction (filter by Event.Name first if the log holds
// other events), Event.User identifies the customer and Event.Value is the amount spent.
//
// Transactions of one user at the same instant are one purchase, with their values
// added. Other than that, every distinct time is one purchase: to count at most one
// purchase per day (as the lifetimes library does with freq="D"), truncate the times
// before calling, for example with t.Truncate(24*time.Hour) for UTC days. Then
//
//	x   = number of distinct purchase times - 1
//	t_x = (last purchase - first purchase) / unit
//	T   = (observationEnd - first purchase) / unit
//	MonetaryValue = mean value of the x repeat purchases (0 when x = 0)
//
// The first purchase's value is left out of MonetaryValue, as Fader, Hardie & Lee (2005,
// "RFM and CLV") do for the Gamma-Gamma model.
//
// It returns an error for empty input, a unit that is not positive, an empty user, a
// transaction after observationEnd or more than 292 years (the range of time.Duration)
// before it, and a value that is negative, NaN or infinite.
func Summarize(transactions []journey.Event, observationEnd time.Time, unit time.Duration) ([]CustomerSummary, error) {
	if unit <= 0 {
		return nil, &cxmetrics.InputError{Pkg: "clv", What: "unit", Index: -1, Value: unit, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive)"}
	}
	if len(transactions) == 0 {
		return nil, fmt.Errorf("clv: no transactions: %w", cxmetrics.ErrEmpty)
	}
	order := make([]int, len(transactions))
	for i, e := range transactions {
		switch {
		case e.User == "":
			return nil, &cxmetrics.InputError{Pkg: "clv", What: "user", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty, Detail: "(a transaction needs a user)"}
		case e.Time.After(observationEnd):
			return nil, &cxmetrics.InputError{Pkg: "clv", What: "time", Index: i, Value: e.Time.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(after the end of observation " + observationEnd.Format(time.RFC3339Nano) + ")"}
		case math.IsNaN(e.Value) || math.IsInf(e.Value, 0):
			return nil, &cxmetrics.InputError{Pkg: "clv", What: "value", Index: i, Value: e.Value, Err: cxmetrics.ErrNotFinite}
		case e.Value < 0:
			return nil, &cxmetrics.InputError{Pkg: "clv", What: "value", Index: i, Value: e.Value, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
		}
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := &transactions[i], &transactions[j]
		if c := cmp.Compare(a.User, b.User); c != 0 {
			return c
		}
		return a.Time.Compare(b.Time)
	})

	u := float64(unit)
	var out []CustomerSummary
	for start := 0; start < len(order); {
		user := transactions[order[start]].User
		end := start
		for end < len(order) && transactions[order[end]].User == user {
			end++
		}
		first := transactions[order[start]].Time
		if observationEnd.Sub(first) == math.MaxInt64 {
			return nil, &cxmetrics.InputError{Pkg: "clv", What: "time", Index: order[start], Value: first.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(more than 292 years before the end of observation)"}
		}
		last := first
		var purchases int
		var repeatSpend float64
		for k := start; k < end; k++ {
			e := &transactions[order[k]]
			if k == start || !e.Time.Equal(last) {
				purchases++
				last = e.Time
			}
			if purchases > 1 {
				repeatSpend += e.Value
			}
		}
		c := Customer{
			Frequency: float64(purchases - 1),
			Recency:   float64(last.Sub(first)) / u,
			T:         float64(observationEnd.Sub(first)) / u,
		}
		if purchases > 1 {
			c.MonetaryValue = repeatSpend / c.Frequency
		}
		out = append(out, CustomerSummary{ID: user, Customer: c})
		start = end
	}
	return out, nil
}

// checkCustomer validates the fields every model uses: x a whole number >= 0, 0 <= t_x
// <= T, t_x = 0 when x = 0, and a finite, non-negative MonetaryValue.
func checkCustomer(c Customer, i int) error {
	fields := [...]struct {
		name string
		v    float64
	}{{"frequency", c.Frequency}, {"recency", c.Recency}, {"T", c.T}, {"monetary value", c.MonetaryValue}}
	for _, f := range fields {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &cxmetrics.InputError{Pkg: "clv", What: "customer " + f.name, Index: i, Value: f.v, Err: cxmetrics.ErrNotFinite}
		}
		if f.v < 0 {
			return &cxmetrics.InputError{Pkg: "clv", What: "customer " + f.name, Index: i, Value: f.v, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
		}
	}
	switch {
	case c.Frequency != math.Trunc(c.Frequency):
		return &cxmetrics.InputError{Pkg: "clv", What: "customer frequency", Index: i, Value: c.Frequency, Err: cxmetrics.ErrOutOfRange, Detail: "(must be a whole number of repeat purchases)"}
	case c.Frequency > maxFrequency:
		return &cxmetrics.InputError{Pkg: "clv", What: "customer frequency", Index: i, Value: c.Frequency, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("(at most %g)", float64(maxFrequency))}
	case c.Recency > c.T:
		return &cxmetrics.InputError{Pkg: "clv", What: "customer recency", Index: i, Value: c.Recency, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("(greater than T = %v)", c.T)}
	case c.Frequency == 0 && c.Recency != 0:
		return &cxmetrics.InputError{Pkg: "clv", What: "customer recency", Index: i, Value: c.Recency, Err: cxmetrics.ErrOutOfRange, Detail: "(must be 0 for a customer without repeat purchases)"}
	}
	return nil
}

// maxFrequency bounds the number of repeat purchases so that x, r + x and the like stay
// exact in float64 arithmetic.
const maxFrequency = 1 << 40
