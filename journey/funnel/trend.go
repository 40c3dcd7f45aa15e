package funnel

import (
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
)

// periodStart returns the start of the period of p that holds t, in loc.
func periodStart(p Period, t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	switch p {
	case Week:
		wd := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
	case Month:
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// nextPeriod returns the start of the period after the one that starts at t.
func nextPeriod(p Period, t time.Time) time.Time {
	y, m, d := t.Date()
	switch p {
	case Week:
		return time.Date(y, m, d+7, 0, 0, 0, 0, t.Location())
	case Month:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, t.Location())
	}
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

// trend returns the conversion of the counted attempts by the period of their anchoring
// event, or an error wrapping ErrTooLarge when they span more than MaxPeriods periods.
func (u *users) trend(f *Funnel) ([]TrendPoint, error) {
	if len(u.starts) == 0 {
		return nil, nil
	}
	loc := f.Location
	if loc == nil {
		loc = time.UTC
	}
	lo, hi := u.starts[0], u.starts[0]
	for _, t := range u.starts {
		lo, hi = min(lo, t), max(hi, t)
	}
	first := periodStart(f.Trend, time.Unix(0, lo), loc)
	last := periodStart(f.Trend, time.Unix(0, hi), loc)
	var points []TrendPoint
	for p := first; !p.After(last); p = nextPeriod(f.Trend, p) {
		if len(points) == MaxPeriods {
			return nil, &cxmetrics.InputError{Pkg: pkg, What: "trend periods", Index: -1,
				Value: "more than " + strconv.Itoa(MaxPeriods), Err: cxmetrics.ErrTooLarge,
				Detail: "(from " + first.Format(time.DateOnly) + " to " + last.Format(time.DateOnly) + ")"}
		}
		points = append(points, TrendPoint{Start: p})
	}
	// The periods are ordered by their starts: find each attempt's by binary search.
	for i, t := range u.starts {
		k := search(points, t)
		points[k].Users++
		if int(u.reach[i]) == u.nsteps {
			points[k].Converted++
		}
	}
	level := f.level()
	for i := range points {
		pt := &points[i]
		pt.Rate = share(pt.Converted, pt.Users)
		pt.Interval = wilson(pt.Converted, pt.Users, level)
	}
	return points, nil
}

// search returns the index of the last point whose start is at or before time t, in
// Unix nanoseconds.
func search(points []TrendPoint, t int64) int {
	lo, hi := 0, len(points) // the answer lies in [lo, hi)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if points[mid].Start.UnixNano() <= t {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
