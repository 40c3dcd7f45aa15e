package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxmetrics/cxmetrics"
	cxbeam "github.com/cxmetrics/cxmetrics/beam"
	"github.com/cxmetrics/cxmetrics/nps"
)

func init() {
	register.Function2x1[string, func(string, int), error](parseRow)
	register.Function2x2[string, nps.Result, row, error](formatRow)
	// tableFn runs once: reflection costs nothing there, while register.DoFn3x0 would
	// cost seconds of compile time.
	beam.RegisterType(reflect.TypeFor[tableFn]())
	register.Emitter2[string, int]()
	register.Emitter1[string]()
	register.Iter1[row]()
}

// inputHeader and outputHeader are the header lines of the files.
const (
	inputHeader  = "key,score"
	outputHeader = "key,n,score,lower,upper"
)

// build adds to s the pipeline that reads input and writes the table of NPS by key to
// output.
func build(s beam.Scope, input, output string) error {
	rows := beam.ParDo(s, parseRow, textio.Read(s, input))
	results, err := cxbeam.NPSPerKey(s, nps.Standard, rows)
	if err != nil {
		return err
	}
	lines := beam.ParDo(s, formatRow, results)
	table := beam.ParDo(s, &tableFn{}, beam.Impulse(s), beam.SideInput{Input: lines})
	textio.Write(s, output, table)
	return nil
}

// parseRow emits the key and score of one line of the input; it skips blank lines and
// header lines, and fails on a line that is not key,score with a valid score.
func parseRow(line string, emit func(string, int)) error {
	if strings.TrimSpace(line) == "" || strings.EqualFold(strings.TrimSpace(line), inputHeader) {
		return nil
	}
	r := csv.NewReader(strings.NewReader(line))
	f, err := r.Read()
	if err != nil {
		return fmt.Errorf("npsbykey: row %q: %w", line, err)
	}
	if len(f) != 2 {
		return fmt.Errorf("npsbykey: row %q: %d fields, want %s", line, len(f), inputHeader)
	}
	score, err := strconv.Atoi(strings.TrimSpace(f[1]))
	if err != nil {
		return fmt.Errorf("npsbykey: row %q: score %q is not an integer", line, f[1])
	}
	if _, err := nps.Standard.Category(score); err != nil {
		return fmt.Errorf("npsbykey: row %q: %w", line, err)
	}
	emit(f[0], score)
	return nil
}

// row is one line of the output and the key it sorts by.
type row struct {
	Key, Line string
}

// formatRow formats the result of one key as key,n,score,lower,upper.
func formatRow(key string, r nps.Result) (row, error) {
	iv, err := r.Interval(cxmetrics.AdjustedWald, 0.95)
	if err != nil {
		return row{}, fmt.Errorf("npsbykey: key %q: %w", key, err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	w.Write([]string{key, strconv.Itoa(r.N), f(r.Score), f(iv.Lower), f(iv.Upper)})
	w.Flush()
	return row{Key: key, Line: strings.TrimSuffix(b.String(), "\n")}, w.Error()
}

// tableFn emits the whole output as one element, the header and the rows sorted by key,
// so that the file keeps that order. It runs once, on an impulse, even without rows.
type tableFn struct{}

func (*tableFn) ProcessElement(_ []byte, rows func(*row) bool, emit func(string)) {
	var all []row
	var r row
	for rows(&r) {
		all = append(all, r)
	}
	slices.SortFunc(all, func(a, b row) int { return strings.Compare(a.Key, b.Key) })
	lines := make([]string, 0, len(all)+1)
	lines = append(lines, outputHeader)
	for _, r := range all {
		lines = append(lines, r.Line)
	}
	emit(strings.Join(lines, "\n"))
}
