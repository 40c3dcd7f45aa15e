package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
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

// CustomersFromEvents turns purchase transactions into one [Customer] per user, in the
// order of their Event.User, which ids lists: ids[i] is customers[i]'s user. Every event
// counts as a transaction (filter by Event.Name first if the log holds other events),
// Event.User identifies the customer and Event.Value is the amount spent.
//
// Transactions of one user at the same instant are one purchase, with their values
// added. Other than that, every distinct time is one purchase: to count at most one
// purchase per day (as the lifetimes library does with freq="D"), truncate the times
// before calling, for example with t.Truncate(24*time.Hour) for UTC days. Then
//
//	x   = number of distinct purchase times - 1
//	t_x = (last purchase - first purchase) / unit
//	T   = (end - first purchase) / unit
//	MonetaryValue = mean value of the x repeat purchases (0 when x = 0)
//
// The first purchase's value is left out of MonetaryValue, as Fader, Hardie & Lee (2005,
// "RFM and CLV") do for the Gamma-Gamma model. The mean is computed with the values
// divided by their largest, so that it is right whenever it is representable, even if
// their sum is not.
//
// It returns an error for empty input, a unit that is not positive, an empty user, a
// transaction after end or more than 292 years (the range of time.Duration) before it, a
// value that is negative, NaN or infinite ([*cxmetrics.InputError] values naming the
// transaction), and a mean repeat spend beyond the float64 range (wrapping
// [cxmetrics.ErrNotFinite], naming the user's first transaction).
func CustomersFromEvents(transactions []journey.Event, end time.Time, unit time.Duration) (customers []Customer, ids []string, err error) {
	if unit <= 0 {
		return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "unit", Index: -1, Value: unit, Err: cxmetrics.ErrOutOfRange, Detail: "(must be positive)"}
	}
	if len(transactions) == 0 {
		return nil, nil, fmt.Errorf("clv: no transactions: %w", cxmetrics.ErrEmpty)
	}
	order := make([]int, len(transactions))
	for i := range transactions {
		e := &transactions[i]
		switch {
		case e.User == "":
			return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "user", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty, Detail: "(a transaction needs a user)"}
		case e.Time.After(end):
			return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "time", Index: i, Value: e.Time.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(after the end of observation " + end.Format(time.RFC3339Nano) + ")"}
		case !stats.Finite(e.Value):
			return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "value", Index: i, Value: e.Value, Err: cxmetrics.ErrNotFinite}
		case e.Value < 0:
			return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "value", Index: i, Value: e.Value, Err: cxmetrics.ErrOutOfRange, Detail: "(must not be negative)"}
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
	for start := 0; start < len(order); {
		first := &transactions[order[start]]
		stop := start + 1
		for stop < len(order) && transactions[order[stop]].User == first.User {
			stop++
		}
		age := end.Sub(first.Time)
		if !first.Time.Add(age).Equal(end) {
			return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "time", Index: order[start], Value: first.Time.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange, Detail: "(more than 292 years before the end of observation)"}
		}
		// The repeat transactions are those after the first purchase's instant; their
		// mean is taken over x purchases, with the values divided by the largest.
		repeats := start + 1
		for repeats < stop && transactions[order[repeats]].Time.Equal(first.Time) {
			repeats++
		}
		purchases := 1
		last := first.Time
		var largest float64
		for k := repeats; k < stop; k++ {
			e := &transactions[order[k]]
			if !e.Time.Equal(last) {
				purchases++
				last = e.Time
			}
			largest = max(largest, e.Value)
		}
		c := Customer{
			Frequency: float64(purchases - 1),
			Recency:   float64(last.Sub(first.Time)) / u,
			T:         float64(age) / u,
		}
		if purchases > 1 && largest > 0 {
			var sum stats.Sum
			for k := repeats; k < stop; k++ {
				sum.Add(transactions[order[k]].Value / largest)
			}
			c.MonetaryValue = sum.Value() / c.Frequency * largest
			if !stats.Finite(c.MonetaryValue) {
				return nil, nil, &cxmetrics.InputError{Pkg: "clv", What: "mean repeat spend of user " + strconv.Quote(first.User), Index: order[start], Value: c.MonetaryValue, Err: cxmetrics.ErrNotFinite,
					Detail: "(the mean of its repeat purchases lies beyond the float64 range)"}
			}
		}
		customers = append(customers, c)
		ids = append(ids, first.User)
		start = stop
	}
	return customers, ids, nil
}

// checkCustomer validates the fields every model uses: x a whole number >= 0, 0 <= t_x
// <= T, t_x = 0 when x = 0, and a finite, non-negative MonetaryValue.
func checkCustomer(c Customer, i int) error {
	fields := [...]struct {
		name string
		v    float64
	}{{"frequency", c.Frequency}, {"recency", c.Recency}, {"T", c.T}, {"monetary value", c.MonetaryValue}}
	for _, f := range fields {
		if !stats.Finite(f.v) {
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
