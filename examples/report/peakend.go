package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/cxmetrics/cxmetrics/peakend"
)

// worstJourneys is how many of the journeys remembered worst the report lists.
const worstJourneys = 5

// PeakEndSection compares what customers remember of their support journeys with what
// happened in them.
type PeakEndSection struct {
	Journeys int          `json:"journeys"`
	Rated    int          `json:"rated"`
	Rule     peakend.Rule `json:"rule"`
	// Model regresses the ratings on peak, end, mean and duration; nil when it cannot be
	// fitted, with ModelNote saying why.
	Model     *peakend.Model  `json:"model,omitempty"`
	ModelNote string          `json:"model_note,omitempty"`
	Worst     []JourneyMemory `json:"worst"`
	Best      JourneyMemory   `json:"best"`
}

// JourneyMemory is one journey: the remembered score by the rule and the duration-weighted
// mean of its moments.
type JourneyMemory struct {
	ID         string   `json:"id"`
	Moments    int      `json:"moments"`
	Remembered float64  `json:"remembered"`
	Mean       float64  `json:"mean"`
	Rating     *float64 `json:"rating,omitempty"`
	index      int
}

func peakEndSection(e *experiences) (*PeakEndSection, error) {
	if len(e.ids) == 0 {
		return nil, fmt.Errorf("the moments file has no rows")
	}
	// On a bipolar scale the most intense moment is the one farthest from 0; on a scale of
	// positive values, the one farthest from the middle of the values seen.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ms := range e.moments {
		for _, m := range ms {
			lo, hi = min(lo, m.Value), max(hi, m.Value)
		}
	}
	rule := peakend.Classic
	if lo >= 0 {
		rule.Neutral = lo + (hi-lo)/2
	}
	s := &PeakEndSection{Journeys: len(e.ids), Rule: rule}
	var list []JourneyMemory
	var rated [][]peakend.Moment
	var ratings []float64
	for i, ms := range e.moments {
		r, err := peakend.Remembered(rule, ms)
		if err != nil {
			return nil, fmt.Errorf("journey %s: %w", e.ids[i], err)
		}
		mean, err := peakend.Mean(ms)
		if err != nil {
			return nil, fmt.Errorf("journey %s: %w", e.ids[i], err)
		}
		j := JourneyMemory{ID: e.ids[i], Moments: len(ms), Remembered: r, Mean: mean, index: i}
		if !math.IsNaN(e.ratings[i]) {
			rating := e.ratings[i]
			j.Rating = &rating
			rated = append(rated, ms)
			ratings = append(ratings, rating)
		}
		list = append(list, j)
	}
	s.Rated = len(ratings)
	slices.SortStableFunc(list, func(a, b JourneyMemory) int { return cmp.Compare(a.Remembered, b.Remembered) })
	s.Worst = list[:min(worstJourneys, len(list))]
	s.Best = list[len(list)-1]
	if s.Rated == 0 {
		s.ModelNote = "no journey has a rating, so the weights of peak, end and mean cannot be fitted"
		return s, nil
	}
	m, err := peakend.FitRule(rule, rated, ratings)
	if err != nil {
		s.ModelNote = fmt.Sprintf("the %d rated journeys do not support a fit: %v", s.Rated, err)
		return s, nil
	}
	s.Model = &m
	return s, nil
}
