// Command npsbykey computes the Net Promoter Score of every key of a CSV file, with its
// 95% adjusted Wald interval, as an Apache Beam pipeline:
//
//	go run ./examples/npsbykey -input examples/npsbykey/testdata/scores.csv -output nps.csv
//
// The input has a header key,score and one row per answer, a key and a score from 0 to
// 10; -input may be a glob, and on Dataflow a gs:// path. The output has a header
// key,n,score,lower,upper and one row per key, sorted by key: the number of answers, the
// score and the interval's bounds (NPS points, written as the shortest decimals that read
// back to the same float64).
//
// By default the command links only Beam's direct runner, which runs the pipeline in
// process, and the local file system: it builds from about 430 packages, where linking
// every runner of the SDK (as beamx does) builds about 840. The remote runners are behind
// build tags, one file each; build with the tag and pass -runner and that runner's flags:
//
//	GOFLAGS=-tags=dataflow go run ./examples/npsbykey ... -runner=dataflow -project=P -region=R -staging_location=gs://B/staging
//	go run -tags flink ./examples/npsbykey ... -runner=flink -endpoint=HOST:8099
//
// The tag dataflow also links Google Cloud Storage for gs:// paths. The runner
// cross-compiles the worker binary with a plain go build of this directory, which sees
// GOFLAGS but not -tags: without GOFLAGS the workers would lack Cloud Storage (or pass a
// worker binary built with the tag, -worker_binary). With the tag flink the paths are
// local to the workers, which need no tag. The tag prism links prism, Beam's local runner that runs
// bundles in parallel (-runner=prism). A -runner that is not linked in is an error that
// names the tag to build with.
//
// A row that is not key,score, a score that is not an integer, or one outside 0-10 stops
// the pipeline with an error that names the row. Lines are read one by one, so a quoted
// key may hold a comma but not a line break; blank lines are skipped, as is every line that
// repeats the header (each file of a glob has one).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	//lint:ignore SA1019 the direct runner links half the packages of prism; -tags prism links prism.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"
)

// linked holds the names of the runners linked into the command; the files behind the
// build tags add theirs.
var linked = map[string]bool{"direct": true, "DirectRunner": true}

// tags maps the names of the runners that a build tag links to that tag.
var tags = map[string]string{
	"dataflow": "dataflow", "DataflowRunner": "dataflow",
	"flink": "flink", "FlinkRunner": "flink",
	"prism": "prism", "PrismRunner": "prism",
}

var (
	input  = flag.String("input", "", "CSV `file` (or glob) of key,score rows")
	output = flag.String("output", "", "CSV `file` written: key,n,score,lower,upper, sorted by key")
)

func main() {
	flag.Parse()
	beam.Init()
	if *input == "" || *output == "" {
		fmt.Fprintln(os.Stderr, "usage: npsbykey -input FILE -output FILE [-runner=...]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	runner, err := runnerName(*runners.Runner)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	p, s := beam.NewPipelineWithRoot()
	if err := build(s, *input, *output); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := beam.Run(context.Background(), runner, p); err != nil {
		fmt.Fprintln(os.Stderr, "npsbykey:", err)
		os.Exit(1)
	}
}

// runnerName returns the runner that -runner names, direct when it is empty, or an error
// that says which build tag links it.
func runnerName(name string) (string, error) {
	if name == "" {
		return "direct", nil
	}
	if linked[name] {
		return name, nil
	}
	if tag, ok := tags[name]; ok {
		return "", fmt.Errorf("npsbykey: runner %q is not linked in: build with -tags %s", name, tag)
	}
	var names []string
	for n := range linked {
		names = append(names, n)
	}
	slices.Sort(names)
	return "", fmt.Errorf("npsbykey: unknown runner %q: this build has %s", name, strings.Join(names, ", "))
}
