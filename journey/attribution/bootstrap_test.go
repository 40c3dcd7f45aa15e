package attribution

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// linearModels are the models whose credit is a sum over paths of a fixed share of each
// path's conversions.
var linearModels = []Model{
	{Kind: FirstTouchModel},
	{Kind: LastTouchModel},
	{Kind: LinearModel},
	{Kind: PositionBasedModel, First: UShapedFirst, Last: UShapedLast},
	{Kind: ShapleyModel},
}

// multinomialSD returns the standard deviation of each channel's credited conversions when
// the journeys behind paths are resampled: a credit is sum_k n_k a_k over the categories
// k (the converting and non-converting journeys of each path), with n ~ Multinomial(N, pi)
// and a_k the channel's share of a converting journey of the path (0 for nulls), so that
//
//	Var = N (sum_k pi_k a_k^2 - (sum_k pi_k a_k)^2)
//
// (the variance of a linear function of multinomial counts). Paths have whole counts.
func multinomialSD(t *testing.T, paths []Path, m Model) map[string]float64 {
	t.Helper()
	c, err := compile(paths)
	if err != nil {
		t.Fatal(err)
	}
	n := c.totals.weight.value()
	r := modelRule(c, m)
	s1 := make([]float64, len(c.names))
	s2 := make([]float64, len(c.names))
	a := make([]float64, len(c.names))
	var buf []share
	for i := range c.ends {
		buf = r(c, i, buf[:0])
		clear(a)
		for _, s := range buf {
			a[s.id] += s.f
		}
		pi := c.paths[i].Conversions / n
		for j, v := range a {
			s1[j] += pi * v
			s2[j] += pi * v * v
		}
	}
	sd := make(map[string]float64, len(c.names))
	for j, name := range c.names {
		sd[name] = math.Sqrt(n * (s2[j] - s1[j]*s1[j]))
	}
	return sd
}

