// Package normal holds what the standard normal distribution gives the interval and test
// code of every package, with nothing but the standard library: the quantile, the tails,
// the critical value of a confidence level and its validation, Wilson's score interval for
// a proportion and the two-sided z-test. Packages that need only these (journey/funnel,
// journey/cohort) compile no gonum package; internal/dist adds Student's t and the Beta
// distribution on top of it.
package normal

import (
	"fmt"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

// Quantile returns the p-quantile of the standard normal distribution for p in [0, 1]
// (-Inf at 0, +Inf at 1, NaN outside), by Wichura's algorithm AS 241 (PPND16: Wichura
// 1988, "The percentage points of the normal distribution", Applied Statistics 37(3),
// 477-484), whose rational approximations are accurate to about 1 part in 10^16.
func Quantile(p float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	}
	q := p - 0.5
	if math.Abs(q) <= 0.425 {
		r := 0.180625 - q*q
		return q * poly(centralNum[:], r) / poly(centralDen[:], r)
	}
	r := p
	if q > 0 {
		r = 1 - p
	}
	r = math.Sqrt(-math.Log(r))
	var x float64
	if r <= 5 {
		r -= 1.6
		x = poly(middleNum[:], r) / poly(middleDen[:], r)
	} else {
		r -= 5
		x = poly(tailNum[:], r) / poly(tailDen[:], r)
	}
	if q < 0 {
		return -x
	}
	return x
}

// poly evaluates c[0] + c[1]·x + ... by Horner's rule.
func poly(c []float64, x float64) float64 {
	s := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		s = s*x + c[i]
	}
	return s
}

// The coefficients of AS 241's three rational approximations, in increasing powers.
var (
	centralNum = [8]float64{3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
		1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
		3.3430575583588128105e+4, 2.5090809287301226727e+3}
	centralDen = [8]float64{1, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
		2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
		5.2264952788528545610e+3}
	middleNum = [8]float64{1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
		3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
		2.27238449892691845833e-2, 7.74545014278341407640e-4}
	middleDen = [8]float64{1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
		1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
		1.05075007164441684324e-9}
	tailNum = [8]float64{6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
		2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
		2.71155556874348757815e-5, 2.01033439929228813265e-7}
	tailDen = [8]float64{1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
		7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
		2.04426310338993978564e-15}
)

// CDF returns P(Z <= z) = erfc(-z/√2)/2 for a standard normal Z.
func CDF(z float64) float64 {
	return 0.5 * math.Erfc(-z/math.Sqrt2)
}

// TwoSidedP returns the two-sided p-value 2·P(Z >= |z|) = erfc(|z|/√2), which keeps its
// relative precision far in the tail.
func TwoSidedP(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// ZTest returns the statistic z = d/√v and its two-sided p-value for an estimated
// difference d with variance v. Without variance (v = 0) it is (0, 1) when d = 0 and
// (0, 0) otherwise: a difference that cannot have arisen by chance.
func ZTest(d, v float64) (z, p float64) {
	switch {
	case v > 0:
		z = d / math.Sqrt(v)
		return z, TwoSidedP(z)
	case d == 0:
		return 0, 1
	}
	return 0, 0
}

// Critical returns z such that P(-z <= Z <= z) = level, the (1+level)/2 quantile of the
// standard normal, after CheckLevel.
func Critical(pkg string, level float64) (float64, error) {
	if err := CheckLevel(pkg, level); err != nil {
		return 0, err
	}
	return Quantile(0.5 + level/2), nil
}

// CheckLevel returns nil for a usable confidence level: in (0, 1) with a finite normal
// critical value, that is with 0.5 + level/2 < 1 in floating point (1 - 1e-16 rounds it to
// 1). Any other level is an *cxmetrics.InputError wrapping cxmetrics.ErrInvalidLevel with
// pkg in its message.
func CheckLevel(pkg string, level float64) error {
	if !(level > 0 && 0.5+level/2 < 1) {
		return LevelError(pkg, level)
	}
	return nil
}

// LevelError is the error of CheckLevel for an unusable level.
func LevelError(pkg string, level float64) error {
	e := &cxmetrics.InputError{Pkg: pkg, What: "level", Index: -1, Value: level, Err: cxmetrics.ErrInvalidLevel}
	if level > 0 && level < 1 {
		e.Detail = "(so close to 1 that the critical value is infinite)"
	}
	return e
}

// Wilson returns Wilson's score interval (Wilson 1927, "Probable inference, the law of
// succession, and statistical inference", JASA 22(158), 209-212) for a proportion p of n
// trials with critical value z:
//
//	(p + z²/2n ± z·√(p(1-p)/n + z²/4n²)) / (1 + z²/n)
//
// It is defined at p = 0 and p = 1, where one bound is exact (0 or 1), and equals R's
// prop.test(x, n, correct = FALSE)$conf.int. n must be positive and p in [0, 1];
// otherwise the error names pkg and wraps cxmetrics.ErrOutOfRange.
func Wilson(pkg string, p, n, z float64) (lo, hi float64, err error) {
	if !(n > 0) || math.IsInf(n, 0) || !(p >= 0 && p <= 1) {
		return 0, 0, fmt.Errorf("%s: proportion %v of %v answers: %w", pkg, p, n, cxmetrics.ErrOutOfRange)
	}
	z2 := z * z
	den := 1 + z2/n
	c := (p + z2/(2*n)) / den
	d := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / den
	lo, hi = max(0, c-d), min(1, c+d)
	switch p {
	case 0:
		lo = 0
	case 1:
		hi = 1
	}
	return lo, hi, nil
}
