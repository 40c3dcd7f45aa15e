package segment

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type shrinkRef struct {
	mu, muSE, tau2, q   float64
	pred, se, lo, hi, b []float64
}

func checkShrink(t *testing.T, name string, got Shrinkage, want shrinkRef, tol float64) {
	t.Helper()
	near(t, want.mu, got.Mean, tol, "%s mean", name)
	near(t, want.muSE, got.MeanStdErr, tol, "%s mean SE", name)
	near(t, math.Sqrt(want.tau2), got.BetweenSD, tol, "%s tau", name)
	near(t, want.q, got.Q, tol, "%s Q", name)
	require.Len(t, got.Segments, len(want.pred))
	for i, s := range got.Segments {
		near(t, want.pred[i], s.Score, tol, "%s pred[%d]", name, i)
		near(t, want.se[i], s.StdErr, tol, "%s se[%d]", name, i)
		near(t, want.lo[i], s.Interval.Lower, tol, "%s pi.lb[%d]", name, i)
		near(t, want.hi[i], s.Interval.Upper, tol, "%s pi.ub[%d]", name, i)
		near(t, want.b[i], s.Shrinkage, tol, "%s B[%d]", name, i)
	}
}

// The BCG vaccine trials (Colditz et al. 1994, metafor's dat.bcg), log relative risks:
// metafor's documented DerSimonian-Laird fit (Viechtbauer 2010, "Conducting meta-analyses
// in R with the metafor package", Journal of Statistical Software 36(3)) prints
// μ̂ = -0.7141 (SE 0.1787) and τ̂² = 0.3088, which the first check takes to its 4 decimals
// (tolerance 5e-5). The full values are from R 4.2.2 with metafor 3.8.1 (shrink.R),
// tolerance 1e-10:
//
//	dat <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
//	fit <- rma(yi, sei = sqrt(vi), data = dat, method = "DL"); b <- blup(fit)
//	fit$beta, fit$se, fit$tau2, fit$QE, b$pred, b$se, b$pi.lb, b$pi.ub, vi/(vi + fit$tau2)
func TestShrinkBCG(t *testing.T) {
	counts := [][4]float64{{4, 119, 11, 128}, {6, 300, 29, 274}, {3, 228, 11, 209}, {62, 13536, 248, 12619},
		{33, 5036, 47, 5761}, {180, 1361, 372, 1079}, {8, 2537, 10, 619}, {505, 87886, 499, 87892},
		{29, 7470, 45, 7232}, {17, 1699, 65, 1600}, {186, 50448, 141, 27197}, {5, 2493, 3, 2338},
		{27, 16886, 29, 17825}}
	// escalc's yi, to check the data typed above.
	wantY := []float64{-0.889311333920205, -1.58538865720143, -1.34807314829969, -1.44155119002131,
		-0.217547322211296, -0.786115585818864, -1.62089822359839, 0.0119523335238405, -0.469417648738149,
		-1.37134480347278, -0.339358828338391, 0.445913400571379, -0.0173139482168798}
	segs := make([]Segment, len(counts))
	for i, c := range counts {
		a, b, cc, d := c[0], c[1], c[2], c[3]
		y := math.Log(a / (a + b) / (cc / (cc + d)))
		v := 1/a - 1/(a+b) + 1/cc - 1/(cc+d)
		near(t, wantY[i], y, 1e-13, "yi[%d]", i)
		segs[i] = named([]float64{y}, []float64{math.Sqrt(v)}, []int{int(a + b + cc + d)})[0]
		segs[i].Name = string(rune('A' + i))
	}
	got, err := Shrink(0.95, segs)
	require.NoError(t, err)
	assert.InDelta(t, -0.7141, got.Mean, 5e-5)
	assert.InDelta(t, 0.1787, got.MeanStdErr, 5e-5)
	assert.InDelta(t, 0.3088, got.BetweenSD*got.BetweenSD, 5e-5)
	checkShrink(t, "BCG", got, shrinkRef{
		mu: -0.714117222073227, muSE: 0.178742089535403, tau2: 0.308760262862376, q: 152.233008082373,
		pred: []float64{-0.799390973185865, -1.24857356869349, -0.984429013264139, -1.39727718735984,
			-0.288190429509607, -0.784540524151126, -1.24061173320939, 0.0027544402767305, -0.507231548538177,
			-1.2456355655797, -0.353841954092282, -0.28836447090031, -0.14819135874476},
		se: []float64{0.408523174355307, 0.352327547458528, 0.43315168803724, 0.13751547182167, 0.2111196285801,
			0.0822790287084301, 0.367569392907762, 0.0625821132267793, 0.220173254656016, 0.245409940049602,
			0.10945429074836, 0.456333514976548, 0.243146346247858},
		lo: []float64{-1.60008168177224, -1.93912287247353, -1.83339072165986, -1.66680255944735,
			-0.701977297956075, -0.945804457102586, -1.96103450512786, -0.119904247724165, -0.938763198022935,
			-1.72663020952505, -0.568368421912444, -1.18276172519291, -0.624749440363067},
		hi: []float64{0.00129973540051398, -0.558024264913449, -0.135467304868419, -1.12775181527233,
			0.125596438936862, -0.623276591199666, -0.520188961290924, 0.125413128277626, -0.075699899053419,
			-0.764640921634342, -0.139315486272121, 0.606032783392294, 0.328366722873547},
		b: []float64{0.513261317896804, 0.386578825987081, 0.573611066624293, 0.0608632599139571,
			0.142262161516341, 0.0218763536530128, 0.419380743254851, 0.0126680607611296, 0.154531940062876,
			0.191272006000406, 0.0386465680182724, 0.632981455090989, 0.187825481650739},
	}, 1e-10)
}

