package attribution

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"
)

// syntheticPaths returns n random paths over the given number of channels, of geometric
// length with mean about 6, each one journey that converts with probability 0.2.
func syntheticPaths(rng *rand.Rand, n, channels int) []Path {
	names := make([]string, channels)
	for i := range names {
		names[i] = fmt.Sprintf("channel%02d", i)
	}
	paths := make([]Path, n)
	for i := range paths {
		length := 1
		for length < 90 && rng.Float64() < 5.0/6 {
			length++
		}
		tp := make([]string, length)
		for k := range tp {
			tp[k] = names[rng.IntN(channels)]
		}
		p := Path{Touchpoints: tp, Nulls: 1}
		if rng.Float64() < 0.2 {
			p = Path{Touchpoints: tp, Conversions: 1, Value: 10 * rng.ExpFloat64()}
		}
		paths[i] = p
	}
	return paths
}

func BenchmarkMarkov(b *testing.B) {
	paths := channelAttributionPaths(b)
	for order := 1; order <= MaxMarkovOrder; order++ {
		b.Run(fmt.Sprintf("order=%d/paths=10000", order), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Markov(paths, order); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkModels1M(b *testing.B) {
	paths := syntheticPaths(rand.New(rand.NewPCG(1, 1)), 1_000_000, 12)
	timed := make([]TimedPath, len(paths))
	for i, p := range paths {
		touches := make([]Touch, len(p.Touchpoints))
		for k, c := range p.Touchpoints {
			touches[k] = Touch{Channel: c, Before: time.Duration(len(touches)-k) * time.Hour}
		}
		timed[i] = TimedPath{Touches: touches, Conversions: p.Conversions, Value: p.Value, Nulls: p.Nulls}
	}
	models := []struct {
		name string
		run  func() error
	}{
		{"FirstTouch", func() error { _, err := FirstTouch(paths); return err }},
		{"LastTouch", func() error { _, err := LastTouch(paths); return err }},
		{"Linear", func() error { _, err := Linear(paths); return err }},
		{"PositionBased", func() error { _, err := PositionBased(paths, UShapedFirst, UShapedLast); return err }},
		{"TimeDecay", func() error { _, err := TimeDecay(timed, 0); return err }},
		{"Shapley", func() error { _, err := Shapley(paths); return err }},
	}
	for order := 1; order <= MaxMarkovOrder; order++ {
		models = append(models, struct {
			name string
			run  func() error
		}{fmt.Sprintf("Markov/order=%d", order), func() error { _, err := Markov(paths, order); return err }})
	}
	for _, m := range models {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := m.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkReadPathsCSV(b *testing.B) {
	data, err := io.ReadAll(sharedData(b, "attribution_paths.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadPathsCSV(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBootstrap times 100 resamples of each model on ChannelAttribution's 10,000
// paths (88,387 journeys).
func BenchmarkBootstrap(b *testing.B) {
	paths := channelAttributionPaths(b)
	models := []Model{{Kind: FirstTouchModel}, {Kind: LinearModel}, {Kind: PositionBasedModel, First: UShapedFirst, Last: UShapedLast}, {Kind: ShapleyModel}}
	for order := 1; order <= MaxMarkovOrder; order++ {
		models = append(models, Model{Kind: MarkovModel, Order: order})
	}
	for _, m := range models {
		name := m.Kind.String()
		if m.Kind == MarkovModel {
			name += fmt.Sprintf("/order=%d", m.Order)
		}
		b.Run(name+"/resamples=100", func(b *testing.B) {
			b.ReportAllocs()
			rng := rand.New(rand.NewPCG(1, 1))
			for b.Loop() {
				if _, err := Bootstrap(paths, m, rng, 100, 0.95); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
