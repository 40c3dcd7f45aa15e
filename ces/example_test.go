package ces_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/internal/survey/surveytest"
)

func ExampleCompute() {
	// CES 2.0: "The company made it easy for me to handle my issue", 1-7.
	scores := []int{7, 6, 5, 5, 4, 7, 3, 6, 6, 2, 5, 7, 1, 6, 5}
	r, err := ces.Compute(scores, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.2f (SD %.2f) from %d answers\n", r.Mean, r.SD, r.N)
	fmt.Printf("easy %.0f%%, difficult %.0f%%, net easy %.1f\n", 100*r.Easy, 100*r.Difficult, r.NetEasy)
	// Output:
	// CES 5.00 (SD 1.81) from 15 answers
	// easy 73%, difficult 20%, net easy 53.3
}

func ExampleCompute_weights() {
	// Survey weights correct for a sample that under-represents customers with a hard
	// time: their answers count three times. The effective n is the number of unweighted
	// answers whose mean would be as precise (see the package documentation, "Weights").
	scores := []int{7, 7, 6, 6, 5, 6, 2, 1}
	weights := []float64{1, 1, 1, 1, 1, 1, 3, 3}
	r, err := ces.Compute(scores, weights)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.2f, effective n %.2f of %d\n", r.Mean, r.EffectiveN, r.N)
	// Output:
	// CES 3.83, effective n 6.06 of 8
}

func ExampleComputeScale() {
	// The original 1-5 effort scale: 1 very low effort .. 5 very high. Low is easy.
	r, err := ces.ComputeScale(ces.Standard5, []int{1, 2, 2, 3, 1, 4, 5, 2}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.2f, easy %.1f%%, difficult %.1f%%\n", r.Mean, 100*r.Easy, 100*r.Difficult)
	_, err = ces.ComputeScale(ces.Standard5, []int{1, 6}, nil)
	fmt.Println(err)
	// Output:
	// CES 2.50, easy 62.5%, difficult 25.0%
	// ces: score 6 at index 1: out of range [1, 5]
}

func ExampleComputeSeq() {
	// Ratings streamed from a reader, a channel or a database cursor.
	stream := slices.Values([]int{6, 7, 5, 3, 6})
	r, err := ces.ComputeSeq(ces.Standard7, stream)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("CES %.1f from %d answers\n", r.Mean, r.N)
	// Output:
	// CES 5.4 from 5 answers
}

func ExampleScale_Category() {
	for _, r := range []int{1, 3, 5} {
		c, _ := ces.Standard5.Category(r)
		fmt.Println(r, c)
	}
	// Output:
	// 1 easy
	// 3 neutral
	// 5 difficult
}

func ExampleResult_Interval() {
	// 250 answers; R: t.test(x)$conf.int = 5.099921 5.460079.
	r, err := ces.Compute(fromCounts(5, 10, 15, 30, 60, 80, 50), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	iv, err := r.Interval(cxmetrics.TDist, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-9s %.2f [%.2f, %.2f]\n", iv.Method, iv.Estimate, iv.Lower, iv.Upper)
	// Output:
	// TDist     5.28 [5.10, 5.46]
}

func ExampleResult_Bootstrap() {
	r, err := ces.Compute(fromCounts(5, 10, 15, 30, 60, 80, 50), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 1))
	iv, err := r.Bootstrap(rng, 10000, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-9s %.2f [%.1f, %.1f]\n", iv.Method, iv.Estimate, iv.Lower, iv.Upper)
	// Output:
	// Bootstrap 5.28 [5.1, 5.5]
}

func ExampleResult_EasyInterval() {
	r, err := ces.Compute(fromCounts(5, 10, 15, 30, 60, 80, 50), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range []cxmetrics.Method{cxmetrics.Wilson, cxmetrics.ClopperPearson, cxmetrics.Jeffreys} {
		iv, err := r.EasyInterval(m, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("easy %-14s %.1f%% [%.1f, %.1f]\n", m, iv.Estimate, iv.Lower, iv.Upper)
	}
	// Output:
	// easy Wilson         76.0% [70.3, 80.9]
	// easy ClopperPearson 76.0% [70.2, 81.2]
	// easy Jeffreys       76.0% [70.4, 81.0]
}

func ExampleResult_Normalize() {
	// The same experience on both standard scales: 100 is always the easiest end.
	seven, _ := ces.Compute([]int{6, 5, 6, 5}, nil)
	five, _ := ces.ComputeScale(ces.Standard5, []int{2, 2, 1, 3}, nil)
	a, _ := seven.Normalize()
	b, _ := five.Normalize()
	fmt.Printf("1-7 mean %.1f: ease %.0f; 1-5 effort mean %.1f: ease %.0f\n", seven.Mean, a, five.Mean, b)
	// Output:
	// 1-7 mean 5.5: ease 75; 1-5 effort mean 2.0: ease 75
}

func ExampleCompare() {
	// R: t.test(chat, phone) gives t = 6.730886, df = 168.8254, p-value = 2.518e-10.
	phone, _ := ces.Compute(fromCounts(4, 6, 10, 20, 30, 20, 10), nil)
	chat, _ := ces.Compute(fromCounts(2, 3, 5, 15, 40, 60, 75), nil)
	c, err := ces.Compare(chat, phone, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("chat - phone %+.2f, 95%% CI [%.2f, %.2f], t = %.2f, df = %.0f, p = %.2g\n",
		c.Difference, c.Interval.Lower, c.Interval.Upper, c.Statistic, c.DF, c.P)
	// Output:
	// chat - phone +1.18, 95% CI [0.83, 1.53], t = 7.16, df = 298, p = 6.3e-12
}

func ExampleTally() {
	// Two shards score their answers; a coordinator merges the encoded tallies.
	var east, west ces.Tally // the zero value is a tally on Standard7
	for _, s := range []int{7, 6, 2, 5} {
		_ = east.Add(s)
	}
	for _, s := range []int{6, 3, 7} {
		_ = west.Add(s)
	}
	data, _ := west.MarshalBinary()

	var received ces.Tally
	if err := received.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	if err := east.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	r, _ := east.Result()
	fmt.Printf("CES %.2f over %d answers\n", r.Mean, r.N)
	// Output:
	// CES 5.14 over 7 answers
}

// fromCounts expands counts of the ratings 1, 2, ... into answers.
func fromCounts(counts ...int) []int {
	return surveytest.Expand([]int{1, 2, 3, 4, 5, 6, 7}, counts...)
}
