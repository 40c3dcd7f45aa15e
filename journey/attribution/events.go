package attribution

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Direct is the touchpoint that [PathsFromEvents] gives a conversion with no touchpoint in
// its lookback window, as Google Analytics' "(direct)" channel, so that every conversion
// is counted.
const Direct = "(direct)"

// PathsFromEvents builds the paths of every user from an event log, and aggregates
// identical paths; see [TimedPathsFromEvents] for how. Paths come in order of their first
// appearance (users in order of their first event).
func PathsFromEvents(events []journey.Event, conversionEvent string, lookback time.Duration) ([]Path, error) {
	timed, err := timedPaths(events, conversionEvent, lookback)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int)
	var paths []Path
	var key strings.Builder
	for _, t := range timed {
		key.Reset()
		for _, tc := range t.Touches {
			key.WriteString(strconv.Itoa(len(tc.Channel)))
			key.WriteByte(':')
			key.WriteString(tc.Channel)
		}
		if i, ok := index[key.String()]; ok {
			paths[i].Conversions += t.Conversions
			paths[i].Value += t.Value
			paths[i].Nulls += t.Nulls
			continue
		}
		index[key.String()] = len(paths)
		paths = append(paths, t.Path())
	}
	return paths, nil
}

// TimedPathsFromEvents builds the paths of every user from an event log.
//
// A touchpoint is an event with a Channel whose Name is not conversionEvent; other events
// without a Channel are ignored. Each user's events are taken in time order (ties in input
// order). An event named conversionEvent closes a converting path (Conversions 1, Value the
// event's Value) made of the user's touchpoints since their previous conversion that lie
// within lookback before it; older touchpoints are dropped from that path, and a
// conversion with none left gets the one touchpoint [Direct]. The conversion event itself
// is never a touchpoint, even if it has a Channel. The touchpoints after a user's last
// conversion form a path with Nulls 1 (its Before times measured to its last touch).
// lookback 0 means no limit; a negative lookback is an error.
//
// Identical paths (the same channels at the same times before conversion) are
// aggregated. An empty event log, an empty conversionEvent or a conversion Value that is
// not finite is an error.
func TimedPathsFromEvents(events []journey.Event, conversionEvent string, lookback time.Duration) ([]TimedPath, error) {
	timed, err := timedPaths(events, conversionEvent, lookback)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int)
	var paths []TimedPath
	var key strings.Builder
	for _, t := range timed {
		key.Reset()
		for _, tc := range t.Touches {
			key.WriteString(strconv.Itoa(len(tc.Channel)))
			key.WriteByte(':')
			key.WriteString(tc.Channel)
			key.WriteString(strconv.FormatInt(int64(tc.Before), 10))
			key.WriteByte(';')
		}
		if i, ok := index[key.String()]; ok {
			paths[i].Conversions += t.Conversions
			paths[i].Value += t.Value
			paths[i].Nulls += t.Nulls
			continue
		}
		index[key.String()] = len(paths)
		paths = append(paths, t)
	}
	return paths, nil
}

// timedPaths builds one path per conversion and one per trailing run of touchpoints.
func timedPaths(events []journey.Event, conversionEvent string, lookback time.Duration) ([]TimedPath, error) {
	if len(events) == 0 {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "events", Index: -1, Value: 0, Err: cxmetrics.ErrEmpty}
	}
	if conversionEvent == "" {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "conversion event", Index: -1, Value: `""`, Err: cxmetrics.ErrEmpty}
	}
	if lookback < 0 {
		return nil, &cxmetrics.InputError{Pkg: "attribution", What: "lookback", Index: -1, Value: lookback, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
	}
	byUser := make(map[string][]int)
	var users []string
	for i, e := range events {
		if e.Name == conversionEvent && !finite(e.Value) {
			return nil, &cxmetrics.InputError{Pkg: "attribution", What: "conversion value", Index: i, Value: e.Value, Err: cxmetrics.ErrNotFinite}
		}
		if e.Name != conversionEvent && e.Channel == "" {
			continue
		}
		if _, ok := byUser[e.User]; !ok {
			users = append(users, e.User)
		}
		byUser[e.User] = append(byUser[e.User], i)
	}
	var paths []TimedPath
	for _, u := range users {
		idx := byUser[u]
		slices.SortStableFunc(idx, func(a, b int) int { return events[a].Time.Compare(events[b].Time) })
		var pending []int // touchpoints since the previous conversion
		for _, i := range idx {
			e := &events[i]
			if e.Name != conversionEvent {
				pending = append(pending, i)
				continue
			}
			p := TimedPath{Conversions: 1, Value: e.Value}
			for _, j := range pending {
				before := e.Time.Sub(events[j].Time)
				if lookback == 0 || before <= lookback {
					p.Touches = append(p.Touches, Touch{Channel: events[j].Channel, Before: before})
				}
			}
			if len(p.Touches) == 0 {
				p.Touches = []Touch{{Channel: Direct}}
			}
			paths = append(paths, p)
			pending = pending[:0]
		}
		if len(pending) > 0 {
			end := events[pending[len(pending)-1]].Time
			p := TimedPath{Nulls: 1}
			for _, j := range pending {
				p.Touches = append(p.Touches, Touch{Channel: events[j].Channel, Before: end.Sub(events[j].Time)})
			}
			paths = append(paths, p)
		}
	}
	return paths, nil
}
