package attribution

import (
	"errors"
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

func TestTransitionMatrixByHand(t *testing.T) {
	// a > b converts once and fails once, b fails twice, a > a > c (walked a > c)
	// converts twice. Order 1: the start goes to a with the weight of the paths starting
	// there, 4 of 6; a leaves to b and to c with weight 2 each; b absorbs 1 conversion and
	// 3 nulls; c 2 conversions. Order 2 splits b into "b" (b alone: 2 nulls) and "a > b"
	// (1 conversion, 1 null), and c becomes "a > c".
	paths := []Path{
		{Touchpoints: []string{"a", "b"}, Conversions: 1, Nulls: 1},
		{Touchpoints: []string{"b"}, Nulls: 2},
		{Touchpoints: []string{"a", "a", "c"}, Conversions: 2},
	}
	tests := []struct {
		order  int
		states []string
		want   []Transition
	}{
		{1, []string{StartState, "a", "b", "c", ConversionState, NullState}, []Transition{
			{0, 1, 4.0 / 6}, {0, 2, 2.0 / 6},
			{1, 2, 0.5}, {1, 3, 0.5},
			{2, 4, 0.25}, {2, 5, 0.75},
			{3, 4, 1},
			{4, 4, 1}, {5, 5, 1},
		}},
		{2, []string{StartState, "a", "a > b", "b", "a > c", ConversionState, NullState}, []Transition{
			{0, 1, 4.0 / 6}, {0, 3, 2.0 / 6},
			{1, 2, 0.5}, {1, 4, 0.5},
			{2, 5, 0.5}, {2, 6, 0.5},
			{3, 6, 1},
			{4, 5, 1},
			{5, 5, 1}, {6, 6, 1},
		}},
	}
	for _, tt := range tests {
		m, err := Markov(paths, tt.order)
		if err != nil {
			t.Fatal(err)
		}
		got := m.Transitions
		if len(got.States) != len(tt.states) {
			t.Fatalf("order %d: states %q, want %q", tt.order, got.States, tt.states)
		}
		for i := range tt.states {
			if got.States[i] != tt.states[i] {
				t.Errorf("order %d: states %q, want %q", tt.order, got.States, tt.states)
				break
			}
		}
		if len(got.Transitions) != len(tt.want) {
			t.Fatalf("order %d: transitions %v, want %v", tt.order, got.Transitions, tt.want)
		}
		for k, w := range tt.want {
			g := got.Transitions[k]
			if g.From != w.From || g.To != w.To || math.Abs(g.Probability-w.Probability) > 1e-15 {
				t.Errorf("order %d: transition %d: %+v, want %+v", tt.order, k, g, w)
			}
		}
		// P(conversion) = 3/6 from the start.
		if math.Abs(m.ConversionProbability-0.5) > 1e-15 {
			t.Errorf("order %d: P(conversion) %v", tt.order, m.ConversionProbability)
		}
	}
}

func TestTransitionMatrixRows(t *testing.T) {
	// Every row sums to 1, and the absorption probabilities computed from the dense
	// matrix by iterating P (P^k converges to the absorbing columns) give the conversion
	// probability of the model.
	paths := channelAttributionPaths(t)
	for order := 1; order <= 2; order++ {
		m, err := Markov(paths, order)
		if err != nil {
			t.Fatal(err)
		}
		d, err := m.Transitions.Dense()
		if err != nil {
			t.Fatal(err)
		}
		n, _ := d.Dims()
		for i := range n {
			var s float64
			for j := range n {
				s += d.At(i, j)
			}
			if math.Abs(s-1) > 1e-12 {
				t.Errorf("order %d: row %s sums to %v", order, m.Transitions.States[i], s)
			}
		}
		x := make([]float64, n) // x[i] = P(absorbed in conversion | at i), by iteration
		x[n-2] = 1
		for range 2000 {
			next := make([]float64, n)
			for i := range n {
				for j := range n {
					next[i] += d.At(i, j) * x[j]
				}
			}
			x = next
		}
		if math.Abs(x[0]-m.ConversionProbability) > 1e-9 {
			t.Errorf("order %d: P(conversion) from P^k %v, model %v", order, x[0], m.ConversionProbability)
		}
	}
}

func TestTransitionMatrixDenseErrors(t *testing.T) {
	if _, err := (TransitionMatrix{}).Dense(); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Error(err)
	}
	if _, err := (TransitionMatrix{States: make([]string, MaxDenseStates+1)}).Dense(); !errors.Is(err, cxmetrics.ErrTooLarge) {
		t.Error(err)
	}
	if _, err := (TransitionMatrix{States: []string{"a"}, Transitions: []Transition{{0, 1, 1}}}).Dense(); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Error(err)
	}
}
