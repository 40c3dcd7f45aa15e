package journey

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"gonum.org/v1/gonum/floats/scalar"
)

// The expected values are closed forms worked by hand from each formula's definition,
// written next to each case, except where a published example is cited.
func TestFormulas(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name string
		f    func() (float64, error)
		want float64
		err  error
	}{
		{"ShareOfVoice", func() (float64, error) { return ShareOfVoice(30, 120) }, 0.25, nil},
		{"ShareOfVoice/all", func() (float64, error) { return ShareOfVoice(5, 5) }, 1, nil},
		{"ShareOfVoice/part>whole", func() (float64, error) { return ShareOfVoice(121, 120) }, 0, cxmetrics.ErrOutOfRange},
		{"ShareOfVoice/zero", func() (float64, error) { return ShareOfVoice(0, 0) }, 0, cxmetrics.ErrEmpty},
		{"ShareOfVoice/negative", func() (float64, error) { return ShareOfVoice(-1, 10) }, 0, cxmetrics.ErrOutOfRange},
		{"ShareOfVoice/nan", func() (float64, error) { return ShareOfVoice(nan, 10) }, 0, cxmetrics.ErrNotFinite},
		{"ShareOfVoice/inf", func() (float64, error) { return ShareOfVoice(1, inf) }, 0, cxmetrics.ErrNotFinite},

		{"TotalSiteVisits", func() (float64, error) { return TotalSiteVisits([]float64{120, 80.5, 0, 99.5}) }, 300, nil},
		{"TotalSiteVisits/empty", func() (float64, error) { return TotalSiteVisits(nil) }, 0, cxmetrics.ErrEmpty},
		{"TotalSiteVisits/negative", func() (float64, error) { return TotalSiteVisits([]float64{1, -1}) }, 0, cxmetrics.ErrOutOfRange},
		{"TotalSiteVisits/nan", func() (float64, error) { return TotalSiteVisits([]float64{nan}) }, 0, cxmetrics.ErrNotFinite},
		{"TotalSiteVisits/overflow", func() (float64, error) { return TotalSiteVisits([]float64{math.MaxFloat64, math.MaxFloat64}) }, 0, cxmetrics.ErrNotFinite},

		// 1000*0.3 + 500*0.1 + 200*0 = 350.
		{"OrganicKeywordTraffic", func() (float64, error) {
			return OrganicKeywordTraffic([]float64{1000, 500, 200}, []float64{0.3, 0.1, 0})
		}, 350, nil},
		{"OrganicKeywordTraffic/length", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, nil) }, 0, cxmetrics.ErrLengthMismatch},
		{"OrganicKeywordTraffic/empty", func() (float64, error) { return OrganicKeywordTraffic(nil, nil) }, 0, cxmetrics.ErrEmpty},
		{"OrganicKeywordTraffic/ctr>1", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, []float64{1.5}) }, 0, cxmetrics.ErrOutOfRange},
		{"OrganicKeywordTraffic/ctr nan", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, []float64{nan}) }, 0, cxmetrics.ErrNotFinite},
		{"OrganicKeywordTraffic/volume<0", func() (float64, error) { return OrganicKeywordTraffic([]float64{-1}, []float64{0.5}) }, 0, cxmetrics.ErrOutOfRange},
		{"OrganicKeywordTraffic/overflow", func() (float64, error) {
			return OrganicKeywordTraffic([]float64{math.MaxFloat64, math.MaxFloat64}, []float64{1, 1})
		}, 0, cxmetrics.ErrNotFinite},

		{"RetailVisitsPerStore", func() (float64, error) { return RetailVisitsPerStore(4500, 12) }, 375, nil},
		{"RetailVisitsPerStore/no stores", func() (float64, error) { return RetailVisitsPerStore(10, 0) }, 0, cxmetrics.ErrEmpty},
		{"RetailVisitsPerStore/overflow", func() (float64, error) { return RetailVisitsPerStore(math.MaxFloat64, 0.5) }, 0, cxmetrics.ErrNotFinite},

		{"ConversionRate", func() (float64, error) { return ConversionRate(36, 1200) }, 0.03, nil},
		{"ConversionRate/no visitors", func() (float64, error) { return ConversionRate(0, 0) }, 0, cxmetrics.ErrEmpty},

		// 1 - 30/100.
		{"CartAbandonmentRate", func() (float64, error) { return CartAbandonmentRate(30, 100) }, 0.7, nil},
		{"CartAbandonmentRate/orders>carts", func() (float64, error) { return CartAbandonmentRate(101, 100) }, 0, cxmetrics.ErrOutOfRange},

		{"StoreVisitConversion", func() (float64, error) { return StoreVisitConversion(90, 450) }, 0.2, nil},
		{"StoreVisitConversion/too many", func() (float64, error) { return StoreVisitConversion(451, 450) }, 0, cxmetrics.ErrOutOfRange},

		{"BounceRate", func() (float64, error) { return BounceRate(45, 100) }, 0.45, nil},
		{"BounceRate/no sessions", func() (float64, error) { return BounceRate(0, 0) }, 0, cxmetrics.ErrEmpty},
		{"EngagementRate", func() (float64, error) { return EngagementRate(62, 80) }, 0.775, nil},
		// 1 - 62/80.
		{"GA4BounceRate", func() (float64, error) { return GA4BounceRate(62, 80) }, 0.225, nil},
		{"GA4BounceRate/engaged>sessions", func() (float64, error) { return GA4BounceRate(81, 80) }, 0, cxmetrics.ErrOutOfRange},

		{"AverageOrderValue", func() (float64, error) { return AverageOrderValue(12500, 250) }, 50, nil},
		{"AverageOrderValue/no orders", func() (float64, error) { return AverageOrderValue(100, 0) }, 0, cxmetrics.ErrEmpty},
		{"AverageOrderValue/negative revenue", func() (float64, error) { return AverageOrderValue(-5, 1) }, 0, cxmetrics.ErrOutOfRange},

		{"PurchaseFrequency", func() (float64, error) { return PurchaseFrequency(300, 120) }, 2.5, nil},
		{"RepeatPurchaseRate", func() (float64, error) { return RepeatPurchaseRate(30, 120) }, 0.25, nil},
		{"RepeatPurchaseRate/too many", func() (float64, error) { return RepeatPurchaseRate(121, 120) }, 0, cxmetrics.ErrOutOfRange},

		{"ChurnRate", func() (float64, error) { return ChurnRate(50, 1000) }, 0.05, nil},
		{"ChurnRate/lost>start", func() (float64, error) { return ChurnRate(1001, 1000) }, 0, cxmetrics.ErrOutOfRange},
		// (1100 - 200) / 1000.
		{"RetentionRate", func() (float64, error) { return RetentionRate(1100, 200, 1000) }, 0.9, nil},
		{"RetentionRate/new>end", func() (float64, error) { return RetentionRate(100, 200, 1000) }, 0, cxmetrics.ErrOutOfRange},
		{"RetentionRate/kept>start", func() (float64, error) { return RetentionRate(1300, 200, 1000) }, 0, cxmetrics.ErrOutOfRange},
		{"RetentionRate/no start", func() (float64, error) { return RetentionRate(0, 0, 0) }, 0, cxmetrics.ErrEmpty},
		{"RetentionRate/nan", func() (float64, error) { return RetentionRate(nan, 0, 10) }, 0, cxmetrics.ErrNotFinite},

		// 50 x 4 x 3 x 0.2.
		{"CustomerLifetimeValue", func() (float64, error) { return CustomerLifetimeValue(50, 4, 3, 0.2) }, 120, nil},
		{"CustomerLifetimeValue/margin>1", func() (float64, error) { return CustomerLifetimeValue(50, 4, 3, 1.2) }, 0, cxmetrics.ErrOutOfRange},
		{"CustomerLifetimeValue/negative lifespan", func() (float64, error) { return CustomerLifetimeValue(50, 4, -3, 0.2) }, 0, cxmetrics.ErrOutOfRange},
		{"CustomerLifetimeValue/overflow", func() (float64, error) {
			return CustomerLifetimeValue(math.MaxFloat64, 2, 1, 1)
		}, 0, cxmetrics.ErrNotFinite},
		// A zero margin makes the value 0 however large the rest: the plain product is
		// Inf × 0 = NaN.
		{"CustomerLifetimeValue/zero margin", func() (float64, error) { return CustomerLifetimeValue(1e200, 1e200, 1, 0) }, 0, nil},
		// 1e200 × 1e200 × 1e-300 × 1 = 1e100, whose plain left-to-right product overflows.
		{"CustomerLifetimeValue/overflowing partial product", func() (float64, error) {
			return CustomerLifetimeValue(1e200, 1e200, 1e-300, 1)
		}, 1e100, nil},
		// 1e-200 × 1e-200 × 1e300 × 0.5 = 5e-101, whose plain product underflows to 0.
		{"CustomerLifetimeValue/underflowing partial product", func() (float64, error) {
			return CustomerLifetimeValue(1e-200, 1e-200, 1e300, 0.5)
		}, 5e-101, nil},
		// Gupta & Lehmann (2003), Customers as assets, J. Interactive Marketing 17(1):
		// m = 100, r = 0.8, i = 0.1 give 100 x 0.8 / 0.3 = 266.67.
		{"CustomerLifetimeValueMargin/Gupta-Lehmann", func() (float64, error) { return CustomerLifetimeValueMargin(100, 0.8, 0.1) }, 800.0 / 3, nil},
		// r = 1 with d = 0.25: m / d = 400 for m = 100.
		{"CustomerLifetimeValueMargin/perpetuity", func() (float64, error) { return CustomerLifetimeValueMargin(100, 1, 0.25) }, 400, nil},
		{"CustomerLifetimeValueMargin/negative margin", func() (float64, error) { return CustomerLifetimeValueMargin(-10, 0.5, 0) }, -10, nil},
		{"CustomerLifetimeValueMargin/infinite", func() (float64, error) { return CustomerLifetimeValueMargin(100, 1, 0) }, 0, cxmetrics.ErrOutOfRange},
		{"CustomerLifetimeValueMargin/retention>1", func() (float64, error) { return CustomerLifetimeValueMargin(100, 1.1, 0.1) }, 0, cxmetrics.ErrOutOfRange},
		{"CustomerLifetimeValueMargin/negative discount", func() (float64, error) { return CustomerLifetimeValueMargin(100, 0.5, -0.1) }, 0, cxmetrics.ErrOutOfRange},
		{"CustomerLifetimeValueMargin/inf margin", func() (float64, error) { return CustomerLifetimeValueMargin(inf, 0.5, 0.1) }, 0, cxmetrics.ErrNotFinite},
		// r = 1, d = 1e-300: m / d = 1e300; 1 + d rounds to 1, so 1 + d - r would be 0.
		{"CustomerLifetimeValueMargin/tiny discount", func() (float64, error) { return CustomerLifetimeValueMargin(1, 1, 1e-300) }, 1e300, nil},
		// m r / d = 1e-300 / 1e-300 = 1.
		{"CustomerLifetimeValueMargin/tiny margin", func() (float64, error) { return CustomerLifetimeValueMargin(1e-300, 1, 1e-300) }, 1, nil},
		{"CustomerLifetimeValueMargin/overflow", func() (float64, error) { return CustomerLifetimeValueMargin(1e300, 1, 1e-10) }, 0, cxmetrics.ErrNotFinite},
		// The largest value over the smallest denominator a huge discount allows: m / (1 + d) = 1.
		{"CustomerLifetimeValueMargin/huge discount", func() (float64, error) {
			return CustomerLifetimeValueMargin(math.MaxFloat64, 0.5, math.MaxFloat64)
		}, 0.5, nil},

		{"FirstContactResolution", func() (float64, error) { return FirstContactResolution(140, 200) }, 0.7, nil},
		{"FirstContactResolution/too many", func() (float64, error) { return FirstContactResolution(201, 200) }, 0, cxmetrics.ErrOutOfRange},
		// (2 + 4 + 9) / 3.
		{"AverageResponseTime", func() (float64, error) { return AverageResponseTime([]float64{2, 4, 9}) }, 5, nil},
		{"AverageResponseTime/empty", func() (float64, error) { return AverageResponseTime([]float64{}) }, 0, cxmetrics.ErrEmpty},
		{"AverageResponseTime/negative", func() (float64, error) { return AverageResponseTime([]float64{2, -4}) }, 0, cxmetrics.ErrOutOfRange},
		// The mean of huge times is representable although their sum is not.
		{"AverageResponseTime/huge", func() (float64, error) { return AverageResponseTime([]float64{1e308, 1e308}) }, 1e308, nil},
		{"AverageResponseTime/largest", func() (float64, error) {
			return AverageResponseTime([]float64{math.MaxFloat64, math.MaxFloat64, math.MaxFloat64})
		}, math.MaxFloat64, nil},
		// (MaxFloat64 + MaxFloat64 + 0) / 3 = MaxFloat64 × 2/3.
		{"AverageResponseTime/huge and zero", func() (float64, error) {
			return AverageResponseTime([]float64{math.MaxFloat64, math.MaxFloat64, 0})
		}, math.MaxFloat64 / 3 * 2, nil},
		{"AverageResponseTime/denormal", func() (float64, error) { return AverageResponseTime([]float64{5e-324, 5e-324}) }, 5e-324, nil},
		{"TicketsPerCustomer", func() (float64, error) { return TicketsPerCustomer(45, 900) }, 0.05, nil},
		{"TicketsPerCustomer/no customers", func() (float64, error) { return TicketsPerCustomer(45, 0) }, 0, cxmetrics.ErrEmpty},
		{"TicketsPerCustomer/denormal customers", func() (float64, error) { return TicketsPerCustomer(1, 5e-324) }, 0, cxmetrics.ErrNotFinite},

		// (60 - 15) / (60 + 25 + 15).
		{"SocialSentiment", func() (float64, error) { return SocialSentiment(60, 25, 15) }, 0.45, nil},
		{"SocialSentiment/all negative", func() (float64, error) { return SocialSentiment(0, 0, 7) }, -1, nil},
		{"SocialSentiment/none", func() (float64, error) { return SocialSentiment(0, 0, 0) }, 0, cxmetrics.ErrEmpty},
		// Counts whose sum overflows still give a sentiment: (M - M) / 2M = 0, M / 2M = 0.5.
		{"SocialSentiment/overflow", func() (float64, error) { return SocialSentiment(math.MaxFloat64, 0, math.MaxFloat64) }, 0, nil},
		{"SocialSentiment/huge", func() (float64, error) { return SocialSentiment(math.MaxFloat64, math.MaxFloat64, 0) }, 0.5, nil},
		{"SocialSentiment/denormal", func() (float64, error) { return SocialSentiment(5e-324, 0, 0) }, 1, nil},
		{"SocialSentiment/negative", func() (float64, error) { return SocialSentiment(1, -1, 0) }, 0, cxmetrics.ErrOutOfRange},
		{"ReferralRate", func() (float64, error) { return ReferralRate(18, 240) }, 0.075, nil},
		{"ReferralRate/too many", func() (float64, error) { return ReferralRate(241, 240) }, 0, cxmetrics.ErrOutOfRange},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.f()
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				var ie *cxmetrics.InputError
				if !errors.As(err, &ie) || ie.Pkg != "journey" || ie.What == "" {
					t.Fatalf("error %#v is not a journey InputError naming its argument", err)
				}
				if got != 0 {
					t.Errorf("value %v with an error, want 0", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !scalar.EqualWithinAbsOrRel(got, c.want, 1e-12, 1e-12) {
				t.Errorf("got %.15g, want %.15g", got, c.want)
			}
		})
	}
}

