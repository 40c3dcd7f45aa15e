package journey

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/intern"
)

// DefaultSessionGap is the inactivity that ends a session when [Sessions] is given a gap
// of 0: 30 minutes, as in Google Analytics and Adobe Analytics.
const DefaultSessionGap = 30 * time.Minute

// Session is a run of one user's events in which no two consecutive events are a session
// gap or more apart.
type Session struct {
	User   string
	Start  time.Time // time of the first event
	End    time.Time // time of the last event
	Events []Event   // the session's events in time order; shares memory with the other sessions
}

// Duration returns End - Start: the time from the first to the last event. It is a lower
// bound of the time spent, since a log does not say when the user left after the last event.
func (s Session) Duration() time.Duration { return s.End.Sub(s.Start) }

// Sessions splits each user's events into sessions: sorted by time, a user's event starts
// a new session when it comes gap or more after that user's previous event. A gap of 0
// means [DefaultSessionGap]. Sessions do not end at midnight or on a change of campaign,
// as Google Analytics' do; split the events first if you need that.
//
// The events need not be sorted, and events at the same time keep their input order.
// Sessions are returned ordered by user, then by start time; their Events are a sorted
// copy of the input, which is not modified. An empty user name is an
// [*cxmetrics.InputError] wrapping [cxmetrics.ErrEmpty] at the event's index, and a
// negative gap, or a time more than 2^63 seconds before 1970, one wrapping
// [cxmetrics.ErrOutOfRange]. No events give no sessions. The events are numbered with
// int32: more than 2^31 - 1 events is an error wrapping [cxmetrics.ErrTooLarge].
func Sessions(events []Event, gap time.Duration) ([]Session, error) {
	if gap < 0 {
		return nil, inputErr("gap", -1, gap, cxmetrics.ErrOutOfRange, "(must be >= 0)")
	}
	if gap == 0 {
		gap = DefaultSessionGap
	}
	if len(events) > math.MaxInt32 {
		return nil, inputErr("events", -1, len(events), cxmetrics.ErrTooLarge, "(at most 2^31 - 1)")
	}
	for i := range events {
		switch e := &events[i]; {
		case e.User == "":
			return nil, inputErr("user", i, `""`, cxmetrics.ErrEmpty, "")
		case e.Time.Before(minSortable):
			return nil, inputErr("time", i, e.Time, cxmetrics.ErrOutOfRange, "(more than 2^63 seconds before 1970)")
		}
	}
	if len(events) == 0 {
		return nil, nil
	}
	keys, err := sortKeys(events)
	if err != nil {
		return nil, err
	}
	sorted := make([]Event, len(events))
	for i, k := range keys {
		sorted[i] = events[k.idx]
	}
	newSession := func(i int) bool {
		return i == len(sorted) || keys[i].user != keys[i-1].user || sorted[i].Time.Sub(sorted[i-1].Time) >= gap
	}
	n := 0
	for i := 1; i <= len(sorted); i++ {
		if newSession(i) {
			n++
		}
	}
	out := make([]Session, 0, n)
	start := 0
	for i := 1; i <= len(sorted); i++ {
		if !newSession(i) {
			continue
		}
		evs := sorted[start:i:i]
		out = append(out, Session{User: evs[0].User, Start: evs[0].Time, End: evs[len(evs)-1].Time, Events: evs})
		start = i
	}
	return out, nil
}

// minSortable is the earliest time whose Unix seconds fit an int64, which sessionKey
// holds; earlier times (some 292 billion years ago) would sort as the latest.
var minSortable = time.Unix(math.MinInt64, 0)

// sessionKey is what Sessions sorts: compact, so that the sort moves 24 bytes per event
// and compares integers, not strings.
type sessionKey struct {
	sec  int64
	nsec int32
	user int32 // rank of the user name in sorted order
	idx  int32 // position in the input, to keep ties in input order
}

