package journey

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/csvfile"
)

// ReadEventsJSON reads events from JSON Lines: one JSON object per line, as event
// pipelines and product-analytics exports write them. An object's fields have the names
// of [ReadEventsCSV]'s columns, matched the same way (trimmed, standard names ignoring
// case):
//
//	user     a string (required, non-empty)
//	event    a string (required, non-empty)
//	time     a string in RFC 3339 or Unix seconds, or a number of Unix seconds, read
//	         exactly as [ParseTime] reads its text (up to nine decimals, no exponent)
//	channel  a string or null (optional)
//	value    a number, a string holding one, or null for 0 (optional)
//
// Every other field becomes an entry of [Event.Props]: a string as it is, a number,
// true or false as written; null and "" give no entry, as an empty CSV field; an object
// or an array is an error. A field name may appear once per object.
//
// Events are returned in file order. Lines holding only white space are passed over; an
// input without any object is an error wrapping [cxmetrics.ErrEmpty]. The first bad line
// stops the read with a [*cxmetrics.ParseError] whose Line is its line number, Name the
// field's name and Column the field's ordinal in its object (1 for the first field), or
// 0 when the error is not about one field (a syntax error, a missing field). The
// sentinels it wraps are those of [ReadEventsCSV]:
//
//   - [cxmetrics.ErrCorrupt]: a line that is not one JSON object, or a field of the
//     wrong type or that does not parse (the *json.SyntaxError is wrapped too);
//   - [cxmetrics.ErrEmpty]: an empty or null user, event or time;
//   - [cxmetrics.ErrNotFinite]: a value that overflows float64;
//   - [cxmetrics.ErrOutOfRange]: a time outside the years 0000 to 9999;
//   - [cxmetrics.ErrUnknownLabel]: a repeated or unnamed field, or a missing user, event
//     or time field (Column 0).
//
// Text that is not valid UTF-8 reads as U+FFFD, as encoding/json reads it.
func ReadEventsJSON(r io.Reader) ([]Event, error) { return collect(ScanEventsJSON(r)) }

// ScanEventsJSON reads events from JSON Lines one at a time, in file order, as
// [ReadEventsJSON] reads them: the same events and the same errors. It holds one line at
// a time, so its memory does not grow with the input. After the first error it yields
// that error, with a zero Event, and stops. The sequence reads r as it goes: it is meant
// to be ranged over once.
func ScanEventsJSON(r io.Reader) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		csvfile.SkipBOM(br)
		var line []byte
		seen := false
		for n := 1; ; n++ {
			var err error
			line, err = readLine(br, line[:0])
			if err != nil && err != io.EOF {
				yield(Event{}, fmt.Errorf("journey: reading events json: %w", err))
				return
			}
			if len(bytes.TrimSpace(line)) > 0 {
				seen = true
				e, perr := parseJSONEvent(line, n)
				if perr != nil {
					yield(Event{}, perr)
					return
				}
				if !yield(e, nil) {
					return
				}
			}
			if err == io.EOF {
				if !seen {
					yield(Event{}, fmt.Errorf("journey: events json: no events: %w", cxmetrics.ErrEmpty))
				}
				return
			}
		}
	}
}

// readLine appends the next line of br, without its line feed, to buf.
func readLine(br *bufio.Reader, buf []byte) ([]byte, error) {
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return buf, err
		}
		return buf[:len(buf)-1], nil
	}
}

// jsonField is one field of an object: its name and its value as json.Decoder.Token
// returns it with UseNumber.
type jsonField struct {
	name  string
	value any
}

