package clv

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// sharedData returns the path of a reference data set in ../shared/data next to the
// module root, or skips the test when that folder is absent.
func sharedData(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found above the package directory")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "data", name)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("reference data %s not available: %v", path, err)
	}
	return path
}

// readCDNOW reads the CDNOW summary: ID, x, t_x, T and, in the spend file, zbar (weeks).
func readCDNOW(tb testing.TB, name string) []Customer {
	tb.Helper()
	f, err := os.Open(sharedData(tb, name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []Customer
	for _, row := range rows[1:] {
		var v [4]float64
		for j := 1; j < len(row) && j <= 4; j++ {
			v[j-1], err = strconv.ParseFloat(row[j], 64)
			if err != nil {
				tb.Fatal(err)
			}
		}
		out = append(out, Customer{Frequency: v[0], Recency: v[1], T: v[2], MonetaryValue: v[3]})
	}
	return out
}
