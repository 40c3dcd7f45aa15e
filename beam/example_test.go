package cxbeam_test

import (
	"context"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	//lint:ignore SA1019 the direct runner links half the packages of prism; the pipeline is portable (go test -tags prism).
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"

	cxbeam "github.com/cxmetrics/cxmetrics/beam"
	"github.com/cxmetrics/cxmetrics/nps"
)

func init() { register.Function1x0(printNPS) }

func printNPS(r nps.Result) { fmt.Printf("NPS %.0f from %d answers\n", r.Score, r.N) }

// The Net Promoter Score of a PCollection of scores, computed in process on Beam's direct
// runner.
func ExampleNPS() {
	p, s := beam.NewPipelineWithRoot()
	scores := beam.Create(s, 10, 9, 9, 8, 7, 10, 6, 3, 9, 10)
	result, err := cxbeam.NPS(s, nps.Standard, scores)
	if err != nil {
		fmt.Println(err)
		return
	}
	beam.ParDo0(s, printNPS, result)
	if _, err := direct.Execute(context.Background(), p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// NPS 40 from 10 answers
}
