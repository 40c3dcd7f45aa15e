package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/attribution"
	"github.com/cxmetrics/cxmetrics/journey/clv"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
	"github.com/cxmetrics/cxmetrics/journey/funnel"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/cxmetrics/cxmetrics/peakend"
	"github.com/cxmetrics/cxmetrics/segment"
)

// The tests below read the sample with encoding/csv, call the libraries directly, and
// require the report's figures to be the same numbers.

// sampleReport is the report on the sample, built once.
var sampleReport = sync.OnceValues(func() (*Report, error) {
	o, err := parseFlags(nil)
	if err != nil {
		return nil, err
	}
	o.currency = "EUR"
	in, err := load(o)
	if err != nil {
		return nil, err
	}
	return build(in, o), nil
})

// sampleRows reads the embedded responses as plain CSV records, keyed by column name.
func sampleRows(t *testing.T) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(sampleResponses)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, name := range recs[0] {
			m[name] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// answers returns the answers to column col, and their weights, of the rows that keep
// accepts.
func answers(t *testing.T, rows []map[string]string, col string, keep func(map[string]string) bool) ([]int, []float64) {
	t.Helper()
	var s []int
	var w []float64
	for _, r := range rows {
		if r[col] == "" || (keep != nil && !keep(r)) {
			continue
		}
		v, err := strconv.Atoi(r[col])
		if err != nil {
			t.Fatal(err)
		}
		x, err := strconv.ParseFloat(r["weight"], 64)
		if err != nil {
			t.Fatal(err)
		}
		s, w = append(s, v), append(w, x)
	}
	return s, w
}

func report(t *testing.T) *Report {
	t.Helper()
	rep, err := sampleReport()
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestScoresEqualLibrary(t *testing.T) {
	rep, rows := report(t), sampleRows(t)
	text, _ := sampleText()
	s, w := answers(t, rows, "nps", nil)
	n, err := nps.Compute(s, w)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*rep.NPS, n) {
		t.Errorf("NPS: report %+v, library %+v", *rep.NPS, n)
	}
	iv, _ := n.Interval(cxmetrics.Tango, 0.95)
	if line := fmt.Sprintf("NPS   %.1f points, 95%% CI [%.1f, %.1f] (Tango score interval)", n.Score, iv.Lower, iv.Upper); !strings.Contains(text, line) {
		t.Errorf("text lacks %q", line)
	}
	s, w = answers(t, rows, "csat", nil)
	c, err := csat.Compute(s, w)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*rep.CSAT, c) {
		t.Errorf("CSAT: report %+v, library %+v", *rep.CSAT, c)
	}
	iv, _ = c.Interval(cxmetrics.Wilson, 0.95)
	if line := fmt.Sprintf("CSAT  %.1f%% satisfied, 95%% CI [%.1f, %.1f] (Wilson score interval)", c.Score, iv.Lower, iv.Upper); !strings.Contains(text, line) {
		t.Errorf("text lacks %q", line)
	}
	s, w = answers(t, rows, "ces", nil)
	e, err := ces.Compute(s, w)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*rep.CES, e) {
		t.Errorf("CES: report %+v, library %+v", *rep.CES, e)
	}
	iv, _ = e.Interval(cxmetrics.TDist, 0.95)
	if line := fmt.Sprintf("CES   %.2f mean rating, 7 = easiest, 95%% CI [%.2f, %.2f] (t interval)", e.Mean, iv.Lower, iv.Upper); !strings.Contains(text, line) {
		t.Errorf("text lacks %q", line)
	}
	// The JSON keys nps, csat and ces are the packages' own encodings.
	obj := sampleJSON(t)
	for key, r := range map[string]any{"nps": n, "csat": c, "ces": e} {
		want, _ := json.Marshal(r)
		var a, b any
		json.Unmarshal(obj[key], &a)
		json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("JSON %q = %s, want %s", key, obj[key], want)
		}
	}
}

