package journey

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
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
		{"TotalSiteVisits/overflow", func() (float64, error) { return TotalSiteVisits([]float64{math.MaxFloat64, math.MaxFloat64}) }, 0, cxmetrics.ErrOutOfRange},

		// 1000*0.3 + 500*0.1 + 200*0 = 350.
		{"OrganicKeywordTraffic", func() (float64, error) {
			return OrganicKeywordTraffic([]float64{1000, 500, 200}, []float64{0.3, 0.1, 0})
		}, 350, nil},
		{"OrganicKeywordTraffic/length", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, nil) }, 0, cxmetrics.ErrLengthMismatch},
		{"OrganicKeywordTraffic/empty", func() (float64, error) { return OrganicKeywordTraffic(nil, nil) }, 0, cxmetrics.ErrEmpty},
		{"OrganicKeywordTraffic/ctr>1", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, []float64{1.5}) }, 0, cxmetrics.ErrOutOfRange},
		{"OrganicKeywordTraffic/ctr nan", func() (float64, error) { return OrganicKeywordTraffic([]float64{1}, []float64{nan}) }, 0, cxmetrics.ErrNotFinite},
		{"OrganicKeywordTraffic/volume<0", func() (float64, error) { return OrganicKeywordTraffic([]float64{-1}, []float64{0.5}) }, 0, cxmetrics.ErrOutOfRange},

		{"RetailVisitsPerStore", func() (float64, error) { return RetailVisitsPerStore(4500, 12) }, 375, nil},
		{"RetailVisitsPerStore/no stores", func() (float64, error) { return RetailVisitsPerStore(10, 0) }, 0, cxmetrics.ErrEmpty},
		{"RetailVisitsPerStore/overflow", func() (float64, error) { return RetailVisitsPerStore(math.MaxFloat64, 0.5) }, 0, cxmetrics.ErrOutOfRange},

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
		}, 0, cxmetrics.ErrOutOfRange},
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

		{"FirstContactResolution", func() (float64, error) { return FirstContactResolution(140, 200) }, 0.7, nil},
		{"FirstContactResolution/too many", func() (float64, error) { return FirstContactResolution(201, 200) }, 0, cxmetrics.ErrOutOfRange},
		// (2 + 4 + 9) / 3.
		{"AverageResponseTime", func() (float64, error) { return AverageResponseTime([]float64{2, 4, 9}) }, 5, nil},
		{"AverageResponseTime/empty", func() (float64, error) { return AverageResponseTime([]float64{}) }, 0, cxmetrics.ErrEmpty},
		{"AverageResponseTime/negative", func() (float64, error) { return AverageResponseTime([]float64{2, -4}) }, 0, cxmetrics.ErrOutOfRange},
		{"TicketsPerCustomer", func() (float64, error) { return TicketsPerCustomer(45, 900) }, 0.05, nil},
		{"TicketsPerCustomer/no customers", func() (float64, error) { return TicketsPerCustomer(45, 0) }, 0, cxmetrics.ErrEmpty},

		// (60 - 15) / (60 + 25 + 15).
		{"SocialSentiment", func() (float64, error) { return SocialSentiment(60, 25, 15) }, 0.45, nil},
		{"SocialSentiment/all negative", func() (float64, error) { return SocialSentiment(0, 0, 7) }, -1, nil},
		{"SocialSentiment/none", func() (float64, error) { return SocialSentiment(0, 0, 0) }, 0, cxmetrics.ErrEmpty},
		{"SocialSentiment/overflow", func() (float64, error) { return SocialSentiment(math.MaxFloat64, 0, math.MaxFloat64) }, 0, cxmetrics.ErrOutOfRange},
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
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		results := []func() (float64, error){
			func() (float64, error) { return ShareOfVoice(a, b) },
			func() (float64, error) { return ConversionRate(a, b) },
			func() (float64, error) { return CartAbandonmentRate(a, b) },
			func() (float64, error) { return StoreVisitConversion(a, b) },
			func() (float64, error) { return BounceRate(a, b) },
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
			if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Errorf("formula %d: %v for %v, %v, %v", i, v, a, b, c)
			}
			if err != nil {
				var ie *cxmetrics.InputError
				if !errors.As(err, &ie) {
					t.Errorf("formula %d: error %v is not an InputError", i, err)
				}
			}
		}
	})
}