// parseJSONEvent parses the object on line n.
func parseJSONEvent(line []byte, n int) (Event, error) {
	corrupt := func(err error) error {
		return &cxmetrics.ParseError{Line: n, Err: fmt.Errorf("%w: %w", cxmetrics.ErrCorrupt, err)}
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil {
		return Event{}, corrupt(err)
	} else if tok != json.Delim('{') {
		return Event{}, corrupt(errors.New("want a JSON object"))
	}
	var fields []jsonField
	names := []string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return Event{}, corrupt(err)
		}
		name, ok := tok.(string)
		if !ok {
			return Event{}, corrupt(errors.New("want a field name"))
		}
		v, err := dec.Token()
		if err != nil {
			return Event{}, corrupt(err)
		}
		if v == json.Delim('{') || v == json.Delim('[') {
			return Event{}, &cxmetrics.ParseError{Line: n, Column: len(fields) + 1, Name: strings.TrimSpace(name),
				Err: &cxmetrics.InputError{What: "value", Index: -1, Value: string(v.(json.Delim)) + "...",
					Err: cxmetrics.ErrCorrupt, Detail: "(want a string, a number, true, false or null)"}}
		}
		fields = append(fields, jsonField{name, v})
		names = append(names, name)
	}
	if _, err := dec.Token(); err != nil {
		return Event{}, corrupt(err)
	}
	if rest := bytes.TrimSpace(line[dec.InputOffset():]); len(rest) > 0 {
		return Event{}, corrupt(fmt.Errorf("text after the object: %q", rest))
	}
	h, err := csvfile.Match(names, eventColumns, true)
	if err != nil {
		var pe *cxmetrics.ParseError
		if errors.As(err, &pe) {
			pe.Line = n
		}
		return Event{}, err
	}
	bad := func(col int, sentinel error, detail string) error {
		return &cxmetrics.ParseError{Line: n, Column: col + 1, Name: h.Names[col],
			Err: &cxmetrics.InputError{What: "value", Index: -1, Value: jsonText(fields[col].value), Err: sentinel, Detail: detail}}
	}
	text := func(col int, required bool) (string, error) {
		switch v := fields[col].value.(type) {
		case string:
			if v == "" && required {
				return "", bad(col, cxmetrics.ErrEmpty, "")
			}
			return v, nil
		case nil:
			if required {
				return "", bad(col, cxmetrics.ErrEmpty, "")
			}
			return "", nil
		}
		return "", bad(col, cxmetrics.ErrCorrupt, "(want a string)")
	}
	var e Event
	if e.User, err = text(h.At[atUser], true); err != nil {
		return Event{}, err
	}
	if e.Name, err = text(h.At[atEvent], true); err != nil {
		return Event{}, err
	}
	col := h.At[atTime]
	var ts string
	switch v := fields[col].value.(type) {
	case json.Number:
		ts = string(v)
	case string:
		ts = v
	case nil:
	default:
		return Event{}, bad(col, cxmetrics.ErrCorrupt, "(want RFC 3339 or Unix seconds)")
	}
	if e.Time, err = ParseTime(ts); err != nil {
		var ie *cxmetrics.InputError
		errors.As(err, &ie) // ParseTime's errors are InputErrors
		return Event{}, bad(col, ie.Err, ie.Detail)
	}
	if col := h.At[atChannel]; col >= 0 {
		if e.Channel, err = text(col, false); err != nil {
			return Event{}, err
		}
	}
	if col := h.At[atValue]; col >= 0 {
		var s string
		switch v := fields[col].value.(type) {
		case json.Number:
			s = string(v)
		case string:
			s = v
		case nil:
		default:
			return Event{}, bad(col, cxmetrics.ErrCorrupt, "(want a number)")
		}
		var sentinel error
		var detail string
		if e.Value, detail, sentinel = parseValue(s); sentinel != nil {
			return Event{}, bad(col, sentinel, detail)
		}
	}
	for _, col := range h.Extra {
		var s string
		switch v := fields[col].value.(type) {
		case string:
			s = v
		case json.Number:
			s = string(v)
		case bool:
			s = strconv.FormatBool(v)
		}
		if s != "" {
			if e.Props == nil {
				e.Props = make(map[string]string, len(h.Extra))
			}
			e.Props[h.Names[col]] = s
		}
	}
	return e, nil
}

// jsonText returns a decoded JSON value as an error quotes it.
func jsonText(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// WriteEventsJSON writes events as JSON Lines that [ReadEventsJSON] reads back to the
// same events: one object per event with the fields user, event, time (RFC 3339 with
// nanoseconds, in the zone that [WriteEventsCSV] writes), channel and value when they
// are not empty or 0, then the properties in sorted order of their keys, as strings.
//
// An event that cannot be read back is an [*cxmetrics.InputError] at its index, before
// anything is written: the errors of [WriteEventsCSV], and text that is not valid UTF-8,
// which JSON cannot hold ([cxmetrics.ErrOutOfRange]).
func WriteEventsJSON(w io.Writer, events []Event) error {
	for i, e := range events {
		if err := writable(i, e); err != nil {
			return err
		}
		if err := validUTF8(i, e); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	var buf []byte
	var keys []string
	for _, e := range events {
		buf = append(buf[:0], `{"user":`...)
		buf = appendJSONString(buf, e.User)
		buf = append(buf, `,"event":`...)
		buf = appendJSONString(buf, e.Name)
		buf = append(buf, `,"time":"`...)
		buf = writtenTime(e.Time).AppendFormat(buf, time.RFC3339Nano)
		buf = append(buf, '"')
		if e.Channel != "" {
			buf = append(buf, `,"channel":`...)
			buf = appendJSONString(buf, e.Channel)
		}
		if e.Value != 0 {
			buf = append(buf, `,"value":`...)
			buf = strconv.AppendFloat(buf, e.Value, 'g', -1, 64)
		}
		keys = keys[:0]
		for k := range e.Props {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			buf = append(buf, ',')
			buf = appendJSONString(buf, k)
			buf = append(buf, ':')
			buf = appendJSONString(buf, e.Props[k])
		}
		buf = append(buf, "}\n"...)
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("journey: write events json: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("journey: write events json: %w", err)
	}
	return nil
}

func validUTF8(i int, e Event) error {
	for _, f := range [...]struct{ what, s string }{{"user", e.User}, {"event name", e.Name}, {"channel", e.Channel}} {
		if !utf8.ValidString(f.s) {
			return inputErr(f.what, i, strconv.Quote(f.s), cxmetrics.ErrOutOfRange, "(not valid UTF-8)")
		}
	}
	for k, v := range e.Props {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return inputErr("property "+strconv.Quote(k), i, strconv.Quote(v), cxmetrics.ErrOutOfRange, "(not valid UTF-8)")
		}
	}
	return nil
}

// appendJSONString appends s, valid UTF-8, as a JSON string.
func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(buf, b...)
}
