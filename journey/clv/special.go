package clv

import "math"

// lgamma returns ln |Γ(x)|.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// lgammaDiff returns ln Γ(x) - ln Γ(x+a) for x, a > 0. For x >= 100 it uses Stirling's
// series for both terms and subtracts them analytically,
//
//	-a ln x - (x+a-1/2) ln(1 + a/x) + a + c(x) - c(x+a),   c(y) = 1/(12y) - 1/(360y³) + 1/(1260y⁵)
//
// (Abramowitz & Stegun 6.1.40; the next term is below 1e-17 for y >= 100), which keeps
// full relative precision where the two log-gammas are huge and nearly equal: with
// math.Lgamma, ln Γ(10^7) - ln Γ(10^7 + 0.8) would lose 8 digits.
func lgammaDiff(x, a float64) float64 {
	if x < 100 {
		return lgamma(x) - lgamma(x+a)
	}
	y := x + a
	return -a*math.Log(x) - (y-0.5)*math.Log1p(a/x) + a + stirlingCorrection(x) - stirlingCorrection(y)
}

func stirlingCorrection(y float64) float64 {
	y2 := 1 / (y * y)
	return (1.0/12 - y2*(1.0/360-y2/1260)) / y
}

// lnBeta returns ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a+b) for a, b > 0, computed as
// ln Γ(min) + lgammaDiff(max, min) so that it keeps its precision when one argument is
// large.
func lnBeta(a, b float64) float64 {
	lo, hi := a, b
	if lo > hi {
		lo, hi = hi, lo
	}
	return lgamma(lo) + lgammaDiff(hi, lo)
}
