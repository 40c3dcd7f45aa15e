package main

import (
	"strings"
	"testing"
)

// The report runs end to end on the embedded data and prints every section.
func TestReport(t *testing.T) {
	var b strings.Builder
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Net Promoter Score", "1182 answers", "95% Tango",
		"Journey stages", "cart abandonment", "Purchase funnel", "Monthly cohorts",
		"Attribution", "Markov", "Shapley", "lifetime value", "peak-end rule",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
