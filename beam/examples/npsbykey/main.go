// Command npsbykey computes the Net Promoter Score of every key of a CSV file, with its
// 95% adjusted Wald interval, as an Apache Beam pipeline:
//
//	go run ./examples/npsbykey -input examples/npsbykey/testdata/scores.csv -output nps.csv
//
// The input has a header key,score and one row per answer, a key and a score from 0 to
// 10; -input may be a glob, and on Dataflow a gs:// path. The output has a header
// key,n,score,lower,upper and one row per key, sorted by key: the number of answers, the
// score and the interval's bounds (NPS points, written as the shortest decimals that read
// back to the same float64). The pipeline runs on Beam's local runner (prism) unless
// -runner names another, with that runner's flags:
//
//	-runner=dataflow -project=P -region=R -staging_location=gs://B/staging
//	-runner=flink -endpoint=HOST:8099
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

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
)

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
	p, s := beam.NewPipelineWithRoot()
	if err := build(s, *input, *output); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		fmt.Fprintln(os.Stderr, "npsbykey:", err)
		os.Exit(1)
	}
}
