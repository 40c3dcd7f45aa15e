package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/cxmetrics/cxmetrics/segment"
)

// level is the confidence level of every interval and test in the report.
const level = 0.95

// kind is one of the three survey scores. The report treats them alike: one column of
// the responses file, one package, one interval method and one test of two samples.
type kind struct {
	key    string // JSON key and column name
	name   string // as printed: "NPS"
	title  string
	column int // in responseColumns
	min    int
	max    int
	digits int // decimals to print
	unit   string
	method string // the interval, in words
	test   string // the test of two samples, in words
	score  func(scores []int, weights []float64) (scored, error)
}

// scored is one score computed by its package, with its interval, in the form the
// report's tables take.
type scored struct {
	result   any // nps.Result, csat.Result or ces.Result
	estimate cxmetrics.Estimate
	interval cxmetrics.Interval
	parts    []Share
	mean     float64 // CSAT, CES: the mean rating
	// compare compares this score with an earlier one by the package's test.
	compare func(earlier scored) (Change, error)
}

// Share is a part of a score: the promoters of an NPS, the easy answers of a CES.
type Share struct {
	Label   string  `json:"label"`
	Percent float64 `json:"percent"`
}

// Change is the difference between two scores by the package's own test.
type Change struct {
	Difference float64            `json:"difference"`
	Interval   cxmetrics.Interval `json:"interval"`
	Statistic  float64            `json:"statistic"`
	DF         float64            `json:"df,omitempty"`
	P          float64            `json:"p"`
}

// npsKind is the index of the NPS in kinds.
const npsKind = 0

var kinds = [...]kind{
	{
		key: "nps", name: "NPS", title: "Net Promoter Score", column: colNPS, min: 0, max: 10, digits: 1,
		unit: "points", method: "Tango score interval", test: "pooled score test; MOVER interval from the Tango intervals",
		score: func(s []int, w []float64) (scored, error) {
			r, err := nps.Compute(s, w)
			if err != nil {
				return scored{}, err
			}
			iv, err := r.Interval(cxmetrics.Tango, level)
			if err != nil {
				return scored{}, err
			}
			return scored{
				result: r, estimate: r.Estimate(), interval: iv,
				parts: []Share{{"promoters (9-10)", 100 * r.Promoters}, {"passives (7-8)", 100 * r.Passives}, {"detractors (0-6)", 100 * r.Detractors}},
				compare: func(e scored) (Change, error) {
					c, err := nps.Compare(r, e.result.(nps.Result), level)
					return Change{c.Difference, c.Interval, c.Statistic, c.DF, c.P}, err
				},
			}, nil
		},
	},
	{
		key: "csat", name: "CSAT", title: "Customer Satisfaction", column: colCSAT, min: 1, max: 5, digits: 1,
		unit: "% satisfied", method: "Wilson score interval", test: "pooled two-proportion z-test; Newcombe's hybrid score interval",
		score: func(s []int, w []float64) (scored, error) {
			r, err := csat.Compute(s, w)
			if err != nil {
				return scored{}, err
			}
			iv, err := r.Interval(cxmetrics.Wilson, level)
			if err != nil {
				return scored{}, err
			}
			return scored{
				result: r, estimate: r.Estimate(), interval: iv, mean: r.Mean,
				parts: []Share{{"satisfied (4-5)", 100 * r.Satisfied}},
				compare: func(e scored) (Change, error) {
					c, err := csat.Compare(r, e.result.(csat.Result), level)
					return Change{c.Difference, c.Interval, c.Statistic, c.DF, c.P}, err
				},
			}, nil
		},
	},
	{
		key: "ces", name: "CES", title: "Customer Effort Score", column: colCES, min: 1, max: 7, digits: 2,
		unit: "mean rating, 7 = easiest", method: "t interval", test: "pooled-variance t-test; Welch's interval",
		score: func(s []int, w []float64) (scored, error) {
			r, err := ces.Compute(s, w)
			if err != nil {
				return scored{}, err
			}
			iv, err := r.Interval(cxmetrics.TDist, level)
			if err != nil {
				return scored{}, err
			}
			return scored{
				result: r, estimate: r.Estimate(), interval: iv, mean: r.Mean,
				parts: []Share{{"easy (5-7)", 100 * r.Easy}, {"difficult (1-3)", 100 * r.Difficult}},
				compare: func(e scored) (Change, error) {
					c, err := ces.Compare(r, e.result.(ces.Result), level)
					return Change{c.Difference, c.Interval, c.Statistic, c.DF, c.P}, err
				},
			}, nil
		},
	},
}

