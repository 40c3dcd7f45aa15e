// Command report is cxmetrics end to end: it reads the embedded sample data of an online
// shop (testdata/: survey answers, an event log, support journeys) and prints a customer
// experience report: NPS with its uncertainty by region and month, journey metrics,
// the purchase funnel, cohort retention, channel attribution, customer lifetime value,
// and what customers remember of their support journeys.
//
//	go run ./examples/report
//
// testdata/generate.py regenerates the sample data.
package main

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strconv"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/nps"
)

//go:embed testdata/survey.csv
var surveyCSV []byte

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	if err := surveySection(w); err != nil {
		return err
	}
	events, err := readEvents()
	if err != nil {
		return err
	}
	for _, section := range []func(io.Writer, []journey.Event) error{
		stagesSection, funnelSection, cohortSection, attributionSection, clvSection,
	} {
		fmt.Fprintln(w)
		if err := section(w, events); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	return peakEndSection(w)
}

func heading(w io.Writer, title string) {
	fmt.Fprintf(w, "%s\n%s\n", title, bytes.Repeat([]byte("="), len(title)))
}

// answer is one survey response.
type answer struct {
	region, month string
	score         int
	weight        float64
}

func readSurvey() ([]answer, error) {
	rows, err := csv.NewReader(bytes.NewReader(surveyCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("survey: %w", err)
	}
	var out []answer
	for i, r := range rows[1:] {
		score, err := strconv.Atoi(r[3])
		if err != nil {
			return nil, fmt.Errorf("survey line %d: score: %w", i+2, err)
		}
		weight, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			return nil, fmt.Errorf("survey line %d: weight: %w", i+2, err)
		}
		out = append(out, answer{region: r[1], month: r[2], score: score, weight: weight})
	}
	return out, nil
}

func surveySection(w io.Writer) error {
	heading(w, "Net Promoter Score")
	answers, err := readSurvey()
	if err != nil {
		return err
	}
	scores := make([]int, len(answers))
	weights := make([]float64, len(answers))
	byRegion := map[string]*nps.Tally{}
	byMonth := map[string]*nps.Tally{}
	for i, a := range answers {
		scores[i], weights[i] = a.score, a.weight
		for _, m := range []struct {
			tallies map[string]*nps.Tally
			key     string
		}{{byRegion, a.region}, {byMonth, a.month}} {
			t := m.tallies[m.key]
			if t == nil {
				t = new(nps.Tally)
				m.tallies[m.key] = t
			}
			if err := t.Add(a.score); err != nil {
				return err
			}
		}
	}
	all, err := nps.Compute(scores, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d answers: %.1f%% promoters, %.1f%% passives, %.1f%% detractors\n",
		all.N, 100*all.Promoters, 100*all.Passives, 100*all.Detractors)
	fmt.Fprintf(w, "NPS %.1f (standard error %.1f)\n", all.Score, all.StdErr())
	for _, m := range []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian} {
		iv, err := all.Interval(m, 0.95)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  95%% %-13s [%5.1f, %5.1f]\n", m, iv.Lower, iv.Upper)
	}
	weighted, err := nps.Compute(scores, weights)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "weighted NPS %.1f (effective n %.0f of %d)\n", weighted.Score, weighted.EffectiveN, weighted.N)

	fmt.Fprintf(w, "\n%-8s %5s %6s %16s\n", "region", "n", "NPS", "95% adj. Wald")
	for _, key := range sortedKeys(byRegion) {
		r, err := byRegion[key].Result()
		if err != nil {
			return err
		}
		iv, err := r.Interval(cxmetrics.AdjustedWald, 0.95)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s %5d %6.1f   [%5.1f, %5.1f]\n", key, r.N, r.Score, iv.Lower, iv.Upper)
	}

	months := sortedKeys(byMonth)
	fmt.Fprintf(w, "\n%-8s %5s %6s\n", "month", "n", "NPS")
	var first, last nps.Result
	for i, key := range months {
		r, err := byMonth[key].Result()
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s %5d %6.1f\n", key, r.N, r.Score)
		if i == 0 {
			first = r
		}
		last = r
	}
	c, err := nps.Compare(last, first, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s vs %s: %+.1f points, 95%% CI [%.1f, %.1f], p = %.3f\n",
		months[len(months)-1], months[0], c.Difference, c.Interval.Lower, c.Interval.Upper, c.P)
	n, err := nps.SampleSize(last.Promoters, last.Detractors, 5, 0.95)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "answers needed per month for ±5 points: %d\n", n)
	return nil
}

// sortDesc sorts xs by key, largest first.
func sortDesc[T any](xs []T, key func(T) float64) {
	sort.SliceStable(xs, func(i, j int) bool { return key(xs[i]) > key(xs[j]) })
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
