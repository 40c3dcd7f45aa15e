package ces_test

import (
	"fmt"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
)

func ExampleSampleSize() {
	// A pilot survey gave an SD of 1.5 points on the 1-7 scale: how many answers for a CES
	// within ±0.2 points at 95%?
	n, err := ces.SampleSize(1.5, 0.2, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±0.2 points")
	// Output:
	// 219 answers for ±0.2 points
}

func ExampleSampleSizeAssured() {
	// SampleSize's n reaches ±0.2 points only when the sample's SD comes out at 1.5 or
	// below, about half the time; plan for 90% of surveys instead.
	n, err := ces.SampleSizeAssured(1.5, 0.2, 0.95, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers for ±0.2 points in 90% of surveys")
	// Output:
	// 244 answers for ±0.2 points in 90% of surveys
}

func ExampleSampleSizeCompare() {
	// How many answers per channel to detect a difference of 0.4 points between chat (SD
	// 1.2) and phone (SD 1.8) with 80% power at α = 5%?
	n, err := ces.SampleSizeCompare(1.2, 1.8, 0.4, 0.05, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n, "answers per channel")
	// Output:
	// 231 answers per channel
}

func ExampleResult_Test() {
	// R: t.test(x, mu = 5.5) gives t = 3.8347, df = 199, p-value = 0.0001687.
	counts := []int{2, 3, 5, 15, 40, 60, 75} // answers 1..7
	var scores []int
	for j, c := range counts {
		for range c {
			scores = append(scores, j+1)
		}
	}
	r, err := ces.Compute(scores, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := r.Test(5.5, cxmetrics.TDist, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.2f, %+.2f against the target [%.2f, %.2f], t = %.2f, df = %.0f, p = %.2g\n",
		r.Mean, c.Difference, c.Interval.Lower, c.Interval.Upper, c.Statistic, c.DF, c.P)
	// Output:
	// CES 5.84, +0.34 against the target [0.17, 0.51], t = 3.83, df = 199, p = 0.00017
}
