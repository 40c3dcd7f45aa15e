// Command cohortbench writes the benchmark log of bench/cohort.sh and times cohort.Build on
// it.
//
//	cohortbench gen -users 1000000 -out events.csv   writes the log
//	cohortbench run -in events.csv -reps 3 -cells cells.txt
//
// The log: each user starts on one of 60 days from 2024-03-01 in Europe/Berlin (across the
// change to summer time on 2024-03-31) at a uniform time of day and comes back a
// geometric number of times, each 1 + Geometric(0.3) days after the previous visit at a
// random time of day, until 2024-04-30: 2.9 events per user on average, 1 711 finished
// cells. Times are Unix seconds; the file is sorted by time. run reads the file (untimed), builds daily calendar cohorts in Europe/Berlin
// reps times, prints the best and median times, and writes the finished "return on day
// N" cells (N >= 1) as "cohort-date N eligible active" lines.
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"
	_ "time/tzdata"

	"github.com/cxmetrics/cxmetrics/journey"
	"github.com/cxmetrics/cxmetrics/journey/cohort"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		log.Fatal("usage: cohortbench gen|run [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	users := fs.Int("users", 1_000_000, "users (gen)")
	out := fs.String("out", "events.csv", "output CSV (gen)")
	in := fs.String("in", "events.csv", "input CSV (run)")
	reps := fs.Int("reps", 3, "timed runs of Build (run)")
	cells := fs.String("cells", "", "file for the finished cells (run)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs (run)")
	if err := fs.Parse(os.Args[2:]); err != nil {
		log.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		log.Fatal(err)
	}
	switch os.Args[1] {
	case "gen":
		gen(*users, *out, berlin)
	case "run":
		run(*in, *reps, *cells, *profile, berlin)
	default:
		log.Fatalf("unknown command %q", os.Args[1])
	}
}

// returnP is the chance of one more visit, chosen so that the log has 2.9 events per
// user within its 60 days.
const returnP = 0.70

func gen(users int, out string, loc *time.Location) {
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(2024, 3))
	type visit struct {
		t int64
		u int
	}
	var visits []visit
	line := func(u int, t int64) { visits = append(visits, visit{t, u}) }
	for u := range users {
		day := time.Date(2024, 3, 1+rng.IntN(60), 0, 0, 0, 0, loc)
		next := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
		t := day.Unix() + rng.Int64N(next.Unix()-day.Unix())
		line(u, t)
		end := time.Date(2024, 4, 30, 0, 0, 0, 0, loc).Unix()
		for rng.Float64() < returnP {
			gap := 1
			for rng.Float64() >= 0.3 {
				gap++
			}
			d := time.Unix(t, 0).In(loc)
			d = time.Date(d.Year(), d.Month(), d.Day()+gap, 0, 0, 0, 0, loc)
			e := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
			t = d.Unix() + rng.Int64N(e.Unix()-d.Unix())
			if t >= end {
				break
			}
			line(u, t)
		}
	}
	// In time order, as an event store exports a log.
	slices.SortStableFunc(visits, func(a, b visit) int { return cmp.Compare(a.t, b.t) })
	fmt.Fprintln(w, "user,event,time")
	for _, v := range visits {
		w.WriteString("u")
		w.WriteString(strconv.Itoa(v.u))
		w.WriteString(",open,")
		w.WriteString(strconv.FormatInt(v.t, 10))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d events by %d users, sorted by time\n", len(visits), users)
}

func run(in string, reps int, cellsOut, profile string, loc *time.Location) {
	f, err := os.Open(in)
	if err != nil {
		log.Fatal(err)
	}
	events, err := journey.ReadEventsCSV(bufio.NewReaderSize(f, 1<<20))
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	o := cohort.Options{Period: cohort.Day, Location: loc}
	if profile != "" {
		p, err := os.Create(profile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(p); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	var times []time.Duration
	var t cohort.Table
	for range reps {
		start := time.Now()
		t, err = cohort.Build(events, o)
		times = append(times, time.Since(start))
		if err != nil {
			log.Fatal(err)
		}
	}
	slices.Sort(times)
	finished := 0
	var w *bufio.Writer
	if cellsOut != "" {
		f, err := os.Create(cellsOut)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		w = bufio.NewWriter(f)
		defer w.Flush()
	}
	for _, c := range t.Cohorts {
		for _, x := range c.Cells[1:] {
			finished++
			if w != nil {
				fmt.Fprintf(w, "%s %d %d %d\n", c.Start.Format("2006-01-02"), x.Period, x.Eligible, x.Active)
			}
		}
	}
	fmt.Printf("go Build: %d events, %d cohorts, %d finished cells: best %.3f s, median %.3f s\n",
		len(events), len(t.Cohorts), finished, times[0].Seconds(), times[len(times)/2].Seconds())
}
