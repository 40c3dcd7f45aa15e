package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cxmetrics/cxmetrics/examples/report/internal/sample"
)

// BenchmarkLarge times the whole report, text and charts, on 100,000 responses and about
// a million events (sample.Large, written once before the clock starts):
//
//	go test -run '^$' -bench Large -benchtime 1x ./examples/report
func BenchmarkLarge(b *testing.B) {
	dir := b.TempDir()
	files := map[string]func(io.Writer, sample.Config) error{
		"responses.csv": sample.Responses, "events.csv": sample.Events, "moments.csv": sample.Moments,
	}
	for name, gen := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		if err := gen(f, sample.Large); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	args := []string{
		"-responses", filepath.Join(dir, "responses.csv"),
		"-events", filepath.Join(dir, "events.csv"),
		"-moments", filepath.Join(dir, "moments.csv"),
		"-out", filepath.Join(dir, "out"),
	}
	for b.Loop() {
		if code := run(args, io.Discard, os.Stderr); code != 0 {
			b.Fatalf("exit status %d", code)
		}
	}
}
