package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// FuzzReport feeds arbitrary files to the readers and whatever they accept to every
// section, the text, the JSON, the charts and the page: nothing may panic or fail, and
// every error of the report's own readers must be a *cxmetrics.ParseError.
func FuzzReport(f *testing.F) {
	f.Add([]byte("date,segment,nps,csat,ces,weight,speed\n2026-01-02,a,9,4,6,1,4\n2026-02-03,b,3,2,2,0.5,1\n2026-02-04,b,10,5,7,2,5\n"),
		[]byte("user,event,time,channel,value\nu,visit,2026-01-01T00:00:00Z,a,\nu,purchase,2026-01-01T00:10:00Z,,10\nu,visit,2026-02-01T00:00:00Z,b,\nu,purchase,2026-02-01T00:10:00Z,,12\n"),
		[]byte("journey,value,duration,rating\nj,1,10,5\nj,-3,20,\nk,2,0,7\n"))
	f.Add([]byte("nps\n"), []byte("user,event,time\n"), []byte("journey,value,duration\n"))
	f.Add([]byte("nps,weight\n0,0\n10,0\n"), []byte("user,event,time,value\nu,purchase,1,5\nu,purchase,1,5\n"), []byte("journey,value,duration\nj,0,0\n"))
	f.Add(sampleResponses[:4000], sampleEvents[:6000], sampleMoments[:2000])
	f.Fuzz(func(t *testing.T, responses, events, moments []byte) {
		in := &inputs{files: [3]string{"r", "e", "m"}}
		var err error
		if in.responses, err = readResponses(bytes.NewReader(responses)); err != nil {
			checkFileError(t, err)
			in.responses = nil
		}
		if in.events, err = journey.ReadEventsCSV(bytes.NewReader(events)); err != nil {
			in.events = nil
		}
		if in.moments, err = readMoments(bytes.NewReader(moments)); err != nil {
			checkFileError(t, err)
			in.moments = nil
		}
		o, err := parseFlags([]string{"-currency", "EUR"})
		if err != nil {
			t.Fatal(err)
		}
		rep := build(in, o)
		writeText(io.Discard, rep, o)
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		cs, err := charts(rep, in)
		if err != nil {
			t.Fatalf("charts: %v", err)
		}
		var done []rendered
		for _, c := range cs {
			svg, err := renderSVG(c)
			if err != nil {
				t.Fatalf("chart %s: %v", c.name, err)
			}
			done = append(done, rendered{c, svg})
		}
		if err := writeHTML(io.Discard, rep, done); err != nil {
			t.Fatal(err)
		}
	})
}

func checkFileError(t *testing.T, err error) {
	t.Helper()
	var pe *cxmetrics.ParseError
	if !errors.As(err, &pe) {
		t.Errorf("file error %v (%T) is not a *cxmetrics.ParseError", err, err)
	}
}
