package enum

import (
	"errors"
	"testing"
)

var errUnknown = errors.New("unknown label")

type color int

var colors = Names[color]{Pkg: "test", Type: "color", Unknown: errUnknown, Names: []string{"red", "dark green"}}

func TestNames(t *testing.T) {
	for v := color(0); v < 2; v++ {
		b, err := colors.Marshal(v)
		if err != nil || string(b) != colors.String(v) {
			t.Errorf("%d: marshal %q, %v; String %q", v, b, err, colors.String(v))
		}
		var back color = 7
		if err := colors.Unmarshal(b, &back); err != nil || back != v {
			t.Errorf("%d: round trip gives %d, %v", v, back, err)
		}
	}
	if got, err := colors.Parse("  Dark Green "); got != 1 || err != nil {
		t.Errorf("Parse ignoring case and spaces: %d, %v", got, err)
	}
	for _, v := range []color{-1, 2} {
		if s := colors.String(v); s != "color("+string(rune('0'+v))+")" && v >= 0 {
			t.Errorf("String(%d) = %q", v, s)
		}
		if _, err := colors.Marshal(v); !errors.Is(err, errUnknown) {
			t.Errorf("Marshal(%d): %v", v, err)
		}
	}
	back := color(1)
	err := colors.Unmarshal([]byte("blue"), &back)
	if !errors.Is(err, errUnknown) || back != 1 {
		t.Errorf("unknown name: %v, value %d", err, back)
	}
	if want := `test: color "blue": unknown label (want red, dark green)`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}
