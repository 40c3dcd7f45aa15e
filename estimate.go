package cxmetrics

// Estimate is one score with its uncertainty, in the form every survey score (nps, csat,
// ces) gives through its Result.Estimate method, so that code comparing segments or
// periods works on any of them.
type Estimate struct {
	Score      float64 `json:"score"`       // in the metric's units: NPS points, CSAT %, CES rating points
	StdErr     float64 `json:"std_err"`     // standard error of Score, same units
	N          int     `json:"n"`           // number of answers
	EffectiveN float64 `json:"effective_n"` // variance-equivalent n (= N unweighted)
}
