package clv

import "testing"

func BenchmarkFitBGNBDCDNOW(b *testing.B) {
	cs := readCDNOW(b, "cdnow_summary.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitBGNBD(cs); err != nil {
			b.Fatal(err)
		}
	}
}
