package attribution

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxMarkovOrder is the highest order [Markov] accepts.
const MaxMarkovOrder = 4

// MarkovResult is the outcome of [Markov]: the credits, the probability of conversion
// from the start of a journey, and each channel's removal effect.
type MarkovResult struct {
	Result
	// ConversionProbability is the probability that a journey started in the chain ends
	// in conversion. For a chain built from paths it equals
	// total conversions / (total conversions + total nulls).
	ConversionProbability float64 `json:"conversion_probability"`
	// RemovalEffects holds, for every channel,
	//	1 - P(conversion with the channel removed) / P(conversion)
	// in [0, 1].
	RemovalEffects map[string]float64 `json:"removal_effects"`
}

// Markov attributes conversions with an absorbing Markov chain of the given order (1 to
// [MaxMarkovOrder]) and removal effects, solved exactly (Anderl et al., 2016).
//
// Each path, after repeated consecutive touchpoints are collapsed (a > a > b becomes
// a > b), walks from a start state through one state per touchpoint to the absorbing
// states conversion or null. A state is the tuple of the last order channels (fewer at the
// start of a path). A path adds its Conversions+Nulls to each of its transitions, its
// Conversions to the transition from its last state to conversion and its Nulls to the one
// to null; transition probabilities are these weights over each state's total.
//
// With Q the transitions among the transient states, r the one-step probabilities of
// conversion and s the start distribution, the probability of conversion is
//
//	P = s' x,  where (I - Q) x = r
//
// solved exactly: by LU decomposition (gonum/mat) for chains of up to 256 states, and by
// Gauss-Seidel iteration to machine precision for larger ones (with LU as a fallback should
// it not converge). Removing channel c sends every transition into a state whose last
// channel is c to null; its removal effect is
//
//	e_c = 1 - P_{-c} / P
//
// and its credit is the total conversions (and value) times e_c / sum_k e_k.
//
// Markov returns an error wrapping [cxmetrics.ErrEmpty] when the paths have no
// conversions, since there is then nothing to share and no removal effect is defined.
//
// Reference: Anderl, E., Becker, I., von Wangenheim, F. and Schumann, J. H. (2016).
// Mapping the customer journey: Lessons learned from graph-based online attribution
// modeling. International Journal of Research in Marketing 33(3), 457-474.
func Markov(paths []Path, order int) (MarkovResult, error) {
	if order < 1 || order > MaxMarkovOrder {
		return MarkovResult{}, &cxmetrics.InputError{Pkg: "attribution", What: "markov order", Index: -1, Value: order, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[1, %d]", MaxMarkovOrder)}
	}
	c, err := compile(paths)
	if err != nil {
		return MarkovResult{}, err
	}
	if c.totals.conversions <= 0 {
		return MarkovResult{}, fmt.Errorf("attribution: markov: no conversions to attribute: %w", cxmetrics.ErrEmpty)
	}
	ch := buildChain(c, order)
	p, removed, err := ch.removalProbabilities(len(c.names))
	if err != nil {
		return MarkovResult{}, err
	}
	if !(p > 0) {
		return MarkovResult{}, fmt.Errorf("attribution: markov: conversion probability is zero: %w", cxmetrics.ErrEmpty)
	}
	effects := make([]float64, len(c.names))
	var sum stats.Sum
	for k, pk := range removed {
		effects[k] = min(1, max(0, 1-pk/p))
		sum.Add(effects[k])
	}
	total := sum.Value()
	if !(total > 0) {
		return MarkovResult{}, fmt.Errorf("attribution: markov: every removal effect is zero: %w", cxmetrics.ErrEmpty)
	}
	res := MarkovResult{ConversionProbability: p, RemovalEffects: make(map[string]float64, len(c.names))}
	credits := make([]Credit, len(c.names))
	for k, name := range c.names {
		share := effects[k] / total
		credits[k] = Credit{Channel: name, Conversions: share * c.totals.conversions, Value: share * c.totals.value}
		res.RemovalEffects[name] = effects[k]
	}
	sortCredits(credits)
	res.Credits = credits
	return res, nil
}

// Solver limits. Chains up to denseStates states are solved by LU; larger ones by
// Gauss-Seidel, with LU as a fallback up to fallbackStates states.
const (
	denseStates    = 256
	fallbackStates = 8192
	gsTolerance    = 1e-15 // relative to the largest absorption probability
	gsWork         = 4e9   // the most multiply-adds spent on one Gauss-Seidel solve
)

// chain is the transient part of an absorbing Markov chain in compressed sparse rows.
type chain struct {
	n      int       // number of transient states
	last   []int32   // the last channel of each state
	start  []float64 // probability of entering each state from the start
	rowEnd []int     // row s of Q is col[rowEnd[s-1]:rowEnd[s]]
	col    []int32
	prob   []float64
	r      []float64 // probability of going to conversion from each state
}

// tupleKey identifies a state of a chain of order above 1: its channels, oldest first,
// padded with -1.
type tupleKey [MaxMarkovOrder]int32

// buildChain turns compiled paths into the chain of the given order.
func buildChain(c *compiled, order int) *chain {
	// Pass 1: the states along every path with weight, with repeats collapsed; path i
	// visits seq[ends[i-1]:ends[i]], nothing when it has no weight.
	var (
		seq  = make([]int32, 0, len(c.ids))
		ends = make([]int, len(c.ends))
		last []int32
	)
	stateOf := make([]int32, len(c.names)) // order 1: the state of each channel
	for i := range stateOf {
		stateOf[i] = -1
	}
	var tuples map[tupleKey]int32
	if order > 1 {
		tuples = make(map[tupleKey]int32)
	}
	for i := range c.ends {
		if p := &c.paths[i]; p.Conversions+p.Nulls <= 0 {
			ends[i] = len(seq)
			continue
		}
		key := tupleKey{-1, -1, -1, -1}
		prev := int32(-1)
		for _, id := range c.path(i) {
			if id == prev {
				continue
			}
			prev = id
			var s int32
			if order == 1 {
				s = stateOf[id]
				if s < 0 {
					s = int32(len(last))
					stateOf[id] = s
					last = append(last, id)
				}
			} else {
				copy(key[:order-1], key[1:order])
				key[order-1] = id
				var ok bool
				if s, ok = tuples[key]; !ok {
					s = int32(len(last))
					tuples[key] = s
					last = append(last, id)
				}
			}
			seq = append(seq, s)
		}
		ends[i] = len(seq)
	}
	n := len(last)

	// Pass 2: transition weights, scaled exactly by a power of two so that the total
	// weight lies in [0.5, 1) and sums over many visits neither overflow nor underflow.
	_, exp := math.Frexp(c.totals.conversions + c.totals.nulls)
	startW := make([]float64, n)
	conv := make([]float64, n)
	out := make([]float64, n) // every weight leaving a state, absorbing ones included
	var dense []float64
	var sparse map[uint64]float64
	if n <= denseStates {
		dense = make([]float64, n*n)
	} else {
		sparse = make(map[uint64]float64)
	}
	from := 0
	for i, end := range ends {
		states := seq[from:end]
		from = end
		if len(states) == 0 {
			continue
		}
		p := &c.paths[i]
		w := math.Ldexp(p.Conversions+p.Nulls, -exp)
		startW[states[0]] += w
		for j := 1; j < len(states); j++ {
			a, b := states[j-1], states[j]
			if dense != nil {
				dense[int(a)*n+int(b)] += w
			} else {
				sparse[uint64(a)<<32|uint64(b)] += w
			}
			out[a] += w
		}
		lastState := states[len(states)-1]
		conv[lastState] += math.Ldexp(p.Conversions, -exp)
		out[lastState] += w
	}

	// Probabilities in compressed sparse rows.
	ch := &chain{n: n, last: last, start: startW, r: conv, rowEnd: make([]int, n)}
	var totalStart stats.Sum
	for _, w := range startW {
		totalStart.Add(w)
	}
	ts := totalStart.Value()
	for s := range startW {
		startW[s] /= ts
		conv[s] /= out[s]
	}
	if dense != nil {
		for a := range n {
			row := dense[a*n : (a+1)*n]
			for b, w := range row {
				if w != 0 {
					ch.col = append(ch.col, int32(b))
					ch.prob = append(ch.prob, w/out[a])
				}
			}
			ch.rowEnd[a] = len(ch.col)
		}
		return ch
	}
	count := make([]int, n)
	for key := range sparse {
		count[key>>32]++
	}
	pos := make([]int, n)
	total := 0
	for a, k := range count {
		pos[a] = total
		total += k
		ch.rowEnd[a] = total
	}
	ch.col = make([]int32, total)
	ch.prob = make([]float64, total)
	for key, w := range sparse {
		a, b := int(key>>32), int32(key&math.MaxUint32)
		ch.col[pos[a]] = b
		ch.prob[pos[a]] = w / out[a]
		pos[a]++
	}
	return ch
}

// row returns the columns and probabilities of row s of Q.
func (ch *chain) row(s int) ([]int32, []float64) {
	from := 0
	if s > 0 {
		from = ch.rowEnd[s-1]
	}
	return ch.col[from:ch.rowEnd[s]], ch.prob[from:ch.rowEnd[s]]
}

// removalProbabilities returns the probability of conversion of the full chain and, for
// each of the channels 0..channels-1, of the chain with that channel removed.
func (ch *chain) removalProbabilities(channels int) (float64, []float64, error) {
	removed := make([]bool, ch.n)
	hasState := make([]bool, channels)
	for _, c := range ch.last {
		hasState[c] = true
	}
	var solve func(x []float64, removed []bool) error
	if ch.n <= denseStates {
		d := newDenseSolver(ch)
		solve = d.solve
	} else {
		solve = ch.solveIterative
	}
	full := make([]float64, ch.n)
	if err := solve(full, removed); err != nil {
		return 0, nil, err
	}
	p := ch.probability(full, removed)
	probs := make([]float64, channels)
	x := make([]float64, ch.n)
	for c := range probs {
		if !hasState[c] {
			probs[c] = p
			continue
		}
		for s, l := range ch.last {
			removed[s] = l == int32(c)
		}
		copy(x, full) // a warm start from above for the iterative solver
		if err := solve(x, removed); err != nil {
			return 0, nil, err
		}
		probs[c] = ch.probability(x, removed)
	}
	return p, probs, nil
}

// probability returns s' x over the states that are not removed.
func (ch *chain) probability(x []float64, removed []bool) float64 {
	var p stats.Sum
	for s, w := range ch.start {
		if !removed[s] {
			p.Add(w * x[s])
		}
	}
	return p.Value()
}

// denseSolver solves (I - Q) x = r by LU decomposition.
type denseSolver struct {
	ch *chain
	a  *mat.Dense
	lu mat.LU
	b  *mat.VecDense
	x  *mat.VecDense
}

func newDenseSolver(ch *chain) *denseSolver {
	return &denseSolver{ch: ch, a: mat.NewDense(ch.n, ch.n, nil), b: mat.NewVecDense(ch.n, nil), x: mat.NewVecDense(ch.n, nil)}
}

// solve writes into x the absorption probabilities into conversion, with the removed
// states sent to null (x = 0 there).
func (d *denseSolver) solve(x []float64, removed []bool) error {
	ch := d.ch
	d.a.Zero()
	for s := range ch.n {
		d.a.Set(s, s, 1)
		if removed[s] {
			d.b.SetVec(s, 0)
			continue
		}
		d.b.SetVec(s, ch.r[s])
		cols, probs := ch.row(s)
		for k, t := range cols {
			if !removed[t] {
				d.a.Set(s, int(t), d.a.At(s, int(t))-probs[k])
			}
		}
	}
	d.lu.Factorize(d.a)
	if err := d.lu.SolveVecTo(d.x, false, d.b); err != nil {
		if _, ok := err.(mat.Condition); !ok {
			return fmt.Errorf("attribution: markov: %v: %w", err, cxmetrics.ErrOutOfRange)
		}
	}
	for s := range x {
		x[s] = max(0, d.x.AtVec(s))
	}
	return nil
}

// solveIterative solves (I - Q) x = r by Gauss-Seidel sweeps, starting from x, which must
// be 0 or a solution of the chain with fewer states removed (the iterates then fall
// monotonically to the solution). It stops when no component changes by more than
// gsTolerance times the largest one, and falls back to LU when that takes too long.
func (ch *chain) solveIterative(x []float64, removed []bool) error {
	for s := range x {
		if removed[s] {
			x[s] = 0
		}
	}
	sweeps := int(gsWork / float64(len(ch.col)+ch.n))
	for range sweeps {
		var change, largest float64
		for s := ch.n - 1; s >= 0; s-- {
			if removed[s] {
				continue
			}
			cols, probs := ch.row(s)
			v, self := ch.r[s], 0.0
			for k, t := range cols {
				if int(t) == s {
					self += probs[k]
				} else {
					v += probs[k] * x[t]
				}
			}
			v /= 1 - self
			change = max(change, math.Abs(v-x[s]))
			largest = max(largest, v)
			x[s] = v
		}
		if change <= gsTolerance*largest {
			return nil
		}
	}
	if ch.n > fallbackStates {
		return fmt.Errorf("attribution: markov: %d states did not converge and are too many for a dense solve: %w", ch.n, cxmetrics.ErrOutOfRange)
	}
	return newDenseSolver(ch).solve(x, removed)
}
