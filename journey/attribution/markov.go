package attribution

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxMarkovOrder is the highest order [Markov] accepts. The chain's states are tuples of
// up to this many channels.
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
	// in [0, 1]: the share of the chain's conversions that would be lost without the
	// channel. The credits are proportional to them.
	RemovalEffects map[string]float64 `json:"removal_effects"`
	// Transitions is the chain itself, with named states.
	Transitions TransitionMatrix `json:"transitions"`
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
// solved exactly, not by simulation: by LU decomposition (gonum/mat) for chains of up to
// 64 states, and for larger ones by Gauss-Seidel iteration until a sweep changes no
// component by more than 1e-15 of its value. Removing channel c sends every transition
// into a state whose last channel is c to null; its removal effect is
//
//	e_c = 1 - P_{-c} / P
//
// and its credit is the total conversions (and value) times e_c / sum_k e_k.
//
// # Work
//
// The chain has at most one state per touchpoint of the paths, whatever the order, and
// Markov solves it once, then once per channel. A Gauss-Seidel solve stops after 4·10^9
// multiply-adds at most (a few seconds); should it not have converged by then, a chain of
// up to 2048 states is solved by LU instead, and a larger one is an error wrapping
// [cxmetrics.ErrNotConverged]. An order outside 1 to [MaxMarkovOrder] is an error wrapping
// [cxmetrics.ErrOutOfRange] (below 1) or [cxmetrics.ErrTooLarge] (above).
//
// # Errors
//
// Markov returns an error wrapping [cxmetrics.ErrEmpty] when the paths have no
// conversions, since there is then nothing to share and no removal effect is defined, and
// one wrapping [cxmetrics.ErrNotFinite] when a channel's credit lies beyond the float64
// range (the paths' total conversions or value may). Paths are checked as the package
// documentation says under "Errors and bounds".
//
// Reference: Anderl, E., Becker, I., von Wangenheim, F. and Schumann, J. H. (2016).
// Mapping the customer journey: Lessons learned from graph-based online attribution
// modeling. International Journal of Research in Marketing 33(3), 457-474.
func Markov(paths []Path, order int) (MarkovResult, error) {
	if err := checkOrder(order); err != nil {
		return MarkovResult{}, err
	}
	c, err := compile(paths)
	if err != nil {
		return MarkovResult{}, err
	}
	return markov(c, order)
}

// checkOrder validates a Markov order.
func checkOrder(order int) error {
	switch {
	case order < 1:
		return &cxmetrics.InputError{Pkg: "attribution", What: "markov order", Index: -1, Value: order, Err: cxmetrics.ErrOutOfRange, Detail: fmt.Sprintf("[1, %d]", MaxMarkovOrder)}
	case order > MaxMarkovOrder:
		return &cxmetrics.InputError{Pkg: "attribution", What: "markov order", Index: -1, Value: order, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxMarkovOrder)}
	}
	return nil
}

// markov is Markov on compiled paths.
func markov(c *compiled, order int) (MarkovResult, error) {
	if !(c.totals.conversions.value() > 0) {
		return MarkovResult{}, fmt.Errorf("attribution: markov: no conversions to attribute: %w", cxmetrics.ErrEmpty)
	}
	conv, nulls := chainWeights(c)
	shape := newChainShape(c, conv, nulls, order, edgeTableLimit)
	ch := shape.weigh(nil, conv, nulls)
	effects, total, err := removalEffects(ch, len(c.names))
	if err != nil {
		return MarkovResult{}, err
	}
	res := MarkovResult{ConversionProbability: ch.conversion, RemovalEffects: make(map[string]float64, len(c.names))}
	credits := make([]Credit, len(c.names))
	for k, name := range c.names {
		share := effects[k] / total
		credits[k] = Credit{Channel: name, Conversions: c.totals.conversions.times(share), Value: c.totals.value.times(share)}
		if err := checkCredit(credits[k]); err != nil {
			return MarkovResult{}, err
		}
		res.RemovalEffects[name] = effects[k]
	}
	sortCredits(credits)
	res.Credits = credits
	res.Transitions = transitionMatrix(ch, shape.keys, c.names)
	return res, nil
}

