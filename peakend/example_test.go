package peakend_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cxmetrics/cxmetrics/peakend"
)

// Two support journeys rated moment by moment on a valence scale from -5 (awful) to +5
// (delightful). The first is short and pleasant on average but ends with an abrupt close;
// the second has a long hold and two transfers, but the agent fixes the problem and follows
// up. By the mean the first is better; by the peak-end rule customers remember the second
// as better.
func ExampleRemembered() {
	chat := []peakend.Moment{
		{Value: 2, Duration: 2 * time.Minute},  // friendly greeting
		{Value: 1, Duration: 5 * time.Minute},  // troubleshooting
		{Value: -3, Duration: 1 * time.Minute}, // closed without a fix
	}
	phone := []peakend.Moment{
		{Value: -1, Duration: 15 * time.Minute}, // on hold
		{Value: -4, Duration: 5 * time.Minute},  // transferred twice
		{Value: 1, Duration: 20 * time.Minute},  // problem fixed
		{Value: 4, Duration: 2 * time.Minute},   // agent follows up
	}
	for _, j := range []struct {
		name    string
		moments []peakend.Moment
	}{{"chat", chat}, {"phone", phone}} {
		remembered, err := peakend.Remembered(peakend.Classic, j.moments)
		if err != nil {
			fmt.Println(err)
			return
		}
		mean, err := peakend.Mean(j.moments)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-5s remembered %+.2f, mean %+.2f\n", j.name, remembered, mean)
	}
	// Output:
	// chat  remembered -3.00, mean +0.75
	// phone remembered +0.00, mean -0.17
}

// A rule of one's own: the worst moment on a 1–5 satisfaction scale weighs twice as much
// as the end, and the end is the last three ratings, as in Redelmeier & Kahneman (1996).
func ExampleRule() {
	rule := peakend.Rule{Peak: peakend.Lowest, EndWindow: 3, PeakWeight: 2, EndWeight: 1}
	moments := []peakend.Moment{{Value: 4}, {Value: 1}, {Value: 3}, {Value: 4}, {Value: 5}}
	remembered, err := peakend.Remembered(rule, moments)
	if err != nil {
		fmt.Println(err)
		return
	}
	// (2·1 + 1·(3+4+5)/3) / 3 = 2
	fmt.Printf("%.2f\n", remembered)
	// Output: 2.00
}

func ExampleSummarize() {
	// Effort (1 easy – 7 hard) at each step of an online return.
	moments := []peakend.Moment{
		{Value: 2, Duration: 30 * time.Second},
		{Value: 6, Duration: 3 * time.Minute},
		{Value: 4, Duration: time.Minute},
		{Value: 3, Duration: 30 * time.Second},
	}
	s, err := peakend.Summarize(moments)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("peak %g at step %d, trough %g, end %g\n", s.Peak, s.PeakIndex, s.Trough, s.End)
	fmt.Printf("mean %.2f over %v, trend %+.4f per second\n", s.Mean, s.Duration, s.Slope)
	// Output:
	// peak 6 at step 1, trough 2, end 3
	// mean 4.90 over 5m0s, trend -0.0039 per second
}

// Fitting the weights to survey ratings: each customer's effort was logged at every step
// of a journey, and afterwards they answered a survey on the whole journey. Fit shows how
// much the worst step, the last step, the average and the length each weigh, and whether
// peak and end explain the answers better than the average alone. The ratings here are
// simulated from known weights (peak 0.5, end 0.3, mean 0.1) so the output can be checked.
func ExampleFit() {
	rng := rand.New(rand.NewPCG(1, 1))
	var journeys [][]peakend.Moment
	var ratings []float64
	for range 300 {
		steps := make([]peakend.Moment, 2+rng.IntN(8))
		for i := range steps {
			steps[i] = peakend.Moment{Value: float64(1 + rng.IntN(7)), Duration: time.Duration(1+rng.IntN(10)) * time.Minute}
		}
		s, _ := peakend.Summarize(steps)
		journeys = append(journeys, steps)
		ratings = append(ratings, 0.5*s.Peak+0.3*s.End+0.1*s.Mean+0.3*rng.NormFloat64())
	}

	m, err := peakend.Fit(journeys, ratings)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("peak     %.2f ± %.2f\n", m.Peak, m.StdErr[1])
	fmt.Printf("end      %.2f ± %.2f\n", m.End, m.StdErr[2])
	fmt.Printf("mean     %.2f ± %.2f\n", m.Mean, m.StdErr[3])
	fmt.Printf("duration %.4f ± %.4f per minute\n", 60*m.Duration, 60*m.StdErr[4])
	fmt.Printf("R² %.2f, mean alone %.2f\n", m.R2, m.MeanOnlyR2)

	predicted, err := m.Predict([]peakend.Moment{{Value: 2, Duration: time.Minute}, {Value: 7, Duration: time.Minute}, {Value: 3, Duration: time.Minute}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("predicted rating %.1f\n", predicted)
	// Output:
	// peak     0.46 ± 0.02
	// end      0.30 ± 0.01
	// mean     0.13 ± 0.02
	// duration -0.0007 ± 0.0014 per minute
	// R² 0.92, mean alone 0.45
	// predicted rating 4.8
}
