package attribution

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics"
)

// The names of the states of a [TransitionMatrix] that are not channels, as
// ChannelAttribution's transition_matrix names them.
const (
	StartState      = "(start)"
	ConversionState = "(conversion)"
	NullState       = "(null)"
)

// TransitionMatrix is the absorbing Markov chain that [Markov] solves, with named states:
// States[0] is [StartState], then come the transient states in order of first appearance
// in the paths, then [ConversionState] and [NullState]. A transient state is named by
// its channels, oldest first, joined by " > " ("a" at order 1, "a > b" at order 2; fewer
// than order channels at the start of a path). A channel whose name is one of the three
// above, or contains " > ", makes names ambiguous; the indexes are not.
//
// Transitions lists the non-zero entries of the row-stochastic matrix P, P[i][j] the
// probability of going from state i to state j, by row, targets in increasing order. The
// start row is the distribution of the first state; the two absorbing states go to
// themselves with probability 1; each row sums to 1 up to rounding. For order 1 the
// probability from channel a to channel b is
//
//	w(a -> b) / (sum over c of w(a -> c) + w(a -> conversion) + w(a -> null))
//
// with w the sum of Conversions + Nulls of the paths that make the transition (after
// repeats collapse), the conversions of the paths that end in a for a -> conversion and
// their nulls for a -> null.
type TransitionMatrix struct {
	States      []string     `json:"states"`
	Transitions []Transition `json:"transitions"`
}

// Transition is one non-zero entry of a [TransitionMatrix]: the probability of going from
// state From to state To (indexes into States).
type Transition struct {
	From        int     `json:"from"`
	To          int     `json:"to"`
	Probability float64 `json:"probability"`
}

// MaxDenseStates bounds the states of [TransitionMatrix.Dense]: 4096, 128 MiB.
const MaxDenseStates = 4096

// Dense returns the transition matrix as a dense len(States) x len(States) matrix; more
// than [MaxDenseStates] states is an error wrapping [cxmetrics.ErrTooLarge], and an
// empty matrix one wrapping [cxmetrics.ErrEmpty].
func (m TransitionMatrix) Dense() (*mat.Dense, error) {
	n := len(m.States)
	switch {
	case n == 0:
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "states", Index: -1, Value: 0, Err: cxmetrics.ErrEmpty}
	case n > MaxDenseStates:
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "states", Index: -1, Value: n, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d for a dense matrix)", MaxDenseStates)}
	}
	d := mat.NewDense(n, n, nil)
	for _, t := range m.Transitions {
		if t.From < 0 || t.From >= n || t.To < 0 || t.To >= n {
			return nil, &cxmetrics.InputError{Pkg: "attribution", What: "transition", Index: t.From, Value: t.To, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[0, %d)", n)}
		}
		d.Set(t.From, t.To, t.Probability)
	}
	return d, nil
}

// transitionMatrix names the states of ch and lists its transitions.
func transitionMatrix(ch *chain, keys []tupleKey, names []string) TransitionMatrix {
	n := ch.n
	conv, null := n+1, n+2
	m := TransitionMatrix{States: make([]string, 0, n+3)}
	m.States = append(m.States, StartState)
	var b strings.Builder
	for _, k := range keys {
		b.Reset()
		for _, id := range k {
			if id < 0 {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(" > ")
			}
			b.WriteString(names[id])
		}
		m.States = append(m.States, b.String())
	}
	m.States = append(m.States, ConversionState, NullState)
	add := func(from, to int, p float64) {
		if p > 0 {
			m.Transitions = append(m.Transitions, Transition{From: from, To: to, Probability: p})
		}
	}
	for s, p := range ch.start {
		add(0, s+1, p)
	}
	var row []Transition
	for s := range n {
		cols, probs := ch.row(s)
		row = row[:0]
		for k, t := range cols {
			if probs[k] > 0 {
				row = append(row, Transition{From: s + 1, To: int(t) + 1, Probability: probs[k]})
			}
		}
		slices.SortFunc(row, func(a, b Transition) int { return cmp.Compare(a.To, b.To) })
		m.Transitions = append(m.Transitions, row...)
		add(s+1, conv, ch.r[s])
		add(s+1, null, ch.null[s])
	}
	add(conv, conv, 1)
	add(null, null, 1)
	return m
}
