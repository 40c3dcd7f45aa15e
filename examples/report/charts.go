package main

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// chart is one figure of the report: its file name (without extension), the section it
// belongs to, a caption, the plot and, when the plot has one, its legend, which is drawn
// to the right of the plot so that it never hides data.
type chart struct {
	name, section, caption string
	plot                   *plot.Plot
	legend                 *plot.Legend
	legendWidth            vg.Length // of the strip on the right that holds the legend
	width, height          vg.Length
}

// addLegend adds an entry to the chart's legend, and widens the legend's strip to fit it.
func (c *chart) addLegend(name string, thumbs ...plot.Thumbnailer) {
	if c.legend == nil {
		l := plot.NewLegend()
		l.TextStyle.Font.Size = vg.Points(8)
		l.TextStyle.Color = ink
		l.Top, l.Left = true, true
		c.legend = &l
	}
	c.legend.Add(name, thumbs...)
	c.legendWidth = max(c.legendWidth, legendEntryWidth(name))
}

// legendEntryWidth is the width of the strip that a legend entry needs.
func legendEntryWidth(name string) vg.Length {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = vg.Points(8)
	return l.TextStyle.Width(name) + l.ThumbnailWidth + vg.Points(16)
}

func init() {
	plot.DefaultFont.Variant = "Sans"
	plotter.DefaultFont.Variant = "Sans"
}

// draw draws the chart on a canvas.
func (c chart) draw(canvas vg.CanvasSizer) {
	dc := draw.New(canvas)
	if c.legend == nil {
		c.plot.Draw(dc)
		return
	}
	c.plot.Draw(draw.Crop(dc, 0, -c.legendWidth, 0, 0))
	c.legend.Draw(draw.Crop(dc, c.width-c.legendWidth+vg.Points(8), 0, 0, -vg.Points(18)))
}

// plainTicks are the default ticks with their labels in the shortest form.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'f', -1, 64)
		}
	}
	return ts
}

// The report's colours.
var (
	ink       = color.NRGBA{R: 0x22, G: 0x33, B: 0x44, A: 0xff}
	accent    = color.NRGBA{R: 0x1f, G: 0x6f, B: 0xb4, A: 0xff}
	band      = color.NRGBA{R: 0x1f, G: 0x6f, B: 0xb4, A: 0x40}
	warn      = color.NRGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	grey      = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	chartSize = struct{ w, h vg.Length }{16 * vg.Centimeter, 8 * vg.Centimeter}
)

// charts draws every chart the report has data for.
func charts(rep *Report, in *inputs) ([]chart, error) {
	var out []chart
	add := func(c chart, err error) error {
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.name, err)
		}
		if c.width == 0 {
			c.width, c.height = chartSize.w, chartSize.h
		}
		out = append(out, c)
		return nil
	}
	for _, t := range rep.Trends {
		if err := add(trendChart(t)); err != nil {
			return nil, err
		}
	}
	for _, t := range rep.Segments {
		if err := add(segmentChart(t, rep)); err != nil {
			return nil, err
		}
	}
	if rep.Drivers != nil {
		if err := add(driverChart(rep.Drivers)); err != nil {
			return nil, err
		}
	}
	if rep.Funnel != nil {
		if err := add(funnelChart(rep.Funnel)); err != nil {
			return nil, err
		}
	}
	if rep.Cohorts != nil && len(rep.Cohorts.Cohorts) > 0 {
		if err := add(retentionChart(rep)); err != nil {
			return nil, err
		}
	}
	if rep.Attribution != nil {
		if err := add(attributionChart(rep.Attribution)); err != nil {
			return nil, err
		}
	}
	if rep.PeakEnd != nil {
		if err := add(peakEndChart(rep.PeakEnd, in.moments)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.Text, p.Y.Label.Text = x, y
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(9)
		a.Tick.Label.Font.Size = vg.Points(8)
		a.Color, a.Label.TextStyle.Color, a.Tick.Label.Color, a.Tick.Color = ink, ink, ink, ink
	}
	p.Y.Tick.Marker = plainTicks{}
	return p
}

// labelTicks puts the labels at the integer positions 0, 1, ... of an axis; with more
// than most labels (most > 0) only every k-th is written, so that they do not overlap.
func labelTicks(labels []string, most int) plot.ConstantTicks {
	step := 1
	if most > 0 {
		step = max(1, (len(labels)+most-1)/most)
	}
	t := make(plot.ConstantTicks, len(labels))
	for i, l := range labels {
		t[i] = plot.Tick{Value: float64(i)}
		if i%step == 0 {
			t[i].Label = l
		}
	}
	return t
}