func TestSegmentsEqualLibrary(t *testing.T) {
	rep, rows := report(t), sampleRows(t)
	table := rep.Segments[0]
	if table.Metric != "nps" {
		t.Fatalf("first segment table is %s", table.Metric)
	}
	var segs []segment.Segment
	for _, row := range table.Rows {
		s, w := answers(t, rows, "nps", func(r map[string]string) bool { return r["segment"] == row.Name })
		n, err := nps.Compute(s, w)
		if err != nil {
			t.Fatal(err)
		}
		iv, _ := n.Interval(cxmetrics.Tango, 0.95)
		if row.Score != n.Score || row.N != n.N || row.Interval != iv {
			t.Errorf("segment %s: report %v %d %v, library %v %d %v", row.Name, row.Score, row.N, row.Interval, n.Score, n.N, iv)
		}
		segs = append(segs, segment.Segment{Name: row.Name, Estimate: n.Estimate()})
	}
	vs, err := segment.EachVsRest(0.95, segs)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := segment.Shrink(0.95, segs)
	if err != nil {
		t.Fatal(err)
	}
	small, _ := segment.Small(segment.DefaultMinN, segs)
	for i, row := range table.Rows {
		if row.VsRest != vs[i].Difference || row.VsRestHolm != vs[i].PHolm || row.Shrunk != sh.Segments[i].Score ||
			row.Shrinkage != sh.Segments[i].Shrinkage || row.Small != small[i] {
			t.Errorf("segment %s: report %+v, library %+v %+v", row.Name, row, vs[i], sh.Segments[i])
		}
	}
}

func TestTrendEqualsLibrary(t *testing.T) {
	rep, rows := report(t), sampleRows(t)
	table := rep.Trends[0]
	var periods []segment.Segment
	var prev nps.Result
	for i, m := range table.Months {
		s, w := answers(t, rows, "nps", func(r map[string]string) bool { return strings.HasPrefix(r["date"], m.Month) })
		n, err := nps.Compute(s, w)
		if err != nil {
			t.Fatal(err)
		}
		if m.Score != n.Score || m.N != n.N {
			t.Errorf("%s: report %v (%d), library %v (%d)", m.Month, m.Score, m.N, n.Score, n.N)
		}
		if i > 0 {
			c, err := nps.Compare(n, prev, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if m.Change == nil || m.Change.Difference != c.Difference || m.Change.P != c.P || m.Change.Interval != c.Interval {
				t.Errorf("%s: change %+v, library %+v", m.Month, m.Change, c)
			}
		}
		prev = n
		periods = append(periods, segment.Segment{Name: m.Month, Estimate: n.Estimate()})
	}
	tr, err := segment.Trend(0.95, periods)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*table.Linear, tr.Linear) {
		t.Errorf("linear trend %+v, library %+v", *table.Linear, tr.Linear)
	}
}

func sampleLog(t *testing.T) []journey.Event {
	t.Helper()
	events, err := journey.ReadEventsCSV(bytes.NewReader(sampleEvents))
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func TestJourneyEqualsLibrary(t *testing.T) {
	rep, events := report(t), sampleLog(t)
	steps := []funnel.Step{{Event: "visit"}, {Event: "view_product"}, {Event: "add_to_cart"}, {Event: "checkout"}, {Event: "purchase"}}
	fr, err := funnel.Funnel{Steps: steps, Window: 24 * time.Hour, BreakdownBy: "device"}.Run(events)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.Funnel.Result, fr) {
		t.Errorf("funnel: report %+v, library %+v", rep.Funnel.Result, fr)
	}
	table, err := cohort.Build(events, cohort.Options{Period: cohort.Month, StartEvent: "purchase", ReturnEvent: "purchase"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*rep.Cohorts, table) {
		t.Error("cohort table differs from cohort.Build")
	}
	text, _ := sampleText()
	if !strings.Contains(text, table.Triangle(cohort.OnOrAfter)) {
		t.Error("text lacks the cohort triangle")
	}
	timed, err := attribution.TimedPathsFromEvents(events, "purchase", 30*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]attribution.Path, len(timed))
	for i, p := range timed {
		paths[i] = p.Path()
	}
	m, err := attribution.Markov(paths, 1)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := attribution.Shapley(paths)
	if err != nil {
		t.Fatal(err)
	}
	for i, ch := range rep.Attribution.Channels {
		want, _ := m.Channel(ch)
		if got := rep.Attribution.Models[5].Conversions[i]; got != want.Conversions {
			t.Errorf("Markov %s: report %v, library %v", ch, got, want.Conversions)
		}
		want, _ = sh.Channel(ch)
		if got := rep.Attribution.Models[6].Conversions[i]; got != want.Conversions {
			t.Errorf("Shapley %s: report %v, library %v", ch, got, want.Conversions)
		}
	}
}

