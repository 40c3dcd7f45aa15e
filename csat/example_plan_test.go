package csat_test

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/csat"
)

func ExampleSampleSize() {
	// How many answers for ±5 points at 95%, when about 80% are satisfied?
	n, err := csat.SampleSize(0.80, 5, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±5 points")
	// Output:
	// 246 answers for ±5 points
}

func ExampleSampleSizeAssured() {
	// SampleSize plans for the expected half-width, which half of all surveys miss; plan for
	// 90% of surveys to reach ±5 points instead.
	n, err := csat.SampleSizeAssured(0.80, 5, 0.95, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±5 points in 90% of surveys")
	// Output:
	// 273 answers for ±5 points in 90% of surveys
}

func ExampleSampleSizeCompare() {
	// How many answers per channel to tell a CSAT of 80 from one of 75 with 80% power?
	n, err := csat.SampleSizeCompare(0.80, 0.75, 0.05, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers per channel")
	// Output:
	// 1094 answers per channel
}

func ExampleResult_Test() {
	// 170 of 200 customers satisfied: did the CSAT beat the target of 80? (R:
	// prop.test(170, 200, 0.8, correct = FALSE) gives p-value = 0.07710, binom.test(170,
	// 200, 0.8) p-value = 0.07752.)
	scores := make([]int, 200)
	for i := range scores {
		scores[i] = 2
		if i < 170 {
			scores[i] = 5
		}
	}
	r, err := csat.Compute(scores, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wilson, cxmetrics.ClopperPearson} {
		c, err := r.Test(80, m, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-14s CSAT %.0f, %+.0f points against the target, p = %.3f\n", m, r.Score, c.Difference, c.P)
	}
	// Output:
	// Wilson         CSAT 85, +5 points against the target, p = 0.077
	// ClopperPearson CSAT 85, +5 points against the target, p = 0.078
}
