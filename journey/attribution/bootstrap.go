package attribution

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// ModelKind names an attribution model for [Model].
type ModelKind int

// The models, one for each function of the package.
const (
	FirstTouchModel    ModelKind = iota // FirstTouch
	LastTouchModel                      // LastTouch
	LinearModel                         // Linear
	PositionBasedModel                  // PositionBased with Model.First and Model.Last
	TimeDecayModel                      // TimeDecay with Model.HalfLife
	MarkovModel                         // Markov with Model.Order
	ShapleyModel                        // Shapley
)

var modelNames = enum.Names[ModelKind]{Pkg: "attribution", Type: "ModelKind", Unknown: cxmetrics.ErrUnknownLabel, Names: []string{
	FirstTouchModel:    "FirstTouch",
	LastTouchModel:     "LastTouch",
	LinearModel:        "Linear",
	PositionBasedModel: "PositionBased",
	TimeDecayModel:     "TimeDecay",
	MarkovModel:        "Markov",
	ShapleyModel:       "Shapley",
}}

// String returns the model's name, e.g. "Markov", or "ModelKind(n)" for an unknown value.
func (k ModelKind) String() string { return modelNames.String(k) }

// MarshalText encodes the kind as its name.
func (k ModelKind) MarshalText() ([]byte, error) { return modelNames.Marshal(k) }

// UnmarshalText decodes a name as String writes it, ignoring case and surrounding spaces;
// an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (k *ModelKind) UnmarshalText(b []byte) error { return modelNames.Unmarshal(b, k) }

// Model is an attribution model with its parameters, as the bootstrap functions take it.
// Only the fields of its Kind matter: First and Last for [PositionBasedModel] (see
// [PositionBased]; use [UShapedFirst] and [UShapedLast]), HalfLife for [TimeDecayModel]
// (0 means [DefaultHalfLife]), Order for [MarkovModel] (1 to [MaxMarkovOrder]).
type Model struct {
	Kind     ModelKind     `json:"kind"`
	First    float64       `json:"first,omitempty"`
	Last     float64       `json:"last,omitempty"`
	HalfLife time.Duration `json:"half_life,omitempty"`
	Order    int           `json:"order,omitempty"`
}

// Intervals are percentile bootstrap intervals for the credits of one model.
type Intervals struct {
	// Credits holds one entry per channel, in the order of the model's Result.
	Credits []CreditInterval `json:"credits"`
	// RemovalEffects holds each channel's removal effect with its interval, for the
	// Markov model only (nil for the others).
	RemovalEffects map[string]cxmetrics.Interval `json:"removal_effects,omitempty"`
	// Resamples is the number of resamples the intervals come from, and Skipped the
	// number left out because the Markov model could not be fitted to them (no
	// conversion, or no channel with a removal effect); the two add up to the resamples
	// asked for. Skipped is 0 for the other models.
	Resamples int `json:"resamples"`
	Skipped   int `json:"skipped"`
}

// CreditInterval is one channel's credit with its bootstrap intervals; each Estimate is
// the credit the model gives on the data.
type CreditInterval struct {
	Channel     string             `json:"channel"`
	Conversions cxmetrics.Interval `json:"conversions"`
	Value       cxmetrics.Interval `json:"value"`
}

// Channel returns the intervals of the named channel, and false if it is not in iv.
func (iv Intervals) Channel(name string) (CreditInterval, bool) {
	for _, c := range iv.Credits {
		if c.Channel == name {
			return c, true
		}
	}
	return CreditInterval{}, false
}

// MaxResamples bounds the resamples of the bootstrap functions. A resample costs about
// as much as the model itself on aggregated paths (Markov of order 4 on ten thousand
// paths: tens of milliseconds), and 10,000 resamples give the bounds of a 95% percentile
// interval to about 0.1 standard errors.
const MaxResamples = 10_000

// MaxBootstrapCells bounds resamples x channels, the number of resampled credits a
// bootstrap keeps (16 bytes each, 24 for Markov).
const MaxBootstrapCells = 1 << 24