// ScoreSummary is one score over all responses.
type ScoreSummary struct {
	Metric     string             `json:"metric"`
	N          int                `json:"n"`
	Weighted   bool               `json:"weighted"`
	EffectiveN float64            `json:"effective_n"`
	Score      float64            `json:"score"`
	Interval   cxmetrics.Interval `json:"interval"`
	Method     string             `json:"method"`
	Mean       float64            `json:"mean,omitempty"`
	Parts      []Share            `json:"parts"`
	Skipped    int                `json:"not_answered"` // rows that left the question blank
}

// answers collects kind k's answers (and weights) of the rows for which keep is true.
func (d *responses) answers(k int, keep func(row int) bool) ([]int, []float64) {
	var s []int
	var w []float64
	for i, v := range d.scores[k] {
		if v == unanswered || (keep != nil && !keep(i)) {
			continue
		}
		s = append(s, v)
		if d.weights != nil {
			w = append(w, d.weights[i])
		}
	}
	return s, w
}

// scoreAll computes kind k over all responses.
func scoreAll(d *responses, k int) (scored, ScoreSummary, error) {
	s, w := d.answers(k, nil)
	sc, err := kinds[k].score(s, w)
	if err != nil {
		return scored{}, ScoreSummary{}, err
	}
	return sc, ScoreSummary{
		Metric: kinds[k].key, N: sc.estimate.N, Weighted: w != nil, EffectiveN: sc.estimate.EffectiveN,
		Score: sc.estimate.Score, Interval: sc.interval, Method: kinds[k].method,
		Mean: sc.mean, Parts: sc.parts, Skipped: d.rows - len(s),
	}, nil
}

// recommendShare computes the willingness-to-recommend share of the nps answers: the
// CSAT of the top two boxes of the 0-10 scale (csat.Recommend), with its Wilson interval.
func recommendShare(d *responses) (ScoreSummary, error) {
	s, w := d.answers(npsKind, nil)
	r, err := csat.ComputeScale(csat.Recommend, s, w)
	if err != nil {
		return ScoreSummary{}, err
	}
	iv, err := r.Interval(cxmetrics.Wilson, level)
	if err != nil {
		return ScoreSummary{}, err
	}
	return ScoreSummary{Metric: "wrs", N: r.N, Weighted: w != nil, EffectiveN: r.EffectiveN, Score: r.Score,
		Interval: iv, Method: "Wilson score interval", Skipped: d.rows - len(s)}, nil
}

// SegmentTable compares the segments on one score.
type SegmentTable struct {
	Metric     string       `json:"metric"`
	Rows       []SegmentRow `json:"rows"`
	Unassigned int          `json:"unassigned"` // answers without a segment, left out
	// The empirical-Bayes model behind the shrunk scores.
	Mean      float64 `json:"shrinkage_mean"`
	BetweenSD float64 `json:"between_sd"`
	// Pairs that differ at the 5% level after Holm's adjustment over all pairs.
	Pairs       []PairRow `json:"pairs"`
	PairsTested int       `json:"pairs_tested"`
	Notes       []string  `json:"notes,omitempty"`
}

// SegmentRow is one segment's score, its comparison with the other segments pooled, and
// its shrunk score.
type SegmentRow struct {
	Name       string             `json:"name"`
	N          int                `json:"n"`
	EffectiveN float64            `json:"effective_n"`
	Score      float64            `json:"score"`
	Interval   cxmetrics.Interval `json:"interval"`
	VsRest     float64            `json:"vs_rest"`
	VsRestHolm float64            `json:"vs_rest_p_holm"`
	Shrunk     float64            `json:"shrunk"`
	Shrinkage  float64            `json:"shrinkage"`
	Small      bool               `json:"small"`
}

