package journey

import (
	"bytes"
	"encoding/csv"
	"errors"
	"maps"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

func TestReadEventsCSV(t *testing.T) {
	const in = "\uFEFFTime, User ,event,country,value,channel,plan\n" +
		"2024-03-01T09:30:00Z,u1,view,FR,,email,\n" +
		"1709285400,u2,purchase,,19.99,,pro\n" +
		" 1709285400.25 ,u1,\"add, to cart\",\"D\"\"E\",-0,,\n" +
		"-1.5,u3,view,,1e3,,\n" +
		"2024-03-01T10:30:00.123456789+01:00,u3,view,,,,\n"
	got, err := ReadEventsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// 1709285400 s after the epoch is 2024-03-01T09:30:00Z.
	want := []Event{
		{User: "u1", Name: "view", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Channel: "email", Props: map[string]string{"country": "FR"}},
		{User: "u2", Name: "purchase", Time: time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC), Value: 19.99, Props: map[string]string{"plan": "pro"}},
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

func sameEvent(a, b Event) bool {
	return a.User == b.User && a.Name == b.Name && a.Time.Equal(b.Time) && a.Channel == b.Channel &&
		a.Value == b.Value && maps.Equal(a.Props, b.Props)
}

func TestReadEventsCSVErrors(t *testing.T) {
	cases := []struct {
		name, in   string
		err        error
		line, col  int
		columnName string
	}{
		{"empty file", "", cxmetrics.ErrEmpty, 0, 0, ""},
		{"no user column", "event,time\nx,1\n", cxmetrics.ErrUnknownLabel, 0, 0, ""},
		{"no time column", "user,event\nx,1\n", cxmetrics.ErrUnknownLabel, 0, 0, ""},
		{"duplicate column", "user,event,time,USER\n", cxmetrics.ErrUnknownLabel, 0, 0, ""},
		{"duplicate property", "user,event,time,a,a\n", cxmetrics.ErrUnknownLabel, 0, 0, ""},
		{"unnamed property", "user,event,time,\n", cxmetrics.ErrUnknownLabel, 0, 0, ""},
		{"field count", "user,event,time\nu,e,1\nu,e\n", csv.ErrFieldCount, 0, 0, ""},
		{"bare quote", "user,event,time\nu,e\"x,1\n", csv.ErrBareQuote, 0, 0, ""},
		{"bad time", "user,event,time\nu,e,1\nu,e,yesterday\n", cxmetrics.ErrCorrupt, 3, 3, "time"},
		{"bad date", "user,event,time\nu,e,2024-02-30T00:00:00Z\n", cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"too many decimals", "user,event,time\nu,e,1.1234567891\n", cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"exponent time", "user,event,time\nu,e,1e9\n", cxmetrics.ErrCorrupt, 2, 3, "time"},
		{"year 10000", "user,event,time\nu,e,253402300800\n", cxmetrics.ErrOutOfRange, 2, 3, "time"},
		{"year -1", "user,event,time\nu,e,0000-01-01T00:00:00+01:00\n", cxmetrics.ErrOutOfRange, 2, 3, "time"},
		{"empty time", "user,event,time\nu,e,\n", cxmetrics.ErrEmpty, 2, 3, "time"},
		{"empty user", "event,user,time\ne,,1\n", cxmetrics.ErrEmpty, 2, 2, "user"},
		{"empty event", "user,event,time\nu,,1\n", cxmetrics.ErrEmpty, 2, 2, "event"},
		{"nan value", "user,event,time,value\nu,e,1,1\nu,e,1,NaN\n", cxmetrics.ErrNotFinite, 3, 4, "value"},
		{"inf value", "user,event,time,value\nu,e,1,-Inf\n", cxmetrics.ErrNotFinite, 2, 4, "value"},
		{"overflowing value", "user,event,time,value\nu,e,1,1e400\n", cxmetrics.ErrNotFinite, 2, 4, "value"},
		{"bad value", "user,event,time,value\nu,e,1,12 EUR\n", cxmetrics.ErrCorrupt, 2, 4, "value"},
		{"multi-line field", "user,event,time,note\nu,e,1,\"a\nb\"\nu,e,x,\n", cxmetrics.ErrCorrupt, 4, 3, "time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadEventsCSV(strings.NewReader(c.in))
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if got != nil {
				t.Errorf("got %d events with an error", len(got))
			}
			var pe *cxmetrics.ParseError
			if errors.As(err, &pe) != strings.HasPrefix(err.Error(), "line ") ||
				!errors.As(err, &pe) && !strings.HasPrefix(err.Error(), "journey: ") {
				t.Errorf("message %q: a file error starts with its line, any other with the package name", err)
			}
			if c.line == 0 {
				return
			}
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Line != c.line || pe.Column != c.col || pe.Name != c.columnName {
				t.Errorf("at line %d, column %d (%s); want line %d, column %d (%s)", pe.Line, pe.Column, pe.Name, c.line, c.col, c.columnName)
			}
			var ie *cxmetrics.InputError
			if errors.As(err, &ie) && !strings.Contains(ie.Value.(string), "\"") {
				t.Errorf("the InputError in %v does not quote the field", err)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ReadEventsCSV(strings.NewReader("user,event,time\nu,e,1\nu,e,soon\n"))
	const want = `line 3, column 3 (time): value "soon": corrupt data (want RFC 3339 or Unix seconds)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestParseTimeRange(t *testing.T) {
	// The first and last second that RFC 3339 can write.
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"-62167219200", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"253402300799.999999999", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
		{"+0.000000001", time.Unix(0, 1)},
		{"-0.000000001", time.Unix(-1, 999999999)},
	} {
		got, err := ParseTime(c.in)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"-62167219201", "999999999999999999", "9999999999999999999", "1.", ".5", "--1", "+-1", "1.-5"} {
		if _, err := ParseTime(in); err == nil {
			t.Errorf("ParseTime(%q): no error", in)
		}
	}
}

func TestWriteEventsCSV(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	events := []Event{
		{User: "u1", Name: "view", Time: time.Date(2024, 3, 1, 9, 30, 0, 5, paris), Channel: "email", Props: map[string]string{"b": "x,y", "a": " lead"}},
		{User: "u 2", Name: "buy \"now\"", Time: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Value: 0.1},
	}
	var buf bytes.Buffer
	if err := WriteEventsCSV(&buf, events); err != nil {
		t.Fatal(err)
	}
	const want = "user,event,time,channel,value,a,b\n" +
		"u1,view,2024-03-01T09:30:00.000000005+01:00,email,0,\" lead\",\"x,y\"\n" +
		"u 2,\"buy \"\"now\"\"\",2024-03-02T00:00:00Z,,0.1,,\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	back, err := ReadEventsCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range events {
		if !sameEvent(back[i], events[i]) {
			t.Errorf("event %d: read back %+v, want %+v", i, back[i], events[i])
		}
	}
}

func TestWriteEventsCSVErrors(t *testing.T) {
	ok := Event{User: "u", Name: "e", Time: time.Unix(0, 0)}
	with := func(f func(*Event)) []Event {
		e := ok
		f(&e)
		return []Event{ok, e}
	}
	for _, c := range []struct {
		name   string
		events []Event
		err    error
	}{
		{"empty user", with(func(e *Event) { e.User = "" }), cxmetrics.ErrEmpty},
		{"empty name", with(func(e *Event) { e.Name = "" }), cxmetrics.ErrEmpty},
		{"nan value", with(func(e *Event) { e.Value = math.NaN() }), cxmetrics.ErrNotFinite},
		{"year 10000", with(func(e *Event) { e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), cxmetrics.ErrOutOfRange},
		{"reserved key", with(func(e *Event) { e.Props = map[string]string{"Value": "1"} }), cxmetrics.ErrOutOfRange},
		{"spaced reserved key", with(func(e *Event) { e.Props = map[string]string{" Value": "1"} }), cxmetrics.ErrOutOfRange},
		{"spaced key", with(func(e *Event) { e.Props = map[string]string{"country\n": "FR"} }), cxmetrics.ErrOutOfRange},
		{"empty key", with(func(e *Event) { e.Props = map[string]string{"": "1"} }), cxmetrics.ErrOutOfRange},
		{"empty property", with(func(e *Event) { e.Props = map[string]string{"a": ""} }), cxmetrics.ErrOutOfRange},
	} {
		var buf bytes.Buffer
		err := WriteEventsCSV(&buf, c.events)
		var ie *cxmetrics.InputError
		if !errors.Is(err, c.err) || !errors.As(err, &ie) || ie.Index != 1 {
			t.Errorf("%s: error %v, want %v at index 1", c.name, err, c.err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %q before failing", c.name, buf.String())
		}
	}
}

// FuzzReadEventsCSV checks that ReadEventsCSV never panics, that every rejection wraps one
// of the documented sentinels, and that every accepted file survives a round trip through
// WriteEventsCSV unchanged.
func FuzzReadEventsCSV(f *testing.F) {
	f.Add("user,event,time\nu,e,1\n")
	f.Add("user,event,time,channel,value,country\nu1,view,2024-03-01T09:30:00Z,email,2.5,FR\nu2,buy,1709285400.5,,,\n")
	f.Add("time,event,user,x\n-1.5,\"a\nb\",\"u,1\",\"\"\"\"\n")
	f.Add("user,event,time,value\nu,e,1,NaN\n")
	f.Add("\uFEFFuser,event,time\r\nu,e,2024-03-01T09:30:00.123+05:30\r\n")
	f.Add("\uFEFF\"user\",\"event\",\"time\", a \nu,e,1971-01-01T00:00:00-00:44,x\n")
	f.Add("user,event,time\nu,e,2024-03-01T09:30:00+24:30\n")
	f.Fuzz(func(t *testing.T, in string) {
		events, err := ReadEventsCSV(strings.NewReader(in))
		if err != nil {
			known := false
			for _, s := range []error{cxmetrics.ErrEmpty, cxmetrics.ErrCorrupt, cxmetrics.ErrNotFinite, cxmetrics.ErrOutOfRange, cxmetrics.ErrUnknownLabel} {
				known = known || errors.Is(err, s)
			}
			if !known {
				t.Fatalf("error %v wraps no documented sentinel", err)
			}
			var pe *cxmetrics.ParseError
			if !errors.As(err, &pe) && !errors.Is(err, cxmetrics.ErrEmpty) {
				t.Fatalf("error %v is not a *cxmetrics.ParseError", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteEventsCSV(&buf, events); err != nil {
			t.Fatalf("write accepted events: %v", err)
		}
		back, err := ReadEventsCSV(&buf)
		if err != nil {
			t.Fatalf("read back %q: %v", buf.String(), err)
		}
		if len(back) != len(events) {
			t.Fatalf("read back %d events, want %d", len(back), len(events))
		}
		for i := range events {
			if !sameEvent(back[i], crlf(events[i])) {
				t.Fatalf("event %d: read back %+v, want %+v", i, back[i], events[i])
			}
		}
	})
}

// crlf returns e with "\r\n" in its text replaced by "\n", as encoding/csv reads it back.
func crlf(e Event) Event {
	r := strings.NewReplacer("\r\n", "\n")
	e.User, e.Name, e.Channel = r.Replace(e.User), r.Replace(e.Name), r.Replace(e.Channel)
	if e.Props != nil {
		p := make(map[string]string, len(e.Props))
		for k, v := range e.Props {
			p[r.Replace(k)] = r.Replace(v)
		}
		e.Props = p
	}
	return e
}

// A byte order mark before a quoted header name, as spreadsheet programs write it, is
// skipped before the CSV parser sees it; property names are trimmed.
func TestReadEventsCSVBOMQuotedHeader(t *testing.T) {
	const in = "\ufeff\"user\",\"event\",\"time\",\" plan \"\nu1,view,1,pro\n"
	got, err := ReadEventsCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Event{User: "u1", Name: "view", Time: time.Unix(1, 0), Props: map[string]string{"plan": "pro"}}
	if len(got) != 1 || !sameEvent(got[0], want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// Header faults are ParseErrors on line 1 that wrap ErrUnknownLabel and name the column.
func TestReadEventsCSVHeaderErrors(t *testing.T) {
	for _, c := range []struct {
		in     string
		column int
		name   string
	}{
		{"event,time\nx,1\n", 0, "user"},
		{"user,event\nx,1\n", 0, "time"},
		{"user,event,time,USER\n", 4, "USER"},
		{"user,event,time,a, a \n", 5, "a"},
		{"user,event,time,\n", 4, ""},
		{"\ufeff\"user\",event,\"user\",time\n", 3, "user"},
	} {
		_, err := ReadEventsCSV(strings.NewReader(c.in))
		var pe *cxmetrics.ParseError
		if !errors.Is(err, cxmetrics.ErrUnknownLabel) || !errors.As(err, &pe) || pe.Line != 1 || pe.Column != c.column || pe.Name != c.name {
			t.Errorf("%q: %v; want a ParseError at line 1, column %d (%s) wrapping ErrUnknownLabel", c.in, err, c.column, c.name)
		}
	}
}

// RFC 3339 offsets have minute precision: a time whose offset has seconds (Liberia kept
// Monrovia mean time, -0:44:30, until 1972) is written in UTC and reads back as the same
// instant, not 30 s later. Offsets of a day or more, and local years beyond 9999, are
// written in UTC too.
func TestWriteEventsCSVZones(t *testing.T) {
	zones := []*time.Location{time.FixedZone("LMT", -(44*60 + 30)), time.FixedZone("X", 30), time.FixedZone("Y", 25*3600)}
	if monrovia, err := time.LoadLocation("Africa/Monrovia"); err == nil {
		zones = append(zones, monrovia)
	} else {
		t.Logf("no tzdata for Africa/Monrovia (%v); testing the fixed zones only", err)
	}
	var events []Event
	for _, z := range zones {
		events = append(events, Event{User: "u", Name: z.String(), Time: time.Date(1971, 6, 1, 12, 0, 0, 123, z)})
	}
	// 9999-12-31 23:30 UTC is in the year 10000 two hours east.
	events = append(events, Event{User: "u", Name: "late", Time: time.Date(9999, 12, 31, 23, 30, 0, 0, time.UTC).In(time.FixedZone("E", 7200))})
	// Whole-minute offsets keep their zone.
	ist := time.FixedZone("IST", 5*3600+30*60)
	events = append(events, Event{User: "u", Name: "india", Time: time.Date(1971, 6, 1, 12, 0, 0, 0, ist)})

	for _, e := range events {
		var buf bytes.Buffer
		if err := WriteEventsCSV(&buf, []Event{e}); err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		back, err := ReadEventsCSV(strings.NewReader(buf.String()))
		if err != nil {
			t.Errorf("%s: %v reading\n%s", e.Name, err, buf.String())
			continue
		}
		if !sameEvent(back[0], e) {
			t.Errorf("%s: read back %v, want %v", e.Name, back[0].Time, e.Time)
		}
		_, off := back[0].Time.Zone()
		if _, want := e.Time.Zone(); e.Name == "india" && off != want {
			t.Errorf("whole-minute offset not kept: %v", back[0].Time)
		}
		if e.Name == "LMT" && !strings.Contains(buf.String(), ",1971-06-01T12:44:30.000000123Z,") {
			t.Errorf("Monrovia mean time not written in UTC:\n%s", buf.String())
		}
	}
}
