package attribution

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
)

// handPaths is a two-channel example small enough to solve by hand, with a cycle
// (a > b > a) and a repeat (a > a > b collapses to a > b).
var handPaths = []Path{
	{Touchpoints: []string{"a", "b"}, Conversions: 3, Nulls: 1, Value: 30},
	{Touchpoints: []string{"b"}, Conversions: 1, Nulls: 3, Value: 10},
	{Touchpoints: []string{"a"}, Conversions: 0, Nulls: 2, Value: 0},
	{Touchpoints: []string{"b", "a"}, Conversions: 2, Nulls: 0, Value: 20},
	{Touchpoints: []string{"a", "b", "a"}, Conversions: 1, Nulls: 1, Value: 10},
	{Touchpoints: []string{"a", "a", "b"}, Conversions: 1, Nulls: 0, Value: 5},
}

func TestMarkovByHand(t *testing.T) {
	// Transition weights (conversions + nulls of each path on each of its transitions):
	//   start -> a: 4 + 2 + 2 + 1 = 9        start -> b: 4 + 2 = 6
	//   a -> b: 4 + 2 + 1 = 7                 b -> a: 2 + 2 = 4
	//   a -> conv: 0 + 2 + 1 = 3              b -> conv: 3 + 1 + 1 = 5
	//   a -> null: 2 + 0 + 1 = 3              b -> null: 1 + 3 + 0 = 4
	// so both a and b have 13 outgoing, s = (9/15, 6/15) and
	//   x_a = 3/13 + 7/13 x_b,  x_b = 5/13 + 4/13 x_a
	// By Cramer's rule: x_a = (3*13 + 7*5) / (13*13 - 7*4) = 74/141,
	//                   x_b = (5*13 + 4*3) / 141 = 77/141,
	//   P = 9/15 * 74/141 + 6/15 * 77/141 = 1128/2115 = 8/15
	// (= 8 conversions / 15 journeys, as the flow argument says).
	// Without a, b's transition to a goes to null: P_-a = 6/15 * 5/13 = 2/13,
	//   e_a = 1 - (2/13) / (8/15) = 37/52 = 74/104.
	// Without b: P_-b = 9/15 * 3/13 = 9/65, e_b = 1 - (9/65) / (8/15) = 77/104.
	// Credits: 8 conversions and 75 of value in the ratio 74 : 77.
	const tol = 1e-14
	res, err := Markov(handPaths, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinAbs(res.ConversionProbability, 8.0/15, tol) {
		t.Errorf("P = %.17g, want 8/15", res.ConversionProbability)
	}
	for ch, want := range map[string]float64{"a": 74.0 / 104, "b": 77.0 / 104} {
		if got := res.RemovalEffects[ch]; !scalar.EqualWithinAbs(got, want, tol) {
			t.Errorf("removal effect of %s = %.17g, want %.17g", ch, got, want)
		}
	}
	for ch, share := range map[string]float64{"a": 74.0 / 151, "b": 77.0 / 151} {
		c, _ := res.Channel(ch)
		if !scalar.EqualWithinAbs(c.Conversions, 8*share, 1e-12) || !scalar.EqualWithinAbs(c.Value, 75*share, 1e-12) {
			t.Errorf("credit of %s = %+v, want %v conversions, %v value", ch, c, 8*share, 75*share)
		}
	}
	if res.Credits[0].Channel != "b" {
		t.Errorf("credits not sorted: %+v", res.Credits)
	}
}

func TestMarkovSecondOrderByHand(t *testing.T) {
	// Order 2 on the paths a > b (1 conversion) and b > a > b (1 null):
	// states (a), (b), (a,b), (b,a); start -> (a) 1, start -> (b) 1; (a) -> (a,b) 1;
	// (b) -> (b,a) 1; (b,a) -> (a,b) 1; (a,b) -> conv 1, (a,b) -> null 1.
	// x_(a,b) = 1/2, so every state that leads to (a,b) converts with 1/2: P = 1/2.
	// Removing a or b removes (a,b), the only state that converts: P = 0, e = 1 each.
	paths := []Path{
		{Touchpoints: []string{"a", "b"}, Conversions: 1},
		{Touchpoints: []string{"b", "a", "b"}, Nulls: 1},
	}
	res, err := Markov(paths, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinAbs(res.ConversionProbability, 0.5, 1e-15) {
		t.Errorf("P = %v, want 0.5", res.ConversionProbability)
	}
	for _, ch := range []string{"a", "b"} {
		if e := res.RemovalEffects[ch]; e != 1 {
			t.Errorf("removal effect of %s = %v, want 1", ch, e)
		}
		if c, _ := res.Channel(ch); !scalar.EqualWithinAbs(c.Conversions, 0.5, 1e-15) {
			t.Errorf("credit of %s = %v, want 0.5", ch, c.Conversions)
		}
	}
}

// refChain is an absorbing chain built independently of Markov: states are the last
// order channel names joined by ">", transitions are nested maps.
type refChain struct {
	start map[string]float64
	next  map[string]map[string]float64 // state -> state -> weight
	conv  map[string]float64
	out   map[string]float64
}

func newRefChain(paths []Path, order int) *refChain {
	ch := &refChain{start: map[string]float64{}, next: map[string]map[string]float64{}, conv: map[string]float64{}, out: map[string]float64{}}
	for _, p := range paths {
		w := p.Conversions + p.Nulls
		if w == 0 {
			continue
		}
		var collapsed []string
		for _, tp := range p.Touchpoints {
			if len(collapsed) == 0 || collapsed[len(collapsed)-1] != tp {
				collapsed = append(collapsed, tp)
			}
		}
		prev := ""
		for i := range collapsed {
			state := strings.Join(collapsed[max(0, i-order+1):i+1], ">")
			if prev == "" {
				ch.start[state] += w
			} else {
				if ch.next[prev] == nil {
					ch.next[prev] = map[string]float64{}
				}
				ch.next[prev][state] += w
				ch.out[prev] += w
			}
			prev = state
		}
		ch.conv[prev] += p.Conversions
		ch.out[prev] += w
	}
	return ch
}

// probability returns the probability of conversion with every state that contains the
// channel without removed, by fixed-point (Jacobi) iteration x <- r + Q x from x = 0,
// which rises monotonically to the solution; it stops when no component rises by more
// than 1e-16.
func (ch *refChain) probability(without string) float64 {
	keep := func(s string) bool {
		return without == "" || !strings.Contains(">"+s+">", ">"+without+">")
	}
	type edge struct {
		to int
		p  float64
	}
	var names []string
	for s := range ch.out {
		if keep(s) {
			names = append(names, s)
		}
	}
	id := map[string]int{}
	for i, s := range names {
		id[s] = i
	}
	r := make([]float64, len(names))
	edges := make([][]edge, len(names))
	for i, s := range names {
		r[i] = ch.conv[s] / ch.out[s]
		for t, w := range ch.next[s] {
			if j, ok := id[t]; ok {
				edges[i] = append(edges[i], edge{j, w / ch.out[s]})
			}
		}
	}
	x, nx := make([]float64, len(names)), make([]float64, len(names))
	for iter := 0; iter < 1_000_000; iter++ {
		change := 0.0
		for i := range names {
			v := r[i]
			for _, e := range edges[i] {
				v += e.p * x[e.to]
			}
			nx[i] = v
			change = math.Max(change, v-x[i])
		}
		x, nx = nx, x
		if change <= 1e-16 {
			break
		}
	}
	var total, p float64
	for _, w := range ch.start {
		total += w
	}
	for s, w := range ch.start {
		if j, ok := id[s]; ok {
			p += w / total * x[j]
		}
	}
	return p
}

func TestMarkovAgainstIndependentSolver(t *testing.T) {
	paths := channelAttributionPaths(t)
	var conv, nulls, value float64
	for _, p := range paths {
		conv += p.Conversions
		nulls += p.Nulls
		value += p.Value
	}
	for order := 1; order <= MaxMarkovOrder; order++ {
		res, err := Markov(paths, order)
		if err != nil {
			t.Fatal(err)
		}
		// The flow identity: P = conversions / (conversions + nulls) for any order.
		if !scalar.EqualWithinAbs(res.ConversionProbability, conv/(conv+nulls), 1e-13) {
			t.Errorf("order %d: P = %.17g, want %.17g", order, res.ConversionProbability, conv/(conv+nulls))
		}
		ref := newRefChain(paths, order)
		p := ref.probability("")
		if !scalar.EqualWithinAbs(res.ConversionProbability, p, 1e-13) {
			t.Errorf("order %d: P = %.17g, independent solver %.17g", order, res.ConversionProbability, p)
		}
		if len(res.RemovalEffects) != 12 {
			t.Errorf("order %d: %d removal effects, want 12", order, len(res.RemovalEffects))
		}
		for name, e := range res.RemovalEffects {
			want := 1 - ref.probability(name)/p
			if !scalar.EqualWithinAbs(e, want, 1e-12) {
				t.Errorf("order %d: removal effect of %s = %.17g, independent solver %.17g", order, name, e, want)
			}
		}
		checkCreditSums(t, "markov", res.Result, conv, value)
	}
}

func TestMarkovAgainstNumpy(t *testing.T) {
	// Order 1 removal effects from bench/attribution_numpy.py (numpy.linalg.solve on the
	// same chain, built independently in numpy).
	want := map[string]float64{
		"alpha": 0.55839948950774676, "beta": 0.26403853574123648, "delta": 0.00048199575803808958,
		"epsilon": 0.062638582275490462, "eta": 0.34902633187114596, "gamma": 0.017879974419968692,
		"iota": 0.40583500447194409, "kappa": 0.02866338665546575, "lambda": 0.13402212280969994,
		"mi": 0.00017994581989377867, "theta": 0.2060104627727698, "zeta": 0.039810517817383317,
	}
	res, err := Markov(channelAttributionPaths(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range want {
		if got := res.RemovalEffects[name]; !scalar.EqualWithinAbs(got, e, 1e-13) {
			t.Errorf("removal effect of %s = %.17g, numpy %.17g", name, got, e)
		}
	}
	// numpy: alpha earns 5344.9476820851687 conversions.
	if alpha, _ := res.Channel("alpha"); !scalar.EqualWithinAbs(alpha.Conversions, 5344.9476820851687, 1e-9) {
		t.Errorf("alpha %.13g conversions, numpy 5344.9476820851687", alpha.Conversions)
	}
}

func TestMarkovSolvers(t *testing.T) {
	// The iterative solver and LU agree, on chains of 12 states (solved by LU in Markov)
	// and 114 states (solved by Gauss-Seidel).
	c, err := compile(channelAttributionPaths(t))
	if err != nil {
		t.Fatal(err)
	}
	for order := 1; order <= 2; order++ {
		ch := buildChain(c, order)
		removed := make([]bool, ch.n)
		for c := int32(-1); c < 12; c++ {
			for s, l := range ch.last {
				removed[s] = l == c
			}
			lu := make([]float64, ch.n)
			if err := newDenseSolver(ch).solve(lu, removed); err != nil {
				t.Fatal(err)
			}
			for _, sweeps := range []int{0, 2} { // 2 sweeps fall back to LU
				ch.sweeps = sweeps
				gs := make([]float64, ch.n)
				if err := ch.solveIterative(gs, removed, 0); err != nil {
					t.Fatal(err)
				}
				for s := range lu {
					if !scalar.EqualWithinAbsOrRel(lu[s], gs[s], 1e-14, 1e-13) {
						t.Fatalf("order %d, %d sweeps, channel %d removed, state %d: LU %.17g, Gauss-Seidel %.17g", order, sweeps, c, s, lu[s], gs[s])
					}
				}
			}
		}
	}
}

func TestMarkovErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		paths []Path
		order int
		want  error
	}{
		{"order 0", handPaths, 0, cxmetrics.ErrOutOfRange},
		{"order 5", handPaths, 5, cxmetrics.ErrTooLarge},
		{"no paths", nil, 1, cxmetrics.ErrEmpty},
		{"no conversions", []Path{{Touchpoints: []string{"a"}, Nulls: 3, Value: 2}}, 1, cxmetrics.ErrEmpty},
		{"no weight", []Path{{Touchpoints: []string{"a"}}}, 1, cxmetrics.ErrEmpty},
		{"NaN nulls", []Path{{Touchpoints: []string{"a"}, Conversions: 1, Nulls: math.NaN()}}, 1, cxmetrics.ErrNotFinite},
	} {
		_, err := Markov(tc.paths, tc.order)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestMarkovUnweightedChannel(t *testing.T) {
	// A channel seen only on a path with neither conversions nor nulls is listed with
	// zero effect and zero credit.
	paths := append([]Path{{Touchpoints: []string{"c", "a"}}}, handPaths...)
	res, err := Markov(paths, 1)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := res.RemovalEffects["c"]; !ok || e != 0 {
		t.Errorf("removal effect of c = %v, %v; want 0", e, ok)
	}
	if c, ok := res.Channel("c"); !ok || c.Conversions != 0 {
		t.Errorf("credit of c = %+v, %v; want 0", c, ok)
	}
}

func TestMarkovScaleInvariance(t *testing.T) {
	// Multiplying every count by the same factor changes no probability; huge and tiny
	// counts neither overflow nor underflow.
	want, err := Markov(handPaths, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, factor := range []float64{1e300, 1e-300, 1e-315} {
		scaled := make([]Path, len(handPaths))
		for i, p := range handPaths {
			scaled[i] = Path{Touchpoints: p.Touchpoints, Conversions: p.Conversions * factor, Nulls: p.Nulls * factor, Value: p.Value}
		}
		got, err := Markov(scaled, 1)
		if err != nil {
			t.Fatalf("factor %g: %v", factor, err)
		}
		tol := 1e-13
		if factor < 1e-308 {
			tol = 1e-6 // subnormal counts carry fewer digits
		}
		if !scalar.EqualWithinAbs(got.ConversionProbability, want.ConversionProbability, tol) {
			t.Errorf("factor %g: P = %v, want %v", factor, got.ConversionProbability, want.ConversionProbability)
		}
		for ch, e := range want.RemovalEffects {
			if !scalar.EqualWithinAbs(got.RemovalEffects[ch], e, tol) {
				t.Errorf("factor %g: removal effect of %s = %v, want %v", factor, ch, got.RemovalEffects[ch], e)
			}
		}
	}
}

func TestChainEdgeMap(t *testing.T) {
	// A chain whose edges outgrow the dense table (at once, or after some states) is the
	// same chain.
	c, err := compile(channelAttributionPaths(t))
	if err != nil {
		t.Fatal(err)
	}
	for order := 1; order <= MaxMarkovOrder; order++ {
		want := buildChain(c, order)
		for _, limit := range []int{0, 12 * 50} {
			got := buildChainLimit(c, order, limit)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("order %d, table limit %d: chains differ", order, limit)
			}
		}
	}
}

func TestMarkovSlowDecay(t *testing.T) {
	// Without c, a and b pass journeys back and forth until they end in null: from above,
	// their absorption probabilities fall towards 0 by a constant factor each sweep and
	// never reach it. The solver must stop at the accuracy P needs, and agree with LU.
	paths := []Path{
		{Touchpoints: []string{"a", "b", "a", "b", "a", "b", "a", "c"}, Conversions: 1},
		{Touchpoints: []string{"a", "b"}, Nulls: 1},
	}
	c, err := compile(paths)
	if err != nil {
		t.Fatal(err)
	}
	ch := buildChain(c, 1)
	full := make([]float64, ch.n)
	if err := ch.solveIterative(full, make([]bool, ch.n), 0); err != nil {
		t.Fatal(err)
	}
	p := ch.probability(full, make([]bool, ch.n))
	removed := make([]bool, ch.n)
	for s, l := range ch.last {
		removed[s] = c.names[l] == "c"
	}
	lu := make([]float64, ch.n)
	if err := newDenseSolver(ch).solve(lu, removed); err != nil {
		t.Fatal(err)
	}
	ch.sweeps = 100 // underflow to 0 would take about a thousand
	gs := append([]float64(nil), full...)
	if err := ch.solveIterative(gs, removed, p); err != nil {
		t.Fatal(err)
	}
	iterated := false // the LU fallback would give exact zeros
	for s := range lu {
		if lu[s] != 0 || gs[s] > 1e-13*p {
			t.Errorf("state %d: LU %g, Gauss-Seidel %g, want 0", s, lu[s], gs[s])
		}
		iterated = iterated || gs[s] != 0
	}
	if !iterated {
		t.Error("Gauss-Seidel did not converge in 100 sweeps")
	}
}
