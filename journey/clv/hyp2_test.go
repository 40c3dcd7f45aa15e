package clv

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestParetoLnA0Mpmath compares ln A0 of the Pareto/NBD likelihood with 60-digit mpmath
// values (testdata/pareto_a0_mpmath.csv, made by testdata/pareto_a0_mpmath.py: adaptive
// quadrature of the integral form, kept where it agrees with the paper's difference of
// two 2F1 values to 1e-25; 3,148 points, the script's grid through r = 20, s = 0.6, as
// far as it ran) over r from 0.05 to 20, s from 0.05 to 50, x from 0 to 60, rate
// parameters from equal to five
// orders of magnitude apart either way, and t_x from 0 to near T. Where the
// power series is used (1-z at t_x of at least cfOneMinusZ) each value must agree to
// 1e-11 in ln A0 (relative error of A0). Where the continued fraction is used, with 1-z
// down to 10^-6 (the series would need 40 million terms and, capped at maxHypTerms, gave
// up on a sixth of this file), the rounding of its thousands of steps reaches about
// 1e-7 of A0 in the worst rows (x = 0, r = 0.05, rate parameters 10^4 apart, t_x near T,
// where A0 is a difference of two near values), so the tolerance there is 1e-6.
func TestParetoLnA0Mpmath(t *testing.T) {
	f, err := os.Open("testdata/pareto_a0_mpmath.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n, cf int
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		var v [8]float64
		for i, s := range strings.Split(line, ",") {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		r, alpha, s, beta, x, tx, T, want := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
		n++
		tol := 1e-11
		if (tx+min(alpha, beta))/(tx+max(alpha, beta)) < cfOneMinusZ {
			cf++
			tol = 1e-6
		}
		got, ok := paretoLnA0(r, alpha, s, beta, x, tx, T)
		if !ok || math.Abs(got-want) > tol*max(1, math.Abs(want)) {
			t.Errorf("r=%v alpha=%v s=%v beta=%v x=%v t_x=%v T=%v: ln A0 = %.16g (%v), want %.16g (diff %.2g)", r, alpha, s, beta, x, tx, T, got, ok, want, got-want)
		}
	}
	if n < 2000 || cf < 500 {
		t.Fatalf("read %d reference values, %d in the continued fraction's range", n, cf)
	}
}
