package nps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// truth is a population of answers: the shares of detractors, passives and promoters.
type truth struct {
	name      string
	d, pa, p  float64
	trueScore float64
}

// truths are the populations of the coverage and type I error tables: NPS -10, 0 with 90%
// passives, 30, 60 and 85.
var truths = []truth{
	{"-10", 0.4, 0.3, 0.3, -10},
	{"0, 90% passives", 0.05, 0.9, 0.05, 0},
	{"30", 0.2, 0.3, 0.5, 30},
	{"60", 0.1, 0.2, 0.7, 60},
	{"85", 0.03, 0.09, 0.88, 85},
}

// sample is one count vector of a truth with its multinomial probability, its Result and
// the Result's variance.
type sample struct {
	prob, v float64
	r       Result
}

// samples enumerates the count vectors of n answers whose multinomial probability is at
// least 1e-12, and returns them with the probability mass they leave out.
func samples(tr truth, n int) ([]sample, float64) {
	lf := func(k int) float64 { v, _ := math.Lgamma(float64(k) + 1); return v }
	var out []sample
	total := 0.0
	for d := 0; d <= n; d++ {
		for p := 0; d+p <= n; p++ {
			pa := n - d - p
			lp := lf(n) - lf(d) - lf(pa) - lf(p) + float64(d)*math.Log(tr.d) + float64(pa)*math.Log(tr.pa) + float64(p)*math.Log(tr.p)
			prob := math.Exp(lp)
			if prob < 1e-12 {
				continue
			}
			r, err := Compute(answers(d, pa, p), nil)
			if err != nil {
				panic(err)
			}
			out = append(out, sample{prob, r.Variance(), r})
			total += prob
		}
	}
	return out, 1 - total
}

// TestCoverageTable computes the exact coverage of every interval method at 95%: the sum of
// the multinomial probabilities of the samples whose interval contains the true NPS (the
// bootstrap, 1,000 resamples, with one seeded source per sample). It prints the table of
// the package documentation; it takes a few minutes, so it runs only with -v:
//
//	go test -run CoverageTable -v ./nps
func TestCoverageTable(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("the exact coverage table runs with -v: go test -run CoverageTable -v ./nps")
	}
	methods := []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango, cxmetrics.Bayesian, cxmetrics.Bootstrap}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-18s %4s", "NPS", "n")
	for _, m := range methods {
		fmt.Fprintf(&b, " %12s", m)
	}
	for _, tr := range truths {
		for _, n := range []int{10, 20, 50, 100, 500} {
			ss, left := samples(tr, n)
			cov := make([]float64, len(methods))
			for i, s := range ss {
				for k, m := range methods {
					var iv cxmetrics.Interval
					var err error
					if m == cxmetrics.Bootstrap {
						iv, err = s.r.Bootstrap(rand.New(rand.NewPCG(uint64(n), uint64(i))), 1000, 0.95)
					} else {
						iv, err = s.r.Interval(m, 0.95)
					}
					if err != nil {
						t.Fatal(err)
					}
					if iv.Contains(tr.trueScore) {
						cov[k] += s.prob
					}
				}
			}
			fmt.Fprintf(&b, "\n%-18s %4d", tr.name, n)
			for k := range methods {
				fmt.Fprintf(&b, " %11.1f%%", 100*cov[k])
			}
			if left > 1e-6 {
				t.Errorf("n %d truth %s: %g of the mass left out", n, tr.name, left)
			}
		}
	}
	t.Log(b.String())
}

