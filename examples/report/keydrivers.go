package main

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cxmetrics/cxmetrics/drivers"
)

// bootstrapResamples is the number of resamples behind the key drivers' intervals.
const bootstrapResamples = 400

// DriversSection is the key driver analysis of the survey's outcome question.
type DriversSection struct {
	Outcome   string              `json:"outcome"` // the score column whose answer is explained
	Scale     drivers.Scale       `json:"scale"`
	Analysis  drivers.Analysis    `json:"analysis"`
	Intervals *drivers.Intervals  `json:"intervals,omitempty"`
	Notes     []string            `json:"notes,omitempty"`
	Quadrants map[string][]string `json:"quadrants"` // quadrant name: its drivers
}

// keyDrivers explains the first score question the file has (NPS, else CSAT, else CES)
// by the driver ratings.
func keyDrivers(d *responses) (*DriversSection, error) {
	if len(d.drivers) == 0 {
		return nil, errors.New("the responses have no driver ratings (numeric columns besides date, segment, nps, csat, ces and weight)")
	}
	k := -1
	for i := range kinds {
		if d.scores[i] != nil {
			k = i
			break
		}
	}
	y := make([]float64, d.rows)
	for i, v := range d.scores[k] {
		y[i] = math.NaN()
		if v != unanswered {
			y[i] = float64(v)
		}
	}
	x := make([][]float64, len(d.drivers))
	names := make([]string, len(d.drivers))
	lo, hi := math.Inf(1), math.Inf(-1)
	for j, c := range d.drivers {
		x[j], names[j] = c.values, c.name
		for _, v := range c.values {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	scale, err := driverScale(lo, hi)
	if err != nil {
		return nil, err
	}
	opt := drivers.Options{Scale: scale, Names: names}
	a, err := drivers.Analyze(y, x, opt)
	if err != nil {
		return nil, err
	}
	s := &DriversSection{Outcome: kinds[k].key, Scale: scale, Analysis: a, Quadrants: map[string][]string{}}
	for _, dr := range a.Drivers {
		q := dr.Quadrant.String()
		s.Quadrants[q] = append(s.Quadrants[q], dr.Name)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	if iv, err := drivers.Bootstrap(y, x, opt, rng, bootstrapResamples, level); err == nil {
		s.Intervals = &iv
	} else {
		s.Notes = append(s.Notes, "no bootstrap intervals: "+err.Error())
	}
	return s, nil
}

// driverScale picks the usual scale that holds every driver rating.
func driverScale(lo, hi float64) (drivers.Scale, error) {
	for _, s := range []drivers.Scale{drivers.FivePoint, drivers.SevenPoint, drivers.ZeroToTen} {
		if lo >= s.Min && hi <= s.Max {
			return s, nil
		}
	}
	return drivers.Scale{}, fmt.Errorf("driver ratings run from %g to %g, which fits no 1-5, 1-7 or 0-10 scale", lo, hi)
}
