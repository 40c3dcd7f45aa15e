package journey

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

func TestStageString(t *testing.T) {
	want := []string{"Awareness", "Consideration", "Purchase", "Retention", "Advocacy"}
	for i, s := range Stages() {
		if int(s) != i || s.String() != want[i] {
			t.Errorf("stage %d: %d %q, want %q", i, int(s), s, want[i])
		}
		for _, name := range []string{want[i], strings.ToLower(want[i]), " " + strings.ToUpper(want[i]) + "\t"} {
			got, err := ParseStage(name)
			if err != nil || got != s {
				t.Errorf("ParseStage(%q) = %v, %v; want %v", name, got, err, s)
			}
		}
	}
	if got := Stage(7).String(); got != "Stage(7)" {
		t.Errorf("Stage(7).String() = %q", got)
	}
	if got := Stage(-1).Question(); got != "" {
		t.Errorf("Stage(-1).Question() = %q", got)
	}
	if Stage(5).Metrics() != nil {
		t.Error("Stage(5).Metrics() is not nil")
	}
	for _, bad := range []string{"", "aware", "Loyalty", "Stage(1)"} {
		_, err := ParseStage(bad)
		var ie *cxmetrics.InputError
		if !errors.Is(err, cxmetrics.ErrUnknownLabel) || !errors.As(err, &ie) || ie.What != "stage" {
			t.Errorf("ParseStage(%q): error %v, want an InputError wrapping ErrUnknownLabel", bad, err)
		}
	}
}

func TestStageQuestions(t *testing.T) {
	// The key questions of the journey framework, word for word.
	want := map[Stage]string{
		Awareness:     "Do customers know the brand, its products and their features?",
		Consideration: "When they decide to buy, do they think of us?",
		Purchase:      "Once they start buying, do they finish?",
		Retention:     "Do customers come back to buy again?",
		Advocacy:      "Are customers willing to recommend us?",
	}
	for _, s := range Stages() {
		if got := s.Question(); got != want[s] {
			t.Errorf("%v: %q, want %q", s, got, want[s])
		}
	}
}

func TestStageJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Stage{"s": Retention})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"s":"Retention"}` {
		t.Errorf("got %s", b)
	}
	var back map[string]Stage
	if err := json.Unmarshal(b, &back); err != nil || back["s"] != Retention {
		t.Errorf("round trip: %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"s":"Delight"}`), &back); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("unknown stage: %v", err)
	}
	if _, err := json.Marshal(Stage(9)); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
		t.Errorf("marshal Stage(9): %v", err)
	}
}

// formulaFuncs maps the name of every formula in this package to the function itself, so
// that the compiler checks that each one exists.
var formulaFuncs = map[string]any{
	"ShareOfVoice":          ShareOfVoice,
	"TotalSiteVisits":       TotalSiteVisits,
	"OrganicKeywordTraffic": OrganicKeywordTraffic,
	"RetailVisitsPerStore":  RetailVisitsPerStore,
	"CartAbandonmentRate":   CartAbandonmentRate,
	"StoreVisitConversion":  StoreVisitConversion,
	"CustomerLifetimeValue": CustomerLifetimeValue,
	"RepeatPurchaseRate":    RepeatPurchaseRate,
	"AverageOrderValue":     AverageOrderValue,
	"TicketsPerCustomer":    TicketsPerCustomer,
	"SocialSentiment":       SocialSentiment,
	"ReferralRate":          ReferralRate,
}

func TestStageMetrics(t *testing.T) {
	want := map[Stage][]string{
		Awareness:     {"share of voice", "total site visits"},
		Consideration: {"organic keyword traffic", "retail visits"},
		Purchase:      {"cart abandonment rate", "store visits vs purchases"},
		Retention:     {"customer lifetime value", "repeat purchase rate", "average order value", "support ticket volume"},
		Advocacy:      {"net promoter score", "willingness to recommend", "social sentiment", "referrals"},
	}
	used := map[string]bool{}
	for _, s := range Stages() {
		ms := s.Metrics()
		if len(ms) != len(want[s]) {
			t.Fatalf("%v: %d metrics, want %d", s, len(ms), len(want[s]))
		}
		for i, m := range ms {
			if m.Name != want[s][i] || m.Description == "" {
				t.Errorf("%v metric %d: %+v, want name %q and a description", s, i, m, want[s][i])
			}
			if name, ok := strings.CutPrefix(m.Func, "github.com/cxmetrics/cxmetrics/journey."); ok {
				if formulaFuncs[name] == nil {
					t.Errorf("%v: %q names %s, which is not a journey formula", s, m.Name, m.Func)
				}
				used[name] = true
			}
		}
		ms[0].Name = "changed"
		if s.Metrics()[0].Name == "changed" {
			t.Errorf("%v: Metrics returns shared memory", s)
		}
	}
	for name := range formulaFuncs {
		if !used[name] {
			t.Errorf("formulaFuncs has %s, which no stage names", name)
		}
	}
}

// Metrics computed outside this package name their function by its import path. Parse that
// package's source and check that it declares the function.
func TestStageMetricsOtherPackages(t *testing.T) {
	const module = "github.com/cxmetrics/cxmetrics/"
	for _, s := range Stages() {
		for _, m := range s.Metrics() {
			if strings.HasPrefix(m.Func, module+"journey.") {
				continue
			}
			path, fn, ok := strings.Cut(strings.TrimPrefix(m.Func, module), ".")
			if !ok || !strings.HasPrefix(m.Func, module) {
				t.Errorf("%v: %q: Func %q is not a function of this module", s, m.Name, m.Func)
				continue
			}
			dir := filepath.Join("..", filepath.FromSlash(path))
			if !declares(t, dir, fn) {
				t.Errorf("%v: %q: package %s declares no function %s", s, m.Name, path, fn)
			}
		}
	}
}

func declares(t *testing.T, dir, name string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Errorf("read %s: %v", dir, err)
		return false
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("parse: %v", err)
			return false
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
				return true
			}
		}
	}
	return false
}

func FuzzParseStage(f *testing.F) {
	for _, s := range []string{"Awareness", "advocacy", " PURCHASE ", "", "Stage(9)", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s, err := ParseStage(name)
		if err != nil {
			if !errors.Is(err, cxmetrics.ErrUnknownLabel) {
				t.Fatalf("ParseStage(%q): %v", name, err)
			}
			return
		}
		if !strings.EqualFold(s.String(), strings.TrimSpace(name)) {
			t.Fatalf("ParseStage(%q) = %v", name, s)
		}
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Stage
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Fatalf("text round trip of %v: %v, %v", s, back, err)
		}
	})
}

// String, MarshalText and UnmarshalText share one text form; values without a name are
// refused by MarshalText, and unknown names by UnmarshalText, with ErrUnknownLabel.
func TestStageText(t *testing.T) {
	for _, s := range Stages() {
		b, err := s.MarshalText()
		if err != nil || string(b) != s.String() {
			t.Errorf("%v: MarshalText %q, %v", s, b, err)
		}
		var back Stage = -1
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v: UnmarshalText gives %v, %v", s, back, err)
		}
	}
	for _, s := range []Stage{-1, Advocacy + 1} {
		if _, err := s.MarshalText(); !errors.Is(err, cxmetrics.ErrUnknownLabel) {
			t.Errorf("MarshalText(%d): %v", int(s), err)
		}
	}
	back := Purchase
	if err := back.UnmarshalText([]byte("Stage(2)")); !errors.Is(err, cxmetrics.ErrUnknownLabel) || back != Purchase {
		t.Errorf("UnmarshalText(Stage(2)): %v, left %v", err, back)
	}
}
