package multtest

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

func TestAdjust(t *testing.T) {
	// By hand from the definitions, as R's p.adjust(c(.01, .04, .03, .005), "holm") and
	// "BH" give them: sorted .005, .01, .03, .04 times 4, 3, 2, 1 is .02, .03, .06, .04,
	// running max .02, .03, .06, .06; times 4/1, 4/2, 4/3, 4/4 is .02, .02, .04, .04, running
	// min from the top the same.
	p := []float64{.01, .04, .03, .005}
	wantHolm := []float64{.03, .06, .06, .02}
	wantBH := []float64{.02, .04, .04, .02}
	h, b := Both(p)
	for i := range p {
		if math.Abs(h[i]-wantHolm[i]) > 1e-15 || math.Abs(Holm(p)[i]-wantHolm[i]) > 1e-15 {
			t.Errorf("Holm[%d] = %v, want %v", i, h[i], wantHolm[i])
		}
		if math.Abs(b[i]-wantBH[i]) > 1e-15 || math.Abs(BH(p)[i]-wantBH[i]) > 1e-15 {
			t.Errorf("BH[%d] = %v, want %v", i, b[i], wantBH[i])
		}
	}
}

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		p    []float64
		want error
	}{
		{nil, cxmetrics.ErrEmpty},
		{[]float64{0.5, math.NaN()}, cxmetrics.ErrNotFinite},
		{[]float64{math.Inf(1)}, cxmetrics.ErrNotFinite},
		{[]float64{-0.1}, cxmetrics.ErrOutOfRange},
		{[]float64{0, 1.5}, cxmetrics.ErrOutOfRange},
		{[]float64{0, 1}, nil},
	} {
		if err := Check("x", c.p); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("Check(%v) = %v, want %v", c.p, err, c.want)
		}
	}
}
