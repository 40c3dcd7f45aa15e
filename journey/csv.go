package journey

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

// ParseError reports a bad field in an events CSV file: where it was and why it was
// rejected. Its Err is an [*cxmetrics.InputError] whose Index is the record's position
// among the data rows (0 for the first row after the header), so that errors.Is finds the
// sentinel:
//
//   - [cxmetrics.ErrEmpty]: an empty user, event or time field;
//   - [cxmetrics.ErrCorrupt]: a time or value that does not parse;
//   - [cxmetrics.ErrNotFinite]: a value that is NaN or infinite (or overflows);
//   - [cxmetrics.ErrOutOfRange]: a time outside the years 0000 to 9999.
type ParseError struct {
	Line   int    // line of the field in the file, counting from 1
	Column int    // position of the field in its record, counting from 1
	Name   string // the column's name in the header
	Err    error  // an *cxmetrics.InputError
}

// Error returns "journey: line L, column C (name): what value at index i: reason".
func (e *ParseError) Error() string {
	return fmt.Sprintf("journey: line %d, column %d (%s): %v", e.Line, e.Column, e.Name, e.Err)
}

// Unwrap returns Err.
func (e *ParseError) Unwrap() error { return e.Err }

// The standard columns of an events CSV file; every other column is a property.
const (
	colUser    = "user"
	colEvent   = "event"
	colTime    = "time"
	colChannel = "channel"
	colValue   = "value"
)

func reserved(name string) bool {
	for _, r := range [...]string{colUser, colEvent, colTime, colChannel, colValue} {
		if strings.EqualFold(strings.TrimSpace(name), r) {
			return true
		}
	}
	return false
}

// ReadEventsCSV reads events from a CSV file (RFC 4180, comma-separated) whose first
// record is a header. The header names the columns, in any order:
//
//	user     who acted (required, non-empty)
//	event    what they did (required, non-empty)
//	time     when: RFC 3339 ("2024-03-01T09:30:00Z", fractional seconds allowed) or Unix
//	         seconds, integer or with up to nine decimals ("1709285400.25")
//	channel  the touchpoint (optional; may be empty)
//	value    an amount (optional; an empty field is 0; NaN and infinities are errors)
//
// Standard column names are matched ignoring case and surrounding spaces, and a UTF-8 byte
// order mark before the header is ignored. Every other column becomes an entry of
// [Event.Props] keyed by its header name, for the rows where the field is not empty; such
// names must be unique and non-empty. Every record must have as many fields as the header.
//
// Events are returned in file order; a header without records gives no events and no
// error, and an empty file is an error wrapping [cxmetrics.ErrEmpty]. Blank lines hold no
// record and are passed over, as encoding/csv does; no record is ever skipped: the first bad record stops the
// read with a [*ParseError] naming its line and column, and a malformed file (a stray
// quote, a wrong number of fields, a missing or duplicate column) is an error wrapping
// [cxmetrics.ErrCorrupt] (and, for syntax errors, the [*csv.ParseError]).
func ReadEventsCSV(r io.Reader) ([]Event, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("journey: events csv: no header: %w", cxmetrics.ErrEmpty)
	}
	if err != nil {
		return nil, csvErr(err)
	}
	cols, props, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	var events []Event
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return events, nil
		}
		if err != nil {
			return nil, csvErr(err)
		}
		e, err := parseRecord(cr, rec, row, cols, props)
		if err != nil {
			return nil, err
		}
		events = append(events, e)
	}
}

// columns holds the positions of the standard columns, -1 when absent.
type columns struct {
	user, event, time, channel, value int
	names                             []string
}

type propCol struct {
	index int
	name  string
}

