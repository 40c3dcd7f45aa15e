// Command gendata writes the report's synthetic sample data: testdata/responses.csv,
// testdata/events.csv and testdata/moments.csv. The report embeds these files; go generate
// in examples/report runs this command, which rewrites them byte for byte:
//
//	go generate ./examples/report
//
// With -large it writes the data set of the speed check instead (100,000 responses, about
// a million events) to the directory given by -dir, which it then needs:
//
//	go run ./examples/report/gendata -large -dir /tmp/large
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cxmetrics/cxmetrics/examples/report/internal/sample"
)

func main() {
	dir := flag.String("dir", "", "directory to write the CSV files to (default testdata, the embedded sample)")
	large := flag.Bool("large", false, "write the speed check's data set (100,000 responses, about 1,000,000 events) to -dir")
	flag.Parse()
	c := sample.Default
	switch {
	case *large && *dir == "":
		fmt.Fprintln(os.Stderr, "gendata: -large needs -dir, so that the embedded sample stays as it is")
		os.Exit(2)
	case *large:
		c = sample.Large
	case *dir == "":
		*dir = "testdata"
	}
	if err := write(*dir, c); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func write(dir string, c sample.Config) error {
	for _, f := range []struct {
		name string
		gen  func(io.Writer, sample.Config) error
	}{
		{"responses.csv", sample.Responses},
		{"events.csv", sample.Events},
		{"moments.csv", sample.Moments},
	} {
		file, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		if err := f.gen(file, c); err != nil {
			file.Close()
			return err
		}
		if err := file.Close(); err != nil {
			return err
		}
	}
	return nil
}
