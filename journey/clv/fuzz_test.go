package clv

import (
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// allFinite reports whether every value is finite.
func allFinite(vs ...float64) bool {
	for _, v := range vs {
		if !stats.Finite(v) {
			return false
		}
	}
	return true
}

// knownError reports whether err is one of the errors the package documents.
func knownError(err error) bool {
	var ie *cxmetrics.InputError
	var ce *ConvergenceError
	return errors.As(err, &ie) || errors.As(err, &ce) || errors.Is(err, cxmetrics.ErrEmpty) ||
		errors.Is(err, cxmetrics.ErrNotFinite) || errors.Is(err, cxmetrics.ErrOutOfRange) ||
		errors.Is(err, cxmetrics.ErrTooFew) || errors.Is(err, cxmetrics.ErrNoVariation) ||
		errors.Is(err, cxmetrics.ErrTooLarge) || errors.Is(err, cxmetrics.ErrSingular) ||
		errors.Is(err, cxmetrics.ErrInvalidLevel) || errors.Is(err, cxmetrics.ErrNilRand)
}

// fuzzCustomers decodes customers from data, 4 bytes per customer: frequency, recency
// and T as fractions of a scale, and spend, plus a scale from the first 8 bytes.
func fuzzCustomers(data []byte) []Customer {
	if len(data) < 8 {
		return nil
	}
	scale := math.Float64frombits(binary.LittleEndian.Uint64(data))
	data = data[8:]
	var cs []Customer
	for len(data) >= 4 && len(cs) < 64 {
		x := float64(data[0] % 16)
		T := scale * float64(data[2]) / 16
		tx := T * float64(data[1]) / 255
		if x == 0 {
			tx = 0
		}
		cs = append(cs, Customer{Frequency: x, Recency: tx, T: T, MonetaryValue: float64(data[3]) * scale / 8})
		data = data[4:]
	}
	return cs
}

func FuzzFitBGNBD(f *testing.F) {
	seed := binary.LittleEndian.AppendUint64(nil, math.Float64bits(38.86))
	f.Add(append(seed, 2, 200, 255, 30, 1, 10, 255, 12, 0, 0, 255, 0, 0, 0, 200, 0, 5, 100, 128, 40))
	f.Add(append(seed, 1, 255, 16, 1, 1, 255, 16, 1))
	f.Add(binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN())))
	f.Add(append(binary.LittleEndian.AppendUint64(nil, math.Float64bits(1e300)), 3, 1, 255, 1, 0, 0, 1, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs := fuzzCustomers(data)
		m, err := FitBGNBD(cs)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
		} else if !allFinite(m.R, m.Alpha, m.A, m.B, m.LogLikelihood) || m.R <= 0 || m.Alpha <= 0 || m.A <= 0 || m.B <= 0 {
			t.Fatalf("fit %+v", m)
		}
		g, err := FitGammaGamma(cs)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
		} else if !allFinite(g.P, g.Q, g.Gamma, g.LogLikelihood) || !allFinite(g.StdErr[:]...) || slices.Min(g.StdErr[:]) <= 0 {
			t.Fatalf("fit %+v", g)
		}
		if rho, err := SpendFrequencyCorrelation(cs); err == nil && !(rho >= -1 && rho <= 1) {
			t.Fatalf("correlation %v", rho)
		}
	})
}

