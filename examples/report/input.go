package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/csvfile"
	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/peakend"
)

// The embedded sample, written by gendata (see the package documentation).
var (
	//go:embed testdata/responses.csv
	sampleResponses []byte
	//go:embed testdata/events.csv
	sampleEvents []byte
	//go:embed testdata/moments.csv
	sampleMoments []byte
)

// unanswered marks a survey question left blank.
const unanswered = -1

// responses holds a survey file, one entry per row in every slice.
type responses struct {
	rows     int
	hasDate  bool
	months   []string // "2006-01" of each row's date; "" when blank
	hasSeg   bool
	segments []string // "" when blank
	// scores[k] are the answers to kind k's question (unanswered when blank), nil when
	// the file has no such column.
	scores  [len(kinds)][]int
	weights []float64 // nil without a weight column
	drivers []driverColumn
	ignored []ignoredColumn
}

// driverColumn is an extra numeric column: a driver rating per row, NaN when blank.
type driverColumn struct {
	name   string
	values []float64
}

// ignoredColumn is an extra column whose first value is not a number.
type ignoredColumn struct {
	Name  string `json:"name"`
	Line  int    `json:"line"`
	Value string `json:"value"`
}

// The columns of the responses file that have a fixed meaning, in the order of
// responseColumns.
const (
	colDate = iota
	colSegment
	colNPS
	colCSAT
	colCES
	colWeight
)

var responseColumns = []csvfile.Column{
	{Names: []string{"date"}},
	{Names: []string{"segment"}},
	{Names: []string{"nps"}},
	{Names: []string{"csat"}},
	{Names: []string{"ces"}},
	{Names: []string{"weight"}},
}

// readResponses reads a survey file (see the package documentation for its columns).
// Every fault of the file is a *cxmetrics.ParseError with its line and column.
func readResponses(r io.Reader) (*responses, error) {
	cr := csvfile.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &cxmetrics.ParseError{Line: 1, Err: fmt.Errorf("empty file: %w (want a header line naming the columns: date, segment, nps, csat, ces, weight, drivers)", cxmetrics.ErrEmpty)}
	}
	if err != nil {
		return nil, csvfile.ReadError("report", "responses", err)
	}
	h, err := csvfile.Match(header, responseColumns, true)
	if err != nil {
		return nil, err
	}
	if h.At[colNPS] < 0 && h.At[colCSAT] < 0 && h.At[colCES] < 0 {
		return nil, &cxmetrics.ParseError{Line: 1, Err: fmt.Errorf("no score column: %w (want nps, csat or ces)", cxmetrics.ErrUnknownLabel)}
	}
	d := &responses{hasDate: h.At[colDate] >= 0, hasSeg: h.At[colSegment] >= 0}
	for k, kd := range kinds {
		if h.At[kd.column] >= 0 {
			d.scores[k] = []int{}
		}
	}
	if h.At[colWeight] >= 0 {
		d.weights = []float64{}
	}
	// An extra column is a driver when its first non-empty value is a number, and ignored
	// otherwise; state[i] is 0 while undecided, 1 for a driver, 2 for ignored.
	state := make([]int, len(h.Extra))
	extra := make([]driverColumn, len(h.Extra))
	for i, col := range h.Extra {
		extra[i].name = h.Names[col]
	}
	segNames := map[string]string{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvfile.ReadError("report", "responses", err)
		}
		field := func(k int) (string, int) {
			col := h.At[k]
			if col < 0 {
				return "", -1
			}
			return strings.TrimSpace(rec[col]), col
		}
		if d.hasDate {
			s, col := field(colDate)
			month := ""
			if s != "" {
				t, err := parseDate(s)
				if err != nil {
					return nil, csvfile.BadField(cr, h, col, s, cxmetrics.ErrCorrupt, "(want YYYY-MM-DD or RFC 3339)")
				}
				month = t.Format("2006-01")
			}
			d.months = append(d.months, month)
		}
		if d.hasSeg {
			s, _ := field(colSegment)
			name, ok := segNames[s]
			if !ok {
				name = strings.Clone(s)
				segNames[name] = name
			}
			d.segments = append(d.segments, name)
		}
		for k, kd := range kinds {
			if d.scores[k] == nil {
				continue
			}
			s, col := field(kd.column)
			score := unanswered
			if s != "" {
				v, err := strconv.Atoi(s)
				if err != nil {
					return nil, csvfile.BadField(cr, h, col, s, cxmetrics.ErrCorrupt, fmt.Sprintf("(want a whole number %d-%d, or nothing)", kd.min, kd.max))
				}
				if v < kd.min || v > kd.max {
					return nil, csvfile.BadField(cr, h, col, s, cxmetrics.ErrOutOfRange, fmt.Sprintf("[%d, %d]", kd.min, kd.max))
				}
				score = v
			}
			d.scores[k] = append(d.scores[k], score)
		}
		if d.weights != nil {
			s, col := field(colWeight)
			w, err := parseWeight(s)
			if err != nil {
				return nil, csvfile.BadField(cr, h, col, s, err, weightDetail(err))
			}
			d.weights = append(d.weights, w)
		}
		for i, col := range h.Extra {
			s := strings.TrimSpace(rec[col])
			if state[i] == 2 {
				continue
			}
			v := math.NaN()
			if s != "" {
				x, err := strconv.ParseFloat(s, 64)
				switch {
				case err != nil && state[i] == 0:
					state[i] = 2
					line, _ := cr.FieldPos(col)
					d.ignored = append(d.ignored, ignoredColumn{Name: extra[i].name, Line: line, Value: s})
					extra[i].values = nil
					continue
				case err != nil:
					return nil, csvfile.BadField(cr, h, col, s, cxmetrics.ErrCorrupt, "(a driver rating: want a number, as the column's first value, or nothing)")
				case math.IsNaN(x) || math.IsInf(x, 0):
					return nil, csvfile.BadField(cr, h, col, s, cxmetrics.ErrNotFinite, "(a driver rating)")
				}
				v = x
				state[i] = 1
			}
			extra[i].values = append(extra[i].values, v)
		}
		d.rows++
	}
	for i := range extra {
		if state[i] == 1 {
			d.drivers = append(d.drivers, extra[i])
		}
	}
	return d, nil
}