// MaxJourneys is the most journeys, conversions plus nulls over all paths, that
// [Bootstrap] and [BootstrapTimed] resample: beyond 2^53 counts are no longer whole
// numbers in a float64.
const MaxJourneys = 1 << 53

// bootstrapChunks is the number of independent streams a bootstrap is drawn in.
const bootstrapChunks = 8

// Bootstrap returns percentile bootstrap intervals at the given level for the credits
// (conversions and value) of every channel under model m, from resamples of the
// journeys behind the paths.
//
// # What is resampled
//
// A Path aggregates identical journeys: Conversions of them converted and Nulls did not.
// The journey is the unit the bootstrap treats as independent, not the aggregated row:
// each resample draws as many journeys as the paths hold, with replacement, so that the
// numbers of converting and non-converting journeys of every path are together one
// multinomial draw over the 2 x len(paths) categories, with the observed shares as
// probabilities. A resampled path keeps its mean value per conversion, Value /
// Conversions (a path with Value but no Conversions keeps its Value, having no journey to
// resample). Resampling the rows instead would give a path seen ten thousand times the
// same weight as one seen once. When the journeys come from customers who may travel
// several paths, the journeys of one customer are not independent; [BootstrapEvents]
// resamples customers instead.
//
// Counts may be fractional (weights): the resample then draws round(W) journeys, W the
// total of conversions and nulls, with the observed shares, and scales the counts by
// W / round(W), so that a resample has the total weight of the data; this treats the
// weights as if they were counts of journeys.
//
// Each resample costs one multinomial draw (O(len(paths)) binomial draws, whatever the
// number of journeys) and one run of the model on the re-weighted paths; Markov reuses
// the states and transitions of the chain across resamples and only re-weighs them.
//
// # Intervals
//
// The bounds are the (1-level)/2 and (1+level)/2 quantiles of the resampled credits
// (R's type 7): percentile intervals (Efron & Tibshirani 1993, ch. 13). They need no
// standard error formula, which the Markov and Shapley credits lack, they respect the
// range of a credit (never below 0 conversions, never above the total), and they are
// unchanged by monotone transformations. They assume that the credit's sampling
// distribution is roughly centred on the estimate; with few journeys per channel, a
// skewed credit makes them too narrow on the long side. BCa intervals would correct
// for that but need a jackknife over journeys, one model run per journey. Each
// Estimate is the credit the model function ([FirstTouch], [Markov], ...) gives on paths.
//
// # Determinism
//
// The result depends only on the paths, m, resamples, level and the state of the
// caller's rng, which Bootstrap advances by a fixed number of values: the resamples are
// drawn in a fixed number of chunks, in parallel, each from a PCG source seeded from rng
// before any is drawn, so neither scheduling nor GOMAXPROCS changes them.
//
// # Errors
//
// Those of the model's function on paths; [TimeDecayModel], which needs the times of a
// [TimedPath] ([BootstrapTimed]), wraps [cxmetrics.ErrUnsupportedMethod], and an unknown
// kind [cxmetrics.ErrUnknownLabel]. A nil rng wraps [cxmetrics.ErrNilRand]; resamples
// outside [1, MaxResamples], or more than [MaxBootstrapCells] / channels, is an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrOutOfRange] (below) or
// [cxmetrics.ErrTooLarge] (above); a level outside (0, 1) wraps
// [cxmetrics.ErrInvalidLevel]. Paths with fewer than one journey in total (after
// rounding) wrap [cxmetrics.ErrEmpty], more than [MaxJourneys] [cxmetrics.ErrTooLarge].
// When the Markov model cannot be fitted to any resample, Bootstrap returns the error of
// the last one.
func Bootstrap(paths []Path, m Model, rng *rand.Rand, resamples int, level float64) (Intervals, error) {
	if m.Kind == TimeDecayModel {
		return Intervals{}, fmt.Errorf("attribution: bootstrap: the time-decay model needs timed paths (BootstrapTimed): %w", cxmetrics.ErrUnsupportedMethod)
	}
	if err := checkBootstrap(m, rng, resamples, level); err != nil {
		return Intervals{}, err
	}
	c, err := compile(paths)
	if err != nil {
		return Intervals{}, err
	}
	return bootstrapJourneys(c, m, rng, resamples, level)
}