// trendChart is one score by month: the scores joined by a line over the band of their
// intervals.
func trendChart(t *TrendTable) (chart, error) {
	k := kindOf(t.Metric)
	c := chart{name: "trend-" + k.key, section: "trend", caption: fmt.Sprintf("%s by month with its 95%% interval (%s).", k.name, k.method)}
	p := newPlot(k.name+" by month", "", k.name)
	var line, lower, upper plotter.XYs
	var months []string
	for i, m := range t.Months {
		months = append(months, m.Month)
		line = append(line, plotter.XY{X: float64(i), Y: m.Score})
		lower = append(lower, plotter.XY{X: float64(i), Y: m.Interval.Lower})
		upper = append(upper, plotter.XY{X: float64(i), Y: m.Interval.Upper})
	}
	poly := append(plotter.XYs{}, lower...)
	for i := len(upper) - 1; i >= 0; i-- {
		poly = append(poly, upper[i])
	}
	area, err := plotter.NewPolygon(poly)
	if err != nil {
		return c, err
	}
	area.Color, area.LineStyle.Width = band, 0
	l, pts, err := plotter.NewLinePoints(line)
	if err != nil {
		return c, err
	}
	l.Color, pts.Color, pts.Shape = accent, accent, draw.CircleGlyph{}
	p.Add(area, l, pts, plotter.NewGrid())
	c.addLegend(k.name, l, pts)
	c.addLegend("95% interval", area)
	p.X.Tick.Marker = labelTicks(months, 12)
	p.X.Min, p.X.Max = -0.3, float64(len(months))-0.7
	c.plot = p
	return c, nil
}

// segRows are segments drawn at the heights y, as points with horizontal error bars.
type segRows struct {
	rows []SegmentRow
	y    []float64
}

func (s segRows) Len() int                    { return len(s.rows) }
func (s segRows) XY(i int) (float64, float64) { return s.rows[i].Score, s.y[i] }
func (s segRows) XError(i int) (float64, float64) {
	r := s.rows[i]
	return r.Score - r.Interval.Lower, r.Interval.Upper - r.Score
}

// maxChartSegments bounds the segments drawn; the largest are kept.
const maxChartSegments = 25

// segmentChart shows each segment's score with its interval, the overall score as a
// line, and the small segments in grey.
func segmentChart(t *SegmentTable, rep *Report) (chart, error) {
	k := kindOf(t.Metric)
	c := chart{name: "segments-" + k.key, section: "segments",
		caption: fmt.Sprintf("%s by segment with 95%% intervals (%s); grey: fewer than 30 effective answers; the line is the overall score.", k.name, k.method)}
	rows := t.Rows
	if len(rows) > maxChartSegments {
		rows = largest(rows, maxChartSegments)
		c.caption += fmt.Sprintf(" The %d largest of %d segments.", maxChartSegments, len(t.Rows))
	}
	p := newPlot(k.name+" by segment", k.name, "")
	// The first segment at the top; small ones in grey.
	var big, small segRows
	names := make([]string, len(rows))
	for i, r := range rows {
		y := float64(len(rows) - 1 - i)
		names[len(rows)-1-i] = r.Name
		g := &big
		if r.Small {
			g = &small
		}
		g.rows, g.y = append(g.rows, r), append(g.y, y)
	}
	for _, group := range []struct {
		segRows
		color color.Color
	}{{big, accent}, {small, grey}} {
		if group.Len() == 0 {
			continue
		}
		bars, err := plotter.NewXErrorBars(group.segRows)
		if err != nil {
			return c, err
		}
		bars.Color = group.color
		sc, err := plotter.NewScatter(group.segRows)
		if err != nil {
			return c, err
		}
		sc.Color, sc.Shape, sc.Radius = group.color, draw.CircleGlyph{}, vg.Points(3)
		p.Add(bars, sc)
	}
	if s := overall(rep, k.key); s != nil {
		ref, err := plotter.NewLine(plotter.XYs{{X: s.Score, Y: -0.5}, {X: s.Score, Y: float64(len(rows)) - 0.5}})
		if err != nil {
			return c, err
		}
		ref.Color, ref.Dashes = ink, []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(ref)
	}
	p.Add(plotter.NewGrid())
	p.Y.Tick.Marker = labelTicks(names, 0)
	p.Y.Min, p.Y.Max = -0.5, float64(len(rows))-0.5
	c.plot = p
	c.height = vg.Length(math.Max(float64(chartSize.h)*0.6, float64(vg.Points(60+18*float64(len(rows))))))
	c.width = chartSize.w
	return c, nil
}