func FuzzPredict(f *testing.F) {
	f.Add(0.2426, 4.4135, 0.7929, 2.4258, 39.0, uint16(2), 30.43, 38.86, 22.35, 6.25, 3.74, 15.44, 0.01)
	f.Add(1e-3, 1e-3, 1.0, 1e-3, 1e6, uint16(1000), 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0)
	f.Add(1e4, 1.0, 100.0, 1e4, 3.0, uint16(0), 0.0, 5.0, 0.0, 0.5, 1.0, 1.0, 1e-9)
	f.Add(math.NaN(), -1.0, 0.0, math.Inf(1), -3.0, uint16(3), 4.0, 2.0, -1.0, 0.0, 0.0, 0.0, -1.0)
	f.Add(1.0, 1e308, 2.0, 3.0, 1e308, uint16(1), 1e308, 1.7e308, 1e308, 1e300, 0.5, 1e308, 1e300) // sums that overflow
	f.Add(0.25, 1e10, 0.8, 2.4, 5e-324, uint16(0), 0.0, 5e-324, 0.0, 1.0, 2.0, 5e-324, 5e-324)     // denormals
	f.Fuzz(func(t *testing.T, r, alpha, a, b, h float64, x uint16, tx, T, z, p, q, gamma, discount float64) {
		m := BGNBD{R: r, Alpha: alpha, A: a, B: b}
		c := Customer{Frequency: float64(x), Recency: tx, T: T, MonetaryValue: z}
		check := func(name string, v float64, err error, lo, hi float64) {
			if err != nil {
				if !knownError(err) {
					t.Fatalf("%s: unknown error %v", name, err)
				}
				return
			}
			if !allFinite(v) || v < lo || v > hi {
				t.Fatalf("%s = %v for %+v, %+v, t = %v", name, v, m, c, h)
			}
		}
		v, err := m.ExpectedPurchases(h)
		check("E[X(t)]", v, err, 0, math.Inf(1))
		v, err = m.ConditionalExpectedPurchases(h, c)
		check("E[Y(t)]", v, err, 0, math.Inf(1))
		v, err = m.ProbabilityAlive(c)
		check("P(alive)", v, err, 0, 1)
		v, err = m.ProbabilityOfPurchases(h, int(x))
		check("P(X(t) = x)", v, err, 0, 1)
		g := GammaGamma{P: p, Q: q, Gamma: gamma}
		v, err = g.ExpectedSpend(c)
		check("E[Z]", v, err, 0, math.Inf(1))
		v, err = LifetimeValue(m, g, c, int(x%13), h/float64(1+x%13), 0.01)
		check("CLV", v, err, 0, math.Inf(1))
		// Discounting never adds value.
		periods := int(x % 32)
		undiscounted, err := LifetimeValue(m, g, c, periods, h/float64(1+periods), 0)
		check("CLV undiscounted", undiscounted, err, 0, math.Inf(1))
		if err == nil {
			v, err = LifetimeValue(m, g, c, periods, h/float64(1+periods), discount)
			check("CLV discounted", v, err, 0, undiscounted*(1+1e-12))
		}
	})
}