func TestBootstrapMultinomialClosedForm(t *testing.T) {
	// Under resampling of journeys, the credit of a model that credits each path alone is
	// a linear function of multinomial counts, with a known mean (the estimate) and
	// standard deviation (multinomialSD); with ChannelAttribution's 88,387 journeys it is
	// close to normal, so the 95% percentile interval must be close to estimate ± 1.96 SD.
	// For FirstTouch this is the binomial: a channel's credit counts the converting
	// journeys that start with it, Binomial(N, C_j / N). With 2,000 resamples a 2.5%
	// quantile has a Monte Carlo standard error of about 0.06 SD; the tolerance is 0.3 SD.
	// The first 1,000 paths keep the test fast; it runs FirstTouch with 1,000 resamples
	// (Monte Carlo error 0.09 SD), and every model with 2,000 with ATTRIBUTION_SLOW=1 in
	// the environment (15 s on a loaded machine).
	paths := channelAttributionPaths(t)[:1000]
	const z = 1.959963984540054
	models, resamples := linearModels[:1], 1000
	if os.Getenv("ATTRIBUTION_SLOW") != "" {
		models, resamples = linearModels, 2000
	}
	for _, m := range models {
		t.Run(m.Kind.String(), func(t *testing.T) {
			sd := multinomialSD(t, paths, m)
			iv, err := Bootstrap(paths, m, rand.New(rand.NewPCG(1, 1)), resamples, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if iv.Resamples != resamples || iv.Skipped != 0 {
				t.Errorf("resamples %d, skipped %d", iv.Resamples, iv.Skipped)
			}
			for _, c := range iv.Credits {
				s := sd[c.Channel]
				est := c.Conversions.Estimate
				if est < 5*s {
					continue // too few conversions for the normal approximation
				}
				if d := math.Abs(c.Conversions.Lower - (est - z*s)); d > 0.3*s {
					t.Errorf("%s: lower %v, normal %v (SD %v)", c.Channel, c.Conversions.Lower, est-z*s, s)
				}
				if d := math.Abs(c.Conversions.Upper - (est + z*s)); d > 0.3*s {
					t.Errorf("%s: upper %v, normal %v (SD %v)", c.Channel, c.Conversions.Upper, est+z*s, s)
				}
			}
		})
	}
}

func TestBootstrapEstimates(t *testing.T) {
	// The estimates are the model functions' credits, in their order; the engines
	// reproduce them on the data's own weights.
	paths := channelAttributionPaths(t)[:500]
	timed := make([]TimedPath, len(paths))
	for i, p := range paths {
		touches := make([]Touch, len(p.Touchpoints))
		for k, ch := range p.Touchpoints {
			touches[k] = Touch{Channel: ch, Before: time.Duration(len(touches)-k) * 24 * time.Hour}
		}
		timed[i] = TimedPath{Touches: touches, Conversions: p.Conversions, Value: p.Value, Nulls: p.Nulls}
	}
	models := append(slicesClone(linearModels), Model{Kind: TimeDecayModel, HalfLife: 48 * time.Hour}, Model{Kind: MarkovModel, Order: 1}, Model{Kind: MarkovModel, Order: 3})
	want := map[string]func() (Result, error){
		"FirstTouch":    func() (Result, error) { return FirstTouch(paths) },
		"LastTouch":     func() (Result, error) { return LastTouch(paths) },
		"Linear":        func() (Result, error) { return Linear(paths) },
		"PositionBased": func() (Result, error) { return PositionBased(paths, UShapedFirst, UShapedLast) },
		"Shapley":       func() (Result, error) { return Shapley(paths) },
		"TimeDecay":     func() (Result, error) { return TimeDecay(timed, 48*time.Hour) },
		"Markov1":       func() (Result, error) { r, err := Markov(paths, 1); return r.Result, err },
		"Markov3":       func() (Result, error) { r, err := Markov(paths, 3); return r.Result, err },
	}
	for _, m := range models {
		name := m.Kind.String()
		if m.Kind == MarkovModel {
			name += fmt.Sprint(m.Order)
		}
		w, err := want[name]()
		if err != nil {
			t.Fatal(err)
		}
		iv, err := BootstrapTimed(timed, m, rand.New(rand.NewPCG(2, 2)), 20, 0.9)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for k, c := range w.Credits {
			got := iv.Credits[k]
			if got.Channel != c.Channel || got.Conversions.Estimate != c.Conversions || got.Value.Estimate != c.Value {
				t.Errorf("%s: credit %d: %+v, want %+v", name, k, got, c)
			}
			if got.Conversions.Method != cxmetrics.Bootstrap || got.Conversions.Level != 0.9 {
				t.Errorf("%s: %+v", name, got.Conversions)
			}
		}

		// The engine on the data's own weights.
		var c *compiled
		if m.Kind == TimeDecayModel {
			c, err = compileTimed(timed, m.HalfLife)
		} else {
			c, err = compile(paths)
		}
		if err != nil {
			t.Fatal(err)
		}
		wts := newPathWeights(len(c.paths))
		for i, p := range c.paths {
			wts.conv[i], wts.value[i], wts.nulls[i] = p.Conversions, p.Value, p.Nulls
		}
		var e engine
		if m.Kind == MarkovModel {
			conv, nulls := chainWeights(c)
			e = &markovEngine{shape: newChainShape(c, conv, nulls, m.Order, edgeTableLimit), channels: len(c.names)}
		} else {
			e = newLinearEngine(c, modelRule(c, m))
		}
		conv, value, eff := make([]float64, len(c.names)), make([]float64, len(c.names)), make([]float64, len(c.names))
		if ok, err := e.credits(wts, conv, value, eff); !ok {
			t.Fatal(err)
		}
		for j, ch := range c.names {
			cr, _ := w.Channel(ch)
			if math.Abs(conv[j]-cr.Conversions) > 1e-9*math.Max(1, cr.Conversions) || math.Abs(value[j]-cr.Value) > 1e-9*math.Max(1, math.Abs(cr.Value)) {
				t.Errorf("%s engine: %s: %v, %v; want %v, %v", name, ch, conv[j], value[j], cr.Conversions, cr.Value)
			}
		}
	}
}

func slicesClone(m []Model) []Model { return append([]Model(nil), m...) }

func TestBootstrapDeterministic(t *testing.T) {
	// The same seed gives the same intervals, whatever GOMAXPROCS; another seed others.
	paths := channelAttributionPaths(t)[:300]
	for _, m := range []Model{{Kind: LinearModel}, {Kind: MarkovModel, Order: 2}} {
		run := func(procs int, seed uint64) Intervals {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			iv, err := Bootstrap(paths, m, rand.New(rand.NewPCG(seed, 7)), 40, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			return iv
		}
		a, b, c := run(1, 1), run(2, 1), run(2, 2)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%v: GOMAXPROCS 1 and 2 differ", m.Kind)
		}
		if reflect.DeepEqual(a, c) {
			t.Errorf("%v: seeds 1 and 2 agree", m.Kind)
		}
	}
}

func TestBootstrapMarkov(t *testing.T) {
	// No closed form: the intervals of the order-1 model on ChannelAttribution's data hold
	// their estimates, lie within [0, total], and the removal effects within [0, 1]; the
	// credits' intervals are narrower than those of the multinomial bound on any credit,
	// sqrt(N p (1-p)) with p its share of the journeys, times 2 x 1.96 x 3.
	paths := channelAttributionPaths(t)
	m, err := Markov(paths, 1)
	if err != nil {
		t.Fatal(err)
	}
	iv, err := Bootstrap(paths, Model{Kind: MarkovModel, Order: 1}, rand.New(rand.NewPCG(3, 3)), 50, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	const n = 88387.0 // journeys
	for k, c := range iv.Credits {
		if c.Channel != m.Credits[k].Channel || !c.Conversions.Contains(c.Conversions.Estimate) || !c.Value.Contains(c.Value.Estimate) {
			t.Errorf("%+v", c)
		}
		if c.Conversions.Lower < 0 || c.Conversions.Upper > n {
			t.Errorf("%s: %v", c.Channel, c.Conversions)
		}
		p := c.Conversions.Estimate / n
		if w := c.Conversions.Width(); w > 6*1.96*math.Sqrt(n*p*(1-p)) || w <= 0 {
			t.Errorf("%s: width %v", c.Channel, w)
		}
		e := iv.RemovalEffects[c.Channel]
		if e.Estimate != m.RemovalEffects[c.Channel] || !e.Contains(e.Estimate) || e.Lower < 0 || e.Upper > 1 {
			t.Errorf("%s: removal effect %v", c.Channel, e)
		}
	}
}

// eventsOfUsers returns a log in which user i has k identical journeys, each a touch of
// channel "a" (users with i%3 == 0) or "b" followed by a purchase.
func eventsOfUsers(users, k int) []journey.Event {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ev []journey.Event
	for i := range users {
		u := fmt.Sprintf("u%d", i)
		ch := "b"
		if i%3 == 0 {
			ch = "a"
		}
		for j := range k {
			at := t0.Add(time.Duration(j) * 24 * time.Hour)
			ev = append(ev, journey.Event{User: u, Name: "visit", Channel: ch, Time: at},
				journey.Event{User: u, Name: "purchase", Time: at.Add(time.Hour), Value: 10})
		}
	}
	return ev
}

func TestBootstrapEventsUsers(t *testing.T) {
	// Users are resampled, each with all of their journeys. With U users of whom a share
	// p = 1/3 touch only "a", each k times, the credit of "a" is k times a
	// Binomial(U, p): SD k sqrt(U p (1-p)). Resampling journeys instead would give
	// sqrt(k) sqrt(U p (1-p)), too narrow by sqrt(k) since a user's journeys go together.
	const users, k, z = 900, 4, 1.959963984540054
	ev := eventsOfUsers(users, k)
	for _, m := range []Model{{Kind: FirstTouchModel}, {Kind: TimeDecayModel}} {
		iv, err := BootstrapEvents(ev, "purchase", 0, m, rand.New(rand.NewPCG(4, 4)), 1000, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		a, ok := iv.Channel("a")
		if !ok || a.Conversions.Estimate != k*users/3 {
			t.Fatalf("%v: %+v", m.Kind, a)
		}
		sd := k * math.Sqrt(users*(1.0/3)*(2.0/3))
		for _, b := range []struct{ got, want float64 }{{a.Conversions.Lower, a.Conversions.Estimate - z*sd}, {a.Conversions.Upper, a.Conversions.Estimate + z*sd}} {
			if math.Abs(b.got-b.want) > 0.3*sd {
				t.Errorf("%v: bound %v, want %v (SD %v)", m.Kind, b.got, b.want, sd)
			}
		}
		if v := a.Value; math.Abs(v.Upper-v.Lower-10*(a.Conversions.Upper-a.Conversions.Lower)) > 1e-9*v.Upper {
			t.Errorf("%v: value %v, conversions %v", m.Kind, v, a.Conversions)
		}
	}
	// The journeys' bootstrap on the same paths is narrower by about sqrt(k).
	paths, err := PathsFromEvents(ev, "purchase", 0)
	if err != nil {
		t.Fatal(err)
	}
	byUser, _ := BootstrapEvents(ev, "purchase", 0, Model{}, rand.New(rand.NewPCG(5, 5)), 1000, 0.95)
	byJourney, _ := Bootstrap(paths, Model{}, rand.New(rand.NewPCG(5, 5)), 1000, 0.95)
	wu, _ := byUser.Channel("a")
	wj, _ := byJourney.Channel("a")
	if r := wu.Conversions.Width() / wj.Conversions.Width(); math.Abs(r-2) > 0.3 {
		t.Errorf("width by users / by journeys = %v, want about sqrt(%d)", r, k)
	}
}

func TestBootstrapFractionalCounts(t *testing.T) {
	// Weights are resampled as N = round(W) journeys and scaled back to W: the FirstTouch
	// credit of "a" is (W / N) x Binomial(N, C_a / W), SD (W / N) sqrt(N p (1-p)).
	paths := []Path{
		{Touchpoints: []string{"a", "b"}, Conversions: 250.5, Value: 501, Nulls: 500},
		{Touchpoints: []string{"b"}, Conversions: 125.25, Value: 125.25, Nulls: 124.65},
	}
	iv, err := Bootstrap(paths, Model{}, rand.New(rand.NewPCG(6, 6)), 4000, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	w := 250.5 + 500 + 125.25 + 124.65
	n := math.Round(w)
	p := 250.5 / w
	sd := w / n * math.Sqrt(n*p*(1-p))
	a, _ := iv.Channel("a")
	if math.Abs(a.Conversions.Width()-2*1.959963984540054*sd) > 0.3*sd {
		t.Errorf("width %v, want %v", a.Conversions.Width(), 2*1.96*sd)
	}
	// The value per conversion stays 2 for path 0.
	if math.Abs(a.Value.Lower-2*a.Conversions.Lower) > 1e-9 || math.Abs(a.Value.Upper-2*a.Conversions.Upper) > 1e-9 {
		t.Errorf("value %v, conversions %v", a.Value, a.Conversions)
	}
}

func TestBootstrapExtremeValues(t *testing.T) {
	// Values near the float64 range are scaled so that resampled sums do not overflow
	// before their value does.
	paths := []Path{
		{Touchpoints: []string{"a"}, Conversions: 3, Value: 1e308},
		{Touchpoints: []string{"b"}, Conversions: 0.5, Value: 1e307, Nulls: 1},
	}
	iv, err := Bootstrap(paths, Model{Kind: LinearModel}, rand.New(rand.NewPCG(7, 7)), 100, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := iv.Channel("b")
	if !(b.Value.Upper > 0) || math.IsInf(b.Value.Upper, 0) || b.Value.Lower < 0 {
		t.Errorf("%+v", b)
	}
	// A resampled credit that lies beyond the range is an error.
	paths[0].Value = 1.7e308
	paths[1] = Path{Touchpoints: []string{"a"}, Conversions: 1, Value: 1.7e308}
	if _, err := Bootstrap(paths[1:], Model{}, rand.New(rand.NewPCG(7, 7)), 10, 0.95); err != nil {
		t.Errorf("one conversion of 1.7e308: %v", err)
	}
	if _, err := Bootstrap(paths, Model{}, rand.New(rand.NewPCG(7, 7)), 10, 0.95); !errors.Is(err, cxmetrics.ErrNotFinite) {
		t.Errorf("credit beyond the range: %v", err)
	}
}

func TestBootstrapErrors(t *testing.T) {
	ok := []Path{{Touchpoints: []string{"a", "b"}, Conversions: 3, Nulls: 2}, {Touchpoints: []string{"b"}, Nulls: 4}}
	rng := func() *rand.Rand { return rand.New(rand.NewPCG(1, 1)) }
	many := make([]Path, 2000)
	for i := range many {
		many[i] = Path{Touchpoints: []string{fmt.Sprint(i)}, Conversions: 1}
	}
	tests := []struct {
		name string
		run  func() (Intervals, error)
		want error
	}{
		{"nil rng", func() (Intervals, error) { return Bootstrap(ok, Model{}, nil, 10, 0.95) }, cxmetrics.ErrNilRand},
		{"no resamples", func() (Intervals, error) { return Bootstrap(ok, Model{}, rng(), 0, 0.95) }, cxmetrics.ErrOutOfRange},
		{"too many resamples", func() (Intervals, error) { return Bootstrap(ok, Model{}, rng(), MaxResamples+1, 0.95) }, cxmetrics.ErrTooLarge},
		{"too many cells", func() (Intervals, error) { return Bootstrap(many, Model{}, rng(), MaxResamples, 0.95) }, cxmetrics.ErrTooLarge},
		{"level 1", func() (Intervals, error) { return Bootstrap(ok, Model{}, rng(), 10, 1) }, cxmetrics.ErrInvalidLevel},
		{"level NaN", func() (Intervals, error) { return Bootstrap(ok, Model{}, rng(), 10, math.NaN()) }, cxmetrics.ErrInvalidLevel},
		{"unknown kind", func() (Intervals, error) { return Bootstrap(ok, Model{Kind: 99}, rng(), 10, 0.95) }, cxmetrics.ErrUnknownLabel},
		{"time decay without times", func() (Intervals, error) { return Bootstrap(ok, Model{Kind: TimeDecayModel}, rng(), 10, 0.95) }, cxmetrics.ErrUnsupportedMethod},
		{"negative half-life", func() (Intervals, error) {
			return BootstrapTimed([]TimedPath{{Touches: []Touch{{Channel: "a"}}, Conversions: 1}}, Model{Kind: TimeDecayModel, HalfLife: -1}, rng(), 10, 0.95)
		}, cxmetrics.ErrOutOfRange},
		{"position shares", func() (Intervals, error) {
			return Bootstrap(ok, Model{Kind: PositionBasedModel, First: 0.7, Last: 0.7}, rng(), 10, 0.95)
		}, cxmetrics.ErrOutOfRange},
		{"markov order 0", func() (Intervals, error) { return Bootstrap(ok, Model{Kind: MarkovModel}, rng(), 10, 0.95) }, cxmetrics.ErrOutOfRange},
		{"markov order 5", func() (Intervals, error) { return Bootstrap(ok, Model{Kind: MarkovModel, Order: 5}, rng(), 10, 0.95) }, cxmetrics.ErrTooLarge},
		{"markov without conversions", func() (Intervals, error) {
			return Bootstrap([]Path{{Touchpoints: []string{"a"}, Nulls: 3}}, Model{Kind: MarkovModel, Order: 1}, rng(), 10, 0.95)
		}, cxmetrics.ErrEmpty},
		{"no paths", func() (Intervals, error) { return Bootstrap(nil, Model{}, rng(), 10, 0.95) }, cxmetrics.ErrEmpty},
		{"negative count", func() (Intervals, error) {
			return Bootstrap([]Path{{Touchpoints: []string{"a"}, Conversions: -1}}, Model{}, rng(), 10, 0.95)
		}, cxmetrics.ErrOutOfRange},
		{"no journey", func() (Intervals, error) {
			return Bootstrap([]Path{{Touchpoints: []string{"a"}, Conversions: 0.2, Nulls: 0.2}}, Model{}, rng(), 10, 0.95)
		}, cxmetrics.ErrEmpty},
		{"too many journeys", func() (Intervals, error) {
			return Bootstrap([]Path{{Touchpoints: []string{"a"}, Conversions: 1e17}}, Model{}, rng(), 10, 0.95)
		}, cxmetrics.ErrTooLarge},
		{"no events", func() (Intervals, error) { return BootstrapEvents(nil, "purchase", 0, Model{}, rng(), 10, 0.95) }, cxmetrics.ErrEmpty},
		{"events nil rng", func() (Intervals, error) {
			return BootstrapEvents(eventsOfUsers(3, 1), "purchase", 0, Model{}, nil, 10, 0.95)
		}, cxmetrics.ErrNilRand},
		{"events negative lookback", func() (Intervals, error) {
			return BootstrapEvents(eventsOfUsers(3, 1), "purchase", -1, Model{}, rng(), 10, 0.95)
		}, cxmetrics.ErrOutOfRange},
	}
	for _, tt := range tests {
		if _, err := tt.run(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestBootstrapMarkovSkips(t *testing.T) {
	// With one conversion among 40 journeys, about (39/40)^40 = 36% of the resamples have
	// none; the Markov model skips them and says how many.
	paths := []Path{{Touchpoints: []string{"a", "b"}, Conversions: 1}, {Touchpoints: []string{"b"}, Nulls: 39}}
	iv, err := Bootstrap(paths, Model{Kind: MarkovModel, Order: 1}, rand.New(rand.NewPCG(8, 8)), 1000, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if iv.Resamples+iv.Skipped != 1000 || math.Abs(float64(iv.Skipped)/1000-math.Pow(39.0/40, 40)) > 0.05 {
		t.Errorf("resamples %d, skipped %d", iv.Resamples, iv.Skipped)
	}
}

func TestModelKindText(t *testing.T) {
	for k := FirstTouchModel; k <= ShapleyModel; k++ {
		b, err := k.MarshalText()
		if err != nil || string(b) != k.String() {
			t.Errorf("%d: %q %v", k, b, err)
		}
		var back ModelKind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("%s: %v %v", b, back, err)
		}
	}
	var k ModelKind
	if err := k.UnmarshalText([]byte("Bogus")); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Error(err)
	}
}