// removalEffects solves the chain and returns the removal effect of each of the channels
// 0..channels-1, clipped to [0, 1], and their sum; it records the probability of
// conversion in ch.conversion. A chain that never converts, or in which every effect is
// zero, is an error wrapping cxmetrics.ErrEmpty.
func removalEffects(ch *chain, channels int) ([]float64, float64, error) {
	p, removed, err := ch.removalProbabilities(channels)
	if err != nil {
		return nil, 0, err
	}
	ch.conversion = p
	if !(p > 0) {
		return nil, 0, fmt.Errorf("attribution: markov: conversion probability is zero: %w", cxmetrics.ErrEmpty)
	}
	effects := removed // reused
	var sum stats.Sum
	for k, pk := range removed {
		effects[k] = min(1, max(0, 1-pk/p))
		sum.Add(effects[k])
	}
	total := sum.Value()
	if !(total > 0) {
		return nil, 0, fmt.Errorf("attribution: markov: every removal effect is zero: %w", cxmetrics.ErrEmpty)
	}
	return effects, total, nil
}

// Solver limits. Chains up to denseStates states are solved by LU; larger ones by
// Gauss-Seidel, with LU as a fallback up to fallbackStates states.
const (
	denseStates    = 64
	fallbackStates = 2048
	gsTolerance    = 1e-15 // the largest relative change of a component in a sweep
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
	null   []float64 // probability of going to null from each state
	sweep  []int32   // the order of a Gauss-Seidel sweep; see sweepOrder
	sweeps int       // the most Gauss-Seidel sweeps before the LU fallback; 0 for gsWork

	conversion float64 // the probability of conversion, once removalEffects has run

	edgeWeight []float64 // scratch of chainShape.weigh: the weight of every edge
}

// sweepOrder returns the states in the post-order of a depth-first search from the start:
// where the chain has no cycle, every state comes after the states it leads to, so that
// one Gauss-Seidel sweep in this order solves it exactly; cycles take a few more sweeps.
func (ch *chain) sweepOrder() []int32 {
	order := make([]int32, 0, ch.n)
	visited := make([]bool, ch.n)
	type frame struct {
		s    int32
		next int // the next edge of s to follow
	}
	var stack []frame
	visit := func(root int32) {
		visited[root] = true
		stack = append(stack[:0], frame{root, 0})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			cols, _ := ch.row(int(top.s))
			if top.next < len(cols) {
				t := cols[top.next]
				top.next++
				if !visited[t] {
					visited[t] = true
					stack = append(stack, frame{t, 0})
				}
				continue
			}
			order = append(order, top.s)
			stack = stack[:len(stack)-1]
		}
	}
	for s, p := range ch.start {
		if p > 0 && !visited[s] {
			visit(int32(s))
		}
	}
	for s := range ch.n {
		if !visited[s] {
			visit(int32(s))
		}
	}
	return order
}

// tupleKey identifies a state: its channels, oldest first, padded with -1.
type tupleKey [MaxMarkovOrder]int32

// edgeTableLimit bounds the dense table of edges, (states+1) x channels entries; beyond
// it chainBuilder keeps its edges in a map.
const edgeTableLimit = 1 << 22

// chainBuilder discovers the states and transitions (edges) of a chain in one pass over
// the paths. An edge is identified by its source state and the next channel, which
// determine its target state.
type chainBuilder struct {
	order, channels int
	tableLimit      int                // edgeTableLimit, or less in tests
	tuples          map[tupleKey]int32 // the state of each tuple of channels
	keys            []tupleKey         // the tuple of each state
	last            []int32            // the last channel of each state
	table           []int32            // edge of (from+1)*channels + channel, or -1
	edges           map[uint64]int32   // the same, once the table is too large
	from, to        []int32            // from -1 is the start state
}

// edge returns the edge from state from (-1 for the start) on channel ch.
func (b *chainBuilder) edge(from, ch int32) int32 {
	if b.table != nil {
		if e := b.table[int(from+1)*b.channels+int(ch)]; e >= 0 {
			return e
		}
	} else if e, ok := b.edges[uint64(from+1)<<32|uint64(ch)]; ok {
		return e
	}
	return b.newEdge(from, ch)
}

func (b *chainBuilder) newEdge(from, ch int32) int32 {
	key := tupleKey{-1, -1, -1, -1}
	if from >= 0 {
		key = b.keys[from]
	}
	copy(key[:b.order-1], key[1:b.order])
	key[b.order-1] = ch
	to, ok := b.tuples[key]
	if !ok {
		to = int32(len(b.last))
		b.tuples[key] = to
		b.keys = append(b.keys, key)
		b.last = append(b.last, ch)
		if b.table != nil {
			if (len(b.last)+1)*b.channels > b.tableLimit {
				b.edges = make(map[uint64]int32, len(b.to))
				for k, e := range b.table {
					if e >= 0 {
						b.edges[uint64(k/b.channels)<<32|uint64(k%b.channels)] = e
					}
				}
				b.table = nil
			} else {
				for range b.channels {
					b.table = append(b.table, -1)
				}
			}
		}
	}
	e := int32(len(b.to))
	b.from = append(b.from, from)
	b.to = append(b.to, to)
	if b.table != nil {
		b.table[int(from+1)*b.channels+int(ch)] = e
	} else {
		b.edges[uint64(from+1)<<32|uint64(ch)] = e
	}
	return e
}

