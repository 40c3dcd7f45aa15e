package drivers_test

import (
	"math"
	"testing"

	"github.com/cxmetrics/cxmetrics/drivers"
	"gonum.org/v1/gonum/floats/scalar"
)

// reference is one data set with the values R gives for it.
type reference struct {
	name        string
	y           []float64
	x           [][]float64
	r2          float64   // summary(lm(y ~ X))$r.squared
	corr        []float64 // cor(cbind(y, X))[1, -1]
	weights     []float64 // Johnson's ε from cor(cbind(y, X)) (rw_from_cor below)
	lmg         []float64 // LMG from the R² of lm on all 2^k subsets (lmg below)
	vif         []float64 // car::vif(lm(y ~ ., data.frame(y, X)))
	condition   float64   // sqrt(kappa(cor(X), exact = TRUE))
	tol         float64
	description string
}

// The reference values were computed in R 4.x (car 3.x) by this script, which fits every
// subset with lm and so shares no code or algorithm with the package (options(digits = 15)):
//
//	rw_from_cor <- function(R) { rxx <- R[-1,-1]; rxy <- R[-1,1]; e <- eigen(rxx, symmetric=TRUE)
//	  L <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors); b <- solve(L, rxy); as.vector((L^2) %*% b^2) }
//	lm_r2 <- function(y, X) function(S) if (length(S)==0) 0 else summary(lm(y ~ X[,S,drop=FALSE]))$r.squared
//	lmg <- function(r2fun, k) { phi <- numeric(k); for (j in 1:k) { others <- setdiff(1:k, j)
//	  for (m in 0:(k-1)) for (S in (if (m == 0) list(integer(0)) else combn(others, m, simplify=FALSE)))
//	    phi[j] <- phi[j] + (r2fun(c(S,j)) - r2fun(S)) / (k*choose(k-1,m)) }; phi }
//
// R prints 15 significant digits, so the tolerance is 1e-12 (absolute or relative).
var references = []reference{
	{
		name: "mtcars", description: "lm(mpg ~ cyl + disp + hp + gear, mtcars)",
		y: mtcarsMpg, x: [][]float64{mtcarsCyl, mtcarsDisp, mtcarsHp, mtcarsGear},
		r2:        0.779189638983056,
		corr:      []float64{-0.852161959426613, -0.847551379262479, -0.776168371826586, 0.480284757338842},
		weights:   []float64{0.228479725928216, 0.222146870540001, 0.232174439299447, 0.096388603215391},
		lmg:       []float64{0.2470520332352080, 0.2434995947956402, 0.2109128995442741, 0.0777251114079334},
		vif:       []float64{7.74651506767074, 7.32079012034313, 6.21736149225818, 2.68524523364590},
		condition: 5.93344604351334,
		tol:       1e-12,
	},
	{
		name: "swiss", description: "lm(Fertility ~ ., swiss)",
		y: swissFertility, x: [][]float64{swissAgriculture, swissExamination, swissEducation, swissCatholic, swissInfantMortality},
		r2:        0.706735001592726,
		corr:      []float64{0.353079183619975, -0.645882706457288, -0.663788857035069, 0.463684700651794, 0.416556031434983},
		weights:   []float64{0.0484168958119007, 0.1547082498061600, 0.2719641046459991, 0.1146800299475615, 0.1169657213811046},
		lmg:       []float64{0.0570912207680913, 0.1711730289002341, 0.2601346786243844, 0.1055701503734935, 0.1127659229265220},
		vif:       []float64{2.28412937759730, 3.67541957554434, 2.77494278112695, 1.93716038026313, 1.10754222555695},
		condition: 3.98971710672254,
		tol:       1e-12,
	},
	{
		name: "airquality", description: "lm(Ozone ~ Solar.R + Wind + Temp, airquality), 111 complete cases (na.omit)",
		y: airOzone, x: [][]float64{airSolar, airWind, airTemp},
		r2:        0.605894600006622,
		corr:      []float64{0.348341692993603, -0.612496576314212, 0.698541409648639},
		weights:   []float64{0.0668928800953793, 0.2293482649489264, 0.3096534549623169},
		lmg:       []float64{0.0647358863315347, 0.2271715597261578, 0.3139871539489300},
		vif:       []float64{1.09525281942970, 1.32907003667902, 1.43136689513471},
		condition: 1.86470752773734,
		tol:       1e-12,
	},
}

func near(got, want, tol float64) bool { return scalar.EqualWithinAbsOrRel(got, want, tol, tol) }

func checkAll(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for j := range want {
		if !near(got[j], want[j], tol) {
			t.Errorf("%s[%d] = %.15g, want %.15g", what, j, got[j], want[j])
		}
	}
}

// wide allows values rated on any range, for the reference data sets.
var wide = drivers.Scale{Min: -1e6, Max: 1e6, TopBoxMin: 0}

