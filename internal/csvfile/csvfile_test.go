package csvfile

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

var known = []Column{{Names: []string{"user"}, Required: true}, {Names: []string{"value", "amount"}}}

func TestBOMBeforeQuotedHeader(t *testing.T) {
	cr := NewReader(strings.NewReader("\ufeff\"user\",\"value\"\nu1,2\n"))
	rec, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	h, err := Match(rec, known, false)
	if err != nil || h.At[0] != 0 || h.At[1] != 1 {
		t.Fatalf("header %v: %+v, %v", rec, h, err)
	}
}

func TestMatch(t *testing.T) {
	h, err := Match([]string{" Amount ", "x", "USER", "y"}, known, true)
	if err != nil || h.At[0] != 2 || h.At[1] != 0 || len(h.Extra) != 2 || h.Extra[0] != 1 || h.Names[0] != "Amount" {
		t.Fatalf("%+v, %v", h, err)
	}
	for _, c := range []struct {
		header []string
		extra  bool
		line   int
		column int
	}{
		{[]string{"user", "x"}, false, 1, 2},              // unknown
		{[]string{"user", "value", "amount"}, true, 1, 3}, // repeated known column
		{[]string{"user", "x", "x"}, true, 1, 3},          // repeated extra
		{[]string{"user", " "}, true, 1, 2},               // unnamed extra
		{[]string{"value"}, false, 1, 0},                  // missing required
	} {
		_, err := Match(c.header, known, c.extra)
		var pe *cxmetrics.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, cxmetrics.ErrUnknownLabel) || pe.Line != c.line || pe.Column != c.column {
			t.Errorf("%q: %v", c.header, err)
		}
	}
}

func TestErrors(t *testing.T) {
	cr := NewReader(strings.NewReader("user,value\nu1,\"2\nu2,x\"y\n"))
	rec, _ := cr.Read()
	h, _ := Match(rec, known, false)
	_, err := cr.Read()
	err = ReadError("test", "file", err)
	var pe *cxmetrics.ParseError
	var ce *csv.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, cxmetrics.ErrCorrupt) || !errors.As(err, &ce) || pe.Line != 3 {
		t.Errorf("syntax error: %v", err)
	}
	cr = NewReader(strings.NewReader("user,value\nu1,2\nu2,\n"))
	cr.Read()
	cr.Read()
	cr.Read()
	fe := FieldError(cr, h, 1, cxmetrics.ErrEmpty)
	if fe.Line != 3 || fe.Column != 2 || fe.Name != "value" || !errors.Is(fe, cxmetrics.ErrEmpty) {
		t.Errorf("field error %+v", fe)
	}
}