// The closed form m r / (1 + d - r) must equal the discounted sum of expected margins
// \sum_{t>=1} m r^t / (1+d)^t, summed here term by term until the terms vanish.
func TestCustomerLifetimeValueMarginSeries(t *testing.T) {
	for _, c := range []struct{ m, r, d float64 }{{100, 0.8, 0.1}, {35, 0.6, 0.12}, {1, 0.95, 0.01}, {250, 0.3, 0}} {
		var sum float64
		term := c.m
		for i := 0; i < 100000 && math.Abs(term) > 1e-15; i++ {
			term *= c.r / (1 + c.d)
			sum += term
		}
		got, err := CustomerLifetimeValueMargin(c.m, c.r, c.d)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinAbsOrRel(got, sum, 1e-9, 1e-9) {
			t.Errorf("m=%v r=%v d=%v: closed form %v, series %v", c.m, c.r, c.d, got, sum)
		}
	}
}

// Compensated summation keeps a long series of fractional visits exact where a naive
// loop drifts: 10^6 times 0.1 sums to 100000 within 1e-9.
func TestTotalSiteVisitsCompensated(t *testing.T) {
	v := make([]float64, 1_000_000)
	for i := range v {
		v[i] = 0.1
	}
	got, err := TotalSiteVisits(v)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-100000) > 1e-9 {
		t.Errorf("got %.12f, want 100000", got)
	}
}

