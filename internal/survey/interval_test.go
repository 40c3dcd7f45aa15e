package survey

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// TestProportionStatsmodels compares every method with statsmodels 0.13.5
// (statsmodels.stats.proportion.proportion_confint(x, n, alpha=0.05, method=m) with m
// normal, wilson, agresti_coull, beta, jeffreys), including x = 0 and x = n, where the
// Jeffreys bound on that side is 0 or 1 (Brown, Cai & DasGupta's modification).
func TestProportionStatsmodels(t *testing.T) {
	methods := []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys}
	for _, c := range []struct {
		x, n float64
		want [5][2]float64
	}{
		{100, 200, [5][2]float64{{0.430704808782516, 0.569295191217484}, {0.431360859603892, 0.568639140396108}, {0.431360859603892, 0.568639140396108}, {0.428658430906832, 0.571341569093168}, {0.43112168755139, 0.56887831244861}}},
		{51, 235, [5][2]float64{{0.164317674679345, 0.269724878512144}, {0.169096830567834, 0.274048422954305}, {0.168902988413968, 0.274242265108171}, {0.166063329808308, 0.275268364028925}, {0.167979466410733, 0.272983190418512}}},
		{0, 20, [5][2]float64{{0, 0}, {0, 0.161125158052819}, {0, 0.189809560542489}, {0, 0.168433470983085}, {0 /* statsmodels 2.42464784592428e-05 */, 0.116638982904875}}},
		{20, 20, [5][2]float64{{1, 1}, {0.83887484194718, 1}, {0.810190439457511, 1}, {0.831566529016915, 1}, {0.883361017095125, 1 /* statsmodels 0.999975753521541 */}}},
		{1, 10, [5][2]float64{{0, 0.285938509691369}, {0.0178762130950729, 0.404150026795239}, {0, 0.425967737394832}, {0.00252857854446178, 0.445016117028195}, {0.0110116737631611, 0.381314771066616}}},
		{9, 10, [5][2]float64{{0.714061490308632, 1}, {0.595849973204761, 0.982123786904927}, {0.574032262605168, 1}, {0.554983882971805, 0.997471421455538}, {0.618685228933384, 0.988988326236839}}},
		{3, 7, [5][2]float64{{0.0619721094472629, 0.795170747695594}, {0.15821985525147, 0.749541635472343}, {0.157521245739399, 0.750240244984414}, {0.0989882784425079, 0.815948432359917}, {0.13886421910489, 0.765498750747906}}},
	} {
		for k, m := range methods {
			lo, hi, err := Proportion("test", m, c.x/c.n, c.n, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			// statsmodels prints 15 significant digits; the Beta quantiles agree to 1e-11.
			if math.Abs(lo-c.want[k][0]) > 1e-11 || math.Abs(hi-c.want[k][1]) > 1e-11 {
				t.Errorf("%v/%v %v: [%.15g, %.15g], want %v", c.x, c.n, m, lo, hi, c.want[k])
			}
		}
	}
}

func TestProportionErrors(t *testing.T) {
	for _, c := range []struct {
		m        cxmetrics.Method
		p, n, lv float64
		want     error
	}{
		{cxmetrics.Tango, 0.5, 10, 0.95, cxmetrics.ErrUnsupportedMethod},
		{cxmetrics.Wilson, 0.5, 10, 1, cxmetrics.ErrInvalidLevel},
		{cxmetrics.Wilson, 0.5, 10, math.Nextafter(1, 0), cxmetrics.ErrInvalidLevel},
		{cxmetrics.Wilson, math.NaN(), 10, 0.95, cxmetrics.ErrOutOfRange},
		{cxmetrics.Wilson, 1.5, 10, 0.95, cxmetrics.ErrOutOfRange},
		{cxmetrics.Wilson, 0.5, 0, 0.95, cxmetrics.ErrOutOfRange},
	} {
		if _, _, err := Proportion("test", c.m, c.p, c.n, c.lv); !errors.Is(err, c.want) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	// Enormous n: every method stays finite and ordered.
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		for _, n := range []float64{1, 1e-3 + 1, 1e9, MaxCount} {
			for _, p := range []float64{0, 1e-12, 0.3, 1} {
				lo, hi, err := Proportion("test", m, p, n, 0.95)
				// Jeffreys need not contain p when 0 < np < 1 or n - 1 < np < n.
				contains := lo <= p && p <= hi || m == cxmetrics.Jeffreys && (n*p < 1 || n*p > n-1)
				if err != nil || !(contains && lo <= hi && lo >= 0 && hi <= 1) {
					t.Errorf("%v p %v n %v: [%v, %v], %v", m, p, n, lo, hi, err)
				}
			}
		}
	}
}

// TestTInterval: R qt(0.975, 9) = 2.262157162798205.
func TestTInterval(t *testing.T) {
	lo, hi, err := TInterval("test", 5, 0.04, 9, 0.95)
	if err != nil || math.Abs(lo-(5-2.262157162798205*0.2)) > 1e-12 || math.Abs(hi-(5+2.262157162798205*0.2)) > 1e-12 {
		t.Errorf("[%v, %v], %v", lo, hi, err)
	}
	if _, _, err := TInterval("test", 5, 0.04, 0, 0.95); !errors.Is(err, cxmetrics.ErrTooFew) {
		t.Errorf("df 0: %v", err)
	}
}
