package attribution

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

var sentinels = []error{
	cxmetrics.ErrEmpty, cxmetrics.ErrOutOfRange, cxmetrics.ErrNotFinite, cxmetrics.ErrCorrupt,
	cxmetrics.ErrUnknownLabel, cxmetrics.ErrInvalidLevel, cxmetrics.ErrTooLarge, cxmetrics.ErrUnsupportedMethod,
}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

func FuzzReadPathsCSV(f *testing.F) {
	f.Add("path;total_conversions;total_conversion_value;total_null\neta > iota > alpha > eta;1;0.244;3\nbeta;2;3.5;0\n")
	f.Add("path,conversions\n\"a > b\",1\n")
	f.Add("\ufeffPath\tNulls\tConversions\na > a\t1\t0\n")
	f.Add("path;total_conversions\na > ;1\n")
	f.Add("path,conversions,value\na,1e308,-1e308\nb,1e308,1e308\n")
	f.Fuzz(func(t *testing.T, in string) {
		paths, err := ReadPathsCSV(strings.NewReader(in))
		if err != nil {
			var pe *cxmetrics.ParseError
			if !isSentinel(err) || !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a ParseError wrapping a known sentinel", err)
			}
			return
		}
		var conv, value float64
		for _, p := range paths {
			conv += p.Conversions
			value += p.Value
		}
		res, err := Linear(paths)
		if errors.Is(err, cxmetrics.ErrNotFinite) {
			return // the totals overflow
		}
		if err != nil {
			t.Fatalf("paths read but rejected: %v", err)
		}
		if !math.IsInf(conv, 0) && !math.IsInf(value, 0) {
			checkSums(t, "linear", res, paths)
		}
	})
}

// checkSums checks that credits are finite and sum to the paths' totals, with a
// tolerance relative to the largest amount involved; the sums are exact (math/big), so
// that totals beyond the float64 range are checked too.
func checkSums(t *testing.T, name string, res Result, paths []Path) {
	t.Helper()
	var diffC, diffV, absC, absV big.Float
	for _, p := range paths {
		diffC.Add(&diffC, big.NewFloat(p.Conversions))
		diffV.Add(&diffV, big.NewFloat(p.Value))
		absC.Add(&absC, big.NewFloat(math.Abs(p.Conversions)))
		absV.Add(&absV, big.NewFloat(math.Abs(p.Value)))
	}
	for _, c := range res.Credits {
		if !stats.Finite(c.Conversions) || !stats.Finite(c.Value) {
			t.Fatalf("%s: credit %+v not finite", name, c)
		}
		diffC.Sub(&diffC, big.NewFloat(c.Conversions))
		diffV.Sub(&diffV, big.NewFloat(c.Value))
	}
	one := big.NewFloat(1)
	for _, d := range []struct {
		what        string
		diff, scale *big.Float
	}{{"conversions", &diffC, &absC}, {"value", &diffV, &absV}} {
		tol := new(big.Float).Add(one, d.scale)
		tol.Mul(tol, big.NewFloat(1e-9))
		if new(big.Float).Abs(d.diff).Cmp(tol) > 0 {
			t.Fatalf("%s: credits miss the total %s by %v (of %v)", name, d.what, d.diff, d.scale)
		}
	}
}

// decodePaths turns fuzz bytes into paths over up to 6 channels: per path a length byte,
// that many channel bytes, then conversions, nulls and value bytes.
func decodePaths(data []byte) []Path {
	var paths []Path
	for len(data) >= 4 {
		n := 1 + int(data[0]%7)
		data = data[1:]
		if len(data) < n+3 {
			break
		}
		tp := make([]string, n)
		for k := range tp {
			tp[k] = fmt.Sprintf("c%d", data[k]%6)
		}
		data = data[n:]
		paths = append(paths, Path{
			Touchpoints: tp,
			Conversions: float64(data[0]%16) / 2,
			Nulls:       float64(data[1] % 16),
			Value:       float64(int8(data[2])) * 1.5,
		})
		data = data[3:]
	}
	return paths
}

