// Package csvfile holds what the module's CSV readers share: skipping a byte order mark,
// matching header names to known columns, and reporting bad fields and syntax errors as
// one [*cxmetrics.ParseError] with line, column and column name.
package csvfile

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cxmetrics/cxmetrics"
)

// NewReader returns a csv.Reader over r that skips a UTF-8 byte order mark at its start,
// before the CSV parser sees it, so that a quoted first header name after a BOM parses.
// The reader reuses its records.
func NewReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(r)
	SkipBOM(br)
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	return cr
}

// SkipBOM discards a UTF-8 byte order mark at the start of br.
func SkipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
}

// Column is a column that a reader knows: the names it goes by (matched ignoring case and
// surrounding spaces) and whether the file must have it.
type Column struct {
	Names    []string
	Required bool
}

// Header is a matched header line.
type Header struct {
	Names []string // the header's names as written, trimmed of surrounding spaces
	At    []int    // At[k]: the position of known column k in a record, -1 when absent
	Extra []int    // positions of the columns that match no known column, in file order
}

// Match matches the names of a header line (line 1 of the file) to the known columns.
// With extra false, a name that matches no known column is an error, so that a misspelt
// column is not read as absent; with extra true such columns are listed in Header.Extra
// and must have a non-empty name that is not repeated. Errors are *cxmetrics.ParseError
// values on line 1 that wrap cxmetrics.ErrUnknownLabel: an unknown, repeated or unnamed
// column, or a required one that is missing (Column 0 then).
func Match(header []string, known []Column, extra bool) (Header, error) {
	h := Header{Names: make([]string, len(header)), At: make([]int, len(known))}
	for k := range h.At {
		h.At[k] = -1
	}
	seen := make(map[string]bool, len(header))
	for i, raw := range header {
		name := strings.TrimSpace(raw)
		h.Names[i] = name
		fail := func(detail string) error {
			return &cxmetrics.ParseError{Line: 1, Column: i + 1, Name: name,
				Err: fmt.Errorf("header %q: %w %s", name, cxmetrics.ErrUnknownLabel, detail)}
		}
		k := lookup(known, name)
		switch {
		case k >= 0 && h.At[k] >= 0:
			return Header{}, fail(fmt.Sprintf("(column %d is already %s)", h.At[k]+1, known[k].Names[0]))
		case k >= 0:
			h.At[k] = i
		case !extra:
			return Header{}, fail("(want " + list(known) + ")")
		case name == "":
			return Header{}, fail("(a column needs a name)")
		case seen[name]:
			return Header{}, fail("(repeated)")
		default:
			seen[name] = true
			h.Extra = append(h.Extra, i)
		}
	}
	for k, c := range known {
		if c.Required && h.At[k] < 0 {
			return Header{}, &cxmetrics.ParseError{Line: 1, Name: c.Names[0],
				Err: fmt.Errorf("no %q column: %w (required)", c.Names[0], cxmetrics.ErrUnknownLabel)}
		}
	}
	return h, nil
}

func lookup(known []Column, name string) int {
	for k, c := range known {
		for _, n := range c.Names {
			if strings.EqualFold(n, name) {
				return k
			}
		}
	}
	return -1
}

func list(known []Column) string {
	names := make([]string, len(known))
	for k, c := range known {
		names[k] = c.Names[0]
	}
	return strings.Join(names, ", ")
}

// FieldError returns the *cxmetrics.ParseError for field col of the record that cr read
// last, with the field's line (from cr.FieldPos) and the column's name in h.
func FieldError(cr *csv.Reader, h Header, col int, err error) *cxmetrics.ParseError {
	line, _ := cr.FieldPos(col)
	name := ""
	if col < len(h.Names) {
		name = h.Names[col]
	}
	return &cxmetrics.ParseError{Line: line, Column: col + 1, Name: name, Err: err}
}

// BadField returns the *cxmetrics.ParseError for field col of the record that cr read last
// whose text value is wrong: its Err is an *cxmetrics.InputError (Index -1: the line and
// column say where) with the quoted value, the sentinel and an optional detail, so that
// every reader's message has one form:
//
//	line 3, column 3 (time): value "soon": corrupt data (want RFC 3339 or Unix seconds)
func BadField(cr *csv.Reader, h Header, col int, value string, sentinel error, detail string) *cxmetrics.ParseError {
	return FieldError(cr, h, col, &cxmetrics.InputError{What: "value", Index: -1, Value: strconv.Quote(value), Err: sentinel, Detail: detail})
}

// ReadError converts an error of cr.Read: a syntax error of encoding/csv (a stray quote,
// a wrong number of fields) becomes a *cxmetrics.ParseError on its line that wraps both
// cxmetrics.ErrCorrupt and the *csv.ParseError; any other error (of the underlying
// reader) is wrapped with pkg and what is being read.
func ReadError(pkg, what string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &cxmetrics.ParseError{Line: pe.Line, Err: fmt.Errorf("%w: %w", cxmetrics.ErrCorrupt, pe)}
	}
	return fmt.Errorf("%s: reading %s: %w", pkg, what, err)
}
