package main

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/cxmetrics/cxmetrics/peakend"
)

//go:embed testdata/moments.csv
var momentsCSV []byte

func readMoments() (experiences [][]peakend.Moment, ratings []float64, err error) {
	rows, err := csv.NewReader(bytes.NewReader(momentsCSV)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("moments: %w", err)
	}
	index := map[string]int{}
	for i, r := range rows[1:] {
		value, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("moments line %d: value: %w", i+2, err)
		}
		secs, err := strconv.Atoi(r[3])
		if err != nil {
			return nil, nil, fmt.Errorf("moments line %d: seconds: %w", i+2, err)
		}
		rating, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			return nil, nil, fmt.Errorf("moments line %d: rating: %w", i+2, err)
		}
		j, ok := index[r[0]]
		if !ok {
			j = len(experiences)
			index[r[0]] = j
			experiences = append(experiences, nil)
			ratings = append(ratings, rating)
		}
		experiences[j] = append(experiences[j], peakend.Moment{Value: value, Duration: time.Duration(secs) * time.Second})
	}
	return experiences, ratings, nil
}

func peakEndSection(w io.Writer) error {
	heading(w, "Support journeys: what customers remember (peak-end rule)")
	experiences, ratings, err := readMoments()
	if err != nil {
		return err
	}
	// Valence runs from -5 to 5, so the peak is the most intense moment (Classic).
	m, err := peakend.FitRule(peakend.Classic, experiences, ratings)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d journeys rated 0-10 afterwards; rating = %.2f + %.2f peak + %.2f end + %.2f mean + %.4f per second\n",
		m.N, m.Intercept, m.Peak, m.End, m.Mean, m.Duration)
	fmt.Fprintf(w, "adjusted R² %.2f with peak and end, %.2f with the mean alone\n", m.AdjR2, m.MeanOnlyAdjR2)
	type worst struct {
		i                int
		remembered, mean float64
	}
	var list []worst
	for i, e := range experiences {
		r, err := peakend.Remembered(peakend.Classic, e)
		if err != nil {
			return err
		}
		mean, err := peakend.Mean(e)
		if err != nil {
			return err
		}
		list = append(list, worst{i, r, mean})
	}
	sort.Slice(list, func(a, b int) bool { return list[a].remembered < list[b].remembered })
	fmt.Fprintln(w, "journeys remembered worst (valence -5..5):")
	for _, x := range list[:3] {
		fmt.Fprintf(w, "  journey %3d: remembered %5.2f, duration-weighted mean %5.2f, rated %.1f\n", x.i+1, x.remembered, x.mean, ratings[x.i])
	}
	return nil
}
