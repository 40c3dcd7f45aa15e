package cxmetrics_test

import (
	"errors"
	"fmt"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/nps"
)

// Errors about one value say which value, where, and which sentinel it breaks.
func ExampleInputError() {
	_, err := nps.Compute([]int{9, 10, 11}, nil)
	fmt.Println(err)
	fmt.Println(errors.Is(err, cxmetrics.ErrOutOfRange))
	var ie *cxmetrics.InputError
	if errors.As(err, &ie) {
		fmt.Println("index", ie.Index, "value", ie.Value)
	}
	// Output:
	// nps: score 11 at index 2: out of range [0, 10]
	// true
	// index 2 value 11
}

func ExampleInterval() {
	r, _ := nps.Compute([]int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10}, nil)
	iv, _ := r.Interval(cxmetrics.AdjustedWald, 0.9)
	fmt.Println(iv)
	// Output:
	// 40 [-5.615, 67.15] (90% AdjustedWald)
}
