package drivers

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// MaxResamples bounds the resamples of Bootstrap. Each resample recomputes the correlation
// matrix, about n·(k+1)²/2 multiply-adds for n respondents and k drivers (several times
// that under pairwise deletion), and the decompositions, about k·2^k; 10,000 resamples give
// the bounds of a 95% percentile interval to about 0.1 standard errors.
const MaxResamples = 10_000

// bootstrapChunks is the number of independent streams a bootstrap is drawn in.
const bootstrapChunks = 8

// Intervals are percentile bootstrap intervals for the importances of an Analysis.
type Intervals struct {
	R2      cxmetrics.Interval `json:"r2"`
	Drivers []DriverIntervals  `json:"drivers"` // in the order of x
	// Resamples is the number of resamples the intervals come from, and Skipped the number
	// left out because the resample could not be analysed (a driver that does not vary in
	// it, or collinear drivers); the two add up to the resamples asked for.
	Resamples int `json:"resamples"`
	Skipped   int `json:"skipped"`
}

// DriverIntervals are the bootstrap intervals of one driver's importances.
type DriverIntervals struct {
	Correlation    cxmetrics.Interval `json:"correlation"`
	RelativeWeight cxmetrics.Interval `json:"relative_weight"`
	Shapley        cxmetrics.Interval `json:"shapley"`
}

// Bootstrap returns percentile bootstrap intervals at the given level for R² and for each
// driver's correlation, relative weight and Shapley share, as Analyze computes them with
// opt. Each resample draws respondents with replacement, as many as there are: under
// listwise deletion from those who answered everything, under pairwise deletion from all
// respondents, whose missing answers then go with them. The bounds are the (1-level)/2
// and (1+level)/2 quantiles of the resampled values (R's type 7), and each interval's
// Estimate is the value Analyze gives.
//
// A resample in which a driver or the outcome does not vary, or the drivers are
// collinear, has no importances; it is left out of the intervals and counted in Skipped.
// When more than a few per cent are skipped the data are too thin for the intervals to
// mean much.
//
// The result depends only on the data, the options, resamples, level and the state of the
// caller's rng, which Bootstrap advances by a fixed number of values: the resamples are
// drawn in a fixed number of chunks, in parallel, each from a PCG source seeded from rng,
// so neither scheduling nor GOMAXPROCS changes them.
//
// Errors: those of Analyze; a nil rng wraps cxmetrics.ErrNilRand; resamples outside
// [1, MaxResamples] is an *cxmetrics.InputError wrapping cxmetrics.ErrOutOfRange (below)
// or cxmetrics.ErrTooLarge (above); a level outside (0, 1), cxmetrics.ErrInvalidLevel.
// When every resample is skipped, Bootstrap returns the last one's error.
func Bootstrap(y []float64, x [][]float64, opt Options, rng *rand.Rand, resamples int, level float64) (Intervals, error) {
	if err := normal.CheckLevel(pkg, level); err != nil {
		return Intervals{}, err
	}
	switch {
	case rng == nil:
		return Intervals{}, fmt.Errorf("drivers: bootstrap: %w", cxmetrics.ErrNilRand)
	case resamples < 1:
		return Intervals{}, &cxmetrics.InputError{Pkg: pkg, What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrOutOfRange, Detail: "(want >= 1)"}
	case resamples > MaxResamples:
		return Intervals{}, &cxmetrics.InputError{Pkg: pkg, What: "resamples", Index: -1, Value: resamples, Err: cxmetrics.ErrTooLarge,
			Detail: fmt.Sprintf("(at most %d)", MaxResamples)}
	}
	d, err := prepareOptions(y, x, opt)
	if err != nil {
		return Intervals{}, err
	}
	a, base, err := analyze(d, opt)
	if err != nil {
		return Intervals{}, err
	}

	// values[r*width : (r+1)*width] holds resample r's R², then each driver's
	// correlation, relative weight and Shapley share; failed[r] its error, if any.
	k := d.k()
	width := 1 + 3*k
	values := make([]float64, resamples*width)
	failed := make([]error, resamples)
	m := base.size(d.n)
	var wg sync.WaitGroup
	for c := range bootstrapChunks {
		src := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		lo, hi := c*resamples/bootstrapChunks, (c+1)*resamples/bootstrapChunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w workspace
			counts := make([]int32, m)
			for r := lo; r < hi; r++ {
				clear(counts)
				for range m {
					counts[src.IntN(m)]++
				}
				c, err := d.correlations(sample{rows: base.rows, counts: counts}, opt.Missing, k+2, &w)
				var md *model
				if err == nil {
					md, err = newModel(d, c)
				}
				if err != nil {
					failed[r] = err
					continue
				}
				v := values[r*width : (r+1)*width]
				v[0] = md.r2
				copy(v[1:1+k], md.rxy)
				copy(v[1+k:1+2*k], md.relativeWeights())
				copy(v[1+2*k:], md.shapley())
			}
		}()
	}
	wg.Wait()

	var last error
	ok := make([]int, 0, resamples)
	for r, err := range failed {
		if err != nil {
			last = err
			continue
		}
		ok = append(ok, r)
	}
	if len(ok) == 0 {
		return Intervals{}, fmt.Errorf("drivers: bootstrap: none of the %d resamples could be analysed, the last because %w", resamples, last)
	}
	col := make([]float64, len(ok))
	interval := func(i int, estimate float64) cxmetrics.Interval {
		for t, r := range ok {
			col[t] = values[r*width+i]
		}
		alpha := 1 - level
		lo := stats.Quantile(col, alpha/2)
		hi := stats.Quantile(col, 1-alpha/2)
		return cxmetrics.Interval{Estimate: estimate, Lower: lo, Upper: hi, Level: level, Method: cxmetrics.Bootstrap}
	}
	iv := Intervals{R2: interval(0, a.R2), Drivers: make([]DriverIntervals, k), Resamples: len(ok), Skipped: resamples - len(ok)}
	for j, dr := range a.Drivers {
		iv.Drivers[j] = DriverIntervals{
			Correlation:    interval(1+j, dr.Correlation),
			RelativeWeight: interval(1+k+j, dr.RelativeWeight),
			Shapley:        interval(1+2*k+j, dr.Shapley),
		}
	}
	return iv, nil
}
