package journey

import (
	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/enum"
)

// Stage is one of the five stages of the customer journey, in the order a customer meets
// them. The zero value is Awareness.
type Stage int

// The journey stages.
const (
	// Awareness: the customer learns that the brand and its products exist.
	Awareness Stage = iota
	// Consideration: the customer weighs the brand against alternatives.
	Consideration
	// Purchase: the customer buys.
	Purchase
	// Retention: the customer comes back and buys again.
	Retention
	// Advocacy: the customer recommends the brand to others.
	Advocacy
)

var stageNames = enum.Names[Stage]{Pkg: pkg, Type: "Stage", Unknown: cxmetrics.ErrUnknownLabel, Names: []string{
	Awareness:     "Awareness",
	Consideration: "Consideration",
	Purchase:      "Purchase",
	Retention:     "Retention",
	Advocacy:      "Advocacy",
}}

var stageQuestions = [...]string{
	Awareness:     "Do customers know the brand, its products and their features?",
	Consideration: "When they decide to buy, do they think of us?",
	Purchase:      "Once they start buying, do they finish?",
	Retention:     "Do customers come back to buy again?",
	Advocacy:      "Are customers willing to recommend us?",
}

// Stages returns the five stages in journey order, Awareness first.
func Stages() []Stage {
	return []Stage{Awareness, Consideration, Purchase, Retention, Advocacy}
}

func (s Stage) valid() bool { return s >= 0 && int(s) < len(stageNames.Names) }

// String returns the stage's name, e.g. "Consideration", or "Stage(n)" for an unknown value.
func (s Stage) String() string { return stageNames.String(s) }

// ParseStage returns the stage with the given name, as String writes it. It ignores case
// and surrounding spaces, so "awareness" and " Awareness " both give Awareness. Any other
// name is an [*cxmetrics.InputError] wrapping [cxmetrics.ErrUnknownLabel].
func ParseStage(name string) (Stage, error) {
	s, err := stageNames.Parse(name)
	if err != nil {
		return 0, &cxmetrics.InputError{Pkg: pkg, What: "stage", Index: -1, Value: name,
			Err: cxmetrics.ErrUnknownLabel, Detail: "(want Awareness, Consideration, Purchase, Retention or Advocacy)"}
	}
	return s, nil
}

// MarshalText encodes the stage as its name, so that JSON shows "Purchase" and not 2; an
// unknown stage is an error wrapping [cxmetrics.ErrUnknownLabel].
func (s Stage) MarshalText() ([]byte, error) { return stageNames.Marshal(s) }

// UnmarshalText decodes a stage name as [ParseStage] does.
func (s *Stage) UnmarshalText(b []byte) error {
	v, err := ParseStage(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Question returns the key question that the stage's metrics answer, or "" for an unknown
// stage:
//
//	Awareness      Do customers know the brand, its products and their features?
//	Consideration  When they decide to buy, do they think of us?
//	Purchase       Once they start buying, do they finish?
//	Retention      Do customers come back to buy again?
//	Advocacy       Are customers willing to recommend us?
func (s Stage) Question() string {
	if !s.valid() {
		return ""
	}
	return stageQuestions[s]
}

// Metric is one key metric of a journey stage.
type Metric struct {
	Name        string `json:"name"`        // e.g. "cart abandonment rate"
	Description string `json:"description"` // what it measures and how
	// Func is the fully qualified name of the Go function that computes the metric, e.g.
	// "github.com/cxmetrics/cxmetrics/journey.CartAbandonmentRate". Metrics computed by
	// another package of this module (NPS) name that package's function.
	Func string `json:"func"`
}

const (
	journeyPath = "github.com/cxmetrics/cxmetrics/journey."
	npsPath     = "github.com/cxmetrics/cxmetrics/nps."
	csatPath    = "github.com/cxmetrics/cxmetrics/csat."
)

var stageMetrics = [...][]Metric{
	Awareness: {
		{"share of voice", "the brand's share of all mentions, impressions or advertising spend in its category", journeyPath + "ShareOfVoice"},
		{"total site visits", "visits (sessions) to the brand's sites, summed over sources or days", journeyPath + "TotalSiteVisits"},
	},
	Consideration: {
		{"organic keyword traffic", "visits expected from unpaid search results: search volume times click-through rate, summed over keywords", journeyPath + "OrganicKeywordTraffic"},
		{"retail visits", "visits to physical stores, per store", journeyPath + "RetailVisitsPerStore"},
	},
	Purchase: {
		{"cart abandonment rate", "share of created carts that do not become orders", journeyPath + "CartAbandonmentRate"},
		{"store visits vs purchases", "share of store visits that end in a purchase", journeyPath + "StoreVisitConversion"},
	},
	Retention: {
		{"customer lifetime value", "average order value x purchase frequency x lifespan x margin", journeyPath + "CustomerLifetimeValue"},
		{"repeat purchase rate", "share of buying customers who bought at least twice", journeyPath + "RepeatPurchaseRate"},
		{"average order value", "revenue per order", journeyPath + "AverageOrderValue"},
		{"support ticket volume", "support tickets opened per customer", journeyPath + "TicketsPerCustomer"},
	},
	Advocacy: {
		{"net promoter score", "promoters minus detractors, in points from -100 to 100", npsPath + "Compute"},
		{"willingness to recommend", "share of respondents in the top two boxes (9-10 of 0-10) of the recommendation question, the WRS; csat.ComputeScale on csat.Recommend", csatPath + "ComputeScale"},
		{"social sentiment", "positive minus negative mentions, as a share of all mentions", journeyPath + "SocialSentiment"},
		{"referrals", "share of new customers who came through a referral", journeyPath + "ReferralRate"},
	},
}

// Metrics returns the key metrics of the stage, a new slice on every call, or nil for an
// unknown stage:
//
//	Awareness      share of voice, total site visits
//	Consideration  organic keyword traffic, retail visits
//	Purchase       cart abandonment rate, store visits vs purchases
//	Retention      customer lifetime value, repeat purchase rate, average order value,
//	               support ticket volume
//	Advocacy       net promoter score, willingness to recommend, social sentiment, referrals
func (s Stage) Metrics() []Metric {
	if !s.valid() {
		return nil
	}
	return append([]Metric(nil), stageMetrics[s]...)
}
