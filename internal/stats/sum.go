package stats

import "math"

// Sum is a compensated (Kahan–Babuška–Neumaier) accumulator: adding n values keeps an
// error bound independent of n, where a naive loop's grows with n.
//
// Neumaier, A. (1974). Rundungsfehleranalyse einiger Verfahren zur Summation endlicher
// Summen. ZAMM 54(1), 39–51.
//
// The zero value is an empty sum.
type Sum struct {
	s, c float64
}

// Add adds x to the sum.
func (k *Sum) Add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

// Value returns the compensated sum.
func (k *Sum) Value() float64 { return k.s + k.c }

// Merge adds the partial sum o into k.
func (k *Sum) Merge(o Sum) {
	k.Add(o.s)
	k.Add(o.c)
}

// Parts returns the running sum and its compensation term, for serialisation.
func (k *Sum) Parts() (sum, compensation float64) { return k.s, k.c }

// SumOf rebuilds a Sum from the parts returned by Parts.
func SumOf(sum, compensation float64) Sum { return Sum{s: sum, c: compensation} }

// Finite reports whether x is neither NaN nor infinite.
func Finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
