package funnel

import (
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

// refRun is a slow, direct transcription of the definitions in doc.go, written without
// Run's machinery: it enumerates every attempt of every user and every way to match it.
// It expects a valid funnel and valid events.
// Intervals and tests are pure functions of the counts, which it computes: it uses the
// package's wilson and breakdownTests, whose formulas TestWilsonR and TestBreakdownTestsR
// check against R.
func refRun(f Funnel, events []journey.Event) Result {
	level := 0.95
	if f.Level != 0 {
		level = f.Level
	}
	byUser := map[string][]int{}
	var order []string
	for i, e := range events {
		if _, ok := byUser[e.User]; !ok {
			order = append(order, e.User)
		}
		byUser[e.User] = append(byUser[e.User], i)
	}
	type counted struct {
		reach int
		durs  []time.Duration
		key   string
		user  string
		start time.Time // of the anchoring event
	}
	var all []counted
	for _, u := range order {
		idx := byUser[u]
		sort.SliceStable(idx, func(a, b int) bool { return events[idx[a]].Time.Before(events[idx[b]].Time) })
		seq := make([]journey.Event, len(idx))
		for k, i := range idx {
			seq[k] = events[i]
		}
		a, ok := refBest(f, seq)
		if !ok || refExcluded(f, seq, a) {
			continue
		}
		c := counted{reach: a.reach, user: u, start: seq[a.anchor].Time}
		for i := 1; i < a.reach; i++ {
			c.durs = append(c.durs, seq[a.comp[i]].Time.Sub(seq[a.comp[i-1]].Time))
		}
		if f.BreakdownBy != "" {
			c.key = seq[a.anchor].Props[f.BreakdownBy]
		}
		all = append(all, c)
	}
	summarize := func(cs []counted) Result {
		s := len(f.Steps)
		r := Result{Steps: make([]StepResult, s)}
		reached := func(i int) int { // users whose attempt reached step i (0-based)
			n := 0
			for _, c := range cs {
				if c.reach > i {
					n++
				}
			}
			return n
		}
		r.Users = reached(0)
		for i := range s {
			st := &r.Steps[i]
			st.Name = f.Steps[i].Name
			if st.Name == "" {
				st.Name = f.Steps[i].Event
			}
			st.Reached = reached(i)
			if reached(0) > 0 {
				st.FromStart = float64(reached(i)) / float64(reached(0))
			}
			prev := reached(0)
			if i > 0 {
				prev = reached(i - 1)
			}
			if prev > 0 {
				st.FromPrevious = float64(reached(i)) / float64(prev)
			}
			if i < s-1 {
				st.DroppedAfter = reached(i) - reached(i+1)
			}
			st.FromStartInterval = wilson(st.Reached, reached(0), level)
			st.FromPreviousInterval = wilson(st.Reached, prev, level)
			if i == 0 {
				continue
			}
			if f.Bins != nil {
				st.Histogram = make([]int, len(f.Bins)+1)
			}
			var d []time.Duration
			for _, c := range cs {
				if c.reach > i {
					d = append(d, c.durs[i-1])
				}
			}
			if len(d) == 0 {
				continue
			}
			for _, v := range d {
				k := 0
				for k < len(f.Bins) && f.Bins[k] <= v {
					k++
				}
				if f.Bins != nil {
					st.Histogram[k]++
				}
			}
			st.TimeToConvert = refPercentiles(d)
			sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
			n := len(d)
			if n%2 == 1 {
				st.MedianTimeToConvert = d[n/2]
			} else {
				st.MedianTimeToConvert = d[n/2-1] + (d[n/2]-d[n/2-1])/2
			}
			sum := new(big.Int)
			for _, v := range d {
				sum.Add(sum, big.NewInt(int64(v)))
			}
			q, m := new(big.Int).QuoRem(sum, big.NewInt(int64(n)), new(big.Int))
			if 2*m.Int64() >= int64(n) {
				q.Add(q, big.NewInt(1))
			}
			st.MeanTimeToConvert = time.Duration(q.Int64())
		}
		var total []time.Duration
		for _, c := range cs {
			if c.reach == s {
				var sum time.Duration
				for _, d := range c.durs {
					sum += d // the random logs' times are short
				}
				total = append(total, sum)
			}
		}
		r.TimeToConvert = refPercentiles(total)
		if f.ListUsers {
			for _, c := range cs {
				if c.reach == s {
					r.Converted = append(r.Converted, c.user)
				} else {
					r.Steps[c.reach-1].DroppedUsers = append(r.Steps[c.reach-1].DroppedUsers, c.user)
				}
			}
			sort.Strings(r.Converted)
			for i := range r.Steps {
				sort.Strings(r.Steps[i].DroppedUsers)
			}
		}
		return r
	}
	res := summarize(all)
	if f.Trend != NoTrend && len(all) > 0 {
		loc := f.Location
		if loc == nil {
			loc = time.UTC
		}
		// The periods from the first attempt's to the last's, each as its date.
		startOf := func(t time.Time) time.Time {
			t = t.In(loc)
			switch f.Trend {
			case Day:
				return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			case Week:
				for t.Weekday() != time.Monday {
					t = t.AddDate(0, 0, -1)
				}
				return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			}
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		}
		first, last := startOf(all[0].start), startOf(all[0].start)
		for _, c := range all {
			if p := startOf(c.start); p.Before(first) {
				first = p
			} else if p.After(last) {
				last = p
			}
		}
		for p := first; !p.After(last); {
			pt := TrendPoint{Start: p}
			for _, c := range all {
				if startOf(c.start).Equal(p) {
					pt.Users++
					if c.reach == len(f.Steps) {
						pt.Converted++
					}
				}
			}
			if pt.Users > 0 {
				pt.Rate = float64(pt.Converted) / float64(pt.Users)
			}
			pt.Interval = wilson(pt.Converted, pt.Users, level)
			res.Trend = append(res.Trend, pt)
			// The next period starts at the start of the period of a time past this one.
			switch f.Trend {
			case Day:
				p = startOf(p.Add(30 * time.Hour))
			case Week:
				p = startOf(p.Add(8 * 24 * time.Hour))
			default:
				p = startOf(p.Add(32 * 24 * time.Hour))
			}
		}
	}
	if f.BreakdownBy != "" {
		res.Breakdown = map[string]Result{}
		groups := map[string][]counted{}
		for _, c := range all {
			groups[c.key] = append(groups[c.key], c)
		}
		for k, cs := range groups {
			res.Breakdown[k] = summarize(cs)
		}
		res.BreakdownTests = breakdownTests(res)
	}
	return res
}

// refAttempt is one attempt: its anchor, reach and the position completing each step.
type refAttempt struct {
	anchor, reach int
	comp          []int
}

func refMatches(f Funnel, step int, e journey.Event) bool {
	s := f.Steps[step]
	return e.Name == s.Event && (s.Where == nil || s.Where(e))
}

func refWithin(f Funnel, seq []journey.Event, a, q int) bool {
	return f.Window == 0 || seq[q].Time.Sub(seq[a].Time) <= f.Window
}

// refBest returns the counted attempt of one user's time-sorted events.
func refBest(f Funnel, seq []journey.Event) (refAttempt, bool) {
	canAnchor := func(p int) bool {
		if f.Order != Any {
			return refMatches(f, 0, seq[p])
		}
		for k := range f.Steps {
			if refMatches(f, k, seq[p]) {
				return true
			}
		}
		return false
	}
	var attempts []refAttempt
	if f.Anchor == LatestStart {
		for p := range seq {
			if canAnchor(p) {
				attempts = append(attempts, refAttemptFrom(f, seq, p))
			}
		}
	} else {
		p := 0
		for p < len(seq) {
			if !canAnchor(p) {
				p++
				continue
			}
			a := refAttemptFrom(f, seq, p)
			attempts = append(attempts, a)
			if a.reach == len(f.Steps) {
				break
			}
			switch {
			case f.Order == Strict:
				p += a.reach
			case f.Window == 0:
				p = len(seq)
			default:
				q := p
				for q < len(seq) && refWithin(f, seq, p, q) {
					q++
				}
				p = q
			}
		}
	}
	var best refAttempt
	for _, a := range attempts {
		if a.reach == 0 {
			continue
		}
		switch {
		case a.reach > best.reach: // also the first attempt with a reach
			best = a
		case a.reach < best.reach:
		case a.comp[a.reach-1] < best.comp[best.reach-1]:
			best = a
		case a.comp[a.reach-1] == best.comp[best.reach-1] && a.anchor > best.anchor:
			best = a
		}
	}
	return best, best.reach > 0
}

// refAttemptFrom builds the attempt anchored at position a.
func refAttemptFrom(f Funnel, seq []journey.Event, a int) refAttempt {
	s := len(f.Steps)
	switch f.Order {
	case Strict:
		at := refAttempt{anchor: a}
		for k := 0; k < s && a+k < len(seq) && refMatches(f, k, seq[a+k]) && refWithin(f, seq, a, a+k); k++ {
			at.reach++
			at.comp = append(at.comp, a+k)
		}
		return at
	case Ordered:
		// Every increasing sequence of matching events from a; the longest wins, and
		// among the longest the lexicographically smallest, which depth-first search in
		// increasing positions meets first.
		var best []int
		var dfs func(path []int)
		dfs = func(path []int) {
			if len(path) > len(best) {
				best = append([]int(nil), path...)
			}
			if len(path) == s {
				return
			}
			for q := path[len(path)-1] + 1; q < len(seq); q++ {
				if refMatches(f, len(path), seq[q]) && refWithin(f, seq, a, q) {
					dfs(append(path, q))
				}
			}
		}
		dfs([]int{a})
		return refAttempt{anchor: a, reach: len(best), comp: best}
	default:
		// Any order: steps 0..k-1 are done by position e when some assignment gives each
		// a distinct event among positions a..e.
		at := refAttempt{anchor: a}
		for k := 1; k <= s; k++ {
			done := -1
			for e := a; e < len(seq) && refWithin(f, seq, a, e); e++ {
				if refAssign(f, seq[a:e+1], k, make([]bool, e+1-a)) {
					done = e
					break
				}
			}
			if done < 0 {
				break
			}
			at.reach = k
			at.comp = append(at.comp, done)
		}
		return at
	}
}

// refAssign reports whether steps 0..k-1 can each take a distinct unused event of seq.
func refAssign(f Funnel, seq []journey.Event, k int, used []bool) bool {
	if k == 0 {
		return true
	}
	for q := range seq {
		if !used[q] && refMatches(f, k-1, seq[q]) {
			used[q] = true
			ok := refAssign(f, seq, k-1, used)
			used[q] = false
			if ok {
				return true
			}
		}
	}
	return false
}

// refExcluded applies the exclusions to the counted attempt.
func refExcluded(f Funnel, seq []journey.Event, a refAttempt) bool {
	for _, x := range f.Exclusions {
		if x.From >= a.reach {
			continue
		}
		for q := a.comp[x.From] + 1; q < len(seq); q++ {
			before := refWithin(f, seq, a.anchor, q)
			if x.To < a.reach {
				before = q < a.comp[x.To]
			}
			if before && seq[q].Name == x.Event {
				return true
			}
		}
	}
	return false
}

// refPercentiles returns the type-7 percentiles of d by sorting and exact arithmetic.
func refPercentiles(d []time.Duration) Percentiles {
	if len(d) == 0 {
		return Percentiles{}
	}
	x := slices.Clone(d)
	slices.Sort(x)
	n := len(x)
	at := func(pct int) time.Duration {
		num := (n - 1) * pct
		k, frac := num/100, num%100
		if frac == 0 {
			return x[k]
		}
		diff := new(big.Int).Mul(big.NewInt(int64(x[k+1]-x[k])), big.NewInt(int64(frac)))
		return x[k] + time.Duration(diff.Quo(diff, big.NewInt(100)).Int64())
	}
	return Percentiles{at(10), at(25), at(50), at(75), at(90)}
}
