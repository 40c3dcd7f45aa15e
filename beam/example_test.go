package cxbeam_test

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	cxbeam "github.com/cxmetrics/cxmetrics/beam"
	"github.com/cxmetrics/cxmetrics/nps"
)

func init() { register.Function1x0(printNPS) }

func printNPS(r nps.Result) { fmt.Printf("NPS %.0f from %d answers\n", r.Score, r.N) }

// The Net Promoter Score of a PCollection of scores, computed on the local runner.
func ExampleNPS() {
	p, s := beam.NewPipelineWithRoot()
	scores := beam.Create(s, 10, 9, 9, 8, 7, 10, 6, 3, 9, 10)
	result, err := cxbeam.NPS(s, nps.Standard, scores)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printNPS, result)
	if _, err := beam.Run(context.Background(), "prism", p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// NPS 40 from 10 answers
}
