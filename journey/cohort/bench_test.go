package cohort

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

// benchEvents returns n events of n/10 users over 90 days.
func benchEvents(n int) []journey.Event {
	rng := rand.New(rand.NewPCG(1, 1))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	events := make([]journey.Event, n)
	for i := range events {
		events[i] = journey.Event{
			User: "user" + strconv.Itoa(rng.IntN(n/10+1)),
			Name: "open",
			Time: base.Add(time.Duration(rng.Int64N(int64(90 * 24 * time.Hour)))),
		}
	}
	return events
}

func benchmarkBuild(b *testing.B, o Options) {
	events := benchEvents(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(events, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(events)), "ns/event")
}

func BenchmarkBuildCalendarDay(b *testing.B) { benchmarkBuild(b, Options{Period: Day}) }
func BenchmarkBuildRollingDay(b *testing.B)  { benchmarkBuild(b, Options{Period: Day, Window: Rolling}) }
func BenchmarkBuildCalendarWeekNewYork(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	benchmarkBuild(b, Options{Period: Week, Location: ny})
}