// largest returns the n segments with the most answers, in their table order.
func largest(rows []SegmentRow, n int) []SegmentRow {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < n; i++ {
		best := i
		for j := i + 1; j < len(idx); j++ {
			if rows[idx[j]].N > rows[idx[best]].N {
				best = j
			}
		}
		idx[i], idx[best] = idx[best], idx[i]
	}
	keep := map[int]bool{}
	for _, i := range idx[:n] {
		keep[i] = true
	}
	var out []SegmentRow
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
		}
	}
	return out
}

func overall(rep *Report, key string) *ScoreSummary {
	for i := range rep.Scores {
		if rep.Scores[i].Metric == key {
			return &rep.Scores[i]
		}
	}
	return nil
}

// driverChart is the importance by performance map with the median cuts.
func driverChart(s *DriversSection) (chart, error) {
	a := s.Analysis
	c := chart{name: "drivers", section: "drivers",
		caption: "Key drivers: importance (Shapley share of the variance) against performance (mean rating on 0-100); the dashed lines are the medians. Top left: key weaknesses, to improve first."}
	p := newPlot("Key drivers: importance and performance", "performance (mean rating, 0-100)", "importance (% of variance)")
	var xys plotter.XYs
	var labels []string
	xmin, xmax, ymax := 100.0, 0.0, 0.0
	for _, d := range a.Drivers {
		xys = append(xys, plotter.XY{X: d.NormalizedMean, Y: 100 * d.Shapley})
		labels = append(labels, " "+d.Name)
		xmin, xmax, ymax = math.Min(xmin, d.NormalizedMean), math.Max(xmax, d.NormalizedMean), math.Max(ymax, 100*d.Shapley)
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return c, err
	}
	sc.Color, sc.Shape, sc.Radius = accent, draw.CircleGlyph{}, vg.Points(4)
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return c, err
	}
	lb.Offset = vg.Point{X: vg.Points(5)}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Size = vg.Points(8)
		lb.TextStyle[i].Color = ink
		lb.TextStyle[i].YAlign = text.YCenter
	}
	pad := math.Max(5, (xmax-xmin)*0.15)
	x0, x1 := math.Max(0, xmin-pad), math.Min(100, xmax+2*pad)
	y1 := ymax * 1.2
	corners, err := plotter.NewLabels(plotter.XYLabels{
		XYs:    plotter.XYs{{X: x0, Y: y1}, {X: x1, Y: y1}, {X: x0, Y: 0}, {X: x1, Y: 0}},
		Labels: []string{"key weaknesses", "key strengths", "secondary weaknesses", "secondary strengths"},
	})
	if err != nil {
		return c, err
	}
	for i := range corners.TextStyle {
		corners.TextStyle[i].Font.Size = vg.Points(8)
		corners.TextStyle[i].Color = grey
		if i%2 == 1 {
			corners.TextStyle[i].XAlign = text.XRight
		}
		if i < 2 {
			corners.TextStyle[i].YAlign = text.YTop
		}
	}
	vcut, err := plotter.NewLine(plotter.XYs{{X: a.PerformanceCut, Y: 0}, {X: a.PerformanceCut, Y: y1}})
	if err != nil {
		return c, err
	}
	hcut, err := plotter.NewLine(plotter.XYs{{X: x0, Y: 100 * a.ImportanceCut}, {X: x1, Y: 100 * a.ImportanceCut}})
	if err != nil {
		return c, err
	}
	for _, l := range []*plotter.Line{vcut, hcut} {
		l.Color, l.Dashes = grey, []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(vcut, hcut, corners, sc, lb)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, 0, y1
	c.plot = p
	return c, nil
}

