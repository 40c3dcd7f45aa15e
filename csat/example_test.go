package csat_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

func ExampleCompute() {
	scores := []int{5, 4, 4, 3, 5, 2, 4, 5, 1, 4}
	r, err := csat.Compute(scores, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %.0f%%: %d of %d satisfied, mean rating %.1f\n", r.Score, r.SatisfiedCount, r.N, r.Mean)
	fmt.Printf("standard error %.1f points\n", r.StdErr())
	for _, p := range r.Distribution() {
		fmt.Printf("%d: %d (%.0f%%)\n", p.Score, p.Count, 100*p.Share)
	}
	// Output:
	// CSAT 70%: 7 of 10 satisfied, mean rating 3.7
	// standard error 14.5 points
	// 1: 1 (10%)
	// 2: 1 (10%)
	// 3: 1 (10%)
	// 4: 4 (40%)
	// 5: 3 (30%)
}

func ExampleCompute_weights() {
	// Survey weights correct for a sample that under-represents a segment of mostly
	// dissatisfied customers: its answers count three times. The effective n is the
	// number of unweighted answers with the same precision (see the package
	// documentation, "Weights").
	scores := []int{5, 5, 4, 4, 4, 3, 2, 1}
	weights := []float64{1, 1, 1, 1, 1, 1, 3, 3}
	r, err := csat.Compute(scores, weights)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %.1f%%, mean %.2f, effective n %.2f of %d\n", r.Score, r.Mean, r.EffectiveN, r.N)
	// Output:
	// CSAT 41.7%, mean 2.83, effective n 7.00 of 8
}

func ExampleComputeScale() {
	// A 1-7 scale with 6 and 7 counted as satisfied.
	scale := csat.Scale{Min: 1, Max: 7, SatisfiedMin: 6}
	r, err := csat.ComputeScale(scale, []int{7, 6, 6, 5, 7, 3, 4}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %.1f%%\n", r.Score)
	_, err = csat.ComputeScale(scale, []int{7, 8}, nil)
	fmt.Println(err)
	// Output:
	// CSAT 57.1%
	// csat: score 8 at index 1: out of range [1, 7]
}

func ExampleComputeSeq() {
	// Any iterator of scores, for example one that reads answers as they arrive.
	answers := slices.Values([]int{5, 4, 2, 5, 3, 4})
	r, err := csat.ComputeSeq(csat.Standard, answers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CSAT %.1f%% of %d answers\n", r.Score, r.N)
	// Output:
	// CSAT 66.7% of 6 answers
}

func ExampleResult_Interval() {
	r, err := csat.Compute(scoresFromCounts(51, 235), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.AgrestiCoull, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		iv, err := r.Interval(m, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-14s %.2f [%.2f, %.2f]\n", m, iv.Estimate, iv.Lower, iv.Upper)
	}
	// Output:
	// Wald           21.70 [16.43, 26.97]
	// Wilson         21.70 [16.91, 27.40]
	// AgrestiCoull   21.70 [16.89, 27.42]
	// ClopperPearson 21.70 [16.61, 27.53]
	// Jeffreys       21.70 [16.80, 27.30]
}

func ExampleResult_Interval_allSatisfied() {
	// Every answer satisfied: Wald collapses to a point, the other methods keep a width.
	r, _ := csat.Compute([]int{5, 4, 5, 5, 4, 5, 4, 5, 5, 5}, nil)
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.Wilson, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		iv, _ := r.Interval(m, 0.95)
		fmt.Printf("%-14s [%.1f, %.1f]\n", m, iv.Lower, iv.Upper)
	}
	// Output:
	// Wald           [100.0, 100.0]
	// Wilson         [72.2, 100.0]
	// ClopperPearson [69.2, 100.0]
	// Jeffreys       [78.3, 100.0]
}

func ExampleResult_Bootstrap() {
	r, _ := csat.Compute(scoresFromCounts(150, 200), nil)
	rng := rand.New(rand.NewPCG(1, 1))
	iv, err := r.Bootstrap(rng, 10000, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v %.1f [%.0f, %.0f]\n", iv.Method, iv.Estimate, iv.Lower, iv.Upper)
	// Output:
	// Bootstrap 75.0 [69, 81]
}

func ExampleCompare() {
	// Newcombe's (1998) example: 56 of 70 against 48 of 80.
	april, _ := csat.Compute(scoresFromCounts(56, 70), nil)
	march, _ := csat.Compute(scoresFromCounts(48, 80), nil)
	c, err := csat.Compare(april, march, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("change %+.1f points, 95%% CI [%.2f, %.2f], z = %.2f, p = %.4f\n",
		c.Difference, c.Interval.Lower, c.Interval.Upper, c.Statistic, c.P)
	// Output:
	// change +20.0 points, 95% CI [5.24, 33.39], z = 2.65, p = 0.0080
}

func ExampleTally() {
	// Two shards score their answers; a coordinator merges the encoded tallies.
	var east, west csat.Tally
	for _, s := range []int{5, 4, 2, 3} {
		_ = east.Add(s)
	}
	for _, s := range []int{4, 1, 5} {
		_ = west.Add(s)
	}
	data, _ := west.MarshalBinary()

	var received csat.Tally
	if err := received.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	if err := east.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := east.Result()
	fmt.Printf("CSAT %.1f%% over %d answers, mean %.2f\n", r.Score, r.N, r.Mean)
	// Output:
	// CSAT 57.1% over 7 answers, mean 3.43
}

func ExampleTally_Distribution() {
	// A 0-100 slider: longer than a Result's distribution arrays, so the tally gives it.
	t, _ := csat.NewTally(csat.Scale{Min: 0, Max: 100, SatisfiedMin: 80})
	for _, s := range []int{100, 85, 85, 40} {
		_ = t.Add(s)
	}
	d, _ := t.Distribution()
	for _, p := range d {
		if p.Count > 0 {
			fmt.Printf("%d: %d\n", p.Score, p.Count)
		}
	}
	// Output:
	// 40: 1
	// 85: 2
	// 100: 1
}

func Example_wrs() {
	// The willingness-to-recommend share: the top-2 box (9-10) of the 0-10
	// recommendation question, with the binomial intervals of this package.
	answers := []int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9}
	r, err := csat.ComputeScale(csat.Recommend, answers, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, _ := r.Interval(cxmetrics.Wilson, 0.95)
	fmt.Printf("WRS %.1f%% [%.1f, %.1f]\n", r.Score, iv.Lower, iv.Upper)
	// Output:
	// WRS 58.3% [32.0, 80.7]
}

func ExampleResult_Estimate() {
	r, _ := csat.Compute(scoresFromCounts(80, 100), nil)
	e := r.Estimate()
	fmt.Printf("%.0f ± %.1f (n = %d)\n", e.Score, e.StdErr, e.N)
	// Output:
	// 80 ± 4.0 (n = 100)
}

// scoresFromCounts returns satisfied answers (5) and n - satisfied others (2).
func scoresFromCounts(satisfied, n int) []int {
	return surveytest.Expand([]int{5, 2}, satisfied, n-satisfied)
}