func FuzzFormulas(f *testing.F) {
	f.Add(30.0, 100.0, 0.5)
	f.Add(0.0, 0.0, 0.0)
	f.Add(-1.0, math.Inf(1), math.NaN())
	f.Add(1e200, 1e200, 0.0)
	f.Add(math.MaxFloat64, 0.0, math.MaxFloat64)
	f.Add(1e-300, 1.0, 1e-300)
	f.Add(5e-324, 1e308, 1e-10)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		results := []func() (float64, error){
			func() (float64, error) { return ShareOfVoice(a, b) },
			func() (float64, error) { return ConversionRate(a, b) },
			func() (float64, error) { return CartAbandonmentRate(a, b) },
			func() (float64, error) { return StoreVisitConversion(a, b) },
			func() (float64, error) { return BounceRate(a, b) },
			func() (float64, error) { return EngagementRate(a, b) },
			func() (float64, error) { return GA4BounceRate(a, b) },
			func() (float64, error) { return RepeatPurchaseRate(a, b) },
			func() (float64, error) { return ChurnRate(a, b) },
			func() (float64, error) { return RetentionRate(a, b, c) },
			func() (float64, error) { return FirstContactResolution(a, b) },
			func() (float64, error) { return ReferralRate(a, b) },
		}
		for i, r := range results {
			v, err := r()
			if err == nil && (v < 0 || v > 1 || math.IsNaN(v)) {
				t.Errorf("share %d: %v outside [0, 1] for %v, %v, %v", i, v, a, b, c)
			}
		}
		others := []func() (float64, error){
			func() (float64, error) { return TotalSiteVisits([]float64{a, b, c}) },
			func() (float64, error) { return OrganicKeywordTraffic([]float64{a, b}, []float64{c, c}) },
			func() (float64, error) { return RetailVisitsPerStore(a, b) },
			func() (float64, error) { return AverageOrderValue(a, b) },
			func() (float64, error) { return PurchaseFrequency(a, b) },
			func() (float64, error) { return CustomerLifetimeValue(a, b, c, c) },
			func() (float64, error) { return CustomerLifetimeValueMargin(a, b, c) },
			func() (float64, error) { return AverageResponseTime([]float64{a, b, c}) },
			func() (float64, error) { return TicketsPerCustomer(a, b) },
			func() (float64, error) { return SocialSentiment(a, b, c) },
		}
		for i, r := range others {
			v, err := r()
			checkFormula(t, fmt.Sprint("formula ", i), []float64{a, b, c}, v, err)
		}

		// The scaled formulas against exact arithmetic: a result within 1e-14 of the
		// exact value rounded to float64 whenever that is finite, and ErrNotFinite when
		// the exact value lies beyond the largest float64.
		if count("a", a) != nil || count("b", b) != nil || count("c", c) != nil {
			return
		}
		big3 := func(x, y, z float64) (*big.Float, *big.Float, *big.Float) {
			return new(big.Float).SetFloat64(x), new(big.Float).SetFloat64(y), new(big.Float).SetFloat64(z)
		}
		x, y, z := big3(a, b, c)
		prod := new(big.Float).Mul(x, y)
		prod.Mul(prod, z)
		got, err := CustomerLifetimeValue(a, b, c, 1)
		checkExact(t, "CustomerLifetimeValue", got, err, prod)

		mean := new(big.Float).Add(x, y)
		mean.Add(mean, z).Quo(mean, big.NewFloat(3))
		got, err = AverageResponseTime([]float64{a, b, c})
		checkExact(t, "AverageResponseTime", got, err, mean)

		if a+b+c > 0 {
			num := new(big.Float).Sub(x, z)
			den := new(big.Float).Add(x, y)
			den.Add(den, z)
			got, err = SocialSentiment(a, b, c)
			checkExact(t, "SocialSentiment", got, err, num.Quo(num, den))
		}

		if r := min(b, 1); r < 1 || c > 0 {
			// m r / (1 + d - r), with m = a, r = min(b, 1), d = c.
			x, y, z := big3(a, r, c)
			den := new(big.Float).Sub(big.NewFloat(1), y)
			den.Add(den, z)
			num := new(big.Float).Mul(x, y)
			got, err = CustomerLifetimeValueMargin(a, r, c)
			checkExact(t, "CustomerLifetimeValueMargin", got, err, num.Quo(num, den))
		}
	})
}