// funnelChart is one bar per step: the share of the users who reached it, with its Wilson
// interval.
func funnelChart(s *FunnelSection) (chart, error) {
	c := chart{name: "funnel", section: "funnel", caption: fmt.Sprintf("Share of the users who reached each step within %g hours of the first, with 95%% Wilson intervals.", s.WindowHours)}
	p := newPlot("Purchase funnel", "", "% of users who did the first step")
	var values plotter.Values
	var names []string
	var errs plotter.YErrors
	var xys plotter.XYs
	for i, st := range s.Result.Steps {
		v := 100 * st.FromStart
		values = append(values, v)
		names = append(names, st.Name)
		iv := s.FromStart[i]
		xys = append(xys, plotter.XY{X: float64(i), Y: v})
		errs = append(errs, struct{ Low, High float64 }{v - iv.Lower, iv.Upper - v})
	}
	bars, err := plotter.NewBarChart(values, vg.Points(40))
	if err != nil {
		return c, err
	}
	bars.Color, bars.LineStyle.Width = accent, 0
	eb, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{xys, errs})
	if err != nil {
		return c, err
	}
	eb.Color = ink
	labels := make([]string, len(xys))
	tops := make(plotter.XYs, len(xys))
	for i, st := range s.Result.Steps {
		labels[i] = count(st.Reached)
		tops[i] = plotter.XY{X: xys[i].X, Y: s.FromStart[i].Upper + 2}
	}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: tops, Labels: labels})
	if err != nil {
		return c, err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Size = vg.Points(8)
		lb.TextStyle[i].XAlign = text.XCenter
		lb.TextStyle[i].Color = ink
	}
	p.Add(bars, eb, lb)
	p.NominalX(names...)
	p.Y.Min, p.Y.Max = 0, 112
	c.plot = p
	return c, nil
}

// heatCells draws a retention triangle as coloured cells with their percentages.
type heatCells struct {
	rows  [][]float64 // [cohort][period], shares 0..1
	style text.Style
}

func (h heatCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(h.rows)
	for i, row := range h.rows {
		y := float64(n - 1 - i)
		for j, v := range row {
			x := float64(j)
			pts := []vg.Point{
				{X: trX(x - 0.5), Y: trY(y - 0.5)}, {X: trX(x + 0.5), Y: trY(y - 0.5)},
				{X: trX(x + 0.5), Y: trY(y + 0.5)}, {X: trX(x - 0.5), Y: trY(y + 0.5)},
			}
			c.FillPolygon(heatColor(v), c.ClipPolygonXY(pts))
			if trX(x+0.5)-trX(x-0.5) < h.style.Width("100%")*1.2 {
				continue // too narrow for its percentage
			}
			st := h.style
			if v > 0.55 {
				st.Color = color.White
			}
			c.FillText(st, vg.Point{X: trX(x), Y: trY(y)}, fmt.Sprintf("%.0f%%", 100*v))
		}
	}
}

func (h heatCells) DataRange() (xmin, xmax, ymin, ymax float64) {
	width := 0
	for _, r := range h.rows {
		width = max(width, len(r))
	}
	return -0.5, float64(width) - 0.5, -0.5, float64(len(h.rows)) - 0.5
}

// heatColor runs from a pale to a deep blue as the share grows.
func heatColor(v float64) color.Color {
	v = math.Max(0, math.Min(1, v))
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + v*(float64(b)-float64(a)))) }
	return color.RGBA{R: mix(0xf1, 0x08), G: mix(0xf6, 0x30), B: mix(0xfb, 0x6b), A: 0xff}
}

// maxHeatRows bounds the cohorts the heatmap shows; the latest are kept.
const maxHeatRows = 24

func retentionChart(rep *Report) (chart, error) {
	t := rep.Cohorts
	c := chart{name: "retention", section: "cohorts",
		caption: "Share of each month's new customers who bought again in month N or later (unbounded retention)."}
	cohorts := t.Cohorts
	if len(cohorts) > maxHeatRows {
		cohorts = cohorts[len(cohorts)-maxHeatRows:]
		c.caption += fmt.Sprintf(" The latest %d cohorts.", maxHeatRows)
	}
	p := newPlot("Cohort retention", "months since the first purchase", "")
	h := heatCells{style: p.X.Tick.Label}
	h.style.Font = font.From(p.X.Tick.Label.Font, vg.Points(7))
	h.style.XAlign, h.style.YAlign, h.style.Color = text.XCenter, text.YCenter, ink
	var names []string
	width := 0
	for i, co := range cohorts {
		var row []float64
		for _, cell := range co.Cells {
			row = append(row, cell.Unbounded)
		}
		h.rows = append(h.rows, row)
		width = max(width, len(row))
		names = append(names, "")
		names[i] = fmt.Sprintf("%s (%s)", periodLabel(co.Start), count(co.Users))
	}
	rev := make([]string, len(names))
	for i, n := range names {
		rev[len(names)-1-i] = n
	}
	periods := make([]string, width)
	for j := range periods {
		periods[j] = fmt.Sprint(j)
	}
	p.Add(h)
	p.X.Tick.Marker = labelTicks(periods, 18)
	p.Y.Tick.Marker = labelTicks(rev, 0)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.LineStyle.Width, a.Tick.LineStyle.Width = 0, 0
	}
	c.plot = p
	c.height = vg.Length(math.Max(float64(chartSize.h)*0.6, float64(vg.Points(70+20*float64(len(cohorts))))))
	return c, nil
}

