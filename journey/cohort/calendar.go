package cohort

import "time"

// calendar numbers the calendar periods of a location: consecutive periods have
// consecutive indexes, and index 0 holds 1970-01-01.
type calendar struct {
	period    Period
	loc       *time.Location
	weekStart int64
}

func (c calendar) index(t time.Time) int64 {
	y, m, d := t.In(c.loc).Date()
	switch c.period {
	case Week:
		// 1970-01-01 was a Thursday (weekday 4).
		return floorDiv(civilDay(y, m, d)+4-c.weekStart, 7)
	case Month:
		return int64(y)*12 + int64(m) - 1
	}
	return civilDay(y, m, d)
}

// start returns the first instant of the period with index i.
func (c calendar) start(i int64) time.Time {
	switch c.period {
	case Week:
		return time.Date(1970, 1, 1+int(i*7-4+c.weekStart), 0, 0, 0, 0, c.loc)
	case Month:
		return time.Date(int(floorDiv(i, 12)), time.Month(i-floorDiv(i, 12)*12+1), 1, 0, 0, 0, 0, c.loc)
	}
	return time.Date(1970, 1, 1+int(i), 0, 0, 0, 0, c.loc)
}

// bounds finds the calendar period of a time from its Unix seconds alone, without
// converting it to a date: starts[k] is the first second of the period with index
// base+k, read once from the location's rules by calendar.start, so that daylight-saving
// changes (a day of 23 or 25 hours) are exact. Zone offsets are whole seconds, so a
// period boundary never falls inside a second.
type bounds struct {
	cal    calendar
	base   int64   // the index of the period that starts at starts[0]
	starts []int64 // Unix seconds, increasing; the last one ends the covered span
	step   int64   // the typical length of a period in seconds, for the first guess
}

func newBounds(cal calendar) *bounds {
	step := int64(86400)
	switch cal.period {
	case Week:
		step = 7 * 86400
	case Month:
		step = 2629746 // 365.2425 days / 12
	}
	return &bounds{cal: cal, step: step}
}

// cover extends the table to the periods with indexes lo to hi, both included.
func (b *bounds) cover(lo, hi int64) {
	if len(b.starts) == 0 {
		b.base = lo
		b.starts = append(b.starts, b.cal.start(lo).Unix())
	}
	for ; lo < b.base; b.base-- {
		b.starts = append(b.starts, 0)
		copy(b.starts[1:], b.starts)
		b.starts[0] = b.cal.start(b.base - 1).Unix()
	}
	for k := b.base + int64(len(b.starts)); k <= hi+1; k++ {
		b.starts = append(b.starts, b.cal.start(k).Unix())
	}
}

// index returns the index of the period that holds the Unix second sec, which must lie
// in the covered span.
func (b *bounds) index(sec int64) int64 {
	s := b.starts
	k := (sec - s[0]) / b.step
	k = max(0, min(k, int64(len(s)-2)))
	for s[k] > sec {
		k--
	}
	for s[k+1] <= sec {
		k++
	}
	return b.base + k
}

// civilDay returns the number of days from 1970-01-01 to the given date of the proleptic
// Gregorian calendar (Hinnant's days_from_civil).
func civilDay(y int, m time.Month, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400
	mp := (int64(m) + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// The Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: times must lie
// between them.
const (
	minUnix = -62167219200
	maxUnix = 253402300799
)

// inYears reports whether t lies in the years 0000 to 9999 in UTC.
func inYears(t time.Time) bool {
	s := t.Unix()
	return s >= minUnix && s <= maxUnix
}