// BootstrapTimed is [Bootstrap] for timed paths, for every model including
// [TimeDecayModel]; the other models use the paths without their times.
func BootstrapTimed(paths []TimedPath, m Model, rng *rand.Rand, resamples int, level float64) (Intervals, error) {
	if err := checkBootstrap(m, rng, resamples, level); err != nil {
		return Intervals{}, err
	}
	var c *compiled
	var err error
	if m.Kind == TimeDecayModel {
		c, err = compileTimed(paths, m.HalfLife)
	} else {
		plain := make([]Path, len(paths))
		for i, p := range paths {
			plain[i] = p.Path()
		}
		c, err = compile(plain)
	}
	if err != nil {
		return Intervals{}, err
	}
	return bootstrapJourneys(c, m, rng, resamples, level)
}

// BootstrapEvents returns percentile bootstrap intervals for the credits of model m on
// the paths that [TimedPathsFromEvents] builds from events (aggregated as
// [PathsFromEvents] does for the models without times), resampling users: each resample
// draws as many users as the log has (users with a touchpoint or a conversion), with
// replacement, and every drawn user brings all of their paths. A user's journeys share
// the user (their habits, their exposure to channels), so they are not independent; the
// user is the unit that is, and resampling users (a cluster bootstrap) keeps the
// dependence among a user's journeys in every resample. A resample costs O(users +
// paths) plus one run of the model. The intervals, their Estimates, the determinism and
// the bounds are those of [Bootstrap]; the errors are those of [TimedPathsFromEvents] and
// those of Bootstrap about m, rng, resamples and level.
func BootstrapEvents(events []journey.Event, conversionEvent string, lookback time.Duration, m Model, rng *rand.Rand, resamples int, level float64) (Intervals, error) {
	if err := checkBootstrap(m, rng, resamples, level); err != nil {
		return Intervals{}, err
	}
	timed, last, err := timedPaths(events, conversionEvent, lookback)
	if err != nil {
		return Intervals{}, err
	}
	times := m.Kind == TimeDecayModel
	agg, of, err := aggregate(events, timed, last, times)
	if err != nil {
		return Intervals{}, err
	}
	var c *compiled
	if times {
		c, err = compileTimed(agg, m.HalfLife)
	} else {
		plain := make([]Path, len(agg))
		for i, p := range agg {
			plain[i] = p.Path()
		}
		c, err = compile(plain)
	}
	if err != nil {
		return Intervals{}, err
	}
	// The journeys of one user are consecutive in timed; userEnd[u] ends user u's.
	var userEnd []int
	for k := range timed {
		if k+1 == len(timed) || events[last[k+1]].User != events[last[k]].User {
			userEnd = append(userEnd, k+1)
		}
	}
	// Values scaled exactly by a power of two so that resampled sums cannot overflow
	// before their value does.
	var vmax float64
	for _, t := range timed {
		vmax = max(vmax, math.Abs(t.Value))
	}
	_, vexp := math.Frexp(vmax)
	draw := func(src *rand.Rand, w *pathWeights, counts []int) {
		clear(counts)
		for range len(userEnd) {
			counts[src.IntN(len(userEnd))]++
		}
		w.reset()
		from := 0
		for u, end := range userEnd {
			if k := float64(counts[u]); k > 0 {
				for j, t := range timed[from:end] {
					p := of[from+j]
					w.conv[p] += k * t.Conversions
					w.value[p] += k * math.Ldexp(t.Value, -vexp)
					w.nulls[p] += k * t.Nulls
				}
			}
			from = end
		}
	}
	return run(c, m, rng, resamples, level, resampler{draw: draw, categories: len(userEnd), valueExp: vexp})
}