func FuzzModels(f *testing.F) {
	f.Add([]byte{2, 0, 1, 2, 3, 4, 0, 3, 5, 1, 0, 0}, 0.4, 0.4, int64(0))
	f.Add([]byte{6, 1, 2, 1, 2, 1, 2, 1, 9, 0, 200, 1, 3, 0, 1, 255}, 0.0, 1.0, int64(3600e9))
	f.Add([]byte{0, 0, 0, 9, 0, 1, 1, 7, 0}, 0.7, 0.3, int64(1))
	f.Fuzz(func(t *testing.T, data []byte, first, last float64, halfLife int64) {
		paths := decodePaths(data)
		var conv float64
		for _, p := range paths {
			conv += p.Conversions
		}
		for name, run := range models(paths) {
			res, err := run()
			if err != nil {
				if len(paths) == 0 || (strings.HasPrefix(name, "markov") && conv == 0) {
					if !errors.Is(err, cxmetrics.ErrEmpty) {
						t.Fatalf("%s: error %v, want ErrEmpty", name, err)
					}
					continue
				}
				t.Fatalf("%s: %v", name, err)
			}
			checkSums(t, name, res, paths)
			if name == "shapley" {
				for ch, phi := range shapleyBySubsets(paths) {
					if c, _ := res.Channel(ch); !scalar.EqualWithinAbs(c.Conversions, phi, 1e-9*(1+conv)) {
						t.Fatalf("shapley: %s earns %v, subset enumeration %v", ch, c.Conversions, phi)
					}
				}
			}
		}
		if len(paths) == 0 {
			return
		}
		// The models' parameters: valid ones give credits that sum to the totals.
		res, err := PositionBased(paths, first, last)
		if err == nil {
			checkSums(t, "position based", res, paths)
		} else if !errors.Is(err, cxmetrics.ErrOutOfRange) && !errors.Is(err, cxmetrics.ErrNotFinite) {
			t.Fatalf("position based %v, %v: error %v", first, last, err)
		}
		timed := make([]TimedPath, len(paths))
		for i, p := range paths {
			for k, c := range p.Touchpoints {
				timed[i].Touches = append(timed[i].Touches, Touch{Channel: c, Before: time.Duration(k) * 1e12})
			}
			timed[i].Conversions, timed[i].Value = p.Conversions, p.Value
		}
		res, err = TimeDecay(timed, time.Duration(halfLife))
		if err == nil {
			checkSums(t, "time decay", res, paths)
		} else if !errors.Is(err, cxmetrics.ErrOutOfRange) || halfLife >= 0 {
			t.Fatalf("time decay, half-life %v: error %v", time.Duration(halfLife), err)
		}
		if conv == 0 {
			return
		}
		for order := 1; order <= 2; order++ {
			res, err := Markov(paths, order)
			if err != nil {
				t.Fatal(err)
			}
			ref := newRefChain(paths, order)
			p := ref.probability("")
			if !scalar.EqualWithinAbs(res.ConversionProbability, p, 1e-12) {
				t.Fatalf("order %d: P = %v, independent solver %v", order, res.ConversionProbability, p)
			}
			for ch, e := range res.RemovalEffects {
				if want := max(0, 1-ref.probability(ch)/p); !scalar.EqualWithinAbs(e, want, 1e-10) {
					t.Fatalf("order %d: removal effect of %s = %v, independent solver %v", order, ch, e, want)
				}
			}
		}
	})
}

