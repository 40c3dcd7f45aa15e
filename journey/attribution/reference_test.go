package attribution

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// sharedData opens a reference data set from the shared data folder next to the module
// root, or skips the test when the folder is absent.
func sharedData(t testing.TB, name string) *os.File {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found")
		}
		dir = parent
	}
	f, err := os.Open(filepath.Join(dir, "..", "shared", "data", name))
	if err != nil {
		t.Skipf("reference data %s not available: %v", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// channelAttributionPaths reads ChannelAttribution's bundled paths (10,000 paths over 12
// channels).
func channelAttributionPaths(t testing.TB) []Path {
	t.Helper()
	paths, err := ReadPathsCSV(sharedData(t, "attribution_paths.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func TestChannelAttributionData(t *testing.T) {
	paths := channelAttributionPaths(t)
	if len(paths) != 10000 {
		t.Fatalf("read %d paths, want 10000", len(paths))
	}
	// Totals as documented for ChannelAttribution's data set Data (README of the shared
	// data): 19,785 conversions, value 74,802.972, 68,602 null paths.
	var conv, value, nulls float64
	for _, p := range paths {
		conv += p.Conversions
		value += p.Value
		nulls += p.Nulls
	}
	if conv != 19785 || nulls != 68602 || !scalar.EqualWithinAbs(value, 74802.972, 5e-4) {
		t.Errorf("totals %v conversions, %v value, %v nulls; want 19785, 74802.972, 68602", conv, value, nulls)
	}

	// ChannelAttribution::heuristic_models(Data, "path", "total_conversions",
	// var_value = "total_conversion_value"): alpha earns 6308 first touch, 8447 last
	// touch and 7574.7186 linear conversions (4 decimals printed).
	for _, tc := range []struct {
		name  string
		model func([]Path) (Result, error)
		want  float64
		tol   float64
	}{
		{"first touch", FirstTouch, 6308, 1e-9},
		{"last touch", LastTouch, 8447, 1e-9},
		{"linear", Linear, 7574.7186, 5e-5},
	} {
		res, err := tc.model(paths)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		alpha, ok := res.Channel("alpha")
		if !ok {
			t.Fatalf("%s: no alpha", tc.name)
		}
		if !scalar.EqualWithinAbs(alpha.Conversions, tc.want, tc.tol) {
			t.Errorf("%s: alpha %.6f conversions, want %v", tc.name, alpha.Conversions, tc.want)
		}
		if len(res.Credits) != 12 {
			t.Errorf("%s: %d channels, want 12", tc.name, len(res.Credits))
		}
		checkCreditSums(t, tc.name, res, conv, value)
	}
}

// checkTotals checks that credits sum to the totals and are sorted.
func checkCreditSums(t testing.TB, name string, res Result, conv, value float64) {
	t.Helper()
	var c, v float64
	for i, cr := range res.Credits {
		c += cr.Conversions
		v += cr.Value
		if i > 0 && cr.Conversions > res.Credits[i-1].Conversions {
			t.Errorf("%s: credits not sorted at %d", name, i)
		}
	}
	if !scalar.EqualWithinAbsOrRel(c, conv, 1e-9, 1e-9) || !scalar.EqualWithinAbsOrRel(v, value, 1e-9, 1e-9) {
		t.Errorf("%s: credits sum to %v conversions, %v value; want %v, %v", name, c, v, conv, value)
	}
}