// checkBootstrap validates what every bootstrap function takes besides the data.
func checkBootstrap(m Model, rng *rand.Rand, resamples int, level float64) error {
	if err := normal.CheckLevel("attribution", level); err != nil {
		return err
	}
	switch {
	case rng == nil:
		return fmt.Errorf("attribution: bootstrap: %w", cxmetrics.ErrNilRand)
	case resamples < 1:
		return &cxmetrics.InputError{Pkg: "attribution", What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrOutOfRange, Detail: "(want >= 1)"}
	case resamples > MaxResamples:
		return &cxmetrics.InputError{Pkg: "attribution", What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxResamples)}
	}
	switch m.Kind {
	case PositionBasedModel:
		return checkPositionShares(m.First, m.Last)
	case TimeDecayModel:
		if m.HalfLife < 0 {
			return &cxmetrics.InputError{Pkg: "attribution", What: "half-life", Index: -1, Value: m.HalfLife, Err: cxmetrics.ErrOutOfRange, Detail: "(0, +Inf)"}
		}
	case MarkovModel:
		return checkOrder(m.Order)
	case FirstTouchModel, LastTouchModel, LinearModel, ShapleyModel:
	default:
		return fmt.Errorf("attribution: bootstrap: model kind %d: %w", int(m.Kind), cxmetrics.ErrUnknownLabel)
	}
	return nil
}

// pathWeights are the re-weighted conversions, value and nulls of every path in one
// resample. Values are scaled by 2^-valueExp of the resampler.
type pathWeights struct {
	conv, value, nulls []float64
}

func newPathWeights(n int) *pathWeights {
	return &pathWeights{conv: make([]float64, n), value: make([]float64, n), nulls: make([]float64, n)}
}

func (w *pathWeights) reset() {
	clear(w.conv)
	clear(w.value)
	clear(w.nulls)
}

// resampler draws the path weights of one resample from src; counts is scratch of
// length categories. Values come scaled by 2^-valueExp.
type resampler struct {
	draw       func(src *rand.Rand, w *pathWeights, counts []int)
	categories int
	valueExp   int
}

// bootstrapJourneys resamples the journeys behind the compiled paths.
func bootstrapJourneys(c *compiled, m Model, rng *rand.Rand, resamples int, level float64) (Intervals, error) {
	total := c.totals.weight.value()
	size := math.Round(total)
	switch {
	case !(size >= 1):
		return Intervals{}, fmt.Errorf("attribution: bootstrap of %v journeys: %w", total, cxmetrics.ErrEmpty)
	case size > MaxJourneys:
		return Intervals{}, &cxmetrics.InputError{Pkg: "attribution", What: "journeys", Index: -1, Value: total, Err: cxmetrics.ErrTooLarge, Detail: "(at most 2^53 conversions and nulls over all paths)"}
	}
	// The categories: the converting and the non-converting journeys of each path.
	var probs []float64
	var path []int32 // the path of each category
	var null []bool  // whether the category is the path's nulls
	for i := range c.paths {
		p := &c.paths[i]
		if p.Conversions > 0 {
			probs, path, null = append(probs, p.Conversions/total), append(path, int32(i)), append(null, false)
		}
		if p.Nulls > 0 {
			probs, path, null = append(probs, p.Nulls/total), append(path, int32(i)), append(null, true)
		}
	}
	sampler := stats.NewMultinomial(int(size), probs)
	scale := total / size
	// The value per conversion of each path, scaled by 2^-vexp so that no resampled sum
	// overflows before its value does: |value per conversion| < 1 after scaling.
	perConv := make([]float64, len(c.paths))
	vexp := math.MinInt
	for i := range c.paths {
		p := &c.paths[i]
		if p.Value != 0 {
			vexp = max(vexp, ratioExp(p.Value, p.Conversions))
		}
	}
	if vexp == math.MinInt {
		vexp = 0
	}
	for i := range c.paths {
		p := &c.paths[i]
		if p.Conversions > 0 {
			perConv[i] = scaledRatio(p.Value, p.Conversions, vexp)
		}
	}
	draw := func(src *rand.Rand, w *pathWeights, counts []int) {
		sampler.Draw(src, counts)
		for k, n := range counts {
			i := path[k]
			if null[k] {
				w.nulls[i] = float64(n) * scale
			} else {
				w.conv[i] = float64(n) * scale
				w.value[i] = w.conv[i] * perConv[i]
			}
		}
		for i := range c.paths {
			if p := &c.paths[i]; p.Conversions == 0 && p.Value != 0 {
				w.value[i] = math.Ldexp(p.Value, -vexp)
			}
		}
	}
	return run(c, m, rng, resamples, level, resampler{draw: draw, categories: len(probs), valueExp: vexp})
}

