package cxbeam

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxmetrics/cxmetrics/nps"
)

// init registers the DoFns as types: a runner calls them through reflection, once per
// shard and once per key, which costs nothing next to the compile time of
// register.DoFn2x0.
func init() {
	beam.RegisterType(reflect.TypeFor[generateFn]())
	beam.RegisterType(reflect.TypeFor[discardFn]())
	register.Emitter2[string, int]()
}

// generateFn emits the answers of one shard: N/Shards scores 0-10 on Keys keys, drawn
// from a PCG seeded with the shard, so that the pipeline reads no input.
type generateFn struct{ N, Shards, Keys int }

func (f *generateFn) ProcessElement(shard int, emit func(string, int)) {
	rng := rand.New(rand.NewPCG(1, uint64(shard)))
	keys := make([]string, f.Keys)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	for range f.N / f.Shards {
		emit(keys[rng.IntN(f.Keys)], rng.IntN(11))
	}
}

type discardFn struct{}

func (discardFn) ProcessElement(string, nps.Result) {}

// BenchmarkNPSPerKey10M runs NPSPerKey over 10 million scores on 100 keys, generated in
// 16 shards, on the direct runner (with -tags prism on prism), and reports scores a
// second. It takes tens of seconds, so run it alone:
//
//	go test -run '^$' -bench NPSPerKey10M -benchtime 1x
func BenchmarkNPSPerKey10M(b *testing.B) {
	const n, shards, keys = 10_000_000, 16, 100
	b.ReportAllocs()
	for b.Loop() {
		p, s := beam.NewPipelineWithRoot()
		ids := make([]int, shards)
		for i := range ids {
			ids[i] = i
		}
		col := beam.ParDo(s, &generateFn{N: n, Shards: shards, Keys: keys}, beam.Reshuffle(s, beam.CreateList(s, ids)))
		out, err := NPSPerKey(s, nps.Standard, col)
		if err != nil {
			b.Fatal(err)
		}
		beam.ParDo0(s, discardFn{}, out)
		if err := runPipeline(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "scores/s")
}