// chainShape is what a chain built from paths owes to their touchpoints alone: its
// states, its transitions (edges) and the edges each path walks. The weights of the paths
// turn it into a chain (weigh); a bootstrap builds the shape once and weighs it again for
// every resample.
type chainShape struct {
	keys     []tupleKey // the channels of each state
	last     []int32    // the last channel of each state
	from, to []int32    // the edges; from -1 is the start state
	rowEnd   []int      // rows of Q in compressed sparse rows, as in chain
	col      []int32
	slot     []int   // the position in col of each edge from a state; -1 from the start
	walk     []int32 // the edges the paths walk, path after path
	walkEnd  []int   // path i walks walk[walkEnd[i-1]:walkEnd[i]], with walkEnd[-1] = 0
	final    []int32 // the state path i ends in; -1 for a path left out
}

// chainWeights returns the conversions and nulls of every path of c, scaled exactly by a
// power of two when their total is extreme, so that their total lies in [0.5, 1) and
// sums over many visits neither overflow nor underflow. A path whose weight then
// underflows to 0 is below the resolution of the total and adds nothing, like a path
// without conversions and nulls.
func chainWeights(c *compiled) (conv, nulls []float64) {
	exp := c.totals.weight.exponent()
	rescale := exp < -500 || exp > 500 // otherwise no sum can overflow or underflow
	conv, nulls = make([]float64, len(c.paths)), make([]float64, len(c.paths))
	for i := range c.paths {
		p := &c.paths[i]
		conv[i], nulls[i] = p.Conversions, p.Nulls
		if rescale {
			conv[i], nulls[i] = math.Ldexp(p.Conversions, -exp), math.Ldexp(p.Nulls, -exp)
		}
	}
	return conv, nulls
}

// buildChain turns compiled paths into the chain of the given order.
func buildChain(c *compiled, order int) *chain {
	return buildChainLimit(c, order, edgeTableLimit)
}

// buildChainLimit is buildChain with a given bound on the dense table of edges.
func buildChainLimit(c *compiled, order, tableLimit int) *chain {
	conv, nulls := chainWeights(c)
	return newChainShape(c, conv, nulls, order, tableLimit).weigh(nil, conv, nulls)
}

// newChainShape discovers the states and edges of the chain of the given order in one
// pass over the paths of c. Paths with conv[i] + nulls[i] == 0 are left out: they add no
// weight, and no state only they would reach.
func newChainShape(c *compiled, conv, nulls []float64, order, tableLimit int) *chainShape {
	b := &chainBuilder{order: order, channels: len(c.names), tableLimit: tableLimit, tuples: make(map[tupleKey]int32)}
	if b.channels <= tableLimit {
		b.table = make([]int32, b.channels)
		for k := range b.table {
			b.table[k] = -1
		}
	} else {
		b.edges = make(map[uint64]int32)
	}
	sh := &chainShape{walkEnd: make([]int, len(c.ends)), final: make([]int32, len(c.ends))}
	for i := range c.ends {
		sh.final[i] = -1
		if conv[i]+nulls[i] != 0 {
			s, prev := int32(-1), int32(-1)
			for _, id := range c.path(i) {
				if id == prev {
					continue // repeats collapse
				}
				prev = id
				e := b.edge(s, id)
				sh.walk = append(sh.walk, e)
				s = b.to[e]
			}
			sh.final[i] = s
		}
		sh.walkEnd[i] = len(sh.walk)
	}
	sh.keys, sh.last, sh.from, sh.to = b.keys, b.last, b.from, b.to

	// The rows of Q in compressed sparse rows, edges in order of discovery within a row.
	n := len(b.last)
	pos := make([]int, n)
	for _, from := range b.from {
		if from >= 0 {
			pos[from]++
		}
	}
	sh.rowEnd = make([]int, n)
	total := 0
	for s, k := range pos {
		pos[s] = total
		total += k
		sh.rowEnd[s] = total
	}
	sh.col = make([]int32, total)
	sh.slot = make([]int, len(b.from))
	for e, from := range b.from {
		if from < 0 {
			sh.slot[e] = -1
			continue
		}
		sh.slot[e] = pos[from]
		sh.col[pos[from]] = b.to[e]
		pos[from]++
	}
	return sh
}