func FuzzPathsFromEvents(f *testing.F) {
	f.Add([]byte{0, 1, 0, 3, 0, 2, 1, 0, 4, 2, 0, 9}, int64(0))
	f.Add([]byte{1, 0, 5, 1, 2, 0, 1, 1, 1}, int64(3600e9))
	f.Add([]byte{0, 2, 0, 0, 0, 255, 1, 2, 1, 1, 0, 255, 2, 2, 1, 2, 0, 254}, int64(0)) // values near overflow
	f.Add([]byte{0, 2, 255, 0, 0, 1, 255, 2, 3}, int64(0))                              // an empty user, the zero time
	f.Fuzz(func(t *testing.T, data []byte, lookback int64) {
		// Per event: user byte (255: empty), kind byte (0 purchase, 1 no channel, else a
		// channel), time byte in hours (255: the zero time.Time, year 1). A purchase is
		// worth its time byte, or ±1e308 for 254 and 253.
		t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		var events []journey.Event
		conversions := 0
		var values []float64
		for ; len(data) >= 3; data = data[3:] {
			e := journey.Event{User: fmt.Sprint(data[0] % 4), Name: "visit", Time: t0.Add(time.Duration(data[2]) * time.Hour)}
			if data[0] == 255 {
				e.User = ""
			}
			if data[2] == 255 {
				e.Time = time.Time{}
			}
			switch data[1] % 5 {
			case 0:
				e.Name, e.Value = "purchase", float64(data[2])
				switch data[2] {
				case 254:
					e.Value = 1e308
				case 253:
					e.Value = -1e308
				}
				values = append(values, e.Value)
				conversions++
			case 1:
			default:
				e.Channel = fmt.Sprint("ch", data[1]%5)
			}
			events = append(events, e)
		}
		paths, err := PathsFromEvents(events, "purchase", time.Duration(lookback))
		if err != nil {
			var ie *cxmetrics.InputError
			if !isSentinel(err) || !errors.As(err, &ie) {
				t.Fatalf("error %v is not an InputError wrapping a known sentinel", err)
			}
			if ie.Index >= 0 && (ie.Index >= len(events) || (errors.Is(err, cxmetrics.ErrEmpty) && events[ie.Index].User != "")) {
				t.Fatalf("error %v names the wrong event", err)
			}
			return
		}
		var conv float64
		exact, want := new(big.Float), new(big.Float)
		for _, p := range paths {
			conv += p.Conversions
			if p.Conversions+p.Nulls == 0 {
				t.Fatalf("path %+v counts nothing", p)
			}
			if !stats.Finite(p.Value) {
				t.Fatalf("path %+v", p)
			}
			exact.Add(exact, big.NewFloat(p.Value))
		}
		if conv != float64(conversions) {
			t.Fatalf("paths hold %v conversions, the log %d", conv, conversions)
		}
		for _, v := range values {
			want.Add(want, big.NewFloat(v))
		}
		if diff, _ := new(big.Float).Sub(exact, want).Float64(); math.Abs(diff) > 1e-12*1e308*float64(len(values)) {
			t.Fatalf("paths hold value %v, the log %v", exact, want)
		}
		if len(paths) > 0 {
			res, err := Linear(paths)
			if errors.Is(err, cxmetrics.ErrNotFinite) {
				return // a channel's credit overflows
			}
			if err != nil {
				t.Fatal(err)
			}
			checkSums(t, "linear", res, paths)
		}
		timed, err := TimedPathsFromEvents(events, "purchase", time.Duration(lookback))
		if err != nil {
			t.Fatal(err)
		}
		if len(timed) > 0 {
			if _, err := TimeDecay(timed, time.Hour); err != nil && !errors.Is(err, cxmetrics.ErrNotFinite) {
				t.Fatal(err)
			}
		}
	})
}

