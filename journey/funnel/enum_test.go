package funnel

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// Order and Anchor share one text form: String, MarshalText and UnmarshalText.
func TestOrderAnchorText(t *testing.T) {
	for _, o := range []Order{Ordered, Strict, Any} {
		b, err := o.MarshalText()
		if err != nil || string(b) != o.String() {
			t.Errorf("%v: MarshalText %q, %v", o, b, err)
		}
		var back Order = -1
		if err := back.UnmarshalText([]byte(" " + strings.ToUpper(string(b)) + " ")); err != nil || back != o {
			t.Errorf("%v: UnmarshalText gives %v, %v", o, back, err)
		}
	}
	for _, p := range []Period{NoTrend, Day, Week, Month} {
		b, err := p.MarshalText()
		if err != nil || string(b) != p.String() {
			t.Errorf("%v: MarshalText %q, %v", p, b, err)
		}
		var back Period = -1
		if err := back.UnmarshalText(b); err != nil || back != p {
			t.Errorf("%v: UnmarshalText gives %v, %v", p, back, err)
		}
	}
	for _, a := range []Anchor{LatestStart, FirstStart} {
		b, err := a.MarshalText()
		if err != nil || string(b) != a.String() {
			t.Errorf("%v: MarshalText %q, %v", a, b, err)
		}
		var back Anchor = -1
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%v: UnmarshalText gives %v, %v", a, back, err)
		}
	}
	for _, o := range []Order{-1, Any + 1} {
		if _, err := o.MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("MarshalText(Order(%d)): %v", int(o), err)
		}
	}
	for _, a := range []Anchor{-1, FirstStart + 1} {
		if _, err := a.MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("MarshalText(Anchor(%d)): %v", int(a), err)
		}
	}
	o, a := Strict, FirstStart
	for _, name := range []string{"", "sequential", "Order(1)", "latest"} {
		if err := o.UnmarshalText([]byte(name)); !errors.Is(err, cxmetrics.ErrUnknownLabel) || o != Strict {
			t.Errorf("Order.UnmarshalText(%q): %v, left %v", name, err, o)
		}
		if err := a.UnmarshalText([]byte(name)); !errors.Is(err, cxmetrics.ErrUnknownLabel) || a != FirstStart {
			t.Errorf("Anchor.UnmarshalText(%q): %v, left %v", name, err, a)
		}
	}

	// In JSON they read as names.
	type settings struct {
		Order  Order  `json:"order"`
		Anchor Anchor `json:"anchor"`
	}
	b, err := json.Marshal(settings{Any, FirstStart})
	if err != nil || string(b) != `{"order":"any","anchor":"first start"}` {
		t.Errorf("JSON %s, %v", b, err)
	}
	var back settings
	if err := json.Unmarshal(b, &back); err != nil || back != (settings{Any, FirstStart}) {
		t.Errorf("JSON round trip %+v, %v", back, err)
	}
}

// FuzzOrderAnchorText checks that the decoders accept exactly the names that String
// writes (ignoring case and surrounding spaces) and refuse the rest with ErrUnknownLabel,
// leaving the value unchanged.
func FuzzOrderAnchorText(f *testing.F) {
	for _, s := range []string{"ordered", " Strict ", "any", "latest start", "FIRST START", "", "Order(1)", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o := Order(-1)
		if err := o.UnmarshalText([]byte(s)); err != nil {
			if !errors.Is(err, cxmetrics.ErrUnknownLabel) || o != -1 {
				t.Fatalf("Order %q: %v, value %v", s, err, o)
			}
		} else if !strings.EqualFold(o.String(), strings.TrimSpace(s)) {
			t.Fatalf("Order %q decoded as %v", s, o)
		}
		a := Anchor(-1)
		if err := a.UnmarshalText([]byte(s)); err != nil {
			if !errors.Is(err, cxmetrics.ErrUnknownLabel) || a != -1 {
				t.Fatalf("Anchor %q: %v, value %v", s, err, a)
			}
		} else if !strings.EqualFold(a.String(), strings.TrimSpace(s)) {
			t.Fatalf("Anchor %q decoded as %v", s, a)
		}
	})
}
