//go:build unix

// Command eventbench writes the event logs of the bench/ scripts and times the journey
// package on them, for comparison with DuckDB on the same files in the same run.
//
//	eventbench gen-read FILE      the funnel benchmark's log: 10 million events by 1 million
//	                              users, columns user,event,time (Unix seconds to the ns)
//	eventbench gen-sessions FILE  2.9 million events by 1 million users over 30 days
//	eventbench read FILE          times journey.ReadEventsCSV; prints the heap kept per event
//	eventbench sessions FILE      reads FILE, then times journey.SummarizeEventSessions and
//	                              journey.Sessions with SummarizeSessions
//
// Every line it prints is "name: seconds wall, seconds user+sys CPU, result".
package main

import (
	"bufio"
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/cxmetrics/cxmetrics/journey"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: eventbench gen-read|gen-sessions|read|sessions FILE")
		os.Exit(2)
	}
	var err error
	switch file := os.Args[2]; os.Args[1] {
	case "gen-read":
		err = genRead(file)
	case "gen-sessions":
		err = genSessions(file)
	case "read":
		err = read(file)
	case "sessions":
		err = sessions(file)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "eventbench:", err)
		os.Exit(1)
	}
}

// draw is one generated event: nanoseconds after the start, user and event name.
type draw struct {
	t          int64
	user, name int32
}

var names = []string{"visit", "view", "cart", "checkout", "purchase", "search", "scroll", "help"}

// genRead writes journey/funnel's benchmark log (bench_test.go, benchLog): the same
// generator and seed, 10 events per user a few minutes apart, sorted by time.
func genRead(file string) error {
	const users, perUser = 1_000_000, 10
	rng := rand.New(rand.NewPCG(1, 1))
	draws := make([]draw, 0, users*perUser)
	for u := range users {
		t := rng.Int64N(int64(30 * 24 * time.Hour))
		for range perUser {
			t += rng.Int64N(int64(30 * time.Minute))
			draws = append(draws, draw{t, int32(u), int32(rng.IntN(len(names)))})
		}
	}
	return write(file, draws)
}

// genSessions writes 1 million users with 1 to 5 events each at uniform times over 30
// days, sorted by time: 2.9 events per user on average (one in twenty users has a single
// event, the others 1 to 5 with equal chances: 0.05 + 0.95 * 3), most of them a session of
// their own, as in a log of occasional visits.
func genSessions(file string) error {
	const users = 1_000_000
	rng := rand.New(rand.NewPCG(2, 2))
	var draws []draw
	for u := range users {
		k := 1 + rng.IntN(5)
		if rng.IntN(20) == 0 {
			k = 1
		}
		for range k {
			draws = append(draws, draw{rng.Int64N(int64(30 * 24 * time.Hour)), int32(u), int32(rng.IntN(len(names)))})
		}
	}
	return write(file, draws)
}

func write(file string, draws []draw) error {
	slices.SortFunc(draws, func(a, b draw) int { return cmp.Compare(a.t, b.t) })
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	w.WriteString("user,event,time\n")
	var b []byte
	for _, d := range draws {
		b = append(b[:0], "user-"...)
		b = strconv.AppendInt(b, int64(d.user), 10)
		b = append(b, ',')
		b = append(b, names[d.name]...)
		b = append(b, ',')
		b = strconv.AppendInt(b, start+d.t/1e9, 10)
		b = strconv.AppendInt(b, 1e9+d.t%1e9, 10) // a leading 1, then nine decimals
		b[len(b)-10] = '.'
		b = append(b, '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// cpu returns the process's user plus system CPU time.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timed runs f and prints its wall and CPU time and its result.
func timed(name string, f func() (string, error)) error {
	w0, c0 := time.Now(), cpu()
	res, err := f()
	if err != nil {
		return err
	}
	fmt.Printf("%s: %.3f s wall, %.3f s user+sys, %s\n", name, time.Since(w0).Seconds(), (cpu() - c0).Seconds(), res)
	return nil
}

func read(file string) error {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var events []journey.Event
	err := timed("go ReadEventsCSV", func() (string, error) {
		f, err := os.Open(file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		events, err = journey.ReadEventsCSV(f)
		return fmt.Sprintf("%d events", len(events)), err
	})
	if err != nil {
		return err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	fmt.Printf("go heap kept: %.1f bytes per event\n", (float64(after.HeapAlloc)-float64(before.HeapAlloc))/float64(len(events)))
	runtime.KeepAlive(events)
	return nil
}

func sessions(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	events, err := journey.ReadEventsCSV(f)
	f.Close()
	if err != nil {
		return err
	}
	runtime.GC()
	eng := journey.Engagement{PageViews: []string{"view"}, Conversions: []string{"purchase"}}
	for range 3 {
		err := timed("go SummarizeEventSessions", func() (string, error) {
			st, err := journey.SummarizeEventSessions(events, 0, eng)
			return fmt.Sprintf("%d sessions, %d single-page, %d engaged", st.Sessions, st.SinglePage, st.Engaged), err
		})
		if err != nil {
			return err
		}
	}
	return timed("go Sessions+SummarizeSessions", func() (string, error) {
		s, err := journey.Sessions(events, 0)
		if err != nil {
			return "", err
		}
		st, err := journey.SummarizeSessions(s, eng)
		return fmt.Sprintf("%d sessions, %d single-page, %d engaged", st.Sessions, st.SinglePage, st.Engaged), err
	})
}