// Regional NPS (shrink.R): the same R calls on y and se directly, and τ̂² also by hand,
//
//	w <- 1/se^2; yb <- sum(w*y)/sum(w); Q <- sum(w*(y-yb)^2)
//	max(0, (Q - (length(y)-1))/(sum(w) - sum(w^2)/sum(w)))     # 32.4739472051989
//
// tolerance 1e-10. The region at 75 with SE 14.5 drops to 44.1; the one at 12.5 with SE 21
// rises to 37.5.
func TestShrinkRegions(t *testing.T) {
	segs := named([]float64{42.0, 35.5, 75.0, 28.3, 39.1, 12.5, 47.8}, []float64{3.1, 4.2, 14.5, 5.0, 2.2, 21.0, 6.3},
		[]int{600, 300, 12, 200, 1000, 9, 150})
	got, err := Shrink(0.95, segs)
	require.NoError(t, err)
	checkShrink(t, "regions", got, shrinkRef{
		mu: 39.2985593798223, muSE: 3.04283740790484, tau2: 32.4739472051989, q: 15.9167409849665,
		pred: []float64{41.3831176473698, 36.8370846081171, 44.0750419279948, 33.0841499995442, 39.1257551792378,
			37.4605384969149, 43.1242277995771},
		se: []float64{2.81039698129519, 3.54654113314631, 5.9225316381311, 3.98463947711632, 2.08997140395697,
			6.18700401596071, 4.54547851129621},
		lo: []float64{35.8748407817712, 29.8859917174605, 32.4670932199589, 25.2744001330197, 35.0294864987635,
			25.3342334534272, 34.2152536249358},
		hi: []float64{46.8913945129685, 43.7881774987737, 55.6829906360308, 40.8938998660687, 43.2220238597121,
			49.5868435404026, 52.0332019742184},
		b: []float64{0.228353104644443, 0.35199781665113, 0.866210369520131, 0.434979694551736, 0.129710211931844,
			0.931413444399877, 0.549997630910364},
	}, 1e-10)
}

// Segments that differ by less than their standard errors allow: τ̂² = 0, every B is 1 and
// every segment is estimated by the precision-weighted mean (R: rma(..., method = "DL")
// prints tau2 0 and the same pred and se for all four; shrink.R).
func TestShrinkHomogeneous(t *testing.T) {
	got, err := Shrink(0.95, named([]float64{40, 41, 39.5, 40.5}, []float64{3, 4, 5, 2}, []int{100, 60, 40, 250}))
	require.NoError(t, err)
	n := 4
	ref := shrinkRef{mu: 40.3612941881366, muSE: 1.46866613894419, tau2: 0, q: 0.074483223487118}
	for range n {
		ref.pred = append(ref.pred, 40.3612941881366)
		ref.se = append(ref.se, 1.46866613894419)
		ref.lo = append(ref.lo, 37.4827614504925)
		ref.hi = append(ref.hi, 43.2398269257807)
		ref.b = append(ref.b, 1)
	}
	checkShrink(t, "homogeneous", got, ref, 1e-10)
	assert.Equal(t, 0.0, got.BetweenSD)
}

// A closed form: two segments with equal standard errors s have Q = (y₁-y₂)²/(2s²) and
// Σw - Σw²/Σw = 1/s², so τ̂² = (y₁-y₂)²/2 - s², and both move towards the mean by
// B = s²/(s² + τ̂²).
func TestShrinkTwoEqual(t *testing.T) {
	y1, y2, s := 50.0, 30.0, 5.0
	got, err := Shrink(0.95, named([]float64{y1, y2}, []float64{s, s}, []int{50, 50}))
	require.NoError(t, err)
	tau2 := (y1-y2)*(y1-y2)/2 - s*s
	b := s * s / (s*s + tau2)
	mu := (y1 + y2) / 2
	near(t, tau2, got.BetweenSD*got.BetweenSD, 1e-13, "tau2")
	near(t, mu, got.Mean, 1e-14, "mean")
	near(t, math.Sqrt((s*s+tau2)/2), got.MeanStdErr, 1e-14, "mean SE")
	near(t, mu+(1-b)*(y1-mu), got.Segments[0].Score, 1e-14, "shrunk 1")
	near(t, mu+(1-b)*(y2-mu), got.Segments[1].Score, 1e-14, "shrunk 2")
	near(t, math.Sqrt((1-b)*s*s+b*b*(s*s+tau2)/2), got.Segments[0].StdErr, 1e-14, "SE 1")
	near(t, b, got.Segments[1].Shrinkage, 1e-14, "B")
}

// A segment whose answers are all alike is shrunk like any segment of its size (package
// documentation, "Answers all alike"): 8 answers at NPS 100 get the standard error of 8
// answers at the others' pooled variance, and most of the way to the mean.
func TestShrinkAllAlike(t *testing.T) {
	segs := named([]float64{100, 45, 38, 52}, []float64{0, 3.5, 4.0, 5.1}, []int{8, 400, 300, 180})
	got, err := Shrink(0.95, segs)
	require.NoError(t, err)
	u := (400*400*3.5*3.5 + 300*300*4.0*4.0 + 180*180*5.1*5.1) / 880
	s := got.Segments[0]
	near(t, math.Sqrt(u/8), s.SamplingStdErr, 1e-14, "imputed SE")
	assert.Greater(t, s.Shrinkage, 0.9)
	assert.Less(t, s.Score, 52.0)
}
