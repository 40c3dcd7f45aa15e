package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/cxmetrics/cxmetrics"
)

// BGNBD is a fitted beta-geometric/negative binomial distribution model (Fader, Hardie &
// Lee 2005): while active, a customer buys as a Poisson process with rate
// lambda ~ Gamma(R, Alpha) (shape R, rate Alpha); after each repeat purchase they drop out for
// good with probability p ~ Beta(A, B). Alpha is in the time unit of the customers the
// model was fitted to; R, A and B have no unit.
type BGNBD struct {
	R, Alpha, A, B float64
	LogLikelihood  float64 // at the fitted parameters, over the fitted customers
	// StdErr holds the standard errors of R, Alpha, A and B, in that order, from the
	// observed information matrix at the fit (see [FitBGNBD]); zero in a model built by
	// hand.
	StdErr [4]float64
}

// FitBGNBD fits a [BGNBD] model to customers by maximum likelihood. The log-likelihood of
// one customer (x, t_x, T) is (Fader, Hardie & Lee 2005)
//
//	ln L = ln Γ(r+x) - ln Γ(r) + r ln α + ln B(a, b+x) - ln B(a, b)
//	     + ln( exp(A3) + [x > 0] exp(A4) )
//	A3   = -(r+x) ln(α+T)
//	A4   = ln a - ln(b+x-1) - (r+x) ln(α+t_x)
//
// with the last logarithm taken in log-sum-exp form, so that it neither overflows nor
// underflows. The sum over customers is maximized over the logarithms of the parameters
// with gonum/optimize's BFGS and the analytic gradient (see the package documentation for
// the settings), starting from r = a = b = 1 and alpha = sum of T / sum of x, which puts
// the mean purchase rate near the observed one.
// Times are divided by the largest T before the fit (and alpha multiplied back after), so
// that the fit behaves the same whatever the time unit.
//
// StdErr holds the standard errors from the inverse of the observed information matrix,
// the Hessian of the negative log-likelihood at the fitted parameters (see the package
// documentation, Standard errors).
//
// It returns an [*cxmetrics.InputError] naming the first bad customer (see [Customer]:
// negative, NaN or infinite fields, a fractional frequency, recency above T), an error
// wrapping [cxmetrics.ErrEmpty] when there are no customers, one wrapping
// [cxmetrics.ErrTooFew] when fewer than [MinRepeatCustomers] customers made a repeat
// purchase (checked before fitting), a [*ConvergenceError] when the optimizer does not
// converge to an interior maximum, and an error wrapping [cxmetrics.ErrSingular] when
// the observed information matrix there is not positive definite.
func FitBGNBD(customers []Customer) (BGNBD, error) {
	if len(customers) == 0 {
		return BGNBD{}, fmt.Errorf("clv: no customers: %w", cxmetrics.ErrEmpty)
	}
	d, err := newBGData(customers)
	if err != nil {
		return BGNBD{}, err
	}
	if err := checkRepeaters("BG/NBD", customers); err != nil {
		return BGNBD{}, err
	}
	if d.sumT == 0 {
		return BGNBD{}, fmt.Errorf("clv: every customer has age T = 0: %w", cxmetrics.ErrEmpty)
	}
	n := len(customers)
	// Times are divided by the largest T, so alpha is fitted as alpha/scale; the
	// likelihood of the original times is the scaled one times scale^-Σx.
	sc := scaled{scale: []float64{1, d.scale, 1, 1}, llOffset: -d.sumX * math.Log(d.scale)}
	x0 := []float64{0, math.Log(d.sumT / d.sumX), 0, 0}
	x, err := fitMaxLikelihood("BG/NBD", x0, d.negLL, n, sc)
	if err != nil {
		return BGNBD{}, err
	}
	fx := d.negLL(nil, x)
	if err := checkParams("BG/NBD", x, fx, n, sc); err != nil {
		return BGNBD{}, err
	}
	p := sc.params(x)
	m := BGNBD{R: p[0], Alpha: p[1], A: p[2], B: p[3], LogLikelihood: -fx*float64(n) + sc.llOffset}
	cov, err := logCovariance("BG/NBD", d.negLL, x, n)
	if err != nil {
		return BGNBD{}, err
	}
	if err := stdErrors(m.StdErr[:], p, cov); err != nil {
		return BGNBD{}, err
	}
	return m, nil
}

// bgData holds customers in the layout the likelihood loop wants. Identical customers
// (same x, t_x and T) are one group with a weight, the terms that depend only on x are
// computed once per distinct x, and ln(α+T), ln(α+t_x) once per distinct time: CDNOW's
// 2,357 customers are 1,016 groups over 84 distinct T and 257 distinct t_x.
type bgData struct {
	n      int
	xs     []float64 // distinct frequencies, ascending
	counts []float64 // customers with each frequency
	ts     []float64 // distinct scaled times (t_x and T), ascending
	groups []bgGroup
	sumX   float64
	sumT   float64 // of the scaled T
	scale  float64 // the largest T; t_x and T are divided by it

	// refreshed on every evaluation: per distinct x, and per distinct time
	lg, dlgR, dlgA, dlgB, c4 []float64
	lnT, invT                []float64
	pareto                   []paretoScratch // per goroutine: the Pareto/NBD likelihood's terms
	pairs                    [][2]int        // Pareto/NBD: distinct (x, time) index pairs
	groupPairs               [][2]int32      // Pareto/NBD: each group's pairs, -1 without
}

// bgGroup is a set of identical customers.
type bgGroup struct {
	weight    float64
	x         float64
	xi        int // index into xs
	txi, bigT int // indices into ts
}

