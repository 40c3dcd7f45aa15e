package cohort

import (
	"cmp"
	"slices"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/normal"
)

// rows counts the cells of the rows of a table while it is built: one row per breakdown
// group and cohort. Build and BuildSeq find each user's cohort, last ended period and
// latest return, and the (user, period) returns, in their own passes, and share this
// counting and the assembly of the tables.
type rows struct {
	keys   []int64  // the calendar index of each row's cohort
	groups []int32  // each row's breakdown group (0 without a breakdown)
	users  []int    // each row's users
	cells  [][]Cell // each row's cells; a row is as long as the longest last period of its users, plus one
}

// add opens a row and returns its index.
func (r *rows) add(group int32, key int64) int32 {
	r.keys = append(r.keys, key)
	r.groups = append(r.groups, group)
	r.users = append(r.users, 0)
	r.cells = append(r.cells, nil)
	return int32(len(r.keys) - 1)
}

// cell returns the cell of period n of row i, lengthening the row as needed.
func (r *rows) cell(i int32, n int32) *Cell {
	c := r.cells[i]
	if int(n) >= len(c) {
		c = slices.Grow(c, int(n)+1-len(c))[:n+1]
		r.cells[i] = c
	}
	return &c[n]
}

// user counts a user of row i whose last ended period is last and whose latest return
// lies in period max: in the histograms that the suffix sums of finish turn into
// Eligible (users with last >= N), Retained (min(last, max) >= N) and AtRisk
// (min(last, max+1) >= N).
func (r *rows) user(i, last, max int32) {
	r.users[i]++
	r.cell(i, last).Eligible++
	r.cell(i, min(last, max)).Retained++
	r.cell(i, min(last, max+1)).AtRisk++
}

// tables turns the counts into the table and, with names (the breakdown values by
// group), the breakdown tables. Rows are cut to the last period with eligible users:
// counts beyond it come only from the unfinished periods that the streaming pass counts
// before it knows the as-of time, and it has taken them back.
func (r *rows) tables(t Table, cal calendar, names []string, level float64) Table {
	for i, c := range r.cells {
		for n := len(c) - 1; n >= 0 && c[n].Eligible == 0; n-- {
			c = c[:n]
		}
		// Suffix sums of the histograms.
		for n := len(c) - 2; n >= 0; n-- {
			c[n].Eligible += c[n+1].Eligible
			c[n].Retained += c[n+1].Retained
			c[n].AtRisk += c[n+1].AtRisk
		}
		c[0].Active = c[0].Eligible
		c[0].AtRisk = c[0].Eligible
		for n := range c {
			c[n].Period = n
		}
		r.cells[i] = c
	}
	order := make([]int, len(r.keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(r.groups[a], r.groups[b]), cmp.Compare(r.keys[a], r.keys[b]))
	})
	table := func(rowsOf func(int) bool) Table {
		s := t
		var keys []int64
		for _, i := range order {
			if rowsOf(i) {
				keys = append(keys, r.keys[i])
			}
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		s.Cohorts = make([]Cohort, len(keys))
		for c, k := range keys {
			s.Cohorts[c].Start = cal.start(k)
		}
		for _, i := range order {
			if !rowsOf(i) {
				continue
			}
			c, _ := slices.BinarySearch(keys, r.keys[i])
			row := &s.Cohorts[c]
			row.Users += r.users[i]
			row.Cells = addCells(row.Cells, r.cells[i])
		}
		for c := range s.Cohorts {
			s.Overall = addCells(s.Overall, s.Cohorts[c].Cells)
		}
		for c := range s.Cohorts {
			finish(s.Cohorts[c].Cells, level)
		}
		finish(s.Overall, level)
		return s
	}
	main := table(func(int) bool { return true })
	if names != nil {
		main.Breakdown = make(map[string]Table, len(names))
		for g, name := range names {
			main.Breakdown[name] = table(func(i int) bool { return r.groups[i] == int32(g) })
		}
	}
	return main
}

// addCells adds the counts and revenue of cells to sum, lengthening it as needed.
func addCells(sum, cells []Cell) []Cell {
	if len(cells) > len(sum) {
		sum = slices.Grow(sum, len(cells)-len(sum))[:len(cells)]
	}
	for n, x := range cells {
		s := &sum[n]
		s.Period = n
		s.Eligible += x.Eligible
		s.Active += x.Active
		s.Retained += x.Retained
		s.AtRisk += x.AtRisk
		s.Revenue += x.Revenue
	}
	return sum
}

// finish derives the churn counts, the rates and their intervals from the counts. Every
// cell has Eligible >= 1, and level has been checked.
func finish(cells []Cell, level float64) {
	for n := range cells {
		x := &cells[n]
		x.Churned = x.AtRisk - x.Retained
		x.Retention = float64(x.Active) / float64(x.Eligible)
		x.Unbounded = float64(x.Retained) / float64(x.Eligible)
		x.RetentionInterval = wilson(x.Active, x.Eligible, level)
		x.UnboundedInterval = wilson(x.Retained, x.Eligible, level)
		x.ChurnInterval = wilson(x.Churned, x.AtRisk, level)
		if x.AtRisk > 0 {
			x.Churn = float64(x.Churned) / float64(x.AtRisk)
		}
	}
}

// wilson returns the Wilson score interval (Wilson 1927) for k successes in n trials, in
// percent:
//
//	(p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n),  p = k/n,
//
// z the (1+level)/2 normal quantile; [0, 100] around 0 when n is 0.
func wilson(k, n int, level float64) cxmetrics.Interval {
	iv := cxmetrics.Interval{Lower: 0, Upper: 100, Level: level, Method: cxmetrics.Wilson}
	if n == 0 {
		return iv
	}
	p := float64(k) / float64(n)
	// The level is valid, n > 0 and p in [0, 1]: neither call can fail.
	z, _ := normal.Critical(pkg, level)
	lo, hi, _ := normal.Wilson(pkg, p, float64(n), z)
	iv.Estimate, iv.Lower, iv.Upper = 100*p, 100*lo, 100*hi
	return iv
}