func FuzzCustomersFromEvents(f *testing.F) {
	f.Add([]byte{0, 1, 10, 0, 2, 20, 1, 1, 5, 0, 1, 7}, int64(24))
	f.Add([]byte{0, 0, 0}, int64(0))
	f.Add([]byte{0, 0, 1, 0, 1, 255, 0, 2, 255, 0, 2, 254}, int64(1)) // spends near overflow
	f.Add([]byte{4, 255, 1, 0, 3, 1}, int64(1))                       // an empty user, the zero time
	f.Fuzz(func(t *testing.T, data []byte, unitHours int64) {
		// Per transaction: user byte (4: empty), hour byte (255: the zero time.Time) and
		// value byte (value - 5; 254: 1e308, 255: math.MaxFloat64).
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		end := start.Add(200 * time.Hour)
		var events []journey.Event
		for len(data) >= 3 && len(events) < 100 {
			e := journey.Event{
				User:  string('a' + rune(data[0]%5)),
				Time:  start.Add(time.Duration(data[1]) * time.Hour),
				Value: float64(data[2]) - 5,
			}
			if data[0]%5 == 4 {
				e.User = ""
			}
			if data[1] == 255 {
				e.Time = time.Time{}
			}
			switch data[2] {
			case 254:
				e.Value = 1e308
			case 255:
				e.Value = math.MaxFloat64
			}
			events = append(events, e)
			data = data[3:]
		}
		cs, ids, err := CustomersFromEvents(events, end, time.Duration(unitHours)*time.Hour)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		if len(ids) != len(cs) {
			t.Fatalf("%d ids for %d customers", len(ids), len(cs))
		}
		var n float64
		for i, c := range cs {
			if err := checkCustomer(c, i); err != nil {
				t.Fatalf("CustomersFromEvents produced an invalid customer: %v", err)
			}
			if i > 0 && ids[i-1] >= ids[i] {
				t.Fatalf("not sorted by ID: %q before %q", ids[i-1], ids[i])
			}
			n += c.Frequency + 1
			// The mean repeat spend is the exact sum of the transactions after the first
			// purchase over x, to rounding.
			first := end
			for _, e := range events {
				if e.User == ids[i] && e.Time.Before(first) {
					first = e.Time
				}
			}
			sum := new(big.Float)
			for _, e := range events {
				if e.User == ids[i] && e.Time.After(first) {
					sum.Add(sum, big.NewFloat(e.Value))
				}
			}
			mean, _ := sum.Quo(sum, big.NewFloat(max(1, c.Frequency))).Float64()
			if !scalar.EqualWithinRel(c.MonetaryValue, mean, 1e-13) {
				t.Fatalf("customer %q: mean spend %v, exact %v", ids[i], c.MonetaryValue, mean)
			}
		}
		if n > float64(len(events)) {
			t.Fatalf("%v purchases from %d events", n, len(events))
		}
	})
}

// FuzzFitShiftedBetaGeometric decodes a cohort from data (a size, then the share that
// leaves in each period) and checks that a fit is finite and its curves stay in [0, 1].
func FuzzFitShiftedBetaGeometric(f *testing.F) {
	f.Add([]byte{100, 90, 40, 30, 20, 10, 10, 8})
	f.Add([]byte{255, 0, 0, 0})
	f.Add([]byte{3, 255, 255})
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 40 {
			return
		}
		active := []int{int(data[0]) * 37}
		for _, b := range data[1:] {
			prev := active[len(active)-1]
			active = append(active, prev-prev*int(b)/255)
		}
		if len(data)%7 == 3 && len(active) > 1 {
			active[len(active)-1] += 5 // sometimes an invalid, growing count
		}
		m, err := FitShiftedBetaGeometric(active)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("%v: unknown error %v", active, err)
			}
			return
		}
		if !allFinite(m.Alpha, m.Beta, m.LogLikelihood, m.StdErr[0], m.StdErr[1]) || m.Alpha <= 0 || m.Beta <= 0 {
			t.Fatalf("%v: fit %+v", active, m)
		}
		for _, tt := range []int{1, 5, 1000} {
			s, err1 := m.Survival(tt)
			r, err2 := m.RetentionRate(tt)
			if err1 != nil || err2 != nil || !(s >= 0 && s <= 1) || !(r >= 0 && r <= 1) {
				t.Fatalf("%+v: S(%d) = %v (%v), r = %v (%v)", m, tt, s, err1, r, err2)
			}
		}
		if d, err := m.DERL(0.05, 3); err != nil || !(d >= 0 && d <= 21) {
			t.Fatalf("%+v: DERL = %v, %v", m, d, err)
		}
	})
}