// checkExact fails t unless got is within 1e-14 of want (relatively, or 1e-300
// absolutely for results near the subnormal range), or err wraps ErrNotFinite and want
// exceeds the largest float64 (or comes within rounding of it).
func checkExact(t *testing.T, name string, got float64, err error, want *big.Float) {
	t.Helper()
	w, _ := want.Float64()
	if math.IsInf(w, 0) || math.Abs(w) > math.MaxFloat64*(1-1e-14) {
		if err == nil && math.Abs(got) < math.MaxFloat64*(1-1e-14) {
			t.Fatalf("%s = %v, want about %v or ErrNotFinite", name, got, want)
		}
		if err != nil && !errors.Is(err, cxmetrics.ErrNotFinite) {
			t.Fatalf("%s: %v, want ErrNotFinite for %v", name, err, want)
		}
		return
	}
	if err != nil || math.Abs(got-w) > 1e-14*math.Abs(w)+1e-300 {
		t.Fatalf("%s = %v, %v; want %v", name, got, err, w)
	}
}

// Results that a plain evaluation gets wrong by underflow or overflow on the way, compared
// relatively (TestFormulas's absolute tolerance cannot tell 5e-101 from 0). The expected
// values are the exact results rounded to float64.
func TestFormulasScaled(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func() (float64, error)
		want float64
	}{
		{"CustomerLifetimeValue/underflowing partial product", func() (float64, error) {
			return CustomerLifetimeValue(1e-200, 1e-200, 1e300, 0.5)
		}, 5e-101},
		{"CustomerLifetimeValue/overflowing partial product", func() (float64, error) {
			return CustomerLifetimeValue(1e200, 1e200, 1e-300, 1)
		}, 1e100},
		// 2^-1074 × 2^600 × 2^474 × 1 = 1.
		{"CustomerLifetimeValue/denormal", func() (float64, error) {
			return CustomerLifetimeValue(5e-324, math.Ldexp(1, 600), math.Ldexp(1, 474), 1)
		}, 1},
		{"CustomerLifetimeValueMargin/tiny margin", func() (float64, error) { return CustomerLifetimeValueMargin(1e-300, 1, 1e-300) }, 1},
		{"CustomerLifetimeValueMargin/tiny discount", func() (float64, error) { return CustomerLifetimeValueMargin(1, 1, 1e-300) }, 1e300},
		{"AverageResponseTime/denormal", func() (float64, error) { return AverageResponseTime([]float64{5e-324, 5e-324}) }, 5e-324},
		{"AverageResponseTime/huge", func() (float64, error) { return AverageResponseTime([]float64{1e308, 1e308}) }, 1e308},
		{"SocialSentiment/denormal", func() (float64, error) { return SocialSentiment(5e-324, 5e-324, 0) }, 0.5},
	} {
		got, err := c.f()
		if err != nil || math.Abs(got-c.want) > 1e-15*math.Abs(c.want) {
			t.Errorf("%s: %g, %v; want %g", c.name, got, err, c.want)
		}
	}
}

