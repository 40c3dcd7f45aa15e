package attribution

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cxmetrics/cxmetrics"
)

// DefaultSeparator separates the touchpoints of a path in ChannelAttribution's format.
const DefaultSeparator = " > "

// PathsCSV describes a file of paths in ChannelAttribution's format: a header line, then
// one path per line.
//
// The header names the columns, in any order, case-insensitively:
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

const (
	colPath = iota
	colConversions
	colValue
	colNulls
)

var columnNames = map[string]int{
	"path":                   colPath,
	"total_conversions":      colConversions,
	"conversions":            colConversions,
	"total_conversion_value": colValue,
	"conversion_value":       colValue,
	"value":                  colValue,
	"total_null":             colNulls,
	"total_nulls":            colNulls,
	"nulls":                  colNulls,
	"null":                   colNulls,
}

// Read reads all paths from r. A bad field is an [*cxmetrics.InputError] that names its
// line and column (both from 1, the column counted in fields) and wraps
// [cxmetrics.ErrCorrupt] (not a number, or a malformed line),
// [cxmetrics.ErrNotFinite], [cxmetrics.ErrOutOfRange] (a negative count) or
// [cxmetrics.ErrEmpty] (an empty path or touchpoint). A header with an unknown, repeated
// or missing column wraps [cxmetrics.ErrUnknownLabel]; a file with no paths wraps
// [cxmetrics.ErrEmpty]. Channel names are interned: equal names share one string.
func (f PathsCSV) Read(r io.Reader) ([]Path, error) {
	sep := f.Separator
	if sep == "" {
		sep = DefaultSeparator
	}
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	comma := f.Comma
	if comma == '"' || comma == '\r' || comma == '\n' || comma == utf8.RuneError || !utf8.ValidRune(comma) {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "field separator", Index: -1, Value: strconv.QuoteRune(comma), Err: cxmetrics.ErrOutOfRange}
	}
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
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "paths file", Index: -1, Value: `""`, Err: cxmetrics.ErrEmpty, Detail: "(no header)"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	header = slices.Clone(header) // the reader reuses its record
	cols := make([]int, len(header))
	have := [4]bool{}
	for i, name := range header {
		c, ok := columnNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok || have[c] {
			detail := "(want path, total_conversions, total_conversion_value, total_null)"
			if ok {
				detail = "(repeated)"
			}
			return nil, &cxmetrics.InputError{Pkg: "attribution", What: fmt.Sprintf("line 1, column %d: header", i+1), Index: -1, Value: strconv.Quote(name), Err: cxmetrics.ErrUnknownLabel, Detail: detail}
		}
		have[c] = true
		cols[i] = c
	}
	for _, c := range []int{colPath, colConversions} {
		if !have[c] {
			name := map[int]string{colPath: "path", colConversions: "total_conversions"}[c]
			return nil, &cxmetrics.InputError{Pkg: "attribution", What: "line 1: header column", Index: -1, Value: name, Err: cxmetrics.ErrUnknownLabel, Detail: "(missing)"}
		}
	}
	cr.FieldsPerRecord = len(header)

	intern := make(map[string]string)
	var paths []Path
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		var p Path
		for i, field := range rec {
			line, _ := cr.FieldPos(i)
			bad := func(e error, detail string) error {
				return &cxmetrics.InputError{Pkg: "attribution", What: fmt.Sprintf("line %d, column %d (%s)", line, i+1, strings.TrimSpace(header[i])), Index: -1, Value: strconv.Quote(field), Err: e, Detail: detail}
			}
			if cols[i] == colPath {
				if strings.TrimSpace(field) == "" {
					return nil, bad(cxmetrics.ErrEmpty, "(no touchpoints)")
				}
				n := strings.Count(field, sep) + 1
				p.Touchpoints = make([]string, 0, n)
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
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return nil, bad(cxmetrics.ErrCorrupt, "(not a number)")
			}
			if !finite(v) {
				return nil, bad(cxmetrics.ErrNotFinite, "")
			}
			switch cols[i] {
			case colConversions:
				p.Conversions = v
			case colValue:
				p.Value = v
			case colNulls:
				p.Nulls = v
			}
			if v < 0 && cols[i] != colValue {
				return nil, bad(cxmetrics.ErrOutOfRange, "[0, +Inf)")
			}
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "paths file", Index: -1, Value: `""`, Err: cxmetrics.ErrEmpty, Detail: "(header only)"}
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

// csvError wraps an error of encoding/csv, which names the line and column.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &cxmetrics.InputError{Pkg: "attribution", What: fmt.Sprintf("line %d", pe.Line), Index: -1, Value: pe.Err.Error(), Err: cxmetrics.ErrCorrupt, Detail: fmt.Sprintf("(at byte %d)", pe.Column)}
	}
	return fmt.Errorf("attribution: reading paths: %w", err)
}