// FuzzModelsExtreme runs every model on paths whose numbers are scaled by powers of two
// from 2^-1074 to 2^1023, so that their totals underflow or overflow. A model may refuse
// only when a credit would lie beyond the float64 range (ErrNotFinite) or, for Markov,
// when the probability of conversion underflows (ErrEmpty); every result is finite.
func FuzzModelsExtreme(f *testing.F) {
	f.Add([]byte{2, 0, 1, 2, 3, 4, 0, 3, 5, 1, 0, 0}, int16(1000), int16(-1000))
	f.Add([]byte{0, 1, 15, 0, 9, 0, 1, 15, 0, 9, 1, 2, 2, 1, 1}, int16(1020), int16(1020))
	f.Add([]byte{0, 0, 1, 1, 0, 1, 1, 1, 3, 0}, int16(-1074), int16(1023))
	f.Fuzz(func(t *testing.T, data []byte, even, odd int16) {
		paths := decodePaths(data)
		conv, abs := new(big.Float), new(big.Float)
		for i := range paths {
			e := int(even)
			if i%2 == 1 {
				e = int(odd)
			}
			p := &paths[i]
			for _, v := range []*float64{&p.Conversions, &p.Nulls, &p.Value} {
				*v = max(-math.MaxFloat64, min(math.MaxFloat64, math.Ldexp(*v, e)))
			}
			conv.Add(conv, big.NewFloat(p.Conversions))
			abs.Add(abs, big.NewFloat(math.Abs(p.Value)))
		}
		limit := big.NewFloat(math.MaxFloat64 / 2)
		fits := conv.Cmp(limit) <= 0 && abs.Cmp(limit) <= 0
		for name, run := range models(paths) {
			res, err := run()
			switch {
			case err == nil:
				checkSums(t, name, res, paths)
			case len(paths) == 0 || (strings.HasPrefix(name, "markov") && errors.Is(err, cxmetrics.ErrEmpty)):
			case errors.Is(err, cxmetrics.ErrNotFinite) && !fits:
			default:
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}

// FuzzPathsCSV reads with explicit separators: a bad Comma is an InputError, anything
// else wrong with the file a ParseError, and every path read is valid.
func FuzzPathsCSV(f *testing.F) {
	f.Add("path|conversions|value\na>b|1|2\n", '|', ">")
	f.Add("path;conversions\na - b;1\n", ';', " - ")
	f.Add("path,conversions\na,1\n", '"', "")
	f.Fuzz(func(t *testing.T, in string, comma rune, sep string) {
		paths, err := PathsCSV{Comma: comma, Separator: sep}.Read(strings.NewReader(in))
		if err != nil {
			var pe *cxmetrics.ParseError
			var ie *cxmetrics.InputError
			if !isSentinel(err) || !(errors.As(err, &pe) || (errors.As(err, &ie) && errors.Is(err, cxmetrics.ErrOutOfRange))) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if _, err := compile(paths); err != nil {
			t.Fatalf("paths read but invalid: %v", err)
		}
	})
}

func FuzzBootstrap(f *testing.F) {
	f.Add([]byte{2, 0, 1, 2, 3, 4, 0, 3, 5, 1, 0, 0}, uint8(0), uint64(1), 0.95)
	f.Add([]byte{6, 1, 2, 1, 2, 1, 2, 1, 9, 0, 200, 1, 3, 0, 1, 255}, uint8(5), uint64(2), 0.5)
	f.Add([]byte{0, 0, 0, 9, 0, 1, 1, 7, 0}, uint8(3), uint64(3), 0.99)
	f.Fuzz(func(t *testing.T, data []byte, kind uint8, seed uint64, level float64) {
		// Every error wraps a known sentinel; every result has one interval per channel of
		// the model's result, with finite bounds in order, conversions within
		// [0, conversions + nulls], and its estimate the model's credit.
		paths := decodePaths(data)
		m := Model{Kind: ModelKind(kind % 8), First: UShapedFirst, Last: UShapedLast, Order: 1 + int(kind/8)%MaxMarkovOrder}
		var iv Intervals
		var err error
		if m.Kind == TimeDecayModel {
			timed := make([]TimedPath, len(paths))
			for i, p := range paths {
				for k, ch := range p.Touchpoints {
					timed[i].Touches = append(timed[i].Touches, Touch{Channel: ch, Before: time.Duration(len(p.Touchpoints)-k) * time.Hour})
				}
				timed[i].Conversions, timed[i].Value, timed[i].Nulls = p.Conversions, p.Value, p.Nulls
			}
			iv, err = BootstrapTimed(timed, m, rand.New(rand.NewPCG(seed, 1)), 16, level)
		} else {
			iv, err = Bootstrap(paths, m, rand.New(rand.NewPCG(seed, 1)), 16, level)
		}
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("%v: error %v wraps no known sentinel", m.Kind, err)
			}
			return
		}
		var total float64
		for _, p := range paths {
			total += p.Conversions + p.Nulls
		}
		if len(iv.Credits) == 0 || iv.Resamples+iv.Skipped != 16 {
			t.Fatalf("%v: %+v", m.Kind, iv)
		}
		for _, c := range iv.Credits {
			for _, x := range []cxmetrics.Interval{c.Conversions, c.Value} {
				if !stats.Finite(x.Lower) || !stats.Finite(x.Upper) || x.Lower > x.Upper || !stats.Finite(x.Estimate) {
					t.Fatalf("%v: %s: %+v", m.Kind, c.Channel, x)
				}
			}
			if c.Conversions.Lower < -1e-9*total || c.Conversions.Upper > total*(1+1e-9) {
				t.Fatalf("%v: %s: %+v beyond [0, %v]", m.Kind, c.Channel, c.Conversions, total)
			}
		}
	})
}