// ratioExp returns the exponent e with |v / c| < 2^e (for c 0: that of v).
func ratioExp(v, c float64) int {
	_, ev := math.Frexp(v)
	if c == 0 {
		return ev
	}
	_, ec := math.Frexp(c)
	return ev - ec + 1 // |v| < 2^ev and |c| >= 2^(ec-1)
}

// scaledRatio returns v / c times 2^-e without overflow, for e >= ratioExp(v, c).
func scaledRatio(v, c float64, e int) float64 {
	mv, ev := math.Frexp(v)
	mc, ec := math.Frexp(c)
	return math.Ldexp(mv/mc, ev-ec-e)
}

// engine runs a model on re-weighted paths: it writes each channel's credited
// conversions and (scaled) value, and for Markov its removal effects, and reports false
// when the model has no credits for this resample.
type engine interface {
	credits(w *pathWeights, conv, value, effects []float64) (bool, error)
}

// linearEngine runs the models that credit each path alone: a channel's credit is the
// sum over paths of its share of the path times the path's conversions (or value).
type linearEngine struct {
	shares []share
	end    []int // path i's shares are shares[end[i-1]:end[i]]
}

func newLinearEngine(c *compiled, r rule) *linearEngine {
	e := &linearEngine{end: make([]int, len(c.ends))}
	for i := range c.ends {
		e.shares = r(c, i, e.shares)
		e.end[i] = len(e.shares)
	}
	return e
}

func (e *linearEngine) credits(w *pathWeights, conv, value, _ []float64) (bool, error) {
	clear(conv)
	clear(value)
	from := 0
	for i, to := range e.end {
		if pc, pv := w.conv[i], w.value[i]; pc != 0 || pv != 0 {
			for _, s := range e.shares[from:to] {
				conv[s.id] += s.f * pc
				value[s.id] += s.f * pv
			}
		}
		from = to
	}
	return true, nil
}

// markovEngine re-weighs one chain shape; each goroutine needs its own.
type markovEngine struct {
	shape    *chainShape
	sweep    []int32
	channels int
	ch       *chain
}

func (e *markovEngine) credits(w *pathWeights, conv, value, effects []float64) (bool, error) {
	e.ch = e.shape.weigh(e.ch, w.conv, w.nulls)
	e.ch.sweep = e.sweep
	var totalConv, totalValue stats.Sum
	for i := range w.conv {
		totalConv.Add(w.conv[i])
		totalValue.Add(w.value[i])
	}
	if !(totalConv.Value() > 0) {
		return false, fmt.Errorf("attribution: markov: no conversions to attribute: %w", cxmetrics.ErrEmpty)
	}
	eff, sum, err := removalEffects(e.ch, e.channels)
	if err != nil {
		return false, err
	}
	copy(effects, eff)
	tc, tv := totalConv.Value(), totalValue.Value()
	for k, ek := range eff {
		conv[k], value[k] = tc*(ek/sum), tv*(ek/sum)
	}
	return true, nil
}

