package attribution

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/csvfile"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// DefaultSeparator separates the touchpoints of a path in ChannelAttribution's format.
const DefaultSeparator = " > "

// PathsCSV describes a file of paths in ChannelAttribution's format: a header line, then
// one path per line.
//
// The header names the columns, in any order, ignoring case and surrounding spaces:
//
//	path                                      required: the touchpoints, "a > b > c"
//	total_conversions or conversions          required
//	total_conversion_value, conversion_value
//	  or value                                optional (0 when absent)
//	total_null, total_nulls, nulls or null    optional (0 when absent)
//
// A column with any other name is an error, so that a misspelt column is not read as
// zeros. Fields may be quoted as in RFC 4180. A UTF-8 byte-order mark before the header is
// skipped. Each touchpoint is trimmed of surrounding white space.
type PathsCSV struct {
	// Comma separates the fields. 0 detects it from the header line: the most frequent of
	// ',', ';' and tab (ChannelAttribution's bundled data uses ';').
	Comma rune
	// Separator separates the touchpoints of a path; "" means DefaultSeparator, " > ".
	Separator string
}

// ReadPathsCSV reads paths in ChannelAttribution's format with the field separator
// detected from the header and " > " between touchpoints; see [PathsCSV] for the columns
// and [PathsCSV.Read] for the errors.
func ReadPathsCSV(r io.Reader) ([]Path, error) {
	return PathsCSV{}.Read(r)
}

// The known columns, in the order of pathColumns.
const (
	colPath = iota
	colConversions
	colValue
	colNulls
)

var pathColumns = []csvfile.Column{
	colPath:        {Names: []string{"path"}, Required: true},
	colConversions: {Names: []string{"total_conversions", "conversions"}, Required: true},
	colValue:       {Names: []string{"total_conversion_value", "conversion_value", "value"}},
	colNulls:       {Names: []string{"total_null", "total_nulls", "nulls", "null"}},
}

// Read reads all paths from r.
//
// Every fault of the file's content is a [*cxmetrics.ParseError] with the line, the column
// (counted in fields, from 1) and the column's name, whose Err wraps
// [cxmetrics.ErrCorrupt] (a field that is not a number, or a line that is not valid CSV or
// has the wrong number of fields), [cxmetrics.ErrNotFinite] (NaN, an infinity, or a number
// beyond the float64 range), [cxmetrics.ErrOutOfRange] (a negative count),
// [cxmetrics.ErrEmpty] (an empty path or touchpoint, a file without a header, a header
// without paths) or [cxmetrics.ErrUnknownLabel] (a header with an unknown, repeated or
// missing column). A Comma that cannot separate fields is an [*cxmetrics.InputError]
// wrapping [cxmetrics.ErrOutOfRange]; an error of r is returned wrapped. Channel names are
// interned: equal names share one string.
func (f PathsCSV) Read(r io.Reader) ([]Path, error) {
	sep := f.Separator
	if sep == "" {
		sep = DefaultSeparator
	}
	comma := f.Comma
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "field separator", Index: -1, Value: strconv.QuoteRune(comma), Err: cxmetrics.ErrOutOfRange}
	}
	br := bufio.NewReader(r)
	csvfile.SkipBOM(br)
	if comma == 0 {
		head, _ := br.Peek(4096) // short at the end of the input
		if i := strings.IndexByte(string(head), '\n'); i >= 0 {
			head = head[:i]
		}
		comma = detectComma(string(head))
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.ReuseRecord = true
	record, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &cxmetrics.ParseError{Line: 1, Err: fmt.Errorf("no header: %w", cxmetrics.ErrEmpty)}
	}
	if err != nil {
		return nil, csvfile.ReadError("attribution", "paths", err)
	}
	h, err := csvfile.Match(record, pathColumns, false)
	if err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = len(record)
	headerLine, _ := cr.FieldPos(0)
	col := make([]int, len(record)) // the known column at each position
	for k, at := range h.At {
		if at >= 0 {
			col[at] = k
		}
	}

	intern := make(map[string]string)
	var paths []Path
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvfile.ReadError("attribution", "paths", err)
		}
		var p Path
		for i, field := range record {
			bad := func(e error, detail string) error {
				return csvfile.BadField(cr, h, i, field, e, detail)
			}
			if col[i] == colPath {
				if strings.TrimSpace(field) == "" {
					return nil, bad(cxmetrics.ErrEmpty, "(no touchpoints)")
				}
				p.Touchpoints = make([]string, 0, strings.Count(field, sep)+1)
				for tp := range strings.SplitSeq(field, sep) {
					tp = strings.TrimSpace(tp)
					if tp == "" {
						return nil, bad(cxmetrics.ErrEmpty, "(empty touchpoint)")
					}
					s, ok := intern[tp]
					if !ok {
						s = strings.Clone(tp)
						intern[s] = s
					}
					p.Touchpoints = append(p.Touchpoints, s)
				}
				continue
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
			switch {
			case err != nil && !errors.Is(err, strconv.ErrRange):
				return nil, bad(cxmetrics.ErrCorrupt, "(not a number)")
			case !stats.Finite(v):
				return nil, bad(cxmetrics.ErrNotFinite, "")
			case v < 0 && col[i] != colValue:
				return nil, bad(cxmetrics.ErrOutOfRange, "[0, +Inf)")
			}
			switch col[i] {
			case colConversions:
				p.Conversions = v
			case colValue:
				p.Value = v
			case colNulls:
				p.Nulls = v
			}
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, &cxmetrics.ParseError{Line: headerLine + 1, Err: fmt.Errorf("no paths after the header: %w", cxmetrics.ErrEmpty)}
	}
	return paths, nil
}

// detectComma returns the most frequent of ',', ';' and tab in the header line, ','
// when there is none.
func detectComma(header string) rune {
	best, count := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		if n := strings.Count(header, string(c)); n > count {
			best, count = c, n
		}
	}
	return best
}