func FuzzFitParetoNBD(f *testing.F) {
	seed := binary.LittleEndian.AppendUint64(nil, math.Float64bits(38.86))
	for range 4 {
		seed = append(seed, 2, 200, 255, 30, 1, 10, 255, 12, 0, 0, 255, 0, 3, 90, 200, 20, 5, 100, 128, 40)
	}
	f.Add(seed)
	f.Add(binary.LittleEndian.AppendUint64(nil, math.Float64bits(math.NaN())))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs := fuzzCustomers(data)
		m, err := FitParetoNBD(cs)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		if !allFinite(m.R, m.Alpha, m.S, m.Beta, m.LogLikelihood) || !allFinite(m.StdErr[:]...) {
			t.Fatalf("fit %+v", m)
		}
		for _, c := range cs {
			p, err := m.ProbabilityAlive(c)
			if err == nil && !(p >= 0 && p <= 1) {
				t.Fatalf("%+v: P(alive | %+v) = %v", m, c, p)
			}
			if err != nil && !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			e, err := m.ConditionalExpectedPurchases(10, c)
			if (err == nil && !(e >= 0 && stats.Finite(e))) || (err != nil && !knownError(err)) {
				t.Fatalf("%+v: E[Y(10) | %+v] = %v, %v", m, c, e, err)
			}
		}
	})
}

// FuzzLifetimeValueInterval fits both models to fuzzed customers, sometimes perturbs a
// parameter (so that the model no longer fits them), draws parameters and checks that
// every interval is finite, ordered and non-negative, and every error a documented one.
func FuzzLifetimeValueInterval(f *testing.F) {
	seed := binary.LittleEndian.AppendUint64(nil, math.Float64bits(38.86))
	for range 4 {
		seed = append(seed, 2, 200, 255, 30, 1, 10, 255, 12, 0, 0, 255, 0, 3, 90, 200, 20, 5, 100, 128, 40)
	}
	f.Add(seed, uint8(0))
	f.Add(seed, uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, perturb uint8) {
		cs := fuzzCustomers(data)
		b, err := FitBGNBD(cs)
		if err != nil {
			return
		}
		g, err := FitGammaGamma(cs)
		if err != nil {
			return
		}
		switch perturb % 4 {
		case 1:
			b.R *= 1 + float64(perturb)/64
		case 2:
			g.Gamma *= 1 + float64(perturb)/64
		}
		d, err := DrawParameters(b, g, cs, rand.New(rand.NewPCG(uint64(perturb), uint64(len(data)))), 20)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		for _, c := range cs {
			iv, err := d.LifetimeValueInterval(c, 6, 1, 0.01, 0.8)
			if err != nil {
				if !knownError(err) {
					t.Fatalf("unknown error %v", err)
				}
				continue
			}
			if !allFinite(iv.Estimate, iv.Lower, iv.Upper) || !(0 <= iv.Lower && iv.Lower <= iv.Upper) {
				t.Fatalf("%+v: interval %v", c, iv)
			}
		}
	})
}

