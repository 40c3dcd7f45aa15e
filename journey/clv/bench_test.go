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

func BenchmarkFitGammaGammaCDNOW(b *testing.B) {
	cs := readCDNOW(b, "cdnow_summary_spend.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitGammaGamma(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConditionalExpectedPurchases predicts 39 weeks ahead (the quadrature path) for
// every CDNOW customer.
func BenchmarkConditionalExpectedPurchases(b *testing.B) {
	cs := readCDNOW(b, "cdnow_summary.csv")
	m := BGNBD{R: 0.242593, Alpha: 4.413532, A: 0.792886, B: 2.425752}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			if _, err := m.ConditionalExpectedPurchases(39, c); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLifetimeValue values every CDNOW customer over 12 months of 4.345 weeks.
func BenchmarkLifetimeValue(b *testing.B) {
	cs := readCDNOW(b, "cdnow_summary_spend.csv")
	bg := BGNBD{R: 0.242593, Alpha: 4.413532, A: 0.792886, B: 2.425752}
	gg := GammaGamma{P: 6.25, Q: 3.74, Gamma: 15.44}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cs {
			if _, err := LifetimeValue(bg, gg, c, 12, 4.345, 0.01); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkFitParetoNBDCDNOW(b *testing.B) {
	cs := readCDNOW(b, "cdnow_summary.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitParetoNBD(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitShiftedBetaGeometric fits the "regular" cohort of Fader & Hardie (2007).
func BenchmarkFitShiftedBetaGeometric(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitShiftedBetaGeometric(sbgRegular); err != nil {
			b.Fatal(err)
		}
	}
}