func parseHeader(header []string) (columns, []propCol, error) {
	c := columns{user: -1, event: -1, time: -1, channel: -1, value: -1, names: slices.Clone(header)}
	if len(c.names) > 0 {
		c.names[0] = strings.TrimPrefix(c.names[0], "\uFEFF")
	}
	var props []propCol
	seen := make(map[string]bool, len(c.names))
	for i, raw := range c.names {
		name := strings.TrimSpace(raw)
		key := raw
		if reserved(name) {
			key = strings.ToLower(name)
		}
		if seen[key] {
			return c, nil, fmt.Errorf("journey: events csv header: duplicate column %q: %w", name, cxmetrics.ErrCorrupt)
		}
		seen[key] = true
		switch key {
		case colUser:
			c.user = i
		case colEvent:
			c.event = i
		case colTime:
			c.time = i
		case colChannel:
			c.channel = i
		case colValue:
			c.value = i
		default:
			if name == "" {
				return c, nil, fmt.Errorf("journey: events csv header: column %d has no name: %w", i+1, cxmetrics.ErrCorrupt)
			}
			props = append(props, propCol{i, raw})
		}
	}
	for _, req := range [...]struct {
		name string
		at   int
	}{{colUser, c.user}, {colEvent, c.event}, {colTime, c.time}} {
		if req.at < 0 {
			return c, nil, fmt.Errorf("journey: events csv header: no %q column: %w", req.name, cxmetrics.ErrCorrupt)
		}
	}
	return c, props, nil
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("journey: events csv: %w: %w", cxmetrics.ErrCorrupt, pe)
	}
	return fmt.Errorf("journey: events csv: %w", err)
}

func parseRecord(cr *csv.Reader, rec []string, row int, c columns, props []propCol) (Event, error) {
	fail := func(col int, err error) error {
		line, _ := cr.FieldPos(col)
		return &ParseError{Line: line, Column: col + 1, Name: c.names[col], Err: err}
	}
	bad := func(col int, sentinel error, detail string) error {
		return fail(col, &cxmetrics.InputError{What: c.names[col], Index: row, Value: strconv.Quote(rec[col]), Err: sentinel, Detail: detail})
	}
	var e Event
	if e.User = rec[c.user]; e.User == "" {
		return e, bad(c.user, cxmetrics.ErrEmpty, "")
	}
	if e.Name = rec[c.event]; e.Name == "" {
		return e, bad(c.event, cxmetrics.ErrEmpty, "")
	}
	t, err := ParseTime(rec[c.time])
	if err != nil {
		var ie *cxmetrics.InputError
		if errors.As(err, &ie) {
			return e, bad(c.time, ie.Err, ie.Detail)
		}
		return e, fail(c.time, err)
	}
	e.Time = t
	if c.channel >= 0 {
		e.Channel = rec[c.channel]
	}
	if c.value >= 0 {
		if s := strings.TrimSpace(rec[c.value]); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			switch {
			case errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0):
				return e, bad(c.value, cxmetrics.ErrNotFinite, "(overflows float64)")
			case err != nil && !errors.Is(err, strconv.ErrRange):
				return e, bad(c.value, cxmetrics.ErrCorrupt, "(want a number)")
			case math.IsNaN(v) || math.IsInf(v, 0):
				return e, bad(c.value, cxmetrics.ErrNotFinite, "")
			}
			e.Value = v
		}
	}
	for _, p := range props {
		if v := rec[p.index]; v != "" {
			if e.Props == nil {
				e.Props = make(map[string]string, len(props))
			}
			e.Props[p.name] = v
		}
	}
	return e, nil
}

// ParseTime parses an event time as [ReadEventsCSV] does: RFC 3339 with optional
// fractional seconds ("2024-03-01T09:30:00.5+01:00"), or Unix seconds, an integer with an
// optional sign and up to nine decimals ("1709285400", "1709285400.25"). Surrounding
// spaces are ignored. Unix times are returned in UTC. Errors are [*cxmetrics.InputError]s
// wrapping [cxmetrics.ErrEmpty], [cxmetrics.ErrCorrupt] or, for a time outside the years
// 0000 to 9999 that RFC 3339 can write, [cxmetrics.ErrOutOfRange].
func ParseTime(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	bad := func(err error, detail string) (time.Time, error) {
		return time.Time{}, &cxmetrics.InputError{Pkg: pkg, What: "time", Index: -1, Value: strconv.Quote(s), Err: err, Detail: detail}
	}
	if t == "" {
		return bad(cxmetrics.ErrEmpty, "")
	}
	if sec, nsec, ok := parseUnix(t); ok {
		if sec < minUnix || sec > maxUnix {
			return bad(cxmetrics.ErrOutOfRange, "(Unix seconds for the years 0000 to 9999; milliseconds are not accepted)")
		}
		return time.Unix(sec, nsec).UTC(), nil
	}
	v, err := time.Parse(time.RFC3339Nano, t)
	if err != nil {
		return bad(cxmetrics.ErrCorrupt, "(want RFC 3339 or Unix seconds)")
	}
	if y := v.UTC().Year(); y < 0 || y > 9999 {
		return bad(cxmetrics.ErrOutOfRange, "(years 0000 to 9999)")
	}
	return v, nil
}