// FuzzHoldout splits a fuzzed log (3 bytes a transaction: user, hour, value) at a fuzzed
// hour and checks SplitHoldout against a direct count of each user's distinct purchase
// times on either side of the split, then CompareHoldout's table against its totals.
func FuzzHoldout(f *testing.F) {
	f.Add([]byte{0, 1, 10, 0, 2, 20, 1, 1, 5, 0, 100, 7, 1, 150, 3, 2, 120, 9}, uint8(50), uint8(3))
	f.Add([]byte{0, 0, 0}, uint8(0), uint8(0))
	f.Add([]byte{0, 10, 1, 0, 10, 2, 0, 200, 1, 0, 200, 1}, uint8(199), uint8(255))
	f.Fuzz(func(t *testing.T, data []byte, splitHour, censor uint8) {
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		end := start.Add(250 * time.Hour)
		split := start.Add(time.Duration(splitHour) * time.Hour)
		var events []journey.Event
		for len(data) >= 3 && len(events) < 100 {
			events = append(events, journey.Event{User: string('a' + rune(data[0]%6)), Time: start.Add(time.Duration(data[1]) * time.Hour), Value: float64(data[2])})
			data = data[3:]
		}
		h, err := SplitHoldout(events, split, end, 24*time.Hour)
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		// The reference: distinct hours per user before (inclusive) and after the split.
		before, after := map[string]map[time.Time]bool{}, map[string]map[time.Time]bool{}
		for _, e := range events {
			side := before
			if e.Time.After(split) {
				side = after
			}
			if side[e.User] == nil {
				side[e.User] = map[time.Time]bool{}
			}
			side[e.User][e.Time] = true
		}
		if len(h.IDs) != len(before) || len(h.Calibration) != len(h.IDs) || len(h.Purchases) != len(h.IDs) {
			t.Fatalf("%d users before the split, holdout %+v", len(before), h)
		}
		if want := float64(end.Sub(split)) / float64(24*time.Hour); h.Duration != want {
			t.Fatalf("duration %v, want %v", h.Duration, want)
		}
		for i, id := range h.IDs {
			if got, want := h.Purchases[i], float64(len(after[id])); got != want {
				t.Fatalf("user %q: %v holdout purchases, want %v", id, got, want)
			}
			if got, want := h.Calibration[i].Frequency, float64(len(before[id])-1); got != want {
				t.Fatalf("user %q: frequency %v, want %v", id, got, want)
			}
		}
		cmp, err := CompareHoldout(constPredictor{}, h, int(censor%8))
		if err != nil {
			t.Fatalf("CompareHoldout: %v", err)
		}
		var n int
		var pred, act float64
		for _, r := range cmp.Rows {
			n += r.Customers
			pred += r.Predicted * float64(r.Customers)
			act += r.Actual * float64(r.Customers)
		}
		if n != len(h.IDs) || !scalar.EqualWithinAbsOrRel(pred, cmp.Predicted, 1e-9, 1e-12) || !scalar.EqualWithinAbsOrRel(act, cmp.Actual, 1e-9, 1e-12) ||
			!allFinite(cmp.MAE, cmp.Ratio) || cmp.MAE < 0 {
			t.Fatalf("table %+v", cmp)
		}
	})
}

// FuzzDERL checks the discounted expected residual lifetime against the sum of its
// definition, Σ_k S(n-1+k)/S(n-1)·(1+d)^-(k-1), with the survival ratios built from
// RetentionRate, for discounts of at least 5% (so that 1,000 terms reach 1e-17).
func FuzzDERL(f *testing.F) {
	f.Add(0.704, 1.182, 0.1, uint16(0))
	f.Add(0.668, 3.806, 0.1, uint16(4))
	f.Add(1e-300, 1e300, 0.05, uint16(65535))
	f.Add(math.NaN(), 1.0, 0.0, uint16(1))
	f.Fuzz(func(t *testing.T, alpha, beta, discount float64, renewals uint16) {
		m := ShiftedBetaGeometric{Alpha: alpha, Beta: beta}
		d, err := m.DERL(discount, int(renewals))
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error %v", err)
			}
			return
		}
		// DERL <= Σ_k (1+d)^-(k-1) = (1+d)/d; its up to 40/d terms are built by repeated
		// multiplication, whose rounding reaches about 1e-11 of the sum at d = 1e-4.
		if !stats.Finite(d) || d < 0 || d > (1+discount)/discount*(1+1e-9) {
			t.Fatalf("%+v: DERL(%v, %d) = %v", m, discount, renewals, d)
		}
		if !(discount >= 0.05) || discount > 1e6 {
			return
		}
		var sum stats.Sum
		ratio, disc := 1.0, 1.0
		n := int(renewals) + 1
		for k := 1; k <= 1000 && ratio*disc > 0; k++ {
			r, err := m.RetentionRate(n - 1 + k)
			if err != nil {
				t.Fatalf("RetentionRate(%d): %v", n-1+k, err)
			}
			ratio *= r
			sum.Add(ratio * disc)
			disc /= 1 + discount
		}
		if !scalar.EqualWithinAbsOrRel(d, sum.Value(), 1e-300, 1e-10) {
			t.Fatalf("%+v: DERL(%v, %d) = %v, sum of the definition %v", m, discount, renewals, d, sum.Value())
		}
	})
}