func TestCLVEqualsLibrary(t *testing.T) {
	rep, events := report(t), sampleLog(t)
	var purchases []journey.Event
	end := events[0].Time
	for _, e := range events {
		end = later(end, e.Time)
		if e.Name == "purchase" {
			purchases = append(purchases, e)
		}
	}
	customers, ids, err := clv.CustomersFromEvents(purchases, end, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	bg, err := clv.FitBGNBD(customers)
	if err != nil {
		t.Fatal(err)
	}
	gg, err := clv.FitGammaGamma(customers)
	if err != nil {
		t.Fatal(err)
	}
	if rep.CLV.BGNBD != bg || rep.CLV.GammaGamma != gg {
		t.Fatalf("fits: report %+v %+v, library %+v %+v", rep.CLV.BGNBD, rep.CLV.GammaGamma, bg, gg)
	}
	monthly := math.Pow(1.1, 1.0/12) - 1
	total := 0.0
	values := make(map[string]float64, len(customers))
	for i, c := range customers {
		v, err := clv.LifetimeValue(bg, gg, c, 12, 365.25/12/7, monthly)
		if err != nil {
			t.Fatal(err)
		}
		total += v
		values[ids[i]] = v
	}
	if math.Abs(rep.CLV.Total-total) > 1e-9*total {
		t.Errorf("total value: report %v, library %v", rep.CLV.Total, total)
	}
	top := rep.CLV.Top[0]
	if top.Value != values[top.ID] {
		t.Errorf("top customer %s: report %v, library %v", top.ID, top.Value, values[top.ID])
	}
	keys := make([]string, 0, len(values))
	for id := range values {
		keys = append(keys, id)
	}
	slices.SortFunc(keys, func(a, b string) int { return -cmpFloat(values[a], values[b]) })
	if keys[0] != top.ID {
		t.Errorf("top customer %s, library's largest value %s", top.ID, keys[0])
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestPeakEndEqualsLibrary(t *testing.T) {
	rep := report(t)
	recs, err := csv.NewReader(bytes.NewReader(sampleMoments)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var experiences [][]peakend.Moment
	var ratings []float64
	index := map[string]int{}
	for _, r := range recs[1:] {
		v, _ := strconv.ParseFloat(r[1], 64)
		d, _ := strconv.Atoi(r[2])
		rating, _ := strconv.ParseFloat(r[3], 64)
		j, ok := index[r[0]]
		if !ok {
			j = len(experiences)
			index[r[0]] = j
			experiences = append(experiences, nil)
			ratings = append(ratings, rating)
		}
		experiences[j] = append(experiences[j], peakend.Moment{Value: v, Duration: time.Duration(d) * time.Second})
	}
	m, err := peakend.FitRule(peakend.Classic, experiences, ratings)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*rep.PeakEnd.Model, m) {
		t.Errorf("fit: report %+v, library %+v", *rep.PeakEnd.Model, m)
	}
	worst := rep.PeakEnd.Worst[0]
	r, err := peakend.Remembered(peakend.Classic, experiences[index[worst.ID]])
	if err != nil || r != worst.Remembered {
		t.Errorf("journey %s remembered %v, library %v (%v)", worst.ID, worst.Remembered, r, err)
	}
}
