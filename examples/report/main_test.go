package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// update rewrites testdata/report.golden and the README's charts in docs/ from the
// current report on the sample:
//
//	go test ./examples/report -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata/report.golden and the README's images in docs/ (the page's screenshot when Chromium is installed)")

// sampleText is the text report on the sample, computed once for the tests that read it.
var sampleText = sync.OnceValues(func() (string, string) {
	var out, errs bytes.Buffer
	run([]string{"-out", ""}, &out, &errs)
	return out.String(), errs.String()
})

// readmeCharts are the charts the README shows, copied to docs/ by -update.
var readmeCharts = []string{"trend-nps", "drivers"}

// The text report on the sample equals testdata/report.golden.
func TestGolden(t *testing.T) {
	got, errs := sampleText()
	if errs != "" {
		t.Fatalf("stderr: %s", errs)
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var out, stderr bytes.Buffer
		if code := run([]string{"-out", dir}, &out, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		for _, name := range readmeCharts {
			b, err := os.ReadFile(filepath.Join(dir, name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("..", "..", "docs", name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("report differs from %s at line %d (rewrite it with go test -run Golden -update):\ngot:  %q\nwant: %q", golden, i+1, g, w)
			}
		}
	}
}

// The default run says that its data are synthetic, and has every section.
func TestSampleSections(t *testing.T) {
	out, _ := sampleText()
	for _, want := range []string{
		"SYNTHETIC", "Survey scores", "NPS ", "CSAT ", "CES ", "Tango score interval", "Wilson score interval", "t interval",
		"Segments", "Holm", "shrunk", "Monthly trend", "Linear trend", "Key drivers", "Improve first",
		"Journey stages", "bounce rate (GA4)", "cart abandonment rate", "Purchase funnel", "Cohort retention",
		"Attribution", "Markov", "Shapley", "Customer lifetime value", "EUR", "P(alive)", "Peak-end rule",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "not available") {
		t.Errorf("a section of the sample report is not available:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > 100 {
			t.Errorf("line %d is %d characters long: %q", i+1, len([]rune(line)), line)
		}
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d ends in spaces: %q", i+1, line)
		}
	}
}

// sampleJSONOutput is the output of -json on the sample, computed once.
var sampleJSONOutput = sync.OnceValues(func() ([]byte, error) {
	var out, errs bytes.Buffer
	if code := run([]string{"-json", "-out", ""}, &out, &errs); code != 0 {
		return nil, fmt.Errorf("exit %d: %s", code, errs.String())
	}
	return out.Bytes(), nil
})

// sampleJSON decodes the output of -json on the sample, which must be one JSON object.
func sampleJSON(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	b, err := sampleJSONOutput()
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&obj); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value")
	}
	return obj
}

// -json prints one object with the pinned keys.
func TestJSON(t *testing.T) {
	obj := sampleJSON(t)
	for _, key := range []string{"nps", "csat", "ces", "data", "scores", "segments", "trends", "drivers", "stages",
		"funnel", "cohorts", "attribution", "clv", "peakend", "unavailable"} {
		if v, ok := obj[key]; !ok || string(v) == "null" {
			t.Errorf("key %q missing or null", key)
		}
	}
	var data struct{ Synthetic bool }
	if err := json.Unmarshal(obj["data"], &data); err != nil || !data.Synthetic {
		t.Errorf("data.synthetic is not true (%v)", err)
	}
}