// run draws the resamples and takes the percentiles.
func run(c *compiled, m Model, rng *rand.Rand, resamples int, level float64, rs resampler) (Intervals, error) {
	channels := len(c.names)
	if resamples > MaxBootstrapCells/max(1, channels) {
		return Intervals{}, &cxmetrics.InputError{Pkg: "attribution", What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrTooLarge,
			Detail: fmt.Sprintf("(at most %d for %d channels: resamples x channels at most %d)", MaxBootstrapCells/max(1, channels), channels, MaxBootstrapCells)}
	}
	est, effects, err := estimate(c, m)
	if err != nil {
		return Intervals{}, err
	}
	// newEngine returns an engine for one goroutine.
	var newEngine func() engine
	switch m.Kind {
	case MarkovModel:
		conv, nulls := chainWeights(c)
		shape := newChainShape(c, conv, nulls, m.Order, edgeTableLimit)
		sweep := shape.weigh(nil, conv, nulls).sweepOrder()
		newEngine = func() engine { return &markovEngine{shape: shape, sweep: sweep, channels: channels} }
	default:
		e := newLinearEngine(c, modelRule(c, m))
		newEngine = func() engine { return e } // read only
	}

	conv := make([]float64, resamples*channels)
	value := make([]float64, resamples*channels)
	var eff []float64
	if m.Kind == MarkovModel {
		eff = make([]float64, resamples*channels)
	}
	failed := make([]error, resamples)
	var wg sync.WaitGroup
	for k := range bootstrapChunks {
		src := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		lo, hi := k*resamples/bootstrapChunks, (k+1)*resamples/bootstrapChunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := newEngine()
			w := newPathWeights(len(c.paths))
			counts := make([]int, rs.categories)
			for r := lo; r < hi; r++ {
				rs.draw(src, w, counts)
				var effr []float64
				if eff != nil {
					effr = eff[r*channels : (r+1)*channels]
				}
				ok, err := e.credits(w, conv[r*channels:(r+1)*channels], value[r*channels:(r+1)*channels], effr)
				if !ok {
					failed[r] = err
				}
			}
		}()
	}
	wg.Wait()

	var last error
	kept := make([]int, 0, resamples)
	for r, err := range failed {
		if err != nil {
			last = err
			continue
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		return Intervals{}, fmt.Errorf("attribution: bootstrap: the model fits none of the %d resamples, the last because %w", resamples, last)
	}
	col := make([]float64, len(kept))
	alpha := 1 - level
	interval := func(x []float64, j int, estimate float64, exp int) (cxmetrics.Interval, error) {
		for t, r := range kept {
			col[t] = x[r*channels+j]
		}
		lo := math.Ldexp(stats.Quantile(col, alpha/2), exp)
		hi := math.Ldexp(stats.Quantile(col, 1-alpha/2), exp)
		if !stats.Finite(lo) || !stats.Finite(hi) {
			return cxmetrics.Interval{}, fmt.Errorf("attribution: bootstrap: the interval of channel %q lies beyond the float64 range: %w", c.names[j], cxmetrics.ErrNotFinite)
		}
		return cxmetrics.Interval{Estimate: estimate, Lower: lo, Upper: hi, Level: level, Method: cxmetrics.Bootstrap}, nil
	}
	index := make(map[string]int, channels)
	for j, name := range c.names {
		index[name] = j
	}
	iv := Intervals{Credits: make([]CreditInterval, channels), Resamples: len(kept), Skipped: resamples - len(kept)}
	for t, cr := range est.Credits {
		j := index[cr.Channel]
		ci := CreditInterval{Channel: cr.Channel}
		if ci.Conversions, err = interval(conv, j, cr.Conversions, 0); err != nil {
			return Intervals{}, err
		}
		if ci.Value, err = interval(value, j, cr.Value, rs.valueExp); err != nil {
			return Intervals{}, err
		}
		iv.Credits[t] = ci
	}
	if eff != nil {
		iv.RemovalEffects = make(map[string]cxmetrics.Interval, channels)
		for j, name := range c.names {
			if iv.RemovalEffects[name], err = interval(eff, j, effects[name], 0); err != nil {
				return Intervals{}, err
			}
		}
	}
	return iv, nil
}

// estimate runs the model on the compiled paths as its function does.
func estimate(c *compiled, m Model) (Result, map[string]float64, error) {
	if m.Kind == MarkovModel {
		r, err := markov(c, m.Order)
		return r.Result, r.RemovalEffects, err
	}
	r, err := attribute(c, modelRule(c, m))
	return r, nil, err
}

// modelRule returns the rule of a model that credits each path alone.
func modelRule(c *compiled, m Model) rule {
	switch m.Kind {
	case FirstTouchModel:
		return firstTouch
	case LastTouchModel:
		return lastTouch
	case LinearModel:
		return linear
	case PositionBasedModel:
		return positionBased(m.First, m.Last)
	case TimeDecayModel:
		return timeDecay(m.HalfLife)
	default:
		return shapley(len(c.names))
	}
}