func newBGData(customers []Customer) (*bgData, error) {
	d := &bgData{n: len(customers)}
	for i, c := range customers {
		if err := checkCustomer(c, i); err != nil {
			return nil, err
		}
		d.sumX += c.Frequency
		d.scale = math.Max(d.scale, c.T)
	}
	scaledC := make([]Customer, len(customers))
	times := make([]float64, 0, 2*len(customers))
	xs := make([]float64, len(customers))
	for i, c := range customers {
		if d.scale > 0 {
			c.Recency /= d.scale
			c.T /= d.scale
		}
		d.sumT += c.T
		scaledC[i] = c
		times = append(times, c.Recency, c.T)
		xs[i] = c.Frequency
	}
	slices.Sort(xs)
	d.xs = slices.Compact(xs)
	slices.Sort(times)
	d.ts = slices.Compact(times)
	d.counts = make([]float64, len(d.xs))
	slices.SortFunc(scaledC, func(a, b Customer) int {
		if c := cmp.Compare(a.Frequency, b.Frequency); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Recency, b.Recency); c != 0 {
			return c
		}
		return cmp.Compare(a.T, b.T)
	})
	for i, c := range scaledC {
		xi, _ := slices.BinarySearch(d.xs, c.Frequency)
		d.counts[xi]++
		if i > 0 && c.Frequency == scaledC[i-1].Frequency && c.Recency == scaledC[i-1].Recency && c.T == scaledC[i-1].T {
			d.groups[len(d.groups)-1].weight++
			continue
		}
		txi, _ := slices.BinarySearch(d.ts, c.Recency)
		ti, _ := slices.BinarySearch(d.ts, c.T)
		d.groups = append(d.groups, bgGroup{weight: 1, x: c.Frequency, xi: xi, txi: txi, bigT: ti})
	}
	k := len(d.xs)
	d.lg, d.dlgR, d.dlgA, d.dlgB, d.c4 = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	d.lnT, d.invT = make([]float64, len(d.ts)), make([]float64, len(d.ts))
	return d, nil
}

// negLL returns the negative mean log-likelihood at the log parameters
// x = (ln r, ln alpha, ln a, ln b) and, when grad is not nil, stores its gradient.
func (d *bgData) negLL(grad, x []float64) float64 {
	for _, v := range x {
		if !(math.Abs(v) <= maxLogParam) {
			for i := range grad {
				grad[i] = 0
			}
			return math.Inf(1)
		}
	}
	r, alpha, a, b := math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2]), math.Exp(x[3])
	n := float64(d.n)

	// Terms that depend on x only: ln Γ(r+x) - ln Γ(r) + ln B(a, b+x) - ln B(a, b), their
	// derivatives, and ln a - ln(b+x-1).
	lgBA := lgammaDiff(b, a) // ln Γ(b) - ln Γ(a+b)
	psR, psB, psAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	var ll, gr, ga, gb float64
	for k, xv := range d.xs {
		if xv == 0 {
			d.lg[k], d.dlgR[k], d.dlgA[k], d.dlgB[k], d.c4[k] = 0, 0, 0, 0, 0
			continue
		}
		d.lg[k] = -lgammaDiff(r, xv) + lgammaDiff(b+xv, a) - lgBA
		psABX := mathext.Digamma(a + b + xv)
		d.dlgR[k] = mathext.Digamma(r+xv) - psR
		d.dlgA[k] = psAB - psABX
		d.dlgB[k] = mathext.Digamma(b+xv) - psB + psAB - psABX
		d.c4[k] = x[2] - math.Log(b+xv-1)
		c := d.counts[k]
		ll += c * d.lg[k]
		gr += c * d.dlgR[k]
		ga += c * d.dlgA[k]
		gb += c * d.dlgB[k]
	}
	for i, t := range d.ts {
		d.lnT[i] = math.Log(alpha + t)
		d.invT[i] = 1 / (alpha + t)
	}
	lnAlpha := x[1]
	ll += n * r * lnAlpha
	gr += n * lnAlpha
	galpha := n * r / alpha

	for i := range d.groups {
		g := &d.groups[i]
		w := g.weight
		l3 := d.lnT[g.bigT]
		if g.x == 0 {
			ll -= w * r * l3
			gr -= w * l3
			galpha -= w * r * d.invT[g.bigT]
			continue
		}
		l4 := d.lnT[g.txi]
		rx := r + g.x
		a3 := -rx * l3
		a4 := d.c4[g.xi] - rx*l4
		// ln(e^a3 + e^a4) and the share w4 = e^a4 / (e^a3 + e^a4).
		var lse, w4 float64
		if a4 > a3 {
			e := math.Exp(a3 - a4)
			lse = a4 + math.Log1p(e)
			w4 = 1 / (1 + e)
		} else {
			e := math.Exp(a4 - a3)
			lse = a3 + math.Log1p(e)
			w4 = e / (1 + e)
		}
		w3 := 1 - w4
		ll += w * lse
		gr -= w * (w3*l3 + w4*l4)
		galpha -= w * rx * (w3*d.invT[g.bigT] + w4*d.invT[g.txi])
		ga += w * w4 / a
		gb -= w * w4 / (b + g.x - 1)
	}
	if grad != nil {
		// Chain rule for log parameters, and the sign and scale of -ll/n.
		grad[0] = -gr * r / n
		grad[1] = -galpha * alpha / n
		grad[2] = -ga * a / n
		grad[3] = -gb * b / n
	}
	return -ll / n
}
