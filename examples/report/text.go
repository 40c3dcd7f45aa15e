package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/drivers"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
	"github.com/cxmetrics/cxmetrics/segment"
)

// writeText prints the report as text.
func writeText(w io.Writer, rep *Report, o options) {
	p := &printer{w: w, rep: rep}
	p.f("Customer experience report\n==========================\n")
	p.data(o)
	p.scores()
	p.segments()
	p.trends()
	p.drivers()
	p.stages()
	p.funnel()
	p.cohorts()
	p.attribution()
	p.clv()
	p.peakEnd()
	if o.out != "" {
		p.f("\nThe HTML page with the charts is %s.\n", o.out+"/report.html")
	}
}

type printer struct {
	w   io.Writer
	rep *Report
}

func (p *printer) f(format string, args ...any) { fmt.Fprintf(p.w, format, args...) }

// row prints one line of a table, without trailing spaces.
func (p *printer) row(format string, args ...any) {
	fmt.Fprintln(p.w, strings.TrimRight(fmt.Sprintf(format, args...), " "))
}

// para prints a paragraph wrapped to the width of the report.
func (p *printer) para(format string, args ...any) {
	fmt.Fprint(p.w, wrap(fmt.Sprintf(format, args...), 0, width))
}

// width is the widest line of the report's paragraphs.
const width = 92

