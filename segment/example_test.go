package segment_test

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/nps"
	"github.com/cxmetrics/cxmetrics/segment"
)

// repeat expands {rating, count} pairs into answers.
func repeat(pairs ...[2]int) []int {
	var s []int
	for _, p := range pairs {
		for range p[1] {
			s = append(s, p[0])
		}
	}
	return s
}

// regions scores six regions' NPS answers (detractors, passives and promoters per region).
func regions() []segment.Segment {
	counts := []struct {
		name       string
		d, pa, pro int
	}{
		{"North", 120, 110, 170}, {"South", 60, 80, 110}, {"East", 50, 60, 70},
		{"West", 60, 100, 160}, {"Islands", 1, 2, 9}, {"Online", 150, 200, 250},
	}
	var segs []segment.Segment
	for _, c := range counts {
		r, err := nps.Compute(repeat([2]int{3, c.d}, [2]int{8, c.pa}, [2]int{10, c.pro}), nil)
		if err != nil {
			panic(err)
		}
		segs = append(segs, segment.Segment{Name: c.name, Estimate: r.Estimate()})
	}
	return segs
}

func ExampleAllPairs() {
	// Of the 15 pairs, seven have an unadjusted p below 0.05; Holm keeps three at 5%, BH
	// all seven. Four involve Islands, whose 12 answers make its tests unreliable: Small
	// marks it.
	segs := regions()
	pairs, err := segment.AllPairs(0.95, segs)
	if err != nil {
		fmt.Println(err)
		return
	}
	small, err := segment.Small(segment.DefaultMinN, segs)
	if err != nil {
		fmt.Println(err)
		return
	}
	mark := func(i int) string {
		if small[i] {
			return segs[i].Name + "*"
		}
		return segs[i].Name
	}
	fmt.Println("pairs with unadjusted p < 0.05 (* fewer than 30 answers)")
	fmt.Println("pair                diff      p   Holm     BH")
	for _, p := range pairs {
		if p.P < 0.05 {
			fmt.Printf("%-8s - %-8s %6.1f %6.3f %6.3f %6.3f\n", mark(p.A), mark(p.B), p.Difference, p.P, p.PHolm, p.PBH)
		}
	}
	// Output:
	// pairs with unadjusted p < 0.05 (* fewer than 30 answers)
	// pair                diff      p   Holm     BH
	// North    - West      -18.8  0.002  0.027  0.017
	// North    - Islands*  -54.2  0.003  0.047  0.017
	// South    - Islands*  -46.7  0.013  0.113  0.027
	// East     - West      -20.1  0.007  0.075  0.017
	// East     - Islands*  -55.6  0.003  0.047  0.017
	// West     - Online     14.6  0.007  0.075  0.017
	// Islands* - Online     50.0  0.006  0.075  0.017
}