// parseDate reads YYYY-MM-DD or RFC 3339; the month of an RFC 3339 time is the one in its
// own offset, as written.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// parseWeight reads a survey weight: a number, 0 or in [1e-150, 1e150] as the score
// packages accept it.
func parseWeight(s string) (float64, error) {
	if s == "" {
		return 0, cxmetrics.ErrEmpty
	}
	w, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, cxmetrics.ErrCorrupt
	case err != nil || math.IsNaN(w) || math.IsInf(w, 0):
		return 0, cxmetrics.ErrNotFinite
	case w < 0:
		return 0, cxmetrics.ErrNegativeWeight
	case w != 0 && (w < 1e-150 || w > 1e150):
		return 0, cxmetrics.ErrOutOfRange
	}
	return w, nil
}

func weightDetail(err error) string {
	switch err {
	case cxmetrics.ErrEmpty:
		return "(every row needs a weight when the file has a weight column)"
	case cxmetrics.ErrOutOfRange:
		return "(a weight other than 0 must lie in [1e-150, 1e150]; weights are relative, so rescale them)"
	}
	return "(want a number >= 0)"
}

// experiences holds a moments file: the journeys in the order of their first row.
type experiences struct {
	ids     []string
	moments [][]peakend.Moment
	ratings []float64 // NaN for a journey without a rating
}

const (
	colJourney = iota
	colValue
	colDuration
	colRating
)

var momentColumns = []csvfile.Column{
	{Names: []string{"journey"}, Required: true},
	{Names: []string{"value"}, Required: true},
	{Names: []string{"duration"}, Required: true},
	{Names: []string{"rating"}},
}

// maxSeconds is the longest duration a moment may have: the range of time.Duration.
const maxSeconds = float64(math.MaxInt64 / int64(time.Second))

