package cxmetrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

func TestInputError(t *testing.T) {
	for _, c := range []struct {
		err  *InputError
		want string
	}{
		{&InputError{Pkg: "nps", What: "score", Index: 3, Value: 11, Err: ErrOutOfRange, Detail: "[0, 10]"},
			"nps: score 11 at index 3: out of range [0, 10]"},
		{&InputError{Pkg: "nps", What: "level", Index: -1, Value: 1.5, Err: ErrInvalidLevel},
			"nps: level 1.5: confidence level must be in (0, 1)"},
		{&InputError{Index: 0, Value: "x"}, "value x at index 0"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	var err error = fmt.Errorf("wrapped: %w", &InputError{Pkg: "csat", What: "weight", Index: 2, Value: -1.0, Err: ErrNegativeWeight})
	if !errors.Is(err, ErrNegativeWeight) || errors.Is(err, ErrNotFinite) {
		t.Errorf("errors.Is does not see the sentinel through %v", err)
	}
	var ie *InputError
	if !errors.As(err, &ie) || ie.Index != 2 {
		t.Errorf("errors.As: %v", ie)
	}
}

func TestMethod(t *testing.T) {
	for m := Wald; m <= Bayesian; m++ {
		text, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if string(text) != m.String() {
			t.Errorf("%v: text %q", m, text)
		}
		var back Method
		if err := back.UnmarshalText(text); err != nil || back != m {
			t.Errorf("round trip of %v: %v, %v", m, back, err)
		}
	}
	if s := Method(99).String(); s != "Method(99)" {
		t.Errorf("unknown method prints %q", s)
	}
	if _, err := Method(-1).MarshalText(); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("marshal unknown: %v", err)
	}
	var m Method
	if err := m.UnmarshalText([]byte(" wilson")); err != nil || m != Wilson {
		t.Errorf("unmarshal ignores case and spaces: %v, %v", m, err)
	}
	if err := m.UnmarshalText([]byte("Wilsons")); !errors.Is(err, ErrUnknownLabel) || m != Wilson {
		t.Errorf("unmarshal unknown: %v, left %v", err, m)
	}
	b, err := json.Marshal(Interval{Estimate: 1, Lower: 0, Upper: 2, Level: 0.95, Method: Wilson})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"estimate":1,"lower":0,"upper":2,"level":0.95,"method":"Wilson"}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

func TestInterval(t *testing.T) {
	iv := Interval{Estimate: 12.34, Lower: 4.5, Upper: 20.1, Level: 0.95, Method: Wilson}
	if !iv.Contains(4.5) || !iv.Contains(20.1) || iv.Contains(20.2) {
		t.Error("Contains is not inclusive of exactly the bounds")
	}
	if w := iv.Width(); w < 15.6-1e-12 || w > 15.6+1e-12 {
		t.Errorf("Width %v", w)
	}
	if s := iv.String(); s != "12.34 [4.5, 20.1] (95% Wilson)" {
		t.Errorf("String %q", s)
	}
}

func TestParseError(t *testing.T) {
	inner := &InputError{What: "time", Index: -1, Value: `"soon"`, Err: ErrCorrupt, Detail: "(want RFC 3339)"}
	for _, c := range []struct {
		err  *ParseError
		want string
	}{
		{&ParseError{Line: 4, Column: 3, Name: "time", Err: inner}, `line 4, column 3 (time): time "soon": corrupt data (want RFC 3339)`},
		{&ParseError{Line: 1, Column: 2, Err: ErrUnknownLabel}, "line 1, column 2: unknown label"},
		{&ParseError{Line: 7, Err: ErrCorrupt}, "line 7: corrupt data"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	err := fmt.Errorf("responses.csv: %w", &ParseError{Line: 4, Column: 3, Name: "time", Err: inner})
	var pe *ParseError
	if !errors.Is(err, ErrCorrupt) || !errors.As(err, &pe) || pe.Line != 4 {
		t.Errorf("errors.Is/As through a wrapped ParseError: %v", err)
	}
}

func BenchmarkInputError(b *testing.B) {
	e := &InputError{Pkg: "nps", What: "score", Index: 3, Value: 11, Err: ErrOutOfRange, Detail: "[0, 10]"}
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Error()
	}
}
