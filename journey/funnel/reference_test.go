package funnel

import (
	"math/big"
	"sort"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

// refRun is a slow, direct transcription of the definitions in doc.go, written without
// Run's machinery: it enumerates every attempt of every user and every way to match it.
// It expects a valid funnel and valid events.
func refRun(f Funnel, events []journey.Event) Result {
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
		c := counted{reach: a.reach}
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
			if i == 0 {
				continue
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
		return r
	}
	res := summarize(all)
	if f.BreakdownBy != "" {
		res.Breakdown = map[string]Result{}
		groups := map[string][]counted{}
		for _, c := range all {
			groups[c.key] = append(groups[c.key], c)
		}
		for k, cs := range groups {
			res.Breakdown[k] = summarize(cs)
		}
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