func TestReferenceR(t *testing.T) {
	for _, ref := range references {
		t.Run(ref.name, func(t *testing.T) {
			a, err := drivers.Analyze(ref.y, ref.x, drivers.Options{Scale: wide})
			if err != nil {
				t.Fatal(err)
			}
			if !near(a.R2, ref.r2, ref.tol) {
				t.Errorf("R² = %.15g, want %.15g (%s)", a.R2, ref.r2, ref.description)
			}
			if !near(a.ConditionNumber, ref.condition, ref.tol) {
				t.Errorf("condition number = %.15g, want %.15g", a.ConditionNumber, ref.condition)
			}
			var corr, weights, lmg, vif []float64
			for _, d := range a.Drivers {
				corr = append(corr, d.Correlation)
				weights = append(weights, d.RelativeWeight)
				lmg = append(lmg, d.Shapley)
				vif = append(vif, d.VIF)
			}
			checkAll(t, "correlation", corr, ref.corr, ref.tol)
			checkAll(t, "relative weight", weights, ref.weights, ref.tol)
			checkAll(t, "LMG", lmg, ref.lmg, ref.tol)
			checkAll(t, "VIF", vif, ref.vif, ref.tol)
		})
	}
}

// The functions without options take complete data, so airquality (with NA) is for Analyze
// only.
func TestFunctionsAgainstR(t *testing.T) {
	for _, ref := range references[:2] {
		got, err := drivers.Correlations(ref.y, ref.x)
		if err != nil {
			t.Fatal(err)
		}
		checkAll(t, ref.name+" Correlations", got, ref.corr, ref.tol)
		if got, err = drivers.RelativeWeights(ref.y, ref.x); err != nil {
			t.Fatal(err)
		}
		checkAll(t, ref.name+" RelativeWeights", got, ref.weights, ref.tol)
		if got, err = drivers.ShapleyR2(ref.y, ref.x); err != nil {
			t.Fatal(err)
		}
		checkAll(t, ref.name+" ShapleyR2", got, ref.lmg, ref.tol)
	}
}

// TestRelativeWeightsPublished checks the worked example of the R package rwa (Chan,
// README "Basic example": rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp",
// "gear"))), whose printed raw relative weights and R² carry 7 significant digits:
//
//	$rsquare 0.7791896
//	cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886
//
// rwa implements Johnson (2000) as Tonidandel & LeBreton (2015) describe it, independently
// of this package.
func TestRelativeWeightsPublished(t *testing.T) {
	got, err := drivers.RelativeWeights(mtcarsMpg, [][]float64{mtcarsCyl, mtcarsDisp, mtcarsHp, mtcarsGear})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.2284797, 0.2221469, 0.2321744, 0.0963886}
	var sum float64
	for j := range want {
		if math.Abs(got[j]-want[j]) > 5e-8 {
			t.Errorf("weight %d = %.9f, want %.7f", j, got[j], want[j])
		}
		sum += got[j]
	}
	if math.Abs(sum-0.7791896) > 5e-8 {
		t.Errorf("sum %.9f, want R² 0.7791896", sum)
	}
}

// TestPairwiseAgainstR checks pairwise deletion on airquality against R:
//
//	R <- cor(airquality[, c("Ozone", "Solar.R", "Wind", "Temp")], use = "pairwise.complete.obs")
//	r2_from_cor <- function(R, S) { rxx <- R[-1,-1][S,S,drop=FALSE]; rxy <- R[-1,1][S]; sum(rxy*solve(rxx, rxy)) }
//	r2_from_cor(R, 1:3); rw_from_cor(R); lmg(function(S) r2_from_cor(R, S), 3)
//	diag(solve(R[-1,-1])); sqrt(kappa(R[-1,-1], exact = TRUE)); crossprod(!is.na(airquality[, 1:4]))
//
// (rw_from_cor and lmg as in references). The fewest respondents behind one correlation
// are the 111 who gave both ozone and solar radiation.
func TestPairwiseAgainstR(t *testing.T) {
	a, err := drivers.Analyze(airOzone, [][]float64{airSolar, airWind, airTemp}, drivers.Options{Scale: wide, Missing: drivers.Pairwise})
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-12
	if !near(a.R2, 0.623625837846236, tol) || !near(a.ConditionNumber, 1.78638726563995, tol) {
		t.Errorf("R² %.15g, condition %.15g", a.R2, a.ConditionNumber)
	}
	if a.N != 111 || a.Complete != 111 || a.Respondents != 153 {
		t.Errorf("N %d, Complete %d, Respondents %d", a.N, a.Complete, a.Respondents)
	}
	var corr, weights, lmg, vif []float64
	answers := []int{146, 153, 153}
	for j, d := range a.Drivers {
		corr = append(corr, d.Correlation)
		weights = append(weights, d.RelativeWeight)
		lmg = append(lmg, d.Shapley)
		vif = append(vif, d.VIF)
		if d.Answers != answers[j] {
			t.Errorf("driver %d: %d answers, want %d", j, d.Answers, answers[j])
		}
	}
	checkAll(t, "correlation", corr, []float64{0.3483416929936027, -0.6015465298889502, 0.6983603421509319}, tol)
	checkAll(t, "relative weight", weights, []float64{0.0754449865505121, 0.2331404506975454, 0.3150404005981780}, tol)
	checkAll(t, "LMG", lmg, []float64{0.0731576228145486, 0.2305063489643679, 0.3199618660673194}, tol)
	checkAll(t, "VIF", vif, []float64{1.08957053493477, 1.27386414507251, 1.37432500141268}, tol)
}
