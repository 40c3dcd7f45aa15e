package attribution

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/stats"
	"github.com/cxmetrics/cxmetrics/journey"
)

// Direct is the touchpoint that [PathsFromEvents] gives a conversion with no touchpoint in
// its lookback window, as Google Analytics' "(direct)" channel, so that every conversion
// is counted.
const Direct = "(direct)"

// PathsFromEvents builds the paths of every user from an event log, and aggregates
// identical paths; see [TimedPathsFromEvents] for how and for the errors. Paths come in
// order of their first appearance (users in order of their first event).
func PathsFromEvents(events []journey.Event, conversionEvent string, lookback time.Duration) ([]Path, error) {
	timed, last, err := timedPaths(events, conversionEvent, lookback)
	if err != nil {
		return nil, err
	}
	agg, _, err := aggregate(events, timed, last, false)
	if err != nil {
		return nil, err
	}
	paths := make([]Path, len(agg))
	for i, t := range agg {
		paths[i] = t.Path()
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
// aggregated: their conversions, values and nulls are added, without overflow in the
// partial sums.
//
// The errors are [*cxmetrics.InputError] values: an empty event log, an empty
// conversionEvent or a negative lookback (Index -1); at the index of the event, an event
// with an empty User ([cxmetrics.ErrEmpty], as every reader of event logs rejects it), a
// conversion Value that is not finite, the conversion values of one aggregated path that
// sum beyond the float64 range ([cxmetrics.ErrNotFinite], naming the user of the last
// conversion added), and a touchpoint more than 292 years (the range of [time.Duration])
// before the end of its path ([cxmetrics.ErrOutOfRange]; one outside the lookback window
// is dropped instead).
func TimedPathsFromEvents(events []journey.Event, conversionEvent string, lookback time.Duration) ([]TimedPath, error) {
	timed, last, err := timedPaths(events, conversionEvent, lookback)
	if err != nil {
		return nil, err
	}
	paths, _, err := aggregate(events, timed, last, true)
	return paths, err
}

// pathSums accumulates the numbers of one aggregated path.
type pathSums struct {
	conversions, value, nulls scaledSum
	last                      int // the event that closes the path added last
}

// aggregate merges the paths of timed whose channels (and, with times, Before times) are
// equal, in order of first appearance, and returns with them the aggregated path of each
// path of timed. last[k] is the index of the event that closes timed[k]. A value that sums beyond the float64 range is an error naming the user of the
// last path added to it; the counts cannot overflow, being at most the number of events.
func aggregate(events []journey.Event, timed []TimedPath, last []int, times bool) ([]TimedPath, []int, error) {
	index := make(map[string]int)
	of := make([]int, len(timed))
	var paths []TimedPath
	var sums []pathSums
	var key strings.Builder
	for k, t := range timed {
		key.Reset()
		for _, tc := range t.Touches {
			key.WriteString(strconv.Itoa(len(tc.Channel)))
			key.WriteByte(':')
			key.WriteString(tc.Channel)
			if times {
				key.WriteString(strconv.FormatInt(int64(tc.Before), 10))
				key.WriteByte(';')
			}
		}
		i, ok := index[key.String()]
		if !ok {
			i = len(paths)
			index[key.String()] = i
			paths = append(paths, t)
			sums = append(sums, pathSums{})
		}
		of[k] = i
		s := &sums[i]
		s.conversions.add(t.Conversions)
		s.value.add(t.Value)
		s.nulls.add(t.Nulls)
		s.last = last[k]
	}
	for i := range paths {
		s := &sums[i]
		p := &paths[i]
		p.Conversions, p.Value, p.Nulls = s.conversions.value(), s.value.value(), s.nulls.value()
		if !stats.Finite(p.Value) {
			e := &events[s.last]
			return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "conversion value of user " + strconv.Quote(e.User), Index: s.last, Value: e.Value, Err: cxmetrics.ErrNotFinite,
				Detail: "(the conversion values of its path sum beyond the float64 range)"}
		}
	}
	return paths, of, nil
}

// timedPaths builds one path per conversion and one per trailing run of touchpoints, and
// returns with them the index of the event that closes each: the conversion, or the last
// touchpoint.
func timedPaths(events []journey.Event, conversionEvent string, lookback time.Duration) ([]TimedPath, []int, error) {
	if len(events) == 0 {
		return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "events", Index: -1, Value: 0, Err: cxmetrics.ErrEmpty}
	}
	if conversionEvent == "" {
		return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "conversion event", Index: -1, Value: `""`, Err: cxmetrics.ErrEmpty}
	}
	if lookback < 0 {
		return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "lookback", Index: -1, Value: lookback, Err: cxmetrics.ErrOutOfRange, Detail: "[0, +Inf)"}
	}
	byUser := make(map[string][]int)
	var users []string
	for i := range events {
		e := &events[i]
		if e.User == "" {
			return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "event user", Index: i, Value: `""`, Err: cxmetrics.ErrEmpty}
		}
		if e.Name == conversionEvent && !stats.Finite(e.Value) {
			return nil, nil, &cxmetrics.InputError{Pkg: "attribution", What: "conversion value", Index: i, Value: e.Value, Err: cxmetrics.ErrNotFinite}
		}
		if e.Name != conversionEvent && e.Channel == "" {
			continue
		}
		if _, ok := byUser[e.User]; !ok {
			users = append(users, e.User)
		}
		byUser[e.User] = append(byUser[e.User], i)
	}
	// before returns the time from touchpoint j to event i, and false when it does not
	// fit in a time.Duration.
	before := func(j, i int) (time.Duration, bool) {
		d := events[i].Time.Sub(events[j].Time)
		return d, events[j].Time.Add(d).Equal(events[i].Time)
	}
	tooOld := func(j, i int) error {
		return &cxmetrics.InputError{Pkg: "attribution", What: "touchpoint time", Index: j, Value: events[j].Time.Format(time.RFC3339Nano), Err: cxmetrics.ErrOutOfRange,
			Detail: fmt.Sprintf("(more than 292 years before the event at index %d)", i)}
	}
	var paths []TimedPath
	var last []int
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
				d, ok := before(j, i)
				switch {
				case !ok && lookback == 0:
					return nil, nil, tooOld(j, i)
				case ok && (lookback == 0 || d <= lookback):
					p.Touches = append(p.Touches, Touch{Channel: events[j].Channel, Before: d})
				}
			}
			if len(p.Touches) == 0 {
				p.Touches = []Touch{{Channel: Direct}}
			}
			paths = append(paths, p)
			last = append(last, i)
			pending = pending[:0]
		}
		if len(pending) > 0 {
			end := pending[len(pending)-1]
			p := TimedPath{Nulls: 1}
			for _, j := range pending {
				d, ok := before(j, end)
				if !ok {
					return nil, nil, tooOld(j, end)
				}
				p.Touches = append(p.Touches, Touch{Channel: events[j].Channel, Before: d})
			}
			paths = append(paths, p)
			last = append(last, end)
		}
	}
	return paths, last, nil
}
