package main

import (
	"bytes"
	"io"
	"testing"

	"github.com/cxmetrics/cxmetrics/examples/report/internal/sample"
)

// The generator rewrites the embedded sample byte for byte (go generate runs it).
func TestSampleUpToDate(t *testing.T) {
	for _, f := range []struct {
		name     string
		gen      func(io.Writer, sample.Config) error
		embedded []byte
	}{
		{"responses.csv", sample.Responses, sampleResponses},
		{"events.csv", sample.Events, sampleEvents},
		{"moments.csv", sample.Moments, sampleMoments},
	} {
		var b bytes.Buffer
		if err := f.gen(&b, sample.Default); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), f.embedded) {
			t.Errorf("testdata/%s differs from what gendata writes (%d bytes, want %d): run go generate ./examples/report", f.name, len(f.embedded), b.Len())
		}
	}
}
