package attribution

import (
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
)

// smallPaths has paths of one, two and four touchpoints, with a repeat.
var smallPaths = []Path{
	{Touchpoints: []string{"search"}, Conversions: 2, Value: 100, Nulls: 5},
	{Touchpoints: []string{"display", "search"}, Conversions: 1, Value: 40},
	{Touchpoints: []string{"email", "display", "display", "search"}, Conversions: 4, Value: 80, Nulls: 1},
	{Touchpoints: []string{"social"}, Nulls: 7},
}

// want gives the expected conversions and value of each channel.
type want map[string][2]float64

func checkCredits(t *testing.T, name string, res Result, w want) {
	t.Helper()
	checkCreditsTotal(t, name, res, w, 7, 220)
}

func TestHeuristicsByHand(t *testing.T) {
	res, err := FirstTouch(smallPaths)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "first touch", res, want{"search": {2, 100}, "display": {1, 40}, "email": {4, 80}, "social": {0, 0}})

	res, err = LastTouch(smallPaths)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "last touch", res, want{"search": {7, 220}, "display": {0, 0}, "email": {0, 0}, "social": {0, 0}})

	// Linear: path 2 gives 1/2 each; path 3 gives 1/4 per occurrence, display twice.
	res, err = Linear(smallPaths)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "linear", res, want{
		"search":  {2 + 0.5 + 1, 100 + 20 + 20},
		"display": {0.5 + 2, 20 + 40},
		"email":   {1, 20},
		"social":  {0, 0},
	})

	// U-shaped: one touch takes all; two touches 50/50; four touches 0.4, 0.1, 0.1, 0.4.
	res, err = PositionBased(smallPaths, UShapedFirst, UShapedLast)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "position based", res, want{
		"search":  {2 + 0.5 + 1.6, 100 + 20 + 32},
		"display": {0.5 + 0.8, 20 + 16},
		"email":   {1.6, 32},
		"social":  {0, 0},
	})

	// 30/50 with the middle 20%: two touches split 3:5.
	res, err = PositionBased(smallPaths, 0.3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "position based 30/50", res, want{
		"search":  {2 + 5.0/8 + 2, 100 + 25 + 40},
		"display": {3.0/8 + 0.8, 15 + 16},
		"email":   {1.2, 24},
		"social":  {0, 0},
	})

	// No first or last share: two touches split equally, longer paths go to the middle.
	res, err = PositionBased(smallPaths, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "position based 0/0", res, want{
		"search":  {2.5, 120},
		"display": {4.5, 100},
		"email":   {0, 0},
		"social":  {0, 0},
	})
}

