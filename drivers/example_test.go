package drivers_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics/drivers"
)

// Sixteen customers answered "How likely are you to recommend us?" (0-10) and rated the
// speed of service, the staff and the price on a 1-5 scale.
var (
	recommend = []float64{8, 10, 7, 9, 3, 6, 10, 7, 9, 7, 5, 8, 8, 4, 9, 3}
	speed     = []float64{4, 5, 3, 4, 2, 4, 5, 3, 5, 4, 2, 3, 4, 3, 4, 1}
	staff     = []float64{4, 5, 2, 3, 1, 2, 4, 3, 4, 4, 2, 3, 3, 1, 4, 1}
	price     = []float64{4, 5, 4, 3, 4, 5, 4, 3, 5, 4, 3, 4, 5, 4, 4, 3}
	names     = []string{"speed", "staff", "price"}
)

func ExampleCorrelations() {
	r, err := drivers.Correlations(recommend, [][]float64{speed, staff, price})
	if err != nil {
		fmt.Println(err)
		return
	}
	for j, v := range r {
		fmt.Printf("%-5s r = %.3f\n", names[j], v)
	}
	// Output:
	// speed r = 0.868
	// staff r = 0.904
	// price r = 0.358
}

func ExampleShapleyR2() {
	phi, err := drivers.ShapleyR2(recommend, [][]float64{speed, staff, price})
	if err != nil {
		fmt.Println(err)
		return
	}
	var r2 float64
	for j, v := range phi {
		fmt.Printf("%-5s %.3f\n", names[j], v)
		r2 += v
	}
	fmt.Printf("R²    %.3f\n", r2)
	// Output:
	// speed 0.395
	// staff 0.428
	// price 0.059
	// R²    0.882
}

func ExampleRelativeWeights() {
	eps, err := drivers.RelativeWeights(recommend, [][]float64{speed, staff, price})
	if err != nil {
		fmt.Println(err)
		return
	}
	var r2 float64
	for _, v := range eps {
		r2 += v
	}
	for j, v := range eps {
		fmt.Printf("%-5s %.3f (%.0f%% of R²)\n", names[j], v, 100*v/r2)
	}
	// Output:
	// speed 0.380 (43% of R²)
	// staff 0.446 (51% of R²)
	// price 0.056 (6% of R²)
}

func ExampleAnalyze() {
	a, err := drivers.Analyze(recommend, [][]float64{speed, staff, price},
		drivers.Options{Scale: drivers.FivePoint, Names: names})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("R² %.3f from %d respondents, condition number %.2f\n", a.R2, a.N, a.ConditionNumber)
	for _, d := range a.Drivers {
		fmt.Printf("%-5s Shapley %.3f  VIF %.2f  mean %.2f (%2.0f/100)  %v\n",
			d.Name, d.Shapley, d.VIF, d.Mean, d.NormalizedMean, d.Quadrant)
	}
	// Output:
	// R² 0.882 from 16 respondents, condition number 4.44
	// speed Shapley 0.395  VIF 5.25  mean 3.50 (62/100)  KeyStrength
	// staff Shapley 0.428  VIF 3.63  mean 2.88 (47/100)  KeyWeakness
	// price Shapley 0.059  VIF 1.92  mean 4.00 (75/100)  SecondaryStrength
}

// Missing answers are NaN. Listwise deletion (the default) keeps the respondents who
// answered everything; pairwise deletion keeps every pair of answers.
func ExampleAnalyze_missing() {
	staffGaps := append([]float64(nil), staff...)
	staffGaps[2], staffGaps[9] = math.NaN(), math.NaN()
	x := [][]float64{speed, staffGaps, price}
	for _, missing := range []drivers.Missing{drivers.Listwise, drivers.Pairwise} {
		a, err := drivers.Analyze(recommend, x, drivers.Options{Scale: drivers.FivePoint, Missing: missing, Names: names})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8v R² %.3f, %d complete, n %d; staff: Shapley %.3f from %d answers\n",
			missing, a.R2, a.Complete, a.N, a.Drivers[1].Shapley, a.Drivers[1].Answers)
	}
	// Output:
	// Listwise R² 0.944, 14 complete, n 14; staff: Shapley 0.484 from 14 answers
	// Pairwise R² 0.932, 14 complete, n 14; staff: Shapley 0.492 from 14 answers
}

// Cuts other than the medians: a driver is important when it explains at least its equal
// share of R², and performs well from 70/100.
func ExampleAnalysis_WithCuts() {
	a, err := drivers.Analyze(recommend, [][]float64{speed, staff, price},
		drivers.Options{Scale: drivers.FivePoint, Names: names})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := a.WithCuts(a.R2/3, 70)
	if err != nil {
		fmt.Println(err)
		return
	}
	for j, d := range b.Drivers {
		fmt.Printf("%-5s %-17v (medians: %v)\n", d.Name, d.Quadrant, a.Drivers[j].Quadrant)
	}
	// Output:
	// speed KeyWeakness       (medians: KeyStrength)
	// staff KeyWeakness       (medians: KeyWeakness)
	// price SecondaryStrength (medians: SecondaryStrength)
}

func ExampleBootstrap() {
	rng := rand.New(rand.NewPCG(1, 2))
	iv, err := drivers.Bootstrap(recommend, [][]float64{speed, staff, price},
		drivers.Options{Scale: drivers.FivePoint}, rng, 2000, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("R² %.2f [%.2f, %.2f], %d resamples, %d skipped\n", iv.R2.Estimate, iv.R2.Lower, iv.R2.Upper, iv.Resamples, iv.Skipped)
	for j, d := range iv.Drivers {
		fmt.Printf("%-5s Shapley %.2f [%.2f, %.2f]\n", names[j], d.Shapley.Estimate, d.Shapley.Lower, d.Shapley.Upper)
	}
	// Output:
	// R² 0.88 [0.75, 0.97], 2000 resamples, 0 skipped
	// speed Shapley 0.39 [0.28, 0.48]
	// staff Shapley 0.43 [0.31, 0.53]
	// price Shapley 0.06 [0.03, 0.16]
}
