package journey

import "time"

// Event is one thing a user did at one time: a page view, a cart creation, a purchase, a
// support contact. It is the one event type that the journey packages share: funnels,
// cohorts, attribution paths and CLV transactions are all built from []Event.
type Event struct {
	User    string            `json:"user"`              // who did it
	Name    string            `json:"event"`             // what they did, e.g. "signup", "purchase"
	Time    time.Time         `json:"time"`              // when
	Channel string            `json:"channel,omitempty"` // the touchpoint or marketing channel, if any
	Value   float64           `json:"value,omitempty"`   // revenue or another amount, if any
	Props   map[string]string `json:"props,omitempty"`   // further properties, e.g. "country"
}
