package journey

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

func TestReadEventsJSON(t *testing.T) {
	const in = "\ufeff{\"user\":\"u1\",\"event\":\"view\",\"time\":\"2024-03-01T09:30:00Z\",\"channel\":\"email\",\"country\":\"FR\"}\n" +
		"\n" +
		"  {\"time\": 1709285400, \"User\": \"u2\", \"event\": \"purchase\", \"value\": 19.99, \"plan\": \"pro\", \"seats\": 3, \"trial\": false, \"note\": null}\r\n" +
		"{\"user\":\"u1\",\"event\":\"add, to cart\",\"time\":\" 1709285400.25 \",\"value\":\"-0\",\"country\":\"D\\\"E\",\"channel\":null}\n" +
		"{\"user\":\"u3\",\"event\":\"view\",\"time\":-1.5,\"value\":1e3,\"x\":\"\"}\n" +
		"{\"user\":\"u3\",\"event\":\"view\",\"time\":\"2024-03-01T10:30:00.123456789+01:00\",\"value\":null}"
	got, err := ReadEventsJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// 1709285400 s after the epoch is 2024-03-01T09:30:00Z, as in TestReadEventsCSV.
	want := []Event{
		{User: "u1", Name: "view", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Channel: "email", Props: map[string]string{"country": "FR"}},
		{User: "u2", Name: "purchase", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Value: 19.99, Props: map[string]string{"plan": "pro", "seats": "3", "trial": "false"}},
		{User: "u1", Name: "add, to cart", Time: time.Date(2024, 3, 1, 9, 30, 0, 250e6, time.UTC), Props: map[string]string{"country": `D"E`}},
		{User: "u3", Name: "view", Time: time.Date(1969, 12, 31, 23, 59, 58, 500e6, time.UTC), Value: 1000},
		{User: "u3", Name: "view", Time: time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC)},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i := range want {
		if !sameEvent(got[i], want[i]) {
			t.Errorf("event %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadEventsJSONErrors(t *testing.T) {
	const ok = `{"user":"u","event":"e","time":1}` + "\n"
	cases := []struct {
		name, in  string
		err       error
		line, col int
		field     string
	}{
		{"empty input", "", cxmetrics.ErrEmpty, 0, 0, ""},
		{"blank lines", "\n \n", cxmetrics.ErrEmpty, 0, 0, ""},
		{"syntax", ok + `{"user":"u",` + "\n", cxmetrics.ErrCorrupt, 2, 0, ""},
		{"not an object", ok + "[1]\n", cxmetrics.ErrCorrupt, 2, 0, ""},
		{"two objects", ok + `{"user":"u","event":"e","time":1} {}` + "\n", cxmetrics.ErrCorrupt, 2, 0, ""},
		{"object across lines", "{\"user\":\"u\",\n\"event\":\"e\",\"time\":1}\n", cxmetrics.ErrCorrupt, 1, 0, ""},
		{"no user", ok + `{"event":"e","time":1}`, cxmetrics.ErrUnknownLabel, 2, 0, "user"},
		{"repeated field", ok + `{"user":"u","event":"e","time":1,"USER":"v"}`, cxmetrics.ErrUnknownLabel, 2, 4, "USER"},
		{"repeated property", ok + `{"user":"u","event":"e","time":1,"a":"1","a":"2"}`, cxmetrics.ErrUnknownLabel, 2, 5, "a"},
		{"unnamed property", ok + `{"user":"u","event":"e","time":1,"":"1"}`, cxmetrics.ErrUnknownLabel, 2, 4, ""},
		{"empty user", ok + `{"event":"e","user":"","time":1}`, cxmetrics.ErrEmpty, 2, 2, "user"},
		{"null event", ok + `{"user":"u","event":null,"time":1}`, cxmetrics.ErrEmpty, 2, 2, "event"},
		{"number user", ok + `{"user":7,"event":"e","time":1}`, cxmetrics.ErrCorrupt, 2, 1, "user"},
		{"empty time", ok + `{"user":"u","event":"e","time":""}`, cxmetrics.ErrEmpty, 2, 3, "time"},
		{"bad time", ok + `{"user":"u","event":"e","time":"soon"}`, cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"exponent time", ok + `{"user":"u","event":"e","time":1e9}`, cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"bool time", ok + `{"user":"u","event":"e","time":true}`, cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"year 10000", ok + `{"user":"u","event":"e","time":253402300800}`, cxmetrics.ErrOutOfRange, 2, 3, "time"},
		{"overflowing value", ok + `{"user":"u","event":"e","time":1,"value":1e400}`, cxmetrics.ErrNotFinite, 2, 4, "value"},
		{"nan value", ok + `{"user":"u","event":"e","time":1,"value":"NaN"}`, cxmetrics.ErrNotFinite, 2, 4, "value"},
		{"text value", ok + `{"user":"u","event":"e","time":1,"value":"12 EUR"}`, cxmetrics.ErrCorrupt, 2, 4, "value"},
		{"bool value", ok + `{"user":"u","event":"e","time":1,"value":true}`, cxmetrics.ErrCorrupt, 2, 4, "value"},
		{"number channel", ok + `{"user":"u","event":"e","time":1,"channel":1}`, cxmetrics.ErrCorrupt, 2, 4, "channel"},
		{"object property", ok + `{"user":"u","event":"e","time":1,"p":{"a":1}}`, cxmetrics.ErrCorrupt, 2, 4, "p"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadEventsJSON(strings.NewReader(c.in))
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if got != nil {
				t.Errorf("got %d events with an error", len(got))
			}
			if c.line == 0 {
				if !strings.HasPrefix(err.Error(), "journey: ") {
					t.Errorf("message %q does not start with the package name", err)
				}
				return
			}
			var pe *cxmetrics.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Line != c.line || pe.Column != c.col || pe.Name != c.field {
				t.Errorf("%v: at line %d, column %d (%s); want line %d, column %d (%s)", err, pe.Line, pe.Column, pe.Name, c.line, c.col, c.field)
			}
		})
	}
	_, err := ReadEventsJSON(strings.NewReader(`{"user":"u","event":"e","time":"soon"}`))
	const want = `line 1, column 3 (time): value "soon": corrupt data (want RFC 3339 or Unix seconds)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	var se *json.SyntaxError
	if _, err := ReadEventsJSON(strings.NewReader(`{"user":}`)); !errors.As(err, &se) {
		t.Errorf("syntax error %v does not wrap the *json.SyntaxError", err)
	}
}

func TestWriteEventsJSON(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	events := []Event{
		{User: "u1", Name: "view", Time: time.Date(2024, 3, 1, 9, 30, 0, 5, paris), Channel: "email", Props: map[string]string{"b": "x,y", "a": " lead"}},
		{User: "u \"2\"", Name: "buy\n<now>", Time: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Value: 0.1},
	}
	var buf bytes.Buffer
	if err := WriteEventsJSON(&buf, events); err != nil {
		t.Fatal(err)
	}
	const want = `{"user":"u1","event":"view","time":"2024-03-01T09:30:00.000000005+01:00","channel":"email","a":" lead","b":"x,y"}` + "\n" +
		`{"user":"u \"2\"","event":"buy\n\u003cnow\u003e","time":"2024-03-02T00:00:00Z","value":0.1}` + "\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := ReadEventsJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if !sameEvent(back[i], events[i]) {
			t.Errorf("event %d: read back %+v, want %+v", i, back[i], events[i])
		}
	}
	for _, bad := range []Event{
		{User: "", Name: "e", Time: t0},
		{User: "u\xff", Name: "e", Time: t0},
		{User: "u", Name: "e", Time: t0, Props: map[string]string{"k": "\xfe"}},
		{User: "u", Name: "e", Time: t0, Props: map[string]string{"Time": "x"}},
	} {
		buf.Reset()
		err := WriteEventsJSON(&buf, []Event{ev("u", "e", 0), bad})
		var ie *cxmetrics.InputError
		if !errors.As(err, &ie) || ie.Index != 1 || buf.Len() != 0 {
			t.Errorf("%+v: error %v, wrote %q", bad, err, buf.String())
		}
	}
}

// FuzzReadEventsJSON checks that ReadEventsJSON never panics, that every rejection wraps
// a documented sentinel and is a ParseError unless the input holds no event, that
// ScanEventsJSON agrees, and that every accepted input survives a round trip through
// WriteEventsJSON.
func FuzzReadEventsJSON(f *testing.F) {
	f.Add(`{"user":"u","event":"e","time":1}`)
	f.Add("{\"user\":\"u1\",\"event\":\"view\",\"time\":\"2024-03-01T09:30:00.5+05:30\",\"channel\":\"email\",\"value\":2.5,\"country\":\"FR\"}\n\n{\"user\":\"u2\",\"event\":\"buy\",\"time\":\"1709285400.5\",\"n\":3,\"ok\":true}\n")
	f.Add(`{"User":"u","EVENT":"e","time":-1.5,"value":"1e3","x":null}`)
	f.Add(`{"user":"u","event":"e","time":"1971-01-01T00:00:00-00:44","p":"\u00e9\ud800"}`)
	f.Fuzz(func(t *testing.T, in string) {
		events, err := ReadEventsJSON(strings.NewReader(in))
		var scanned int
		var scanErr error
		for _, err := range ScanEventsJSON(strings.NewReader(in)) {
			if err != nil {
				scanErr = err
				break
			}
			scanned++
		}
		if (err == nil) != (scanErr == nil) || err != nil && err.Error() != scanErr.Error() || err == nil && scanned != len(events) {
			t.Fatalf("ScanEventsJSON: %d events, %v; ReadEventsJSON: %d, %v", scanned, scanErr, len(events), err)
		}
		if err != nil {
			known := false
			for _, s := range []error{cxmetrics.ErrEmpty, cxmetrics.ErrCorrupt, cxmetrics.ErrNotFinite, cxmetrics.ErrOutOfRange, cxmetrics.ErrUnknownLabel} {
				known = known || errors.Is(err, s)
			}
			var pe *cxmetrics.ParseError
			if !known || !errors.As(err, &pe) && !errors.Is(err, cxmetrics.ErrEmpty) {
				t.Fatalf("error %v: not a documented error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteEventsJSON(&buf, events); err != nil {
			t.Fatalf("write accepted events: %v", err)
		}
		back, err := ReadEventsJSON(&buf)
		if err != nil || len(back) != len(events) {
			t.Fatalf("read back %q: %d events, %v", buf.String(), len(back), err)
		}
		for i := range events {
			if !sameEvent(back[i], events[i]) {
				t.Fatalf("event %d: read back %+v, want %+v", i, back[i], events[i])
			}
		}
	})
}