// hostile are the values that TestFormulasHostile passes for every argument.
var hostile = []float64{
	0, math.Copysign(0, -1), 5e-324, 1e-310, 1e-300, 0.5, 1, 2, 1e200, 1e308, math.MaxFloat64,
	-5e-324, -1, -1e308, -math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1),
}

// rootSentinels are the module's sentinel errors; every error of a formula wraps one.
var rootSentinels = []error{
	cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrNotFinite, cxmetrics.ErrNegativeWeight,
	cxmetrics.ErrLengthMismatch, cxmetrics.ErrInvalidScale, cxmetrics.ErrInvalidLevel,
	cxmetrics.ErrUnsupportedMethod, cxmetrics.ErrScaleMismatch, cxmetrics.ErrUnknownLabel,
	cxmetrics.ErrCorrupt, cxmetrics.ErrTooLarge, cxmetrics.ErrNilRand, cxmetrics.ErrNoVariation,
	cxmetrics.ErrSingular, cxmetrics.ErrTooFew, cxmetrics.ErrNotConverged,
}

// checkFormula fails t unless v, err is a finite value without an error, or 0 with an
// *cxmetrics.InputError that wraps a root sentinel.
func checkFormula(t *testing.T, name string, args []float64, v float64, err error) {
	t.Helper()
	if err == nil {
		if !stats.Finite(v) {
			t.Errorf("%s%v = %v", name, args, v)
		}
		return
	}
	var ie *cxmetrics.InputError
	known := false
	for _, s := range rootSentinels {
		known = known || errors.Is(err, s)
	}
	if !known || !errors.As(err, &ie) || v != 0 {
		t.Errorf("%s%v = %v, %v: want 0 and an InputError wrapping a root sentinel", name, args, v, err)
	}
}

