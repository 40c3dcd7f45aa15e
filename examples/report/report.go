package main

import (
	"errors"
	"sync"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/ces"
	"github.com/cxmetrics/cxmetrics/csat"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
	"github.com/cxmetrics/cxmetrics/nps"
)

// Report is everything the report computes. The text, the HTML page and the JSON object
// are three views of it.
type Report struct {
	Data DataInfo `json:"data"`
	// NPS, CSAT and CES are the packages' Results over all responses (weighted when the
	// file has weights); nil without answers.
	NPS    *nps.Result    `json:"nps"`
	CSAT   *csat.Result   `json:"csat"`
	CES    *ces.Result    `json:"ces"`
	Scores []ScoreSummary `json:"scores"`
	// WRS is the willingness-to-recommend share, the top two boxes (9-10) of the nps
	// question, as csat computes it on its Recommend scale; nil without NPS answers.
	WRS         *ScoreSummary       `json:"wrs"`
	Segments    []*SegmentTable     `json:"segments"`
	Trends      []*TrendTable       `json:"trends"`
	Drivers     *DriversSection     `json:"drivers"`
	Stages      []StageReport       `json:"stages"`
	Funnel      *FunnelSection      `json:"funnel"`
	Cohorts     *cohort.Table       `json:"cohorts"`
	Attribution *AttributionSection `json:"attribution"`
	CLV         *CLVSection         `json:"clv"`
	PeakEnd     *PeakEndSection     `json:"peakend"`
	// Unavailable says, for each part the data cannot support, why: keys are "scores.nps",
	// "segments.csat", "trend.ces", "drivers", "stages", "funnel", "cohorts",
	// "attribution", "clv" and "peakend".
	Unavailable map[string]string `json:"unavailable"`
	// Charts lists the chart files written to the output directory, without extension.
	Charts []string `json:"charts"`
}

// DataInfo describes the input files.
type DataInfo struct {
	Synthetic bool           `json:"synthetic"`
	Responses *ResponsesInfo `json:"responses"`
	Events    *EventsInfo    `json:"events"`
	Moments   *MomentsInfo   `json:"moments"`
	Currency  string         `json:"currency"`
}

// ResponsesInfo describes the survey file.
type ResponsesInfo struct {
	File     string          `json:"file"`
	Rows     int             `json:"rows"`
	Scores   []string        `json:"scores"`
	Dated    bool            `json:"dated"`
	Segments bool            `json:"segments"`
	Weighted bool            `json:"weighted"`
	Drivers  []string        `json:"drivers"`
	Ignored  []ignoredColumn `json:"ignored_columns"`
}

