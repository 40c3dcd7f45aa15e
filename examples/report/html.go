package main

import (
	_ "embed"
	"html/template"
	"io"
	"math"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
)

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"num":       num,
	"signed":    signed,
	"pval":      pval,
	"count":     count,
	"pct":       func(x float64) string { return num(100*x, 1) + "%" },
	"ci":        ci,
	"pci":       pci,
	"money":     money,
	"kind":      kindView,
	"date":      func(t time.Time) string { return t.Format(time.DateOnly) },
	"round":     func(x float64) int { return int(math.Round(x)) },
	"hours":     func(x float64) float64 { return 3600 * x },
	"dur":       duration,
	"upper":     strings.ToUpper,
	"short":     func(m string) string { return shortModel[m] },
	"at":        func(xs []float64, i int) float64 { return xs[i] },
	"iv":        func(xs []cxmetrics.Interval, i int) cxmetrics.Interval { return xs[i] },
	"quadrant":  func(q drivers.Quadrant) string { return quadrantWords[q] },
	"unit":      unitWord,
	"kindOfKey": kindOf,
	"add":       func(a, b int) int { return a + b },
	"term":      term,
	"breakdown": breakdown,
	"missing":   missingMetrics,
	"hundred":   func(x float64) float64 { return 100 * x },
	"strings":   func(s ...string) []string { return s },
}).Parse(pageTemplate))

// view is what the page template reads.
type view struct {
	*Report
	Charts map[string][]figure // by section
}

// figure is a chart inline in the page.
type figure struct {
	Name    string
	Caption string
	SVG     template.HTML
}

// writeHTML writes the report as one self-contained page: the charts are inline SVG, the
// style sheet is in the page, and nothing needs JavaScript.
func writeHTML(w io.Writer, rep *Report, charts []rendered) error {
	v := view{Report: rep, Charts: map[string][]figure{}}
	for _, c := range charts {
		// The SVG is drawn by the report itself, with its text escaped by vgsvg.
		v.Charts[c.section] = append(v.Charts[c.section], figure{Name: c.name, Caption: c.caption, SVG: template.HTML(inlineSVG(c.svg))})
	}
	return page.Execute(w, v)
}

// kindInfo is a kind as the template reads it.
type kindInfo struct {
	Key, Name, Title, Unit, Method, Test string
	Min, Max, Digits                     int
}

func kindView(key string) kindInfo {
	k := kindOf(key)
	return kindInfo{Key: k.key, Name: k.name, Title: k.title, Unit: k.unit, Method: k.method, Test: k.test, Min: k.min, Max: k.max, Digits: k.digits}
}