// TestCompareTypeIError computes the exact rejection rate at α = 5% of Compare's pooled
// test when both samples come from the same population: the sum of the joint
// probabilities of the pairs of samples whose p-value is below 0.05. It must lie in
// [3.5%, 7%] for every population of the table and group sizes from 30 to 500, equal or
// not. The unpooled Wald z-test, computed beside it, rejects up to 11.5% (30 against 500
// answers at NPS 85). The pairs 100/500, 300/300 and 500/500 run only with -v.
func TestCompareTypeIError(t *testing.T) {
	pairs := [][2]int{{30, 30}, {30, 100}, {30, 300}, {30, 500}, {50, 50}, {100, 100}}
	switch {
	case testing.Verbose():
		pairs = append(pairs, [2]int{100, 500}, [2]int{300, 300}, [2]int{500, 500})
	case raceEnabled || testing.Short():
		pairs = [][2]int{{30, 30}, {30, 300}, {100, 100}}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-18s %9s %8s %8s", "NPS", "n", "pooled", "Wald")
	for _, tr := range truths {
		for _, pr := range pairs {
			sa, _ := samples(tr, pr[0])
			sb, _ := samples(tr, pr[1])
			var rej, rejWald float64
			for _, x := range sa {
				for _, y := range sb {
					if _, p := pooledTest(x.r, y.r); p < 0.05 {
						rej += x.prob * y.prob
					}
					v := x.v + y.v
					d := x.r.Score - y.r.Score
					if v > 0 && math.Abs(d)/math.Sqrt(v) > 1.959963984540054 || v == 0 && d != 0 {
						rejWald += x.prob * y.prob
					}
				}
			}
			fmt.Fprintf(&b, "\n%-18s %4d/%-4d %7.2f%% %7.2f%%", tr.name, pr[0], pr[1], 100*rej, 100*rejWald)
			if rej < 0.035 || rej > 0.07 {
				t.Errorf("NPS %s, n %v: type I error %.2f%%", tr.name, pr, 100*rej)
			}
		}
	}
	t.Log(b.String())
}

// TestWeightedCoverage simulates informative weights: a population in which a 10% stratum
// of mostly detractors (70% detractors, 20% passives, 10% promoters; the rest 15%, 35%,
// 50%: true NPS 25.5) is sampled at a fifth of the rate of the rest, with weights the
// inverse inclusion rates (5 and 1). The linearization variance must give 95% intervals
// that cover within 1.5 points of nominal at n >= 500; the Kish effective n, which assumes
// weights unrelated to the answers, is shown beside (it covers about 89% at n = 2,000).
func TestWeightedCoverage(t *testing.T) {
	reps := 4000 // Monte Carlo SE of a coverage ≈ 0.34 points
	ns := []int{500, 1000, 2000}
	if raceEnabled || testing.Short() {
		reps, ns = 1500, []int{500}
	}
	const trueNPS = 100 * (0.1*(0.1-0.7) + 0.9*(0.5-0.15))
	rng := rand.New(rand.NewPCG(7, 7))
	pA := 0.1 * 0.2 / (0.1*0.2 + 0.9) // chance that a drawn answer is from the stratum
	methods := []cxmetrics.Method{cxmetrics.Wald, cxmetrics.AdjustedWald, cxmetrics.Tango}
	for _, n := range ns {
		hits := make([]int, len(methods))
		kish := 0
		scores := make([]int, n)
		weights := make([]float64, n)
		for range reps {
			for i := range scores {
				probs := [3]float64{0.15, 0.35, 0.5}
				weights[i] = 1
				if rng.Float64() < pA {
					probs, weights[i] = [3]float64{0.7, 0.2, 0.1}, 5
				}
				switch u := rng.Float64(); {
				case u < probs[0]:
					scores[i] = 3
				case u < probs[0]+probs[1]:
					scores[i] = 8
				default:
					scores[i] = 10
				}
			}
			r, err := Compute(scores, weights)
			if err != nil {
				t.Fatal(err)
			}
			for k, m := range methods {
				iv, err := r.Interval(m, 0.95)
				if err != nil {
					t.Fatal(err)
				}
				if iv.Contains(trueNPS) {
					hits[k]++
				}
			}
			var w, w2 stats.Sum
			for _, x := range weights {
				w.Add(x)
				w2.Add(x * x)
			}
			se := 100 * math.Sqrt(r.UnitVariance()*w2.Value()/(w.Value()*w.Value()))
			if math.Abs(r.Score-trueNPS) <= 1.959963984540054*se {
				kish++
			}
		}
		line := fmt.Sprintf("n=%d:", n)
		for k, m := range methods {
			cov := 100 * float64(hits[k]) / float64(reps)
			line += fmt.Sprintf(" %v %.1f%%", m, cov)
			tol := 1.5
			if reps < 4000 {
				tol = 2
			}
			if math.Abs(cov-95) > tol {
				t.Errorf("n %d: %v covers %.1f%%", n, m, cov)
			}
		}
		t.Logf("%s; Wald with Kish's n_eff %.1f%%", line, 100*float64(kish)/float64(reps))
	}
}