// The Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const (
	minUnix = -62167219200
	maxUnix = 253402300799
)

// parseUnix parses [+-]digits[.digits] exactly, without going through float64.
func parseUnix(s string) (sec, nsec int64, ok bool) {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	neg := false
	switch {
	case strings.HasPrefix(intPart, "-"):
		neg, intPart = true, intPart[1:]
	case strings.HasPrefix(intPart, "+"):
		intPart = intPart[1:]
	}
	if intPart == "" || len(intPart) > 18 || !allDigits(intPart) {
		return 0, 0, false
	}
	if hasFrac && (frac == "" || len(frac) > 9 || !allDigits(frac)) {
		return 0, 0, false
	}
	sec, _ = strconv.ParseInt(intPart, 10, 64)
	for i := 0; i < 9; i++ {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	if neg {
		sec, nsec = -sec, -nsec
		if nsec < 0 {
			sec, nsec = sec-1, nsec+1e9
		}
	}
	return sec, nsec, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// WriteEventsCSV writes events as a CSV file that [ReadEventsCSV] reads back to the same
// events: a header user,event,time,channel,value followed by the property keys of all
// events in sorted order, then one record per event. Times are written in RFC 3339 with
// nanoseconds, in each time's own offset; values in the shortest form that parses back
// exactly. An event that cannot be read back is an [*cxmetrics.InputError] at its index,
// before anything is written: an empty user or event name ([cxmetrics.ErrEmpty]), a
// non-finite value ([cxmetrics.ErrNotFinite]), a time outside the years 0000 to 9999, or a
// property whose key is empty, is a standard column name, or whose value is empty
// ([cxmetrics.ErrOutOfRange]). As encoding/csv reads a carriage return followed by a line
// feed inside a quoted field as a line feed alone, such a pair comes back as "\n".
func WriteEventsCSV(w io.Writer, events []Event) error {
	keySet := make(map[string]bool)
	for i, e := range events {
		if err := writable(i, e); err != nil {
			return err
		}
		for k := range e.Props {
			keySet[k] = true
		}
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	cw := csv.NewWriter(w)
	rec := append([]string{colUser, colEvent, colTime, colChannel, colValue}, keys...)
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("journey: write events csv: %w", err)
	}
	var buf []byte
	for _, e := range events {
		rec[0], rec[1], rec[3] = e.User, e.Name, e.Channel
		rec[2] = e.Time.Format(time.RFC3339Nano)
		buf = strconv.AppendFloat(buf[:0], e.Value, 'g', -1, 64)
		rec[4] = string(buf)
		for j, k := range keys {
			rec[5+j] = e.Props[k]
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("journey: write events csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("journey: write events csv: %w", err)
	}
	return nil
}

func writable(i int, e Event) error {
	switch {
	case e.User == "":
		return inputErr("user", i, `""`, cxmetrics.ErrEmpty, "")
	case e.Name == "":
		return inputErr("event name", i, `""`, cxmetrics.ErrEmpty, "")
	case math.IsNaN(e.Value) || math.IsInf(e.Value, 0):
		return inputErr("value", i, e.Value, cxmetrics.ErrNotFinite, "")
	}
	if y := e.Time.UTC().Year(); y < 0 || y > 9999 {
		return inputErr("time", i, e.Time, cxmetrics.ErrOutOfRange, "(years 0000 to 9999)")
	}
	if y := e.Time.Year(); y < 0 || y > 9999 {
		return inputErr("time", i, e.Time, cxmetrics.ErrOutOfRange, "(years 0000 to 9999 in its own zone)")
	}
	for k, v := range e.Props {
		switch {
		case strings.TrimSpace(k) == "" || reserved(k):
			return inputErr("property key", i, strconv.Quote(k), cxmetrics.ErrOutOfRange, "(must be non-empty and not a standard column)")
		case v == "":
			return inputErr("property "+strconv.Quote(k), i, `""`, cxmetrics.ErrOutOfRange, "(must be non-empty)")
		}
	}
	return nil
}
