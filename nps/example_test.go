package nps_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
	"github.com/cxmetrics/cxmetrics/nps"
)

func ExampleCompute() {
	scores := []int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10}
	r, err := nps.Compute(scores, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NPS %.0f: %d promoters, %d passives, %d detractors of %d\n",
		r.Score, r.PromoterCount, r.PassiveCount, r.DetractorCount, r.N)
	fmt.Printf("standard error %.1f points\n", r.StdErr())
	// Output:
	// NPS 40: 6 promoters, 2 passives, 2 detractors of 10
	// standard error 25.3 points
}

func ExampleCompute_weights() {
	// Survey weights correct for a sample that under-represents a segment of mostly
	// detractors: its answers count twice. The effective n is the number of unweighted
	// answers with the same precision (see the package documentation, "Weights").
	scores := []int{10, 10, 9, 9, 8, 7, 3, 2}
	weights := []float64{1, 1, 1, 1, 1, 1, 2, 2}
	r, err := nps.Compute(scores, weights)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NPS %.1f, effective n %.2f of %d\n", r.Score, r.EffectiveN, r.N)
	// Output:
	// NPS 0.0, effective n 6.67 of 8
}

func ExampleComputeScale() {
	// A 1-5 scale: 1-3 detractors, 4 passive, 5 promoters.
	scale := nps.Scale{Min: 1, Max: 5, DetractorMax: 3, PromoterMin: 5}
	r, err := nps.ComputeScale(scale, []int{5, 5, 4, 3, 5, 1, 4}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NPS %.1f\n", r.Score)
	_, err = nps.ComputeScale(scale, []int{5, 6}, nil)
	fmt.Println(err)
	// Output:
	// NPS 14.3
	// nps: score 6 at index 1: out of range [1, 5]
}

func ExampleResult_Interval() {
	r, err := nps.Compute(scoresFromCounts(30, 50, 120), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian} {
		iv, err := r.Interval(m, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-12s %.1f [%.1f, %.1f]\n", m, iv.Estimate, iv.Lower, iv.Upper)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	iv, err := r.Bootstrap(rng, 10000, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-12s %.1f [%.0f, %.0f]\n", iv.Method, iv.Estimate, iv.Lower, iv.Upper)
	// Output:
	// Wald         45.0 [34.7, 55.3]
	// AdjustedWald 45.0 [34.1, 54.5]
	// Tango        45.0 [34.1, 54.6]
	// Bayesian     45.0 [33.8, 54.2]
	// Bootstrap    45.0 [34, 55]
}

func ExampleCompare() {
	march, _ := nps.Compute(scoresFromCounts(60, 60, 80), nil)
	april, _ := nps.Compute(scoresFromCounts(40, 60, 100), nil)
	c, err := nps.Compare(april, march, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("change %+.0f points, 95%% CI [%.1f, %.1f], z = %.2f, p = %.3f\n",
		c.Difference, c.Interval.Lower, c.Interval.Upper, c.Statistic, c.P)
	// Output:
	// change +20 points, 95% CI [4.1, 35.5], z = 2.46, p = 0.014
}

func ExampleSampleSize() {
	n, err := nps.SampleSize(0.45, 0.20, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±5 points")
	// Output:
	// 903 answers for ±5 points
}

func ExampleSampleSizeAssured() {
	// SampleSize plans for the expected half-width, which half of all surveys miss; plan for
	// 90% of surveys to reach ±5 points instead.
	mix := nps.Mix{Promoters: 0.45, Detractors: 0.20}
	n, err := nps.SampleSizeAssured(mix, 5, 0.95, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±5 points in 90% of surveys")
	// Output:
	// 937 answers for ±5 points in 90% of surveys
}

func ExampleSampleSizeCompare() {
	// How many answers per region to detect NPS 30 against NPS 10 with 80% power?
	a := nps.Mix{Promoters: 0.5, Detractors: 0.2}
	b := nps.Mix{Promoters: 0.4, Detractors: 0.3}
	n, err := nps.SampleSizeCompare(a, b, 0.05, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers per region")
	// Output:
	// 258 answers per region
}

func ExampleResult_Test() {
	// Did this quarter's NPS beat the target of 20?
	r, _ := nps.Compute(scoresFromCounts(20, 30, 50), nil)
	c, err := r.Test(20, cxmetrics.Tango, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("NPS %.0f, %+.0f points against the target, p = %.2f\n", r.Score, c.Difference, c.P)
	// Output:
	// NPS 30, +10 points against the target, p = 0.22
}

func ExampleTally() {
	// Two shards score their answers; a coordinator merges the encoded tallies.
	var east, west nps.Tally
	for _, s := range []int{10, 9, 6, 8} {
		_ = east.Add(s)
	}
	for _, s := range []int{9, 3, 10} {
		_ = west.Add(s)
	}
	data, _ := west.MarshalBinary()

	var received nps.Tally
	if err := received.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	if err := east.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := east.Result()
	fmt.Printf("NPS %.1f over %d answers\n", r.Score, r.N)
	// Output:
	// NPS 28.6 over 7 answers
}

// scoresFromCounts expands category counts into scores 5, 8 and 10.
func scoresFromCounts(detractors, passives, promoters int) []int {
	return surveytest.Expand([]int{5, 8, 10}, detractors, passives, promoters)
}