func (p *printer) heading(title string) {
	p.f("\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
}

// unavailable prints why a part is missing and reports whether it is.
func (p *printer) unavailable(key, what string) bool {
	why, ok := p.rep.Unavailable[key]
	if ok {
		p.para("%s: not available: %s.", what, why)
	}
	return ok
}

func (p *printer) data(o options) {
	d := p.rep.Data
	if d.Synthetic {
		p.para("Data: the SYNTHETIC sample embedded in examples/report, made up by a seeded generator " +
			"(examples/report/gendata): no real customers. Run with -responses, -events and -moments " +
			"for your own data (-h lists the columns).")
	} else {
		p.para("Data: the files given on the command line.")
	}
	if r := d.Responses; r != nil {
		line := fmt.Sprintf("%s: %s rows; scores %s", r.File, count(r.Rows), strings.Join(r.Scores, ", "))
		if r.Weighted {
			line += "; weighted"
		}
		if len(r.Drivers) > 0 {
			line += fmt.Sprintf("; %d driver ratings (%s)", len(r.Drivers), strings.Join(r.Drivers, ", "))
		}
		for _, c := range r.Ignored {
			line += fmt.Sprintf("; column %s ignored (its first value, %q on line %d, is not a number)", c.Name, c.Value, c.Line)
		}
		p.f("- responses %s", wrap(line, 12, width)[12:])
	}
	if e := d.Events; e != nil {
		line := fmt.Sprintf("%s: %s events by %s users", e.File, count(e.Events), count(e.Users))
		if e.Events > 0 {
			line += fmt.Sprintf(", %s to %s", e.From.Format(time.DateOnly), e.To.Format(time.DateOnly))
		}
		p.f("- events    %s", wrap(line, 12, width)[12:])
	}
	if m := d.Moments; m != nil {
		p.f("- moments   %s", wrap(fmt.Sprintf("%s: %s moments of %s journeys", m.File, count(m.Moments), count(m.Journeys)), 12, width)[12:])
	}
	p.para("Intervals are 95%% confidence intervals; p-values are two-sided.")
}

func (p *printer) scores() {
	p.heading("Survey scores")
	if p.unavailable("scores", "Survey scores") {
		return
	}
	for _, kd := range kinds {
		if p.unavailable("scores."+kd.key, kd.name) {
			continue
		}
		s := p.scoreOf(kd.key)
		unit := " " + kd.unit
		if strings.HasPrefix(kd.unit, "%") {
			unit = kd.unit
		}
		p.f("%-4s  %s%s, 95%% CI [%s, %s] (%s)\n", kd.name, num(s.Score, kd.digits), unit,
			num(s.Interval.Lower, kd.digits), num(s.Interval.Upper, kd.digits), s.Method)
		line := count(s.N) + " answers"
		if s.Skipped > 0 {
			line += fmt.Sprintf(" (%s left it blank)", count(s.Skipped))
		}
		if s.Weighted {
			line += fmt.Sprintf(", weighted: effective n %s", count(int(math.Round(s.EffectiveN))))
		}
		var parts []string
		for _, sh := range s.Parts {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", sh.Label, sh.Percent))
		}
		if kd.key == "csat" {
			parts = append(parts, fmt.Sprintf("mean rating %.2f of %d-%d", s.Mean, kd.min, kd.max))
		}
		p.f("%s", wrap(line+"; "+strings.Join(parts, ", "), 6, width))
	}
}

func (p *printer) scoreOf(key string) ScoreSummary {
	for _, s := range p.rep.Scores {
		if s.Metric == key {
			return s
		}
	}
	return ScoreSummary{}
}

func kindOf(key string) kind {
	for _, k := range kinds {
		if k.key == key {
			return k
		}
	}
	return kind{}
}

func (p *printer) segments() {
	p.heading("Segments")
	if p.unavailable("segments", "Segments") {
		return
	}
	if len(p.rep.Scores) == 0 {
		p.para("Segments: not available: there is no score to compare (see Survey scores).")
		return
	}
	if len(p.rep.Segments) > 0 {
		p.para("vs rest: the segment minus the other segments pooled, with Holm's p over the segments; "+
			"shrunk: the empirical-Bayes score, pulled towards the mean of the segments by the factor B "+
			"(0 keeps the segment's own score, 1 replaces it); small: effective n below %d.", segment.DefaultMinN)
	}
	first := true
	for _, kd := range kinds {
		if _, ok := p.rep.Unavailable["scores."+kd.key]; ok {
			continue
		}
		if !first || len(p.rep.Segments) > 0 {
			p.f("\n")
		}
		first = false
		if p.unavailable("segments."+kd.key, kd.name+" by segment") {
			continue
		}
		t := p.segmentTable(kd.key)
		p.para("%s by segment (%d segments; the shrunk scores pulled towards %s):", kd.name, len(t.Rows), num(t.Mean, kd.digits))
		p.f("%-14s %7s %7s  %-18s %8s %7s %7s %5s\n", "segment", "n", kd.name, "95% CI", "vs rest", "Holm p", "shrunk", "B")
		for _, r := range t.Rows {
			p.f("%-14s %7s %7s  %-18s %8s %7s %7s %5.2f", clip(r.Name, 14), count(r.N), num(r.Score, kd.digits),
				ci(r.Interval, kd.digits), signed(r.VsRest, kd.digits), pval(r.VsRestHolm), num(r.Shrunk, kd.digits), r.Shrinkage)
			if r.Small {
				p.f("  small")
			}
			p.f("\n")
		}
		if t.Unassigned > 0 {
			p.para("%s answers without a segment are left out.", count(t.Unassigned))
		}
		if t.PairsTested > 0 {
			if len(t.Pairs) == 0 {
				p.para("No two segments differ at the 5%% level after Holm's adjustment over the %d pairs.", t.PairsTested)
			} else {
				var ps []string
				for _, pr := range t.Pairs {
					ps = append(ps, fmt.Sprintf("%s above %s by %s (%s)", pr.A, pr.B, num(pr.Difference, kd.digits), pin(pr.PHolm)))
				}
				p.para("Pairs that differ at the 5%% level after Holm's adjustment over the %d pairs: %s.", t.PairsTested, strings.Join(ps, "; "))
			}
		}
		for _, n := range t.Notes {
			p.para("Note: %s.", n)
		}
	}
}

func (p *printer) segmentTable(key string) *SegmentTable {
	for _, t := range p.rep.Segments {
		if t.Metric == key {
			return t
		}
	}
	return nil
}

func (p *printer) trends() {
	p.heading("Monthly trend")
	if p.unavailable("trend", "Monthly trend") {
		return
	}
	if len(p.rep.Scores) == 0 {
		p.para("Monthly trend: not available: there is no score to follow (see Survey scores).")
		return
	}
	first := true
	for _, kd := range kinds {
		if _, ok := p.rep.Unavailable["scores."+kd.key]; ok {
			continue
		}
		if !first {
			p.f("\n")
		}
		first = false
		if p.unavailable("trend."+kd.key, kd.name+" by month") {
			continue
		}
		var t *TrendTable
		for _, x := range p.rep.Trends {
			if x.Metric == kd.key {
				t = x
			}
		}
		p.para("%s by month; change: from the month before (%s).", kd.name, kd.test)
		p.f("%-8s %7s %7s  %-18s %8s  %-18s %7s\n", "month", "n", kd.name, "95% CI", "change", "95% CI", "p")
		for _, m := range t.Months {
			line := fmt.Sprintf("%-8s %7s %7s  %-18s", m.Month, count(m.N), num(m.Score, kd.digits), ci(m.Interval, kd.digits))
			if c := m.Change; c != nil {
				line += fmt.Sprintf(" %8s  %-18s %7s", signed(c.Difference, kd.digits), ci(c.Interval, kd.digits), pval(c.P))
			}
			p.row("%s", line)
		}
		if l := t.Linear; l != nil {
			line := fmt.Sprintf("Linear trend: %s %s a month, 95%% CI [%s, %s], %s (weighted least squares over %d months",
				signed(l.Slope, kd.digits+1), unitWord(kd), num(l.Interval.Lower, kd.digits+1), num(l.Interval.Upper, kd.digits+1),
				pin(l.P), len(t.Months))
			if l.Dispersion > 1 {
				line += fmt.Sprintf("; the months scatter %.1f times more than their errors allow, and the interval is widened for it", l.Dispersion)
			}
			p.para("%s).", line)
		}
		if c := t.LastVsFirst; c != nil && len(t.Months) > 2 {
			last, first := t.Months[len(t.Months)-1].Month, t.Months[0].Month
			p.para("%s against %s: %s, 95%% CI %s, %s.", last, first, signed(c.Difference, kd.digits), ci(c.Interval, kd.digits), pin(c.P))
		}
		if len(t.Gaps) > 0 {
			p.para("No answers in %s: the trend runs over the months that have them.", strings.Join(t.Gaps, ", "))
		}
		if t.Undated > 0 {
			p.para("%s answers without a date are left out.", count(t.Undated))
		}
		for _, n := range t.Notes {
			p.para("Note: %s.", n)
		}
	}
}

// unitWord names the unit of a change of kind k's score.
func unitWord(k kind) string {
	switch k.key {
	case "nps":
		return "points"
	case "csat":
		return "percentage points"
	}
	return "rating points"
}

var quadrantWords = map[drivers.Quadrant]string{
	drivers.KeyStrength:       "key strength",
	drivers.KeyWeakness:       "key weakness",
	drivers.SecondaryStrength: "secondary strength",
	drivers.SecondaryWeakness: "secondary weakness",
}

func (p *printer) drivers() {
	p.heading("Key drivers")
	if p.unavailable("drivers", "Key drivers") {
		return
	}
	s := p.rep.Drivers
	a := s.Analysis
	kd := kindOf(s.Outcome)
	p.para("What moves the %s answer (%d-%d)? %s of %s respondents answered it and rated all %d drivers "+
		"(%g-%g scale); together the drivers explain %.1f%% of its variance (R² %.3f).",
		kd.name, kd.min, kd.max, count(a.N), count(a.Respondents), len(a.Drivers), s.Scale.Min, s.Scale.Max, 100*a.R2, a.R2)
	p.f("%-12s %9s  %-14s %6s %6s %8s  %s\n", "driver", "explains", "95% CI", "corr.", "mean", "top box", "quadrant")
	for i, d := range a.Drivers {
		iv := "-"
		if s.Intervals != nil {
			v := s.Intervals.Drivers[i].Shapley
			iv = fmt.Sprintf("[%.1f, %.1f]", 100*v.Lower, 100*v.Upper)
		}
		p.f("%-12s %8.1f%%  %-14s %6.2f %6.2f %7.1f%%  %s\n", clip(d.Name, 12), 100*d.Shapley, iv,
			d.Correlation, d.Mean, d.TopBox, quadrantWords[d.Quadrant])
	}
	line := fmt.Sprintf("explains: the driver's Shapley (LMG) share of the answer's variance, in percentage points "+
		"that add up to R²; corr.: its correlation with the answer; top box: ratings of %g or more.", s.Scale.TopBoxMin)
	if s.Intervals != nil {
		line += fmt.Sprintf(" Intervals: percentile bootstrap over %d resamples", s.Intervals.Resamples)
		if s.Intervals.Skipped > 0 {
			line += fmt.Sprintf(" (%d more could not be analysed)", s.Intervals.Skipped)
		}
		line += "."
	}
	p.para("%s", line)
	line = fmt.Sprintf("Quadrants: important when the share is at least the median (%.1f%%), well rated when the "+
		"mean on a 0-100 scale is at least the median (%.1f).", 100*a.ImportanceCut, a.PerformanceCut)
	for _, q := range []drivers.Quadrant{drivers.KeyWeakness, drivers.KeyStrength, drivers.SecondaryWeakness, drivers.SecondaryStrength} {
		if names := s.Quadrants[q.String()]; len(names) > 0 {
			line += fmt.Sprintf(" %s: %s.", capital(plural(quadrantWords[q], len(names))), strings.Join(names, ", "))
		}
	}
	p.para("%s", line)
	if w := s.Quadrants[drivers.KeyWeakness.String()]; len(w) > 0 {
		p.para("Improve first: %s (important, and rated below the median).", strings.Join(w, ", "))
	}
	if a.ConditionNumber > 30 {
		p.para("The drivers are strongly collinear (condition number %.0f): the shares stay valid, regression weights would not.", a.ConditionNumber)
	}
	if p.rep.Data.Responses != nil && p.rep.Data.Responses.Weighted {
		p.para("The key driver analysis does not use the survey weights: every respondent counts once.")
	}
	for _, n := range s.Notes {
		p.f("Note: %s.\n", n)
	}
}

func (p *printer) stages() {
	p.heading("Journey stages")
	if p.unavailable("stages", "Journey stages") {
		return
	}
	for _, st := range p.rep.Stages {
		p.f("%s: %s\n", st.Stage, st.Question)
		if len(st.Metrics) == 0 {
			p.f("  no metric of this stage in these data\n")
		}
		for _, m := range st.Metrics {
			value := ""
			switch m.Unit {
			case "%":
				value = fmt.Sprintf("%.1f%%", m.Value)
			case "count":
				value = count(int(math.Round(m.Value)))
			case "money":
				value = money(m.Value, p.rep.Data.Currency, 2)
			case "points":
				value = fmt.Sprintf("%.1f", m.Value)
			default:
				value = fmt.Sprintf("%.2f", m.Value)
			}
			if m.Interval != nil {
				value += fmt.Sprintf(" [%.1f, %.1f]", m.Interval.Lower, m.Interval.Upper)
			}
			p.f("  %-33s %s\n", m.Name, value)
			p.f("%s", wrap(m.Explain, 4, 92))
		}
	}
	if m := missingMetrics(p.rep.Stages); m != "" {
		p.para("Not in these data: %s.", m)
	}
}

func (p *printer) funnel() {
	p.heading("Purchase funnel")
	if p.unavailable("funnel", "Purchase funnel") {
		return
	}
	s := p.rep.Funnel
	r := s.Result
	p.para("Users who did the first step (%s), and how many of them went on to each step in order within "+
		"%g hours of it; other events may come between. Each user counts once, with their best attempt.", s.Steps[0], s.WindowHours)
	p.f("%-14s %7s %8s  %-14s %8s  %-14s %11s %11s\n", "step", "users", "of all", "95% CI", "of prev.", "95% CI", "median time", "mean time")
	for i, st := range r.Steps {
		line := fmt.Sprintf("%-14s %7s %7.1f%%", clip(st.Name, 14), count(st.Reached), 100*st.FromStart)
		if i > 0 {
			prev, prevCI := "-", "-"
			if r.Steps[i-1].Reached > 0 {
				prev, prevCI = fmt.Sprintf("%.1f%%", 100*st.FromPrevious), pci(s.FromPrevious[i])
			}
			line += fmt.Sprintf("  %-14s %8s  %-14s %11s %11s", pci(s.FromStart[i]), prev, prevCI,
				duration(st.MedianTimeToConvert), duration(st.MeanTimeToConvert))
		}
		p.row("%s", line)
	}
	if line := breakdown(s); line != "" {
		p.para("%s", line)
	}
	p.f("Times are from the previous step. Intervals: Wilson score intervals.\n")
}

// breakdown says how many users of each value of the breakdown property reached the
// funnel's last step, or "" without a breakdown.
func breakdown(s *FunnelSection) string {
	r := s.Result
	if len(r.Breakdown) == 0 {
		return ""
	}
	last := len(r.Steps) - 1
	var parts []string
	for _, key := range sortedKeys(r.Breakdown) {
		b := r.Breakdown[key]
		name := key
		if name == "" {
			name = "(none)"
		}
		sh, err := wilson(b.Steps[last].Reached, b.Users)
		if err != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %.1f%% of %s %s", name, sh.Estimate, count(b.Users), pci(sh)))
	}
	return fmt.Sprintf("To %s by %s: %s.", r.Steps[last].Name, s.BreakdownBy, strings.Join(parts, ", "))
}

func (p *printer) cohorts() {
	p.heading("Cohort retention")
	if p.unavailable("cohorts", "Cohort retention") {
		return
	}
	t := p.rep.Cohorts
	p.para("Customers by the month of their first purchase, and the share who bought again in month N "+
		"or later (unbounded retention; a month counts once it has ended, as of %s).", t.AsOf.Format(time.DateOnly))
	p.f("%s", t.Triangle(cohort.OnOrAfter))
}

func (p *printer) attribution() {
	p.heading("Attribution")
	if p.unavailable("attribution", "Attribution") {
		return
	}
	s := p.rep.Attribution
	cur := p.rep.Data.Currency
	p.para("%s purchases (%s) in %s paths; a purchase's touchpoints are the channels of the "+
		"customer's visits in the %g days before it. Purchases credited to each channel:",
		count(int(math.Round(s.Conversions))), money(s.Value, cur, 0), count(s.Paths), s.LookbackDays)
	p.f("%-10s", "channel")
	for _, m := range s.Models {
		p.f(" %9s", shortModel[m.Name])
	}
	p.f(" %9s\n", "removal")
	for i, ch := range s.Channels {
		p.f("%-10s", clip(ch, 10))
		for _, m := range s.Models {
			p.f(" %9.1f", m.Conversions[i])
		}
		p.f(" %8.1f%%\n", 100*s.RemovalEffects[ch])
	}
	p.para("first, last: first and last touch; linear: equal shares of each path; U-shaped: 40%% to the "+
		"first and last touch, 20%% to those between; decay: time decay with a half-life of 7 days; "+
		"Markov: a first-order chain over the paths (P(purchase) %.1f%%), with removal the share of "+
		"purchases lost without the channel; Shapley: each channel's Shapley value. "+
		"The models disagree where the data cannot tell them apart: read the spread as the uncertainty.", 100*s.ConversionProbability)
}

func (p *printer) clv() {
	p.heading("Customer lifetime value")
	if p.unavailable("clv", "Customer lifetime value") {
		return
	}
	s := p.rep.CLV
	cur := s.Currency
	p.para("%s customers bought, %s of them more than once. Their predicted spend in the next %d months, "+
		"discounted at %.0f%% a year (BG/NBD model of purchases and Gamma-Gamma model of spend, fitted in weeks):",
		count(s.Customers), count(s.Repeaters), s.HorizonMonths, 100*s.AnnualDiscount)
	p.f("  total %s; average %s per customer; %s purchases expected; mean P(alive) %.0f%%\n",
		money(s.Total, cur, 0), money(s.Average, cur, 2), count(int(math.Round(s.ExpectedPurchases))), 100*s.MeanAlive)
	if r := s.SpendFrequencyCorrelation; r != nil {
		p.f("  spend-frequency correlation %s (the Gamma-Gamma model assumes about 0", num(*r, 2))
		if math.Abs(*r) > 0.3 {
			p.f("; here it does not hold, so the spend predictions lean")
		}
		p.f(")\n")
	}
	p.f("%-12s %6s %12s %8s %10s %12s\n", "customer", "orders", "spent", "P(alive)", "purchases", "value")
	for _, c := range s.Top {
		p.f("%-12s %6d %12s %7.0f%% %10.1f %12s\n", clip(c.ID, 12), c.Orders, money(c.Spent, cur, 2), 100*c.PAlive, c.ExpectedPurchases, money(c.Value, cur, 2))
	}
	p.f("purchases: expected in the next %d months; value: their discounted expected spend.\n", s.HorizonMonths)
	p.para("Parameters: BG/NBD r %.3f, alpha %.3f weeks, a %.3f, b %.3f; Gamma-Gamma p %.3f, q %.3f, gamma %s.",
		s.BGNBD.R, s.BGNBD.Alpha, s.BGNBD.A, s.BGNBD.B, s.GammaGamma.P, s.GammaGamma.Q, money(s.GammaGamma.Gamma, cur, 2))
	if s.Failed > 0 {
		p.para("Note: %s customers have no prediction and are left out of the totals (first: %s).", count(s.Failed), s.FirstFailure)
	}
}

func (p *printer) peakEnd() {
	p.heading("Peak-end rule")
	if p.unavailable("peakend", "Peak-end rule") {
		return
	}
	s := p.rep.PeakEnd
	p.para("%s support journeys, %s rated afterwards. Remembered = (peak + end) / 2, the peak being "+
		"the moment farthest from %g and the end the last moment (Kahneman et al. 1993).", count(s.Journeys), count(s.Rated), s.Rule.Neutral)
	if m := s.Model; m != nil {
		p.f("rating = %.2f %s peak %s end %s mean %s duration (in hours)\n", m.Intercept, term(m.Peak), term(m.End), term(m.Mean), term(3600*m.Duration))
		p.f("standard errors %.2f, %.2f, %.2f, %.2f, %.2f; adjusted R² %.2f, and %.2f with the mean alone:\n",
			m.StdErr[0], m.StdErr[1], m.StdErr[2], m.StdErr[3], 3600*m.StdErr[4], m.AdjR2, m.MeanOnlyAdjR2)
		if m.AdjR2 > m.MeanOnlyAdjR2+0.05 {
			p.f("peak and end explain these ratings better than the average of the moments.\n")
		} else {
			p.f("peak and end add little to the average of the moments here.\n")
		}
	} else {
		p.para("No fit: %s.", s.ModelNote)
	}
	p.f("Remembered worst:\n")
	for _, j := range s.Worst {
		p.f("  %-10s remembered %6.2f, mean of its %d %s %6.2f", clip(j.ID, 10), j.Remembered, j.Moments, plural("moment", j.Moments), j.Mean)
		if j.Rating != nil {
			p.f(", rated %.1f", *j.Rating)
		}
		p.f("\n")
	}
}

// shortModel names the attribution models in the text table's header.
var shortModel = map[string]string{
	"first touch": "first", "last touch": "last", "linear": "linear", "U-shaped": "U-shaped",
	"time decay": "decay", "Markov": "Markov", "Shapley": "Shapley",
}

// missingMetrics lists the stages' metrics that the data cannot give, with what each
// needs.
func missingMetrics(stages []StageReport) string {
	var missing []string
	for _, st := range stages {
		for _, m := range st.Missing {
			missing = append(missing, fmt.Sprintf("%s (needs %s)", m.Name, m.Needs))
		}
	}
	return strings.Join(missing, "; ")
}

// term formats a coefficient after the first: "+ 0.46" or "- 0.18".
func term(x float64) string {
	if x < 0 {
		return fmt.Sprintf("- %.2f", -x)
	}
	return fmt.Sprintf("+ %.2f", x)
}

// count formats n with thousands separators.
func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// money formats an amount with thousands separators and the currency code, if any.
func money(v float64, currency string, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	s = count(n)
	if frac != "" {
		s += "." + frac
	}
	if v < 0 && strings.Trim(s, "0.,") != "" {
		s = "-" + s
	}
	if currency != "" {
		s = currency + " " + s
	}
	return s
}

// num formats x with the given decimals; a value that rounds to zero has no sign.
func num(x float64, digits int) string {
	s := strconv.FormatFloat(x, 'f', digits, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	return s
}

func signed(x float64, digits int) string {
	s := num(x, digits)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}

func ci(iv cxmetrics.Interval, digits int) string {
	return fmt.Sprintf("[%s, %s]", num(iv.Lower, digits), num(iv.Upper, digits))
}

// pci formats an interval of a share in percent.
func pci(iv cxmetrics.Interval) string { return fmt.Sprintf("[%.1f, %.1f]", iv.Lower, iv.Upper) }

// pval formats a p-value for a table column.
func pval(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

// nbsp joins words that wrap must keep on one line; it prints as a space.
const nbsp = "\x1f"

// pin formats a p-value for a sentence: "p = 0.012" or "p < 0.001", unbreakable.
func pin(p float64) string {
	if p < 0.001 {
		return "p" + nbsp + "<" + nbsp + "0.001"
	}
	return fmt.Sprintf("p"+nbsp+"="+nbsp+"%.3f", p)
}

func duration(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Hour:
		return d.Round(time.Second).String()
	default:
		return d.Round(time.Minute).String()
	}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(s string, n int) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

func list(names []string) string { return strings.Join(names, ", ") }

// wrap breaks text into lines of at most width characters, each indented by indent.
func wrap(text string, indent, width int) string {
	var b strings.Builder
	line := 0
	for _, word := range strings.Fields(text) {
		n := len([]rune(word))
		if line > 0 && line+1+n > width {
			b.WriteByte('\n')
			line = 0
		}
		if line == 0 {
			b.WriteString(strings.Repeat(" ", indent))
			line = indent
		} else {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(strings.ReplaceAll(word, nbsp, " "))
		line += n
	}
	if line > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
