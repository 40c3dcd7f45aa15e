package segment

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/floats/scalar"
)

// Values from R 4.2.2: p.adjust(p, "holm") and p.adjust(p, "BH"), printed with
// sprintf("%.17g"). The "random" vector is round(runif(15)^3, 6) after set.seed(12).
// Tolerance 1e-12 (absolute or relative); the values agree to the last bit.
var adjustCases = []struct {
	name        string
	p, holm, bh []float64
}{
	{name: "n = 1", p: []float64{0.03}, holm: []float64{0.03}, bh: []float64{0.03}},
	{name: "n = 1, p = 1", p: []float64{1}, holm: []float64{1}, bh: []float64{1}},
	{
		name: "ties, 0 and 1",
		p:    []float64{0.01, 0.02, 0.02, 0.04, 0.04, 0.5, 0.001, 1, 0},
		holm: []float64{0.070000000000000007, 0.12, 0.12, 0.16, 0.16, 1, 0.0080000000000000002, 1, 0},
		bh: []float64{0.029999999999999999, 0.036000000000000004, 0.036000000000000004, 0.051428571428571435,
			0.051428571428571435, 0.5625, 0.0045000000000000005, 1, 0},
	},
	{
		name: "all equal",
		p:    []float64{0.2, 0.2, 0.2, 0.2},
		holm: []float64{0.80000000000000004, 0.80000000000000004, 0.80000000000000004, 0.80000000000000004},
		bh:   []float64{0.2, 0.2, 0.2, 0.2},
	},
	{
		name: "random",
		p: []float64{0.000334, 0.546892, 0.837553, 0.019548, 0.004857, 3.9e-05, 0.005715, 0.264196, 1.2e-05,
			1e-06, 0.060558, 0.539116, 0.053263, 0.055225, 0.018592},
		holm: []float64{0.0040079999999999994, 1, 1, 0.167328, 0.053427000000000002, 0.00050699999999999996,
			0.057149999999999992, 1, 0.00016800000000000002, 1.4999999999999999e-05, 0.37284099999999998, 1,
			0.37284099999999998, 0.37284099999999998, 0.167328},
		bh: []float64{0.0012524999999999999, 0.58595571428571436, 0.83755299999999999, 0.036652499999999998,
			0.014287499999999998, 0.000195, 0.014287499999999998, 0.33024500000000001, 9.0000000000000006e-05,
			1.4999999999999999e-05, 0.082579090909090908, 0.58595571428571436, 0.082579090909090908,
			0.082579090909090908, 0.036652499999999998},
	},
	{
		name: "tiny and subnormal",
		p:    []float64{1e-300, 5e-324, 0.049, 0.051, 0.7},
		holm: []float64{4.0000000000000001e-300, 2.4703282292062327e-323, 0.14700000000000002, 0.14700000000000002, 0.69999999999999996},
		bh:   []float64{2.5e-300, 2.4703282292062327e-323, 0.063750000000000001, 0.063750000000000001, 0.69999999999999996},
	},
	{
		name: "thirds",
		p:    []float64{1.0 / 3, 2.0 / 3, 1.0 / 7, 0.1, 0.3},
		holm: []float64{0.89999999999999991, 0.89999999999999991, 0.5714285714285714, 0.5, 0.89999999999999991},
		bh:   []float64{0.41666666666666663, 0.66666666666666663, 0.3571428571428571, 0.3571428571428571, 0.41666666666666663},
	},
}

func TestAdjustR(t *testing.T) {
	for _, c := range adjustCases {
		holm, err := AdjustHolm(c.p)
		require.NoError(t, err, c.name)
		bh, err := AdjustBH(c.p)
		require.NoError(t, err, c.name)
		for i := range c.p {
			assert.True(t, scalar.EqualWithinAbsOrRel(holm[i], c.holm[i], 1e-12, 1e-12), "%s holm[%d] = %v, R %v", c.name, i, holm[i], c.holm[i])
			assert.True(t, scalar.EqualWithinAbsOrRel(bh[i], c.bh[i], 1e-12, 1e-12), "%s BH[%d] = %v, R %v", c.name, i, bh[i], c.bh[i])
			assert.Equal(t, c.holm[i], holm[i], "%s holm[%d] bits", c.name, i)
			assert.Equal(t, c.bh[i], bh[i], "%s BH[%d] bits", c.name, i)
		}
	}
}

// The input is not modified, and the adjustment of a permuted input is the permuted
// adjustment.
func TestAdjustPermutation(t *testing.T) {
	p := []float64{0.04, 0.01, 0.04, 0.3, 0.002, 0.04}
	perm := []int{5, 3, 0, 4, 1, 2}
	q := make([]float64, len(p))
	for i, j := range perm {
		q[i] = p[j]
	}
	orig := append([]float64(nil), p...)
	for _, adjust := range []func([]float64) ([]float64, error){AdjustHolm, AdjustBH} {
		a, err := adjust(p)
		require.NoError(t, err)
		b, err := adjust(q)
		require.NoError(t, err)
		for i, j := range perm {
			assert.Equal(t, a[j], b[i])
		}
		assert.Equal(t, orig, p)
	}
}

func TestAdjustErrors(t *testing.T) {
	for _, c := range []struct {
		p     []float64
		err   error
		index int
	}{
		{nil, cxmetrics.ErrEmpty, -2},
		{[]float64{}, cxmetrics.ErrEmpty, -2},
		{[]float64{0.1, math.NaN()}, cxmetrics.ErrNotFinite, 1},
		{[]float64{math.Inf(1)}, cxmetrics.ErrNotFinite, 0},
		{[]float64{0.1, 0.2, -1e-300}, cxmetrics.ErrOutOfRange, 2},
		{[]float64{1.0000000000000002}, cxmetrics.ErrOutOfRange, 0},
	} {
		for name, adjust := range map[string]func([]float64) ([]float64, error){"holm": AdjustHolm, "bh": AdjustBH} {
			got, err := adjust(c.p)
			assert.Nil(t, got)
			assert.ErrorIs(t, err, c.err, "%s %v", name, c.p)
			var ie *cxmetrics.InputError
			if c.index >= 0 {
				require.True(t, errors.As(err, &ie), "%s %v: %v", name, c.p, err)
				assert.Equal(t, c.index, ie.Index)
			}
		}
	}
	_, err := AdjustHolm([]float64{0.5, math.NaN()})
	assert.EqualError(t, err, "segment: p-value NaN at index 1: not finite")
	_, err = AdjustBH([]float64{1.5})
	assert.EqualError(t, err, "segment: p-value 1.5 at index 0: out of range [0, 1]")
}
