// Command quickstart is the README's usage example as a complete program: the Net
// Promoter Score of ten answers with its 95% Tango interval.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"os"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/nps"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	scores := []int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10}
	r, err := nps.Compute(scores, nil) // weights: nil means all 1
	if err != nil {
		return err // e.g. "nps: score 11 at index 3: out of range [0, 10]"
	}
	iv, err := r.Interval(cxmetrics.Tango, 0.95)
	if err != nil {
		return err
	}
	fmt.Printf("NPS %.0f, 95%% CI [%.1f, %.1f]\n", r.Score, iv.Lower, iv.Upper)
	return nil
}
