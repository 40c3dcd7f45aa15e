package attribution

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/cxmetrics/cxmetrics"
)

func TestReadPathsCSV(t *testing.T) {
	want := []Path{
		{Touchpoints: []string{"eta", "iota", "alpha", "eta"}, Conversions: 1, Value: 0.244, Nulls: 3},
		{Touchpoints: []string{"beta"}, Conversions: 2, Value: 3.5, Nulls: 0},
	}
	for _, tc := range []struct {
		name, in string
		format   PathsCSV
	}{
		{"semicolon", "path;total_conversions;total_conversion_value;total_null\neta > iota > alpha > eta;1;0.244;3\nbeta;2;3.5;0\n", PathsCSV{}},
		{"BOM, quoted header", "\ufeff\"path\";\"total_conversions\";\"total_conversion_value\";\"total_null\"\neta > iota > alpha > eta;1;0.244;3\nbeta;2;3.5;0\n", PathsCSV{}},
		{"comma, CRLF, BOM", "\ufeffpath,total_conversions,total_conversion_value,total_null\r\neta > iota > alpha > eta,1,0.244,3\r\nbeta,2,3.5,0\r\n", PathsCSV{}},
		{"tab, reordered, aliases", "Nulls\tValue\tPath\tConversions\n3\t0.244\teta > iota > alpha > eta\t1\n0\t3.5\tbeta\t2", PathsCSV{}},
		{"quoted", "path,conversions,value,nulls\n\"eta > iota > alpha > eta\",1,0.244,3\n\"beta\", 2 ,3.5,0\n", PathsCSV{}},
		{"explicit separators", "path|total_conversions|total_conversion_value|total_null\neta>iota> alpha >eta|1|0.244|3\nbeta|2|3.5|0\n", PathsCSV{Comma: '|', Separator: ">"}},
	} {
		got, err := tc.format.Read(strings.NewReader(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, want)
		}
	}

	// Optional columns default to zero.
	got, err := ReadPathsCSV(strings.NewReader("path,total_conversions\na > b,2\n"))
	if err != nil || !reflect.DeepEqual(got, []Path{{Touchpoints: []string{"a", "b"}, Conversions: 2}}) {
		t.Errorf("two columns: %+v, %v", got, err)
	}
}

func TestReadPathsCSVErrors(t *testing.T) {
	const header = "path;total_conversions;total_conversion_value;total_null\n"
	for _, tc := range []struct {
		name, in     string
		want         error
		line, column int
		colName      string
		msg          string // a part of the message
	}{
		{"empty", "", cxmetrics.ErrEmpty, 1, 0, "", "no header"},
		{"header only", header, cxmetrics.ErrEmpty, 2, 0, "", "no paths"},
		{"unknown column", "path;total_conversions;total_nul\n", cxmetrics.ErrUnknownLabel, 1, 3, "total_nul", `line 1, column 3 (total_nul): header "total_nul"`},
		{"repeated column", "path;conversions;total_conversions\n", cxmetrics.ErrUnknownLabel, 1, 3, "total_conversions", "already"},
		{"missing conversions", "path;total_null\na;1\n", cxmetrics.ErrUnknownLabel, 1, 0, "total_conversions", "total_conversions"},
		{"not a number", header + "a;1;2;3\nb > c;x;2;3\n", cxmetrics.ErrCorrupt, 3, 2, "total_conversions", `line 3, column 2 (total_conversions): value "x"`},
		{"NaN", header + "a;1;NaN;3\n", cxmetrics.ErrNotFinite, 2, 3, "total_conversion_value", "line 2, column 3 (total_conversion_value)"},
		{"overflow", header + "a;1;2;1e999\n", cxmetrics.ErrNotFinite, 2, 4, "total_null", "line 2, column 4 (total_null)"},
		{"negative", header + "a;1;2;3\na;-1;2;3\n", cxmetrics.ErrOutOfRange, 3, 2, "total_conversions", "line 3, column 2"},
		{"empty path", header + ";1;2;3\n", cxmetrics.ErrEmpty, 2, 1, "path", "line 2, column 1 (path)"},
		{"empty touchpoint", header + "a >  > b;1;2;3\n", cxmetrics.ErrEmpty, 2, 1, "path", "empty touchpoint"},
		{"trailing separator", header + "a > b > ;1;2;3\n", cxmetrics.ErrEmpty, 2, 1, "path", "line 2, column 1"},
		{"field count", header + "a;1;2\n", cxmetrics.ErrCorrupt, 2, 0, "", "line 2"},
		{"bare quote", header + "a\"b;1;2;3\n", cxmetrics.ErrCorrupt, 2, 0, "", "line 2"},
		{"quoted header after BOM, bad field", "\ufeff\"path\",\"conversions\"\na,1\nb,-2\n", cxmetrics.ErrOutOfRange, 3, 2, "conversions", "line 3, column 2 (conversions)"},
	} {
		_, err := ReadPathsCSV(strings.NewReader(tc.in))
		var pe *cxmetrics.ParseError
		if !errors.Is(err, tc.want) || !errors.As(err, &pe) {
			t.Errorf("%s: error %v, want a ParseError wrapping %v", tc.name, err, tc.want)
			continue
		}
		if pe.Line != tc.line || pe.Column != tc.column || pe.Name != tc.colName {
			t.Errorf("%s: %v at line %d, column %d (%q); want line %d, column %d (%q)", tc.name, err, pe.Line, pe.Column, pe.Name, tc.line, tc.column, tc.colName)
		}
		if !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: message %q does not say %q", tc.name, err, tc.msg)
		}
	}
}

func TestPathsCSVSeparators(t *testing.T) {
	for _, comma := range []rune{'"', '\n', '\r', utf8.RuneError, -1} {
		_, err := PathsCSV{Comma: comma}.Read(strings.NewReader("path,conversions\na,1\n"))
		if !errors.Is(err, cxmetrics.ErrOutOfRange) {
			t.Errorf("comma %q: error %v, want ErrOutOfRange", comma, err)
		}
	}
}

func TestReadPathsCSVInterns(t *testing.T) {
	paths, err := ReadPathsCSV(strings.NewReader("path,conversions\nab > cd,1\ncd > ab,1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := paths[0].Touchpoints[0], paths[1].Touchpoints[1]; a != "ab" || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("%q and %q do not share storage", a, b)
	}
}