// TestFormulasHostile passes every combination of hostile values to every formula: each
// returns a finite value or an error wrapping a root sentinel, never NaN, an infinity or
// a panic.
func TestFormulasHostile(t *testing.T) {
	two := map[string]func(a, b float64) (float64, error){
		"ShareOfVoice": ShareOfVoice, "RetailVisitsPerStore": RetailVisitsPerStore,
		"ConversionRate": ConversionRate, "CartAbandonmentRate": CartAbandonmentRate,
		"StoreVisitConversion": StoreVisitConversion, "BounceRate": BounceRate,
		"EngagementRate": EngagementRate, "GA4BounceRate": GA4BounceRate,
		"AverageOrderValue": AverageOrderValue, "PurchaseFrequency": PurchaseFrequency,
		"RepeatPurchaseRate": RepeatPurchaseRate, "ChurnRate": ChurnRate,
		"FirstContactResolution": FirstContactResolution, "TicketsPerCustomer": TicketsPerCustomer,
		"ReferralRate": ReferralRate,
		"OrganicKeywordTraffic": func(a, b float64) (float64, error) {
			return OrganicKeywordTraffic([]float64{a, a, a}, []float64{b, b, b})
		},
	}
	three := map[string]func(a, b, c float64) (float64, error){
		"RetentionRate": RetentionRate, "CustomerLifetimeValueMargin": CustomerLifetimeValueMargin,
		"SocialSentiment":                SocialSentiment,
		"CustomerLifetimeValue/margin":   func(a, b, c float64) (float64, error) { return CustomerLifetimeValue(a, b, a, c) },
		"CustomerLifetimeValue/lifespan": func(a, b, c float64) (float64, error) { return CustomerLifetimeValue(a, b, c, 1) },
		"TotalSiteVisits":                func(a, b, c float64) (float64, error) { return TotalSiteVisits([]float64{a, b, c}) },
		"AverageResponseTime": func(a, b, c float64) (float64, error) {
			return AverageResponseTime([]float64{a, b, c})
		},
	}
	for name, f := range two {
		for _, a := range hostile {
			for _, b := range hostile {
				v, err := f(a, b)
				checkFormula(t, name, []float64{a, b}, v, err)
			}
		}
	}
	for name, f := range three {
		for _, a := range hostile {
			for _, b := range hostile {
				for _, c := range hostile {
					v, err := f(a, b, c)
					checkFormula(t, name, []float64{a, b, c}, v, err)
				}
			}
		}
	}
	for _, f := range []func([]float64) (float64, error){TotalSiteVisits, AverageResponseTime} {
		v, err := f(nil)
		checkFormula(t, "empty", nil, v, err)
	}
}
