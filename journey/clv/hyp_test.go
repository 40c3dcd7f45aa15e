package clv

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestExpectedNewMpmath compares E[X(t)] with 60-digit mpmath values on a grid that
// covers small and large shape parameters, a near and at 1, short horizons (the series)
// and long ones (the closed form near z = 1).
func TestExpectedNewMpmath(t *testing.T) {
	f, err := os.Open("testdata/expected_purchases_mpmath.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n, failed int
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		var v [5]float64
		for i, s := range strings.Split(line, ",") {
			v[i], err = strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
		}
		r, a, b, s, want := v[0], v[1], v[2], v[3], v[4]
		n++
		got, err := expectedNew(r, s, a, b)
		if err != nil {
			t.Errorf("r=%v a=%v b=%v s=%v: %v", r, a, b, s, err)
			failed++
			continue
		}
		if !scalar.EqualWithinRel(got, want, 1e-9) {
			t.Errorf("r=%v a=%v b=%v s=%v: E = %.16g, want %.16g (rel err %.2g)", r, a, b, s, got, want, (got-want)/want)
			failed++
		}
	}
	if n < 1000 {
		t.Fatalf("read only %d reference values", n)
	}
	t.Logf("%d of %d failed", failed, n)
}