// PairRow is a pair of segments whose scores differ.
type PairRow struct {
	A          string  `json:"a"` // the higher-scoring segment
	B          string  `json:"b"`
	Difference float64 `json:"difference"`
	PHolm      float64 `json:"p_holm"`
}

// maxPairsShown bounds the list of differing pairs in the report.
const maxPairsShown = 10

// segmentTable compares the segments of the responses on kind k.
func segmentTable(d *responses, k int) (*SegmentTable, error) {
	t := &SegmentTable{Metric: kinds[k].key}
	var names []string
	seen := map[string]bool{}
	for i, v := range d.scores[k] {
		if v == unanswered {
			continue
		}
		name := d.segments[i]
		if name == "" {
			t.Unassigned++
			continue
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) < 2 {
		return nil, fmt.Errorf("the %s answers fall in %d %s; comparing needs 2 or more", kinds[k].name, len(names), plural("segment", len(names)))
	}
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	// One pass over the rows collects every segment's answers.
	scores := make([][]int, len(names))
	weights := make([][]float64, len(names))
	for i, v := range d.scores[k] {
		if v == unanswered || d.segments[i] == "" {
			continue
		}
		j := index[d.segments[i]]
		scores[j] = append(scores[j], v)
		if d.weights != nil {
			weights[j] = append(weights[j], d.weights[i])
		}
	}
	var segs []segment.Segment
	for j, name := range names {
		sc, err := kinds[k].score(scores[j], weights[j])
		if err != nil {
			t.Notes = append(t.Notes, fmt.Sprintf("segment %s left out: %v", name, err))
			continue
		}
		segs = append(segs, segment.Segment{Name: name, Estimate: sc.estimate})
		t.Rows = append(t.Rows, SegmentRow{Name: name, N: sc.estimate.N, EffectiveN: sc.estimate.EffectiveN, Score: sc.estimate.Score, Interval: sc.interval})
	}
	if len(segs) < 2 {
		return nil, fmt.Errorf("fewer than 2 segments have a score (%s)", strings.Join(t.Notes, "; "))
	}
	vs, err := segment.EachVsRest(level, segs)
	if err != nil {
		return nil, err
	}
	small, err := segment.Small(segment.DefaultMinN, segs)
	if err != nil {
		return nil, err
	}
	for i, v := range vs {
		t.Rows[i].VsRest, t.Rows[i].VsRestHolm, t.Rows[i].Small = v.Difference, v.PHolm, small[i]
	}
	if sh, err := segment.Shrink(level, segs); err != nil {
		t.Notes = append(t.Notes, "no shrinkage: "+err.Error())
		for i := range t.Rows {
			t.Rows[i].Shrunk, t.Rows[i].Shrinkage = t.Rows[i].Score, 0
		}
	} else {
		t.Mean, t.BetweenSD = sh.Mean, sh.BetweenSD
		for i, s := range sh.Segments {
			t.Rows[i].Shrunk, t.Rows[i].Shrinkage = s.Score, s.Shrinkage
		}
	}
	if len(segs) > segment.MaxPairSegments {
		t.Notes = append(t.Notes, fmt.Sprintf("pairs not compared: more than %d segments", segment.MaxPairSegments))
		return t, nil
	}
	pairs, err := segment.AllPairs(level, segs)
	if err != nil {
		return nil, err
	}
	t.PairsTested = len(pairs)
	slices.SortStableFunc(pairs, func(a, b segment.Pair) int {
		switch {
		case a.PHolm < b.PHolm:
			return -1
		case a.PHolm > b.PHolm:
			return 1
		}
		return 0
	})
	for _, p := range pairs {
		if p.PHolm >= 1-level || len(t.Pairs) == maxPairsShown {
			break
		}
		a, b, diff := segs[p.A].Name, segs[p.B].Name, p.Difference
		if diff < 0 {
			a, b, diff = b, a, -diff
		}
		t.Pairs = append(t.Pairs, PairRow{A: a, B: b, Difference: diff, PHolm: p.PHolm})
	}
	return t, nil
}

// TrendTable is one score by calendar month.
type TrendTable struct {
	Metric string     `json:"metric"`
	Months []MonthRow `json:"months"`
	// LastVsFirst compares the last month with the first by the package's test.
	LastVsFirst *Change `json:"last_vs_first,omitempty"`
	// Linear is the weighted least-squares line through the monthly scores.
	Linear  *segment.Linear `json:"linear,omitempty"`
	Gaps    []string        `json:"gaps,omitempty"` // months between the first and last without answers
	Undated int             `json:"undated"`        // answers without a date, left out
	Notes   []string        `json:"notes,omitempty"`
}

// MonthRow is one month's score and its change from the month before.
type MonthRow struct {
	Month      string             `json:"month"`
	N          int                `json:"n"`
	EffectiveN float64            `json:"effective_n"`
	Score      float64            `json:"score"`
	Interval   cxmetrics.Interval `json:"interval"`
	Change     *Change            `json:"change,omitempty"` // from the previous month in the table
}

// trendTable computes kind k by month.
func trendTable(d *responses, k int) (*TrendTable, error) {
	t := &TrendTable{Metric: kinds[k].key}
	var months []string
	seen := map[string]bool{}
	for i, v := range d.scores[k] {
		if v == unanswered {
			continue
		}
		if d.months[i] == "" {
			t.Undated++
			continue
		}
		if !seen[d.months[i]] {
			seen[d.months[i]] = true
			months = append(months, d.months[i])
		}
	}
	slices.Sort(months)
	if len(months) == 0 {
		return nil, fmt.Errorf("no %s answer has a date", kinds[k].name)
	}
	index := make(map[string]int, len(months))
	for i, m := range months {
		index[m] = i
	}
	scores := make([][]int, len(months))
	weights := make([][]float64, len(months))
	for i, v := range d.scores[k] {
		if v == unanswered || d.months[i] == "" {
			continue
		}
		j := index[d.months[i]]
		scores[j] = append(scores[j], v)
		if d.weights != nil {
			weights[j] = append(weights[j], d.weights[i])
		}
	}
	var all []scored
	var periods []segment.Segment
	for j, m := range months {
		sc, err := kinds[k].score(scores[j], weights[j])
		if err != nil {
			t.Notes = append(t.Notes, fmt.Sprintf("%s left out: %v", m, err))
			continue
		}
		row := MonthRow{Month: m, N: sc.estimate.N, EffectiveN: sc.estimate.EffectiveN, Score: sc.estimate.Score, Interval: sc.interval}
		if len(all) > 0 {
			if c, err := sc.compare(all[len(all)-1]); err == nil {
				row.Change = &c
			} else {
				t.Notes = append(t.Notes, fmt.Sprintf("%s: no change test: %v", m, err))
			}
		}
		all = append(all, sc)
		periods = append(periods, segment.Segment{Name: m, Estimate: sc.estimate})
		t.Months = append(t.Months, row)
	}
	t.Gaps = missingMonths(t.Months)
	if len(all) >= 2 {
		if c, err := all[len(all)-1].compare(all[0]); err == nil {
			t.LastVsFirst = &c
		}
		if tr, err := segment.Trend(level, periods); err == nil {
			t.Linear = &tr.Linear
		} else {
			t.Notes = append(t.Notes, "no linear trend: "+err.Error())
		}
	}
	return t, nil
}

// missingMonths lists the calendar months between the first and the last row that have
// no row.
func missingMonths(rows []MonthRow) []string {
	var gaps []string
	for i := 1; i < len(rows); i++ {
		var y, m int
		fmt.Sscanf(rows[i-1].Month, "%d-%d", &y, &m)
		for {
			m++
			if m > 12 {
				y, m = y+1, 1
			}
			next := fmt.Sprintf("%04d-%02d", y, m)
			if next >= rows[i].Month {
				break
			}
			gaps = append(gaps, next)
		}
	}
	return gaps
}