// readMoments reads a moments file: journey, value, duration (seconds) and an optional
// rating of the whole journey, which may stand on any of its rows but must agree where
// it stands on several.
func readMoments(r io.Reader) (*experiences, error) {
	cr := csvfile.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &cxmetrics.ParseError{Line: 1, Err: fmt.Errorf("empty file: %w (want a header line journey,value,duration,rating)", cxmetrics.ErrEmpty)}
	}
	if err != nil {
		return nil, csvfile.ReadError("report", "moments", err)
	}
	h, err := csvfile.Match(header, momentColumns, false)
	if err != nil {
		return nil, err
	}
	e := &experiences{}
	index := map[string]int{}
	ratedOn := []int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvfile.ReadError("report", "moments", err)
		}
		id := strings.TrimSpace(rec[h.At[colJourney]])
		if id == "" {
			return nil, csvfile.BadField(cr, h, h.At[colJourney], id, cxmetrics.ErrEmpty, "(every row needs its journey)")
		}
		col := h.At[colValue]
		value, err := parseFinite(rec[col])
		if err != nil {
			return nil, csvfile.BadField(cr, h, col, rec[col], err, "(want a number)")
		}
		col = h.At[colDuration]
		secs, err := parseFinite(rec[col])
		if err == nil && (secs < 0 || secs > maxSeconds) {
			err = cxmetrics.ErrOutOfRange
		}
		if err != nil {
			return nil, csvfile.BadField(cr, h, col, rec[col], err, "(want seconds, 0 or more)")
		}
		j, ok := index[id]
		if !ok {
			j = len(e.ids)
			index[strings.Clone(id)] = j
			e.ids = append(e.ids, strings.Clone(id))
			e.moments = append(e.moments, nil)
			e.ratings = append(e.ratings, math.NaN())
			ratedOn = append(ratedOn, 0)
		}
		e.moments[j] = append(e.moments[j], peakend.Moment{Value: value, Duration: time.Duration(math.Round(secs * float64(time.Second)))})
		if col = h.At[colRating]; col >= 0 && strings.TrimSpace(rec[col]) != "" {
			rating, err := parseFinite(rec[col])
			if err != nil {
				return nil, csvfile.BadField(cr, h, col, rec[col], err, "(want a number)")
			}
			line, _ := cr.FieldPos(col)
			switch {
			case ratedOn[j] == 0:
				e.ratings[j], ratedOn[j] = rating, line
			case rating != e.ratings[j]:
				return nil, csvfile.BadField(cr, h, col, rec[col], cxmetrics.ErrCorrupt,
					fmt.Sprintf("(journey %s was rated %g on line %d)", id, e.ratings[j], ratedOn[j]))
			}
		}
	}
	return e, nil
}

// parseFinite reads a finite number.
func parseFinite(s string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, cxmetrics.ErrNotFinite
	case err != nil:
		return 0, cxmetrics.ErrCorrupt
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, cxmetrics.ErrNotFinite
	}
	return x, nil
}

// inputs are the data the report runs on; a nil field is a file not given.
type inputs struct {
	sample    bool
	files     [3]string // names of the responses, events and moments files
	responses *responses
	events    []journey.Event
	moments   *experiences
}

// hasEvents reports whether there is an event log, even one without events.
func (in *inputs) hasEvents() bool { return in.files[1] != "" }

// fileError is a fault of one input file; its message names the file first.
type fileError struct {
	file string
	err  error
}

func (e *fileError) Error() string {
	var pe *fs.PathError
	if errors.As(e.err, &pe) {
		return e.file + ": " + pe.Err.Error()
	}
	return e.file + ": " + e.err.Error()
}

func (e *fileError) Unwrap() error { return e.err }

// load reads the files named in o, or the embedded sample when none is named.
func load(o options) (*inputs, error) {
	in := &inputs{files: [3]string{o.responses, o.events, o.moments}}
	if o.responses == "" && o.events == "" && o.moments == "" {
		in.sample = true
		in.files = [3]string{"responses.csv (sample)", "events.csv (sample)", "moments.csv (sample)"}
		var err error
		if in.responses, err = readResponses(bytes.NewReader(sampleResponses)); err != nil {
			return nil, &fileError{in.files[0], err}
		}
		if in.events, err = journey.ReadEventsCSV(bytes.NewReader(sampleEvents)); err != nil {
			return nil, &fileError{in.files[1], err}
		}
		if in.moments, err = readMoments(bytes.NewReader(sampleMoments)); err != nil {
			return nil, &fileError{in.files[2], err}
		}
		return in, nil
	}
	// The files are read at the same time; the first error in the order of the flags wins.
	var errs [3]error
	var wg sync.WaitGroup
	for i, read := range []func(io.Reader) error{
		func(r io.Reader) (err error) { in.responses, err = readResponses(r); return err },
		func(r io.Reader) (err error) { in.events, err = journey.ReadEventsCSV(r); return err },
		func(r io.Reader) (err error) { in.moments, err = readMoments(r); return err },
	} {
		if in.files[i] == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = readFile(in.files[i], read)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return in, nil
}

func readFile(name string, read func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return &fileError{name, err}
	}
	defer f.Close()
	if err := read(f); err != nil {
		return &fileError{name, err}
	}
	return nil
}
