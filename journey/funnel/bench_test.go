package funnel

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

// benchLog is a log of 10 million events by 1 million users, 10 events each over a few
// hours, sorted by time as an event store would export it. Each event is one of the five
// funnel steps or one of three other events.
var benchLog = sync.OnceValue(func() []journey.Event {
	const users, perUser = 1_000_000, 10
	rng := rand.New(rand.NewPCG(1, 1))
	names := []string{"visit", "view", "cart", "checkout", "purchase", "search", "scroll", "help"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	type draw struct {
		t    int64
		user int32
		name int32
	}
	draws := make([]draw, 0, users*perUser)
	for u := range users {
		t := rng.Int64N(int64(30 * 24 * time.Hour))
		for range perUser {
			t += rng.Int64N(int64(30 * time.Minute))
			draws = append(draws, draw{t, int32(u), int32(rng.IntN(len(names)))})
		}
	}
	slices.SortFunc(draws, func(a, b draw) int { return cmp.Compare(a.t, b.t) })
	ids := make([]string, users)
	for u := range ids {
		ids[u] = "user-" + strconv.Itoa(u)
	}
	events := make([]journey.Event, len(draws))
	for i, d := range draws {
		events[i] = journey.Event{User: ids[d.user], Name: names[d.name], Time: start.Add(time.Duration(d.t))}
	}
	return events
})

// benchLogOwnStrings is benchLog with a copy of the user id in every event, as a CSV
// reader produces: the ids lie in memory in the order of the events.
var benchLogOwnStrings = sync.OnceValue(func() []journey.Event {
	events := slices.Clone(benchLog())
	for i := range events {
		events[i].User = strings.Clone(events[i].User)
	}
	return events
})

// benchLogByUser is benchLog sorted by user, then time, as a query ordered by user
// exports it: not sorted by time, but each user's events are.
var benchLogByUser = sync.OnceValue(func() []journey.Event {
	events := slices.Clone(benchLog())
	slices.SortStableFunc(events, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
	return events
})

func benchFunnel(order Order, anchor Anchor) Funnel {
	return Funnel{
		Steps:   []Step{{Event: "visit"}, {Event: "view"}, {Event: "cart"}, {Event: "checkout"}, {Event: "purchase"}},
		Window:  2 * time.Hour,
		Order:   order,
		Anchor:  anchor,
		Workers: 1,
	}
}

func benchmarkRun(b *testing.B, f Funnel) {
	benchmarkRunLog(b, f, benchLog())
}

func benchmarkRunLog(b *testing.B, f Funnel, events []journey.Event) {
	b.ReportAllocs()
	var r Runner
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := r.Run(f, events); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	// On a loaded machine the CPU time of the process is steadier than the wall time.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(len(events))*float64(b.N)/cpu.Seconds(), "cpu-events/s")
}

// BenchmarkRun10M runs a five-step ordered funnel over 10 million events by 1 million
// users on one core. The target is 20 million events per second.
func BenchmarkRun10M(b *testing.B) { benchmarkRun(b, benchFunnel(Ordered, LatestStart)) }

// BenchmarkRun10MOwnStrings is BenchmarkRun10M with a separate user string per event.
func BenchmarkRun10MOwnStrings(b *testing.B) {
	benchmarkRunLog(b, benchFunnel(Ordered, LatestStart), benchLogOwnStrings())
}

// BenchmarkRun10MByUser is BenchmarkRun10M over the log sorted by user.
func BenchmarkRun10MByUser(b *testing.B) {
	benchmarkRunLog(b, benchFunnel(Ordered, LatestStart), benchLogByUser())
}

// BenchmarkGroup10M runs BenchmarkRun10M's funnel on the grouping path, which a log
// whose users' events are out of time order takes.
func BenchmarkGroup10M(b *testing.B) {
	f := benchFunnel(Ordered, LatestStart)
	events := benchLog()
	ms := f.compile()
	var r Runner
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		u, err := r.group(&f, events, ms, 1, 0)
		if err != nil {
			b.Fatal(err)
		}
		// As Run does, which hands the buffers back for the next run.
		u.workers, u.fan = 1, r.fanOut
		if _, err := u.result(&f); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func BenchmarkRun10MFirstStart(b *testing.B) { benchmarkRun(b, benchFunnel(Ordered, FirstStart)) }

func BenchmarkRun10MStrict(b *testing.B) { benchmarkRun(b, benchFunnel(Strict, LatestStart)) }

func BenchmarkRun10MAny(b *testing.B) { benchmarkRun(b, benchFunnel(Any, LatestStart)) }

func BenchmarkRun10MExclusion(b *testing.B) {
	f := benchFunnel(Ordered, LatestStart)
	f.Exclusions = []Exclusion{{Event: "help", From: 1, To: 3}}
	benchmarkRun(b, f)
}

func BenchmarkRun10MBreakdown(b *testing.B) {
	f := benchFunnel(Ordered, LatestStart)
	f.BreakdownBy = "country"
	benchmarkRun(b, f)
}

// BenchmarkRun10MWorkers is BenchmarkRun10M with one and two workers, alternately.
func BenchmarkRun10MWorkers(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			f := benchFunnel(Ordered, LatestStart)
			f.Workers = w
			benchmarkRun(b, f)
		})
	}
}
