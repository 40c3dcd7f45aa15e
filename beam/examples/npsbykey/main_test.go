package main

import (
	"context"
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	//lint:ignore SA1019 the direct runner links half the packages of prism; the command runs on prism with -tags prism.
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

// run runs the pipeline on Beam's direct runner on the given input text and returns the output file's records.
func run(t *testing.T, input string) ([][]string, error) {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
	require.NoError(t, os.WriteFile(in, []byte(input), 0o644))
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, build(s, in, out))
	if _, err := direct.Execute(context.Background(), p); err != nil {
		return nil, err
	}
	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs, nil
}

// adjustedWald is the 95% adjusted Wald interval of an NPS in points, derived here from
// its definition (Rocks 2016): add 3/4 promoter and 3/4 detractor and 3/2 passive, then
// the Wald interval of p+ - p- with variance (p+ + p- - (p+ - p-)²)/(n+3), z = 1.959964.
func adjustedWald(promoters, detractors, n float64) (lo, hi float64) {
	pp, pd := (promoters+0.75)/(n+3), (detractors+0.75)/(n+3)
	d := pp - pd
	h := 1.959963984540054 * math.Sqrt((pp+pd-d*d)/(n+3))
	return 100 * math.Max(-1, d-h), 100 * math.Min(1, d+h)
}

func TestNPSByKey(t *testing.T) {
	data, err := os.ReadFile("testdata/scores.csv")
	require.NoError(t, err)
	recs, err := run(t, string(data))
	require.NoError(t, err)
	// keys sorted; per key: answers, promoters, detractors
	want := []struct {
		key          string
		n, prom, det int
	}{
		{"east", 1, 1, 0},
		{"north", 4, 2, 1},
		{"north, coast", 2, 2, 0},
		{"south", 5, 2, 2},
		{"west", 2, 0, 2},
	}
	require.Len(t, recs, len(want)+1)
	assert.Equal(t, []string{"key", "n", "score", "lower", "upper"}, recs[0])
	for i, w := range want {
		r := recs[i+1]
		assert.Equal(t, w.key, r[0])
		assert.Equal(t, strconv.Itoa(w.n), r[1])
		score, lower, upper := parse(t, r[2]), parse(t, r[3]), parse(t, r[4])
		assert.InDelta(t, 100*float64(w.prom-w.det)/float64(w.n), score, 1e-12, w.key)
		lo, hi := adjustedWald(float64(w.prom), float64(w.det), float64(w.n))
		assert.InDelta(t, lo, lower, 1e-9, w.key)
		assert.InDelta(t, hi, upper, 1e-9, w.key)
	}
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return x
}

func TestHeaderOnly(t *testing.T) {
	recs, err := run(t, "key,score\n\n")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"key", "n", "score", "lower", "upper"}}, recs)
}

func TestBadRows(t *testing.T) {
	for _, tc := range []struct{ input, text string }{
		{"key,score\na,9\nb,11\n", `row "b,11": nps: score 11: out of range [0, 10]`},
		{"key,score\na,nine\n", `row "a,nine": score "nine" is not an integer`},
		{"key,score\na,9,1\n", `row "a,9,1": 3 fields, want key,score`},
		{"key,score\n\"a,9\n", `row "\"a,9"`},
	} {
		_, err := run(t, tc.input)
		require.Error(t, err, tc.input)
		assert.Contains(t, err.Error(), tc.text)
	}
}

func TestRunnerName(t *testing.T) {
	for _, tc := range []struct{ flag, want, err string }{
		{"", "direct", ""},
		{"direct", "direct", ""},
		{"DirectRunner", "DirectRunner", ""},
		{"nosuch", "", `npsbykey: unknown runner "nosuch": this build has`},
	} {
		got, err := runnerName(tc.flag)
		if tc.err != "" {
			require.Error(t, err, tc.flag)
			assert.Contains(t, err.Error(), tc.err)
			continue
		}
		require.NoError(t, err, tc.flag)
		assert.Equal(t, tc.want, got)
	}
	for name, tag := range tags {
		_, err := runnerName(name)
		if linked[name] {
			assert.NoError(t, err, name)
		} else {
			assert.EqualError(t, err, `npsbykey: runner "`+name+`" is not linked in: build with -tags `+tag)
		}
	}
}
