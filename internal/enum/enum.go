// Package enum gives the module's enumerated types one text form: the name that String
// prints is the one MarshalText writes and UnmarshalText reads.
//
// It does not import the root package (which uses it for Method), so the caller passes
// the sentinel that unknown names wrap, cxmetrics.ErrUnknownLabel.
package enum

import (
	"fmt"
	"strconv"
	"strings"
)

// Names lists the names of the values 0, 1, ... of an integer enum type T. Pkg and Type
// name the package and the type in messages, e.g. "funnel" and "order"; Unknown is the
// sentinel that errors about a value without a name wrap.
type Names[T ~int] struct {
	Pkg, Type string
	Names     []string
	Unknown   error
}

// String returns the name of v, or "Type(n)" for a value without one.
func (n Names[T]) String(v T) string {
	if v >= 0 && int(v) < len(n.Names) {
		return n.Names[v]
	}
	return n.Type + "(" + strconv.Itoa(int(v)) + ")"
}

// Marshal returns the name of v; a value without one is an error wrapping Unknown.
func (n Names[T]) Marshal(v T) ([]byte, error) {
	if v < 0 || int(v) >= len(n.Names) {
		return nil, fmt.Errorf("%s: %s %d: %w", n.Pkg, n.Type, int(v), n.Unknown)
	}
	return []byte(n.Names[v]), nil
}

// Parse returns the value named s, ignoring case and surrounding spaces; any other name
// is an error wrapping Unknown that lists the names.
func (n Names[T]) Parse(s string) (T, error) {
	t := strings.TrimSpace(s)
	for i, name := range n.Names {
		if strings.EqualFold(name, t) {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("%s: %s %q: %w (want %s)", n.Pkg, n.Type, s, n.Unknown, strings.Join(n.Names, ", "))
}

// Unmarshal sets *v to the value named b, as Parse reads it; *v is unchanged on error.
func (n Names[T]) Unmarshal(b []byte, v *T) error {
	x, err := n.Parse(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}
