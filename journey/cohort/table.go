package cohort

import (
	"fmt"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
)

// Table is a cohort retention table: one row per cohort, one cell per period since
// acquisition. Later cohorts have fewer finished periods, so the rows form a triangle.
// Marshaled to JSON, periods and windows are names ("week", "rolling") and times RFC 3339.
type Table struct {
	Period   Period    `json:"period"`
	Window   Window    `json:"window"`
	Location string    `json:"location"` // name of the calendar's time zone
	AsOf     time.Time `json:"as_of"`
	Cohorts  []Cohort  `json:"cohorts"` // in order of their start
	// Overall pools the cohorts: each count is the sum over the cohorts that have the
	// cell, so each rate is the average of the cohorts' rates weighted by their eligible
	// users, as Amplitude's overall row.
	Overall []Cell `json:"overall"`
	// Breakdown holds, with Options.BreakdownBy, one table per value of that property,
	// each over the users acquired with that value; the breakdown tables have no
	// Breakdown of their own.
	Breakdown map[string]Table `json:"breakdown,omitempty"`
}

// Cohort is the row of the users whose first start event fell in one period.
type Cohort struct {
	Start time.Time `json:"start"` // first instant of the acquisition period, in the table's location
	Users int       `json:"users"`
	Cells []Cell    `json:"cells"` // Cells[N] is period N; the row ends at the last period that has ended for some user
}

// Cell holds the counts and rates of one cohort (or all) in one period N.
type Cell struct {
	Period int `json:"period"` // N
	// Eligible counts the users whose period N has ended by the table's AsOf (for N = 0:
	// every user). The other counts are among them.
	Eligible int `json:"eligible"`
	Active   int `json:"active"`   // returned in period N
	Retained int `json:"retained"` // returned in period N or later
	// AtRisk counts the users retained through period N-1 (those who returned in period
	// N-1 or later; for N <= 1 every eligible user), and Churned those of them who never
	// returned in period N or later: AtRisk - Retained.
	AtRisk  int `json:"at_risk"`
	Churned int `json:"churned"`

	Retention float64 `json:"retention"`           // Active / Eligible: "return on period N"
	Unbounded float64 `json:"unbounded_retention"` // Retained / Eligible: "return on or after period N"
	Churn     float64 `json:"churn"`               // Churned / AtRisk; 0 when AtRisk is 0

	// Revenue is, with Options.Revenue, the sum of Event.Value over the return events in
	// period N of the eligible users: the cohort's revenue "on period N". It has no "on
	// or after" form; see the package doc.
	Revenue float64 `json:"revenue,omitempty"`

	// Wilson score intervals for the three rates at Options.Level, in percent (0 to 100)
	// as every cxmetrics.Interval of a share: RetentionInterval for Active of Eligible,
	// UnboundedInterval for Retained of Eligible, ChurnInterval for Churned of AtRisk
	// ([0, 100] around an estimate of 0 when AtRisk is 0: no user tells anything).
	RetentionInterval cxmetrics.Interval `json:"retention_interval"`
	UnboundedInterval cxmetrics.Interval `json:"unbounded_interval"`
	ChurnInterval     cxmetrics.Interval `json:"churn_interval"`
}

// Measure selects the rate that Table.Triangle prints.
type Measure int

// The measures.
const (
	OnPeriod  Measure = iota // Cell.Retention
	OnOrAfter                // Cell.Unbounded
	Churn                    // Cell.Churn
)

var measureNames = enum.Names[Measure]{Pkg: pkg, Type: "Measure", Unknown: cxmetrics.ErrUnknownLabel,
	Names: []string{OnPeriod: "on period", OnOrAfter: "on or after", Churn: "churn"}}

// String returns "on period", "on or after" or "churn", or "Measure(n)" for an unknown
// value.
func (m Measure) String() string { return measureNames.String(m) }

// MarshalText encodes the measure as its name, as String writes it; an unknown measure is
// an error wrapping [cxmetrics.ErrUnknownLabel].
func (m Measure) MarshalText() ([]byte, error) { return measureNames.Marshal(m) }

// UnmarshalText decodes a measure name as String writes it, ignoring case and surrounding
// spaces; an unknown name wraps [cxmetrics.ErrUnknownLabel].
func (m *Measure) UnmarshalText(b []byte) error { return measureNames.Unmarshal(b, m) }

func (m Measure) of(c Cell) float64 {
	switch m {
	case OnOrAfter:
		return c.Unbounded
	case Churn:
		return c.Churn
	}
	return c.Retention
}

// String prints the table's "return on period N" retention as a triangle; see Triangle.
func (t Table) String() string { return t.Triangle(OnPeriod) }

// Triangle prints one rate of the table as a triangle: a row per cohort with its start,
// its users and the rate in each period, in percent, and a last row "all" with the
// overall rates. For example, for daily cohorts:
//
//	cohort      users       0       1       2
//	2024-01-01      3  100.0%   33.3%   33.3%
//	2024-01-02      1  100.0%  100.0%
//	all             4  100.0%   50.0%   33.3%
//
// For a Measure without a name it returns a one-line message instead of a triangle,
// "cohort: Measure n: unknown label", rather than print some other rate.
func (t Table) Triangle(m Measure) string {
	if _, err := m.MarshalText(); err != nil {
		return err.Error() + "\n"
	}
	layout := "2006-01-02"
	if t.Period == Month {
		layout = "2006-01"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %6s", "cohort", "users")
	for n := range t.Overall {
		fmt.Fprintf(&b, " %7d", n)
	}
	b.WriteByte('\n')
	row := func(label string, users int, cells []Cell) {
		fmt.Fprintf(&b, "%-10s %6d", label, users)
		for _, c := range cells {
			fmt.Fprintf(&b, " %6.1f%%", 100*m.of(c))
		}
		b.WriteByte('\n')
	}
	users := 0
	for _, c := range t.Cohorts {
		row(c.Start.Format(layout), c.Users, c.Cells)
		users += c.Users
	}
	row("all", users, t.Overall)
	return b.String()
}