// EventsInfo describes the event log.
type EventsInfo struct {
	File   string    `json:"file"`
	Events int       `json:"events"`
	Users  int       `json:"users"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// MomentsInfo describes the moments file.
type MomentsInfo struct {
	File     string `json:"file"`
	Journeys int    `json:"journeys"`
	Moments  int    `json:"moments"`
}

// build computes the report. A part that the data cannot support is left nil and its
// reason recorded in Unavailable; build itself does not fail. The survey and the event
// log are analysed at the same time, each into a report of its own that build merges.
func build(in *inputs, o options) *Report {
	survey, events := newReport(), newReport()
	var s *shop
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if in.responses != nil {
			surveySections(survey, in.responses, in.files[0])
		} else {
			for _, k := range []string{"scores", "segments", "trend", "drivers"} {
				survey.Unavailable[k] = "no survey responses given (-responses)"
			}
		}
		if in.moments != nil {
			peakEndPart(survey, in)
		} else {
			survey.Unavailable["peakend"] = "no moments file given (-moments)"
		}
	}()
	if in.hasEvents() {
		events.Data.Events = eventsInfo(in)
		s = journeySections(events, in, o)
	} else {
		for _, k := range []string{"funnel", "cohorts", "attribution", "clv"} {
			events.Unavailable[k] = "no event log given (-events)"
		}
	}
	wg.Wait()

	rep := survey
	rep.Data.Synthetic, rep.Data.Currency, rep.Data.Events = in.sample, o.currency, events.Data.Events
	rep.Funnel, rep.Cohorts, rep.Attribution, rep.CLV = events.Funnel, events.Cohorts, events.Attribution, events.CLV
	for k, v := range events.Unavailable {
		rep.Unavailable[k] = v
	}
	if _, bad := rep.Unavailable["stages"]; !bad {
		stages, err := stageReports(s, overall(rep, "nps"), rep.WRS, rep.CLV, o)
		if err != nil {
			rep.Unavailable["stages"] = err.Error()
		} else {
			rep.Stages = stages
		}
	}
	return rep
}

func newReport() *Report {
	return &Report{Unavailable: map[string]string{}, Scores: []ScoreSummary{}, Segments: []*SegmentTable{}, Trends: []*TrendTable{}}
}

func peakEndPart(rep *Report, in *inputs) {
	n := 0
	for _, ms := range in.moments.moments {
		n += len(ms)
	}
	rep.Data.Moments = &MomentsInfo{File: in.files[2], Journeys: len(in.moments.ids), Moments: n}
	if pe, err := peakEndSection(in.moments); err != nil {
		rep.Unavailable["peakend"] = err.Error()
	} else {
		rep.PeakEnd = pe
	}
}

func surveySections(rep *Report, d *responses, file string) {
	info := &ResponsesInfo{File: file, Rows: d.rows, Dated: d.hasDate, Segments: d.hasSeg, Weighted: d.weights != nil,
		Scores: []string{}, Drivers: []string{}, Ignored: d.ignored}
	for _, c := range d.drivers {
		info.Drivers = append(info.Drivers, c.name)
	}
	rep.Data.Responses = info
	for k, kd := range kinds {
		if d.scores[k] == nil {
			why := "the responses have no " + kd.key + " column"
			rep.Unavailable["scores."+kd.key] = why
			rep.Unavailable["segments."+kd.key] = why
			rep.Unavailable["trend."+kd.key] = why
			continue
		}
		info.Scores = append(info.Scores, kd.key)
		sc, sum, err := scoreAll(d, k)
		if err != nil {
			why := kd.name + " cannot be computed: " + err.Error()
			if errors.Is(err, cxmetrics.ErrEmpty) {
				why = "no " + kd.name + " answers (or their weights are all 0)"
			}
			rep.Unavailable["scores."+kd.key] = why
			rep.Unavailable["segments."+kd.key] = why
			rep.Unavailable["trend."+kd.key] = why
			continue
		}
		switch r := sc.result.(type) {
		case nps.Result:
			rep.NPS = &r
		case csat.Result:
			rep.CSAT = &r
		case ces.Result:
			rep.CES = &r
		}
		rep.Scores = append(rep.Scores, sum)
		if kd.key == "nps" {
			if wrs, err := recommendShare(d); err == nil {
				rep.WRS = &wrs
			}
		}
		if !d.hasSeg {
			rep.Unavailable["segments."+kd.key] = "the responses have no segment column"
		} else if t, err := segmentTable(d, k); err != nil {
			rep.Unavailable["segments."+kd.key] = err.Error()
		} else {
			rep.Segments = append(rep.Segments, t)
		}
		if !d.hasDate {
			rep.Unavailable["trend."+kd.key] = "the responses have no date column"
		} else if t, err := trendTable(d, k); err != nil {
			rep.Unavailable["trend."+kd.key] = err.Error()
		} else {
			rep.Trends = append(rep.Trends, t)
		}
	}
	if dr, err := keyDrivers(d); err != nil {
		rep.Unavailable["drivers"] = err.Error()
	} else {
		rep.Drivers = dr
	}
}

func eventsInfo(in *inputs) *EventsInfo {
	info := &EventsInfo{File: in.files[1], Events: len(in.events)}
	users := map[string]bool{}
	for i, e := range in.events {
		users[e.User] = true
		if i == 0 || e.Time.Before(info.From) {
			info.From = e.Time
		}
		if i == 0 || e.Time.After(info.To) {
			info.To = e.Time
		}
	}
	info.Users = len(users)
	return info
}

// journeySections runs the sections of the event log, each in its own goroutine: they
// only read the events.
func journeySections(rep *Report, in *inputs, o options) *shop {
	if len(in.events) == 0 {
		for _, k := range []string{"stages", "funnel", "cohorts", "attribution", "clv"} {
			rep.Unavailable[k] = "the event log has no events"
		}
		return nil
	}
	var s *shop
	keys := []string{"funnel", "cohorts", "attribution", "clv", "stages"}
	var errs [5]error
	var wg sync.WaitGroup
	for i, f := range []func() error{
		func() (err error) { rep.Funnel, err = funnelSection(in.events, o); return err },
		func() (err error) { rep.Cohorts, err = cohortSection(in.events, o); return err },
		func() (err error) { rep.Attribution, err = attributionSection(in.events, o); return err },
		func() (err error) { rep.CLV, err = clvSection(in.events, o); return err },
		func() (err error) { s, err = countShop(in.events, o); return err },
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			rep.Unavailable[keys[i]] = err.Error()
		}
	}
	return s
}