func ExampleEachVsRest() {
	// CES 2.0 (1-7, high is easy) by channel.
	channels := []struct {
		name    string
		answers []int
	}{
		{"phone", repeat([2]int{2, 20}, [2]int{4, 40}, [2]int{5, 60}, [2]int{6, 50}, [2]int{7, 30})},
		{"chat", repeat([2]int{3, 10}, [2]int{5, 40}, [2]int{6, 70}, [2]int{7, 80})},
		{"email", repeat([2]int{1, 15}, [2]int{3, 30}, [2]int{4, 30}, [2]int{5, 25})},
	}
	var segs []segment.Segment
	for _, c := range channels {
		r, err := ces.Compute(c.answers, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		segs = append(segs, segment.Segment{Name: c.name, Estimate: r.Estimate()})
	}
	rows, err := segment.EachVsRest(0.95, segs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Printf("%-5s %.2f vs rest %.2f: %+.2f [%+.2f, %+.2f], Holm p %.2g\n", segs[r.Segment].Name,
			segs[r.Segment].Estimate.Score, r.Rest.Score, r.Difference, r.Interval.Lower, r.Interval.Upper, r.PHolm)
	}
	// Output:
	// phone 5.05 vs rest 5.20: -0.15 [-0.38, +0.08], Holm p 0.2
	// chat  6.05 vs rest 4.53: +1.52 [+1.31, +1.73], Holm p 3e-45
	// email 3.50 vs rest 5.55: -2.05 [-2.33, -1.77], Holm p 3.6e-46
}

func ExampleTrend() {
	// Monthly CSAT (1-5, satisfied 4-5).
	months := []struct {
		name                 string
		unhappy, neutral, ok int
	}{
		{"2026-01", 40, 30, 130}, {"2026-02", 35, 35, 150}, {"2026-03", 38, 25, 160},
		{"2026-04", 30, 30, 170}, {"2026-05", 28, 22, 180}, {"2026-06", 25, 25, 190},
	}
	var periods []segment.Segment
	for _, m := range months {
		r, err := csat.Compute(repeat([2]int{2, m.unhappy}, [2]int{3, m.neutral}, [2]int{5, m.ok}), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		periods = append(periods, segment.Segment{Name: m.name, Estimate: r.Estimate()})
	}
	tr, err := segment.Trend(0.95, periods)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range tr.Changes {
		fmt.Printf("%s CSAT %.1f: %+.1f on the month (p %.2f), %+.1f since %s (p %.3f)\n",
			periods[c.Period].Name, periods[c.Period].Estimate.Score, c.FromPrevious.Difference, c.FromPrevious.P,
			c.FromFirst.Difference, periods[0].Name, c.FromFirst.P)
	}
	l := tr.Linear
	fmt.Printf("trend %+.2f points a month [%+.2f, %+.2f], p %.2g; dispersion %.2f\n",
		l.Slope, l.Interval.Lower, l.Interval.Upper, l.P, l.Dispersion)
	// Output:
	// 2026-02 CSAT 68.2: +3.2 on the month (p 0.49), +3.2 since 2026-01 (p 0.490)
	// 2026-03 CSAT 71.7: +3.6 on the month (p 0.41), +6.7 since 2026-01 (p 0.136)
	// 2026-04 CSAT 73.9: +2.2 on the month (p 0.60), +8.9 since 2026-01 (p 0.045)
	// 2026-05 CSAT 78.3: +4.3 on the month (p 0.27), +13.3 since 2026-01 (p 0.002)
	// 2026-06 CSAT 79.2: +0.9 on the month (p 0.81), +14.2 since 2026-01 (p 0.001)
	// trend +2.92 points a month [+1.53, +4.31], p 3.8e-05; dispersion 1.00
}

func ExampleShrink() {
	// Islands leads the raw table with 12 answers; shrunk, it falls behind West, whose
	// 320 answers hold its score close to where it was.
	segs := regions()
	sh, err := segment.Shrink(0.95, segs)
	if err != nil {
		fmt.Println(err)
		return
	}
	order := make([]int, len(segs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(sh.Segments[b].Score, sh.Segments[a].Score) })
	fmt.Printf("mean %.1f, between-region SD %.1f\n", sh.Mean, sh.BetweenSD)
	fmt.Println("region     n    NPS  shrunk      B")
	for _, i := range order {
		s := sh.Segments[i]
		fmt.Printf("%-7s %4d %6.1f %7.1f %6.2f\n", segs[i].Name, segs[i].Estimate.N, segs[i].Estimate.Score, s.Score, s.Shrinkage)
	}
	// Output:
	// mean 20.6, between-region SD 8.4
	// region     n    NPS  shrunk      B
	// West     320   31.2    29.0   0.21
	// Islands   12   66.7    28.8   0.82
	// South    250   20.0    20.2   0.27
	// Online   600   16.7    17.2   0.13
	// East     180   11.1    14.4   0.34
	// North    400   12.5    14.1   0.20
}

func ExampleSmall() {
	segs := regions()
	small, err := segment.Small(segment.DefaultMinN, segs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, s := range segs {
		if small[i] {
			fmt.Printf("%s: %d answers, too few to compare\n", s.Name, s.Estimate.N)
		}
	}
	// Output:
	// Islands: 12 answers, too few to compare
}

func ExampleAdjustHolm() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	holm, err := segment.AdjustHolm(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4g\n", holm)
	// Output:
	// [0.03 0.06 0.06 0.02]
}

func ExampleAdjustBH() {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	bh, err := segment.AdjustBH(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4g\n", bh)
	// Output:
	// [0.02 0.04 0.04 0.02]
}
