package survey

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxResamples bounds the resamples of a bootstrap: 2^20, about a million, far more than
// a percentile interval needs (10,000 give its bounds to about 0.1 standard errors), with
// 8 MiB of memory.
const MaxResamples = 1 << 20

// bootstrapChunks is the number of independent streams a bootstrap is drawn in.
const bootstrapChunks = 8

// Bootstrap returns a percentile bootstrap interval for a mean of per-bin values: each
// resample draws n answers from the bins' shares (one multinomial draw, so the cost does
// not depend on n) and takes the mean of z over them; the bounds are the (1-level)/2 and
// (1+level)/2 quantiles of the resampled means (R's type 7).
//
// The resamples are drawn in a fixed number of chunks, in parallel, each from a PCG source
// seeded from rng, so that the result depends only on rng's state, never on scheduling or
// the number of processors. A nil rng wraps cxmetrics.ErrNilRand, resamples outside
// [1, MaxResamples] ErrOutOfRange or ErrTooLarge, n < 1 ErrEmpty.
func Bootstrap(pkg string, rng *rand.Rand, shares, z []float64, n float64, resamples int, level float64) (lo, hi float64, err error) {
	if err := normal.CheckLevel(pkg, level); err != nil {
		return 0, 0, err
	}
	switch {
	case rng == nil:
		return 0, 0, fmt.Errorf("%s: bootstrap: %w", pkg, cxmetrics.ErrNilRand)
	case resamples < 1:
		return 0, 0, &cxmetrics.InputError{Pkg: pkg, What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrOutOfRange, Detail: "(want >= 1)"}
	case resamples > MaxResamples:
		return 0, 0, &cxmetrics.InputError{Pkg: pkg, What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrTooLarge, Detail: fmt.Sprintf("(at most %d)", MaxResamples)}
	}
	size := math.Round(n)
	if !(size >= 1) || size > MaxCount {
		return 0, 0, fmt.Errorf("%s: bootstrap of %v answers: %w", pkg, n, cxmetrics.ErrEmpty)
	}
	sampler := stats.NewMultinomial(int(size), shares)
	ref := z[0]
	means := make([]float64, resamples)
	var wg sync.WaitGroup
	for c := range bootstrapChunks {
		src := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		part := means[c*resamples/bootstrapChunks : (c+1)*resamples/bootstrapChunks]
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := make([]int, len(shares))
			for i := range part {
				sampler.Draw(src, counts)
				var s float64
				for j, k := range counts {
					s += float64(k) * (z[j] - ref)
				}
				part[i] = ref + s/size
			}
		}()
	}
	wg.Wait()
	alpha := 1 - level
	lo = stats.Quantile(means, alpha/2)
	hi = stats.Quantile(means, 1-alpha/2)
	return lo, hi, nil
}