// sortKeys returns the events' keys sorted by user name, time and input position.
func sortKeys(events []Event) ([]sessionKey, error) {
	var users intern.IDs
	keys := make([]sessionKey, len(events))
	for i := range events {
		e := &events[i]
		id, ok := users.ID(e.User)
		if !ok {
			return nil, inputErr("user", i, strconv.Quote(e.User), cxmetrics.ErrTooLarge, "(more than 2^31 - 1 distinct users)")
		}
		keys[i] = sessionKey{sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), user: id, idx: int32(i)}
	}
	byName := make([]int32, users.Len())
	for i := range byName {
		byName[i] = int32(i)
	}
	slices.SortFunc(byName, func(a, b int32) int { return cmp.Compare(users.Name(a), users.Name(b)) })
	rank := make([]int32, len(byName))
	for r, id := range byName {
		rank[id] = int32(r)
	}
	for i := range keys {
		keys[i].user = rank[keys[i].user]
	}
	slices.SortFunc(keys, func(a, b sessionKey) int {
		switch {
		case a.user != b.user:
			return cmp.Compare(a.user, b.user)
		case a.sec != b.sec:
			return cmp.Compare(a.sec, b.sec)
		case a.nsec != b.nsec:
			return cmp.Compare(a.nsec, b.nsec)
		}
		return cmp.Compare(a.idx, b.idx)
	})
	return keys, nil
}

// Engagement says which sessions count as engaged, after Google Analytics 4: a session is
// engaged when it lasted at least MinDuration, had at least MinPageViews page or screen
// views, or had a conversion (a GA4 key event). The zero value is GA4's definition where
// every event is a page view.
//
// GA4 measures duration as foreground engagement time; from an event log the duration is
// that of [Session.Duration], from the first to the last event, so a single long page view
// counts as engaged only if it logged a later event.
type Engagement struct {
	MinDuration  time.Duration // 0 means 10 s
	MinPageViews int           // 0 means 2
	PageViews    []string      // event names that are page or screen views; nil means every event
	Conversions  []string      // event names that are conversions (key events)
}

// SessionStats counts sessions by the two bounce definitions.
type SessionStats struct {
	Sessions   int `json:"sessions"`
	SinglePage int `json:"single_page"` // sessions with fewer than two page views (Universal Analytics bounces)
	Engaged    int `json:"engaged"`     // sessions engaged as Engagement defines
}

// SummarizeSessions counts the sessions, the single-page sessions and the engaged sessions
// by the rules of e. A session is single-page when it has fewer than two page views: with
// nil e.PageViews, a session of one event, Universal Analytics' bounce. No sessions is
// [cxmetrics.ErrEmpty]; a negative MinDuration or MinPageViews is
// [cxmetrics.ErrOutOfRange].
func SummarizeSessions(sessions []Session, e Engagement) (SessionStats, error) {
	var st SessionStats
	if len(sessions) == 0 {
		return st, inputErr("sessions", -1, "[]", cxmetrics.ErrEmpty, "")
	}
	rules, err := newEngagementRules(e)
	if err != nil {
		return st, err
	}
	for _, s := range sessions {
		views, converted := 0, false
		for i := range s.Events {
			c := rules.class(s.Events[i].Name)
			views += int(c & classView)
			converted = converted || c&classConversion != 0
		}
		rules.tally(&st, views, s.Duration(), converted)
	}
	return st, nil
}

func nameSet(names []string) map[string]bool {
	if names == nil {
		return nil
	}
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// BounceRate returns [BounceRate] (Universal Analytics) of the counted sessions.
func (s SessionStats) BounceRate() (float64, error) {
	return BounceRate(float64(s.SinglePage), float64(s.Sessions))
}

// EngagementRate returns [EngagementRate] (Google Analytics 4) of the counted sessions.
func (s SessionStats) EngagementRate() (float64, error) {
	return EngagementRate(float64(s.Engaged), float64(s.Sessions))
}

// GA4BounceRate returns [GA4BounceRate] of the counted sessions.
func (s SessionStats) GA4BounceRate() (float64, error) {
	return GA4BounceRate(float64(s.Engaged), float64(s.Sessions))
}
