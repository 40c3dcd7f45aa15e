package attribution

import (
	"math"

	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// scaledSum is a compensated sum of finite terms whose partial sums cannot overflow: it
// adds every term times 2^-exp, and raises exp (scaling the partial sum down exactly by a
// power of two) when a term reaches 2^exp in magnitude. Every scaled term is then below 1,
// so a partial sum of n terms stays below n, and the sum overflows only when its value
// does, which value reports as an infinity. The zero value is an empty sum.
type scaledSum struct {
	sum   stats.Sum
	exp   int     // the terms are added times 2^-exp
	limit float64 // 2^exp, +Inf for exp 1024; 0 before the first term
	inv   float64 // 2^-exp
}

// add adds the finite term x.
func (s *scaledSum) add(x float64) {
	if !(math.Abs(x) < s.limit) {
		s.grow(x)
	}
	s.sum.Add(x * s.inv)
}

// grow raises exp so that |x| < 2^exp.
func (s *scaledSum) grow(x float64) {
	if s.limit == 0 {
		s.limit, s.inv = 1, 1
	}
	if math.Abs(x) < s.limit {
		return
	}
	_, e := math.Frexp(x) // |x| < 2^e
	sum, c := s.sum.Parts()
	s.sum = stats.SumOf(math.Ldexp(sum, s.exp-e), math.Ldexp(c, s.exp-e))
	s.exp, s.limit, s.inv = e, math.Ldexp(1, e), math.Ldexp(1, -e)
}

// value returns the sum, ±Inf when it lies beyond the float64 range.
func (s *scaledSum) value() float64 { return math.Ldexp(s.sum.Value(), s.exp) }

// times returns f times the sum, ±Inf when the product lies beyond the float64 range
// (the sum itself may).
func (s *scaledSum) times(f float64) float64 {
	m, e := math.Frexp(s.sum.Value())
	return math.Ldexp(m*f, e+s.exp)
}

// exponent returns e with the sum in [2^(e-1), 2^e) in magnitude, 0 for a zero sum.
func (s *scaledSum) exponent() int {
	v := s.sum.Value()
	if v == 0 {
		return 0
	}
	_, e := math.Frexp(v)
	return e + s.exp
}