// weigh returns the chain in which path i carries conv[i] journeys that convert and
// nulls[i] that do not (paths the shape left out carry nothing), reusing the slices of
// ch when it is not nil and comes from the same shape. Transition probabilities are the
// weights of the edges over the total weight leaving their state; a state that no weight
// reaches has none leaving it either, and gets probabilities 0.
func (sh *chainShape) weigh(ch *chain, conv, nulls []float64) *chain {
	n := len(sh.last)
	if ch == nil || ch.n != n || len(ch.edgeWeight) != len(sh.from) {
		ch = &chain{n: n, last: sh.last, rowEnd: sh.rowEnd, col: sh.col,
			start: make([]float64, n), prob: make([]float64, len(sh.col)),
			r: make([]float64, n), null: make([]float64, n), edgeWeight: make([]float64, len(sh.from))}
	} else {
		clear(ch.start)
		clear(ch.r)
		clear(ch.null)
		clear(ch.edgeWeight)
	}
	ew := ch.edgeWeight
	from := 0
	for i, s := range sh.final {
		to := sh.walkEnd[i]
		if s >= 0 {
			if w := conv[i] + nulls[i]; w != 0 {
				for _, e := range sh.walk[from:to] {
					ew[e] += w
				}
				ch.r[s] += conv[i]
				ch.null[s] += nulls[i]
			}
		}
		from = to
	}
	// The weight leaving each state, in ch.start until the start distribution is known.
	out := ch.start
	var totalStart stats.Sum
	for s := range out {
		out[s] = ch.r[s] + ch.null[s]
	}
	for e, f := range sh.from {
		if f < 0 {
			totalStart.Add(ew[e])
		} else {
			out[f] += ew[e]
		}
	}
	for e, f := range sh.from {
		if f >= 0 {
			ch.prob[sh.slot[e]] = ratio(ew[e], out[f])
		}
	}
	for s, o := range out {
		ch.r[s], ch.null[s] = ratio(ch.r[s], o), ratio(ch.null[s], o)
	}
	ts := totalStart.Value()
	clear(ch.start)
	for e, f := range sh.from {
		if f < 0 {
			ch.start[sh.to[e]] = ratio(ew[e], ts)
		}
	}
	return ch
}

// ratio returns a / b, and 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
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
	var solve func(x []float64, removed []bool, floor float64) error
	if ch.n <= denseStates {
		d := newDenseSolver(ch)
		solve = func(x []float64, removed []bool, _ float64) error { return d.solve(x, removed) }
	} else {
		solve = ch.solveIterative
	}
	full := make([]float64, ch.n)
	if err := solve(full, removed, 0); err != nil {
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
		if err := solve(x, removed, p); err != nil {
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
			return fmt.Errorf("attribution: markov: %v: %w", err, cxmetrics.ErrSingular)
		}
	}
	for s := range x {
		x[s] = max(0, d.x.AtVec(s))
	}
	return nil
}

// solveIterative solves (I - Q) x = r by Gauss-Seidel sweeps, starting from x, which must
// be 0 or a solution of the chain with fewer states removed (the iterates then move
// monotonically to the solution: up from 0, down from above). It stops when no component
// changes by more than gsTolerance of the larger of its value and floor, and falls back
// to LU when that takes too long. Components that fall towards 0 in a cycle never reach
// it, so floor should be the scale of the accuracy wanted: the full chain's probability
// of conversion for the solves of removals, 0 (relative accuracy) for the full chain,
// which rises from 0.
func (ch *chain) solveIterative(x []float64, removed []bool, floor float64) error {
	for s := range x {
		if removed[s] {
			x[s] = 0
		}
	}
	if ch.sweep == nil {
		ch.sweep = ch.sweepOrder()
	}
	sweeps := ch.sweeps
	if sweeps == 0 {
		sweeps = int(gsWork / float64(len(ch.col)+ch.n))
	}
	for range sweeps {
		converged := true
		for _, s := range ch.sweep {
			if removed[s] {
				continue
			}
			// No state leads to itself: its successor ends with another channel.
			cols, probs := ch.row(int(s))
			v := ch.r[s]
			for k, t := range cols {
				v += probs[k] * x[t]
			}
			if math.Abs(v-x[s]) > gsTolerance*max(v, floor) {
				converged = false
			}
			x[s] = v
		}
		if converged {
			return nil
		}
	}
	if ch.n > fallbackStates {
		return fmt.Errorf("attribution: markov: Gauss-Seidel on %d states, too many for a dense solve: %w", ch.n, cxmetrics.ErrNotConverged)
	}
	return newDenseSolver(ch).solve(x, removed)
}
