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
		name, in string
		want     error
		msg      string // a part of the message
	}{
		{"empty", "", cxmetrics.ErrEmpty, "paths file"},
		{"header only", header, cxmetrics.ErrEmpty, "header only"},
		{"unknown column", "path;total_conversions;total_nul\n", cxmetrics.ErrUnknownLabel, `line 1, column 3: header "total_nul"`},
		{"repeated column", "path;conversions;total_conversions\n", cxmetrics.ErrUnknownLabel, "repeated"},
		{"missing conversions", "path;total_null\na;1\n", cxmetrics.ErrUnknownLabel, "total_conversions"},
		{"not a number", header + "a;1;2;3\nb > c;x;2;3\n", cxmetrics.ErrCorrupt, `line 3, column 2 (total_conversions) "x"`},
		{"NaN", header + "a;1;NaN;3\n", cxmetrics.ErrNotFinite, "line 2, column 3 (total_conversion_value)"},
		{"overflow", header + "a;1;2;1e999\n", cxmetrics.ErrNotFinite, "line 2, column 4 (total_null)"},
		{"negative", header + "a;1;2;3\na;-1;2;3\n", cxmetrics.ErrOutOfRange, "line 3, column 2"},
		{"empty path", header + ";1;2;3\n", cxmetrics.ErrEmpty, "line 2, column 1 (path)"},
		{"empty touchpoint", header + "a >  > b;1;2;3\n", cxmetrics.ErrEmpty, "empty touchpoint"},
		{"trailing separator", header + "a > b > ;1;2;3\n", cxmetrics.ErrEmpty, "line 2, column 1"},
		{"field count", header + "a;1;2\n", cxmetrics.ErrCorrupt, "line 2"},
		{"bare quote", header + "a\"b;1;2;3\n", cxmetrics.ErrCorrupt, "line 2"},
	} {
		_, err := ReadPathsCSV(strings.NewReader(tc.in))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "attribution: ") {
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