func periodLabel(t time.Time) string { return t.Format("2006-01") }

// attributionChart shows the purchases each model credits to each channel, side by side.
func attributionChart(s *AttributionSection) (chart, error) {
	c := chart{name: "attribution", section: "attribution", caption: "Purchases credited to each channel by each attribution model."}
	p := newPlot("Attribution of purchases", "", "purchases credited")
	n := len(s.Models)
	strip := vg.Length(0)
	for _, m := range s.Models {
		strip = max(strip, legendEntryWidth(m.Name))
	}
	// Each channel's group of bars takes three quarters of its share of the plot's width.
	avail := chartSize.w - strip - 2*vg.Centimeter
	w := max(vg.Points(1), avail*0.75/vg.Length(n*max(1, len(s.Channels))))
	for i, m := range s.Models {
		bars, err := plotter.NewBarChart(plotter.Values(m.Conversions), w)
		if err != nil {
			return c, err
		}
		bars.Color = plotutil.Color(i)
		bars.LineStyle.Width = 0
		bars.Offset = vg.Length(float64(i)-float64(n-1)/2) * w
		p.Add(bars)
		c.addLegend(m.Name, bars)
	}
	p.NominalX(s.Channels...)
	p.Y.Min = 0
	c.plot = p
	c.height = 9 * vg.Centimeter
	return c, nil
}

// peakEndChart draws the journey remembered worst and the one remembered best: each
// moment's value over the minutes of the journey, with the remembered score and the mean.
func peakEndChart(s *PeakEndSection, e *experiences) (chart, error) {
	c := chart{name: "peakend", section: "peakend",
		caption: "The journeys remembered worst and best: each moment's value over time (steps), the remembered score (peak + end) / 2 (dashed) and the duration-weighted mean (dotted)."}
	p := newPlot("Peak-end: what customers remember", "minutes into the journey", "value of the moment")
	journeys := []JourneyMemory{s.Worst[0]}
	if s.Best.ID != s.Worst[0].ID {
		journeys = append(journeys, s.Best)
	}
	colors := []color.Color{warn, accent}
	xmax := 0.0
	for k, j := range journeys {
		ms := e.moments[j.index]
		var steps plotter.XYs
		at := 0.0
		for _, m := range ms {
			d := m.Duration.Minutes()
			if m.Duration == 0 {
				d = 1.0 / 60
			}
			steps = append(steps, plotter.XY{X: at, Y: m.Value}, plotter.XY{X: at + d, Y: m.Value})
			at += d
		}
		xmax = math.Max(xmax, at)
		line, err := plotter.NewLine(steps)
		if err != nil {
			return c, err
		}
		line.Color, line.Width = colors[k], vg.Points(1.5)
		p.Add(line)
		word := "worst"
		if k == 1 {
			word = "best"
		}
		c.addLegend(fmt.Sprintf("%s, remembered %s", j.ID, word), line)
		for _, ref := range []struct {
			y      float64
			dashes []vg.Length
		}{{j.Remembered, []vg.Length{vg.Points(5), vg.Points(3)}}, {j.Mean, []vg.Length{vg.Points(1), vg.Points(2)}}} {
			l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: ref.y}, {X: at, Y: ref.y}})
			if err != nil {
				return c, err
			}
			l.Color, l.Dashes = colors[k], ref.dashes
			p.Add(l)
		}
	}
	for _, ref := range []struct {
		name   string
		dashes []vg.Length
	}{{"remembered (peak + end) / 2", []vg.Length{vg.Points(5), vg.Points(3)}}, {"mean of the moments", []vg.Length{vg.Points(1), vg.Points(2)}}} {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 0}})
		if err != nil {
			return c, err
		}
		l.Color, l.Dashes = ink, ref.dashes
		c.addLegend(ref.name, l)
	}
	p.Add(plotter.NewGrid())
	p.X.Min, p.X.Max = 0, xmax
	c.plot = p
	return c, nil
}
