package journey

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// benchEvents returns n events of about n/10 users spread over 30 days.
func benchEvents(n int) []Event {
	rng := rand.New(rand.NewPCG(1, 1))
	names := []string{"page_view", "add_to_cart", "purchase", "scroll"}
	events := make([]Event, n)
	for i := range events {
		events[i] = Event{
			User:  "user" + strconv.Itoa(rng.IntN(n/10+1)),
			Name:  names[rng.IntN(len(names))],
			Time:  t0.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))).Truncate(time.Second),
			Value: float64(rng.IntN(10000)) / 100,
		}
		if i%3 == 0 {
			events[i].Props = map[string]string{"country": "FR"}
		}
	}
	return events
}

func BenchmarkReadEventsCSV(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteEventsCSV(&buf, benchEvents(100_000)); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadEventsCSV(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/event")
}

func BenchmarkWriteEventsCSV(b *testing.B) {
	events := benchEvents(100_000)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteEventsCSV(&buf, events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/event")
}

func BenchmarkSessions(b *testing.B) {
	events := benchEvents(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sessions(events, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1_000_000, "ns/event")
}

func BenchmarkSummarizeSessions(b *testing.B) {
	sessions, err := Sessions(benchEvents(1_000_000), 0)
	if err != nil {
		b.Fatal(err)
	}
	e := Engagement{PageViews: []string{"page_view"}, Conversions: []string{"purchase"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SummarizeSessions(sessions, e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTotalSiteVisits(b *testing.B) {
	v := make([]float64, 1_000_000)
	for i := range v {
		v[i] = float64(i % 1000)
	}
	b.SetBytes(8 * int64(len(v)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TotalSiteVisits(v); err != nil {
			b.Fatal(err)
		}
	}
}