func TestTimeDecayByHand(t *testing.T) {
	day := 24 * time.Hour
	paths := []TimedPath{
		// Touches 14, 7 and 0 days before: weights 1/4, 1/2, 1 of 7/4.
		{Touches: []Touch{{"email", 14 * day}, {"display", 7 * day}, {"search", 0}}, Conversions: 7, Value: 70},
		// Both touches long ago: relative weights 2^-(1/7) : 1 for 1 day apart.
		{Touches: []Touch{{"email", 10001 * day}, {"search", 10000 * day}}, Conversions: 1, Value: 10},
		{Touches: []Touch{{"social", 0}}, Nulls: 3},
	}
	res, err := TimeDecay(paths, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := math.Exp2(-1.0 / 7)
	e2, s2 := w/(1+w), 1/(1+w)
	checkCreditsTotal(t, "time decay", res, want{
		"email":   {1 + e2, 10 + 10*e2},
		"display": {2, 20},
		"search":  {4 + s2, 40 + 10*s2},
		"social":  {0, 0},
	}, 8, 80)

	// A 1-day half-life on the first path: weights 2^-14, 2^-7, 1.
	res, err = TimeDecay(paths[:1], day)
	if err != nil {
		t.Fatal(err)
	}
	sum := math.Exp2(-14) + math.Exp2(-7) + 1
	checkCreditsTotal(t, "time decay 1 day", res, want{
		"email":   {7 * math.Exp2(-14) / sum, 70 * math.Exp2(-14) / sum},
		"display": {7 * math.Exp2(-7) / sum, 70 * math.Exp2(-7) / sum},
		"search":  {7 / sum, 70 / sum},
	}, 7, 70)
}

func checkCreditsTotal(t *testing.T, name string, res Result, w want, conv, value float64) {
	t.Helper()
	for ch, cv := range w {
		c, ok := res.Channel(ch)
		if !ok || !scalar.EqualWithinAbsOrRel(c.Conversions, cv[0], 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(c.Value, cv[1], 1e-12, 1e-12) {
			t.Errorf("%s: %s earns %+v, want %v conversions, %v value", name, ch, c, cv[0], cv[1])
		}
	}
	if len(res.Credits) != len(w) {
		t.Errorf("%s: %d credits, want %d", name, len(res.Credits), len(w))
	}
	checkCreditSums(t, name, res, conv, value)
}

// shapleyBySubsets is the textbook Shapley value, enumerating every coalition:
//
//	phi_j = sum_{S ⊆ N\{j}} |S|! (n-|S|-1)! / n! (v(S ∪ {j}) - v(S))
//
// with v(S) the conversions of the paths whose channels all lie in S.
func shapleyBySubsets(paths []Path) map[string]float64 {
	index := map[string]int{}
	var names []string
	masks := make([]uint32, len(paths))
	for i, p := range paths {
		for _, tp := range p.Touchpoints {
			if _, ok := index[tp]; !ok {
				index[tp] = len(names)
				names = append(names, tp)
			}
			masks[i] |= 1 << index[tp]
		}
	}
	n := len(names)
	v := make([]float64, 1<<n)
	for s := range v {
		for i, p := range paths {
			if masks[i]&^uint32(s) == 0 {
				v[s] += p.Conversions
			}
		}
	}
	fact := func(k int) float64 { return math.Gamma(float64(k + 1)) }
	phi := map[string]float64{}
	for j, name := range names {
		for s := range v {
			if s&(1<<j) != 0 {
				continue
			}
			k := bits.OnesCount(uint(s))
			phi[name] += fact(k) * fact(n-k-1) / fact(n) * (v[s|1<<j] - v[s])
		}
	}
	return phi
}

func TestShapleyAgainstSubsetEnumeration(t *testing.T) {
	// Zhao et al.'s formula against the definition, on random paths over 10 channels and
	// on ChannelAttribution's data (12 channels, 4096 coalitions).
	rng := rand.New(rand.NewPCG(1, 1))
	sets := [][]Path{syntheticPaths(rng, 300, 10), smallPaths, handPaths}
	if !testing.Short() {
		sets = append(sets, channelAttributionPaths(t))
	}
	for k, paths := range sets {
		res, err := Shapley(paths)
		if err != nil {
			t.Fatal(err)
		}
		ref := shapleyBySubsets(paths)
		for name, phi := range ref {
			c, _ := res.Channel(name)
			if !scalar.EqualWithinAbsOrRel(c.Conversions, phi, 1e-9, 1e-12) {
				t.Errorf("set %d: %s earns %.15g, subset enumeration %.15g", k, name, c.Conversions, phi)
			}
		}
	}
}

func TestShapleyByHand(t *testing.T) {
	// search alone 2; display+search 1 shared 1/2; email+display+search 4 shared 4/3.
	res, err := Shapley(smallPaths)
	if err != nil {
		t.Fatal(err)
	}
	checkCredits(t, "shapley", res, want{
		"search":  {2 + 0.5 + 4.0/3, 100 + 20 + 80.0/3},
		"display": {0.5 + 4.0/3, 20 + 80.0/3},
		"email":   {4.0 / 3, 80.0 / 3},
		"social":  {0, 0},
	})
}

// models runs every model on paths; TimeDecay gets each touch one hour further back.
func models(paths []Path) map[string]func() (Result, error) {
	timed := make([]TimedPath, len(paths))
	for i, p := range paths {
		touches := make([]Touch, len(p.Touchpoints))
		for k, c := range p.Touchpoints {
			touches[k] = Touch{Channel: c, Before: time.Duration(len(touches)-1-k) * time.Hour}
		}
		timed[i] = TimedPath{Touches: touches, Conversions: p.Conversions, Value: p.Value, Nulls: p.Nulls}
	}
	m := map[string]func() (Result, error){
		"first touch":    func() (Result, error) { return FirstTouch(paths) },
		"last touch":     func() (Result, error) { return LastTouch(paths) },
		"linear":         func() (Result, error) { return Linear(paths) },
		"position based": func() (Result, error) { return PositionBased(paths, UShapedFirst, UShapedLast) },
		"time decay":     func() (Result, error) { return TimeDecay(timed, 0) },
		"shapley":        func() (Result, error) { return Shapley(paths) },
	}
	for order := 1; order <= MaxMarkovOrder; order++ {
		m["markov order "+string(rune('0'+order))] = func() (Result, error) {
			r, err := Markov(paths, order)
			return r.Result, err
		}
	}
	return m
}

func TestEveryModelSumsToTotals(t *testing.T) {
	paths := channelAttributionPaths(t)
	for name, run := range models(paths) {
		res, err := run()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Credits) != 12 {
			t.Errorf("%s: %d channels, want 12", name, len(res.Credits))
		}
		// Totals of ChannelAttribution's data: 19,785 conversions, value 74,802.972.
		checkCreditSums(t, name, res, 19785, 74802.97158721073)
	}
}

func TestModelErrors(t *testing.T) {
	bad := []struct {
		name  string
		paths []Path
		want  error
		index int
	}{
		{"no paths", nil, cxmetrics.ErrEmpty, -1},
		{"empty path", []Path{{Touchpoints: []string{"a"}, Conversions: 1}, {Conversions: 1}}, cxmetrics.ErrEmpty, 1},
		{"empty touchpoint", []Path{{Touchpoints: []string{"a", ""}, Conversions: 1}}, cxmetrics.ErrEmpty, 0},
		{"negative conversions", []Path{{Touchpoints: []string{"a"}, Conversions: -1}}, cxmetrics.ErrOutOfRange, 0},
		{"negative nulls", []Path{{Touchpoints: []string{"a"}, Conversions: 1}, {Touchpoints: []string{"a"}, Nulls: -2}}, cxmetrics.ErrOutOfRange, 1},
		{"NaN conversions", []Path{{Touchpoints: []string{"a"}, Conversions: math.NaN()}}, cxmetrics.ErrNotFinite, 0},
		{"infinite value", []Path{{Touchpoints: []string{"a"}, Conversions: 1, Value: math.Inf(1)}}, cxmetrics.ErrNotFinite, 0},
		{"infinite nulls", []Path{{Touchpoints: []string{"a"}, Conversions: 1, Nulls: math.Inf(1)}}, cxmetrics.ErrNotFinite, 0},
	}
	for _, tc := range bad {
		for name, run := range models(tc.paths) {
			_, err := run()
			if !errors.Is(err, tc.want) {
				t.Errorf("%s, %s: error %v, want %v", tc.name, name, err, tc.want)
				continue
			}
			var ie *cxmetrics.InputError
			if !errors.As(err, &ie) || ie.Index != tc.index {
				t.Errorf("%s, %s: error %v, want an InputError at index %d", tc.name, name, err, tc.index)
			}
		}
	}

	for _, tc := range []struct {
		first, last float64
		want        error
	}{
		{-0.1, 0.4, cxmetrics.ErrOutOfRange},
		{0.4, 1.1, cxmetrics.ErrOutOfRange},
		{0.6, 0.5, cxmetrics.ErrOutOfRange},
		{math.NaN(), 0.4, cxmetrics.ErrNotFinite},
		{0.4, math.Inf(1), cxmetrics.ErrNotFinite},
	} {
		if _, err := PositionBased(smallPaths, tc.first, tc.last); !errors.Is(err, tc.want) {
			t.Errorf("PositionBased(%v, %v): error %v, want %v", tc.first, tc.last, err, tc.want)
		}
	}
	if _, err := PositionBased(smallPaths, 0.7, 0.3); err != nil {
		t.Errorf("PositionBased(0.7, 0.3): %v", err)
	}

	timed := []TimedPath{{Touches: []Touch{{"a", time.Hour}}, Conversions: 1}}
	if _, err := TimeDecay(timed, -time.Hour); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("negative half-life: error %v", err)
	}
	timed[0].Touches[0].Before = -time.Second
	if _, err := TimeDecay(timed, 0); !errors.Is(err, cxmetrics.ErrOutOfRange) {
		t.Errorf("touch after conversion: error %v", err)
	}
	if _, err := TimeDecay([]TimedPath{{Conversions: 1}}, 0); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("empty timed path: error %v", err)
	}
	if _, err := TimeDecay(nil, 0); !errors.Is(err, cxmetrics.ErrEmpty) {
		t.Errorf("no timed paths: error %v", err)
	}
}

func TestNoConversions(t *testing.T) {
	// Without conversions every heuristic model and Shapley give zero credits.
	paths := []Path{{Touchpoints: []string{"a", "b"}, Nulls: 4}}
	for name, run := range models(paths) {
		res, err := run()
		if name[:6] == "markov" {
			if !errors.Is(err, cxmetrics.ErrEmpty) {
				t.Errorf("%s: error %v, want ErrEmpty", name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, c := range res.Credits {
			if c.Conversions != 0 || c.Value != 0 {
				t.Errorf("%s: %+v, want zero", name, c)
			}
		}
	}
}
