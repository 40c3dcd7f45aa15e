package cxbeam

import (
	"context"
	"flag"
	"os"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	//lint:ignore SA1019 the direct runner links half the packages of prism; go test -tags prism runs the same tests on prism.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"
)

// defaultRunner is the runner of the tests' pipelines unless -runner names another. It
// is Beam's direct runner, in process: it links about 390 packages where prism, Beam's
// default local runner, links about 800, which made the module's tests take minutes to
// build on a fresh machine. The direct runner runs a combine in one bundle, without
// partial accumulators; TestCombineMatchesCompute covers the merge of partial tallies
// through Beam's coders, and `go test -tags prism` (prism_test.go) runs every pipeline
// test on prism too, which lifts the combines and encodes the accumulators.
var defaultRunner = "direct"

func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

// runPipeline runs p on the runner named by -runner, else on defaultRunner.
func runPipeline(p *beam.Pipeline) error {
	r := *runners.Runner
	if r == "" {
		r = defaultRunner
	}
	_, err := beam.Run(context.Background(), r, p)
	return err
}
