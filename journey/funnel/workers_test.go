package funnel

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// TestWorkersSpeedup runs the benchmark funnel with 1 and 2 workers alternately,
// CXBENCH_FUNNEL_WORKERS times each, on the benchmark log sorted by time (with shared
// and with separate id strings), sorted by user, and in no order (grouped), and prints
// for each the best and the median wall time and process CPU time (user+sys), and the
// critical path in CPU time: the CPU time of the calling goroutine outside the workers
// plus, for each fan-out of workers, the largest CPU time of one of its workers (each
// worker measured on its own locked thread). On a machine whose cores other processes
// share, the wall time says little, and CPU(1 worker) / critical path(2 workers) is the
// speedup that two free cores would give. A garbage collection precedes every run. It
// runs only when that variable is set, as it takes a minute or more.
func TestWorkersSpeedup(t *testing.T) {
	reps, _ := strconv.Atoi(os.Getenv("CXBENCH_FUNNEL_WORKERS"))
	if reps <= 0 {
		t.Skip("set CXBENCH_FUNNEL_WORKERS to time 1 and 2 workers")
	}
	scrambled := func() []journey.Event {
		// Each user's events reversed in place keep the users' positions but not the
		// time order: the log is grouped.
		events := slices.Clone(benchLogByUser())
		for i := 0; i < len(events); {
			j := i
			for j < len(events) && events[j].User == events[i].User {
				j++
			}
			slices.Reverse(events[i:j])
			i = j
		}
		return events
	}
	logs := []struct {
		name   string
		events func() []journey.Event
	}{
		{"time-sorted", benchLog},
		{"time-sorted, own strings", benchLogOwnStrings},
		{"user-sorted", benchLogByUser},
		{"grouped", scrambled},
	}
	if only := os.Getenv("CXBENCH_FUNNEL_LOG"); only != "" {
		logs = slices.DeleteFunc(logs, func(l struct {
			name   string
			events func() []journey.Event
		}) bool {
			return !strings.HasPrefix(l.name, only)
		})
	}
	for _, l := range logs {
		events := l.events()
		type sample struct{ wall, cpu, path time.Duration }
		samples := map[int][]sample{}
		runners := map[int]*Runner{1: new(Runner), 2: new(Runner)}
		var want Result
		for rep := range reps + 1 {
			for _, workers := range []int{1, 2} {
				f := benchFunnel(Ordered, LatestStart)
				f.Workers = workers
				r := runners[workers]
				// The largest worker CPU time of each fan-out, and the sum over all.
				var mu sync.Mutex
				var path, inWorkers time.Duration
				var fan []time.Duration
				r.tune.around = func(w int, work func(int)) {
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					c0 := threadCPU()
					work(w)
					c := threadCPU() - c0
					mu.Lock()
					fan = append(fan, c)
					inWorkers += c
					mu.Unlock()
				}
				r.tune.fanned = func() {
					mu.Lock()
					if len(fan) > 0 {
						path += slices.Max(fan)
					}
					fan = fan[:0]
					mu.Unlock()
				}
				runtime.GC() // so that no collection of the large logs falls in a timed run
				c0, t0 := cpuTime(), time.Now()
				res, err := r.Run(f, events)
				wall, cpu := time.Since(t0), cpuTime()-c0
				if err != nil {
					t.Fatal(err)
				}
				if rep == 0 {
					if workers == 1 {
						want = res
					} else if !equalResults(want, res) {
						t.Fatalf("%s: 2 workers disagree with 1", l.name)
					}
					continue // warm-up
				}
				if workers == 1 {
					path, inWorkers = 0, 0
				}
				samples[workers] = append(samples[workers], sample{wall, cpu, cpu - inWorkers + path})
			}
		}
		load, _ := os.ReadFile("/proc/loadavg")
		stat := func(workers int, get func(sample) time.Duration) (time.Duration, time.Duration) {
			var d []time.Duration
			for _, s := range samples[workers] {
				d = append(d, get(s))
			}
			return best(d), median64(d)
		}
		fmt.Printf("%s, %d runs each, load average %s", l.name, reps, load)
		for _, workers := range []int{1, 2} {
			wb, wm := stat(workers, func(s sample) time.Duration { return s.wall })
			cb, cm := stat(workers, func(s sample) time.Duration { return s.cpu })
			pb, pm := stat(workers, func(s sample) time.Duration { return s.path })
			fmt.Printf("  %d worker(s): wall best %.3fs median %.3fs; CPU best %.3fs median %.3fs; critical path best %.3fs median %.3fs\n",
				workers, wb.Seconds(), wm.Seconds(), cb.Seconds(), cm.Seconds(), pb.Seconds(), pm.Seconds())
		}
		w1b, w1m := stat(1, func(s sample) time.Duration { return s.wall })
		w2b, w2m := stat(2, func(s sample) time.Duration { return s.wall })
		c1b, c1m := stat(1, func(s sample) time.Duration { return s.cpu })
		p2b, p2m := stat(2, func(s sample) time.Duration { return s.path })
		fmt.Printf("  speedup: wall %.2fx (best) %.2fx (median); CPU(1) / critical path(2) %.2fx (best) %.2fx (median)\n",
			w1b.Seconds()/w2b.Seconds(), w1m.Seconds()/w2m.Seconds(), c1b.Seconds()/p2b.Seconds(), c1m.Seconds()/p2m.Seconds())
	}
}

// TestWorkersFirstInvalidEvent checks that, with any number of workers checking shares
// of the log, Run names the first invalid event, in logs sorted by time, by user, and
// in no order.
func TestWorkersFirstInvalidEvent(t *testing.T) {
	var byTime []journey.Event
	for i := range 60 {
		byTime = append(byTime, journey.Event{User: "u" + strconv.Itoa(i%7), Name: "A", Time: at(1, i)})
	}
	byUser := slices.Clone(byTime)
	slices.SortStableFunc(byUser, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
	noOrder := slices.Clone(byTime)
	slices.Reverse(noOrder)
	for name, log := range map[string][]journey.Event{"by time": byTime, "by user": byUser, "no order": noOrder} {
		for _, bad := range [][2]int{{0, 59}, {29, 31}, {30, 45}, {44, 50}, {59, 59}} {
			events := slices.Clone(log)
			events[bad[0]].User = ""
			events[bad[1]].Time = time.Time{}
			for workers := 1; workers <= 3; workers++ {
				for _, where := range []bool{false, true} {
					f := Funnel{Steps: steps("A", "A"), Window: time.Hour, Workers: workers}
					if where {
						f.Steps[1].Where = func(journey.Event) bool { return true }
					}
					var r Runner
					r.tune.minEventsPerWorker = 1
					r.tune.chunkEvents = 7
					r.tune.claimEvents = 5
					r.tune.ringChunks = 2
					_, err := r.Run(f, events)
					var ie *cxmetrics.InputError
					if !errors.As(err, &ie) || ie.Index != bad[0] || !errors.Is(err, cxmetrics.ErrEmpty) {
						t.Fatalf("%s, invalid events %v, %d workers, where %v: got %v, want the empty user at index %d",
							name, bad, workers, where, err, bad[0])
					}
				}
				// The grouping path, which Run reaches with validated events only,
				// checks them too, with its workers claiming a few events at a time.
				for claim := 1; claim <= 9; claim += 4 {
					f := Funnel{Steps: steps("A", "A"), Window: time.Hour}
					var r Runner
					r.tune.claimEvents = claim
					_, err := r.group(&f, events, f.compile(), workers, 0)
					var ie *cxmetrics.InputError
					if !errors.As(err, &ie) || ie.Index != bad[0] || !errors.Is(err, cxmetrics.ErrEmpty) {
						t.Fatalf("%s, invalid events %v, %d workers claiming %d: grouping path got %v, want the empty user at index %d",
							name, bad, workers, claim, err, bad[0])
					}
				}
			}
		}
	}
}

// TestStreamByAddress checks the choice between routing by address and by hash, and
// that a user whose events hold the id in two strings owned by two workers sends the
// run back to routing by hash, with the result of one worker.
func TestStreamByAddress(t *testing.T) {
	var shared, own, once []journey.Event
	ids := []string{"a", "b", "c", "d"}
	for i := range 400 {
		e := journey.Event{User: ids[i%4], Name: []string{"A", "B"}[i/4%2], Time: at(1, i)}
		shared = append(shared, e)
		e.User = strings.Clone(e.User)
		own = append(own, e)
		e.User = "user-" + strconv.Itoa(i)
		once = append(once, e)
	}
	mixed := slices.Clone(own)
	for i := range mixed {
		if i%3 == 0 {
			mixed[i].User = shared[i].User
		}
	}
	for name, c := range map[string]struct {
		events []journey.Event
		want   int
	}{"shared": {shared, routeAddr}, "own": {own, routeHashAlone}, "once": {once, routeHash}, "mixed": {mixed, routeHash}} {
		if got := idStrings(c.events); got != c.want {
			t.Errorf("idStrings(%s) = %v, want %v", name, got, c.want)
		}
	}
	// Give user "a" a second string that another worker owns.
	split := slices.Clone(shared)
	other := "a"
	for addrOwner(other, 2) == addrOwner("a", 2) {
		other = strings.Clone("a")
	}
	for i := range split {
		if split[i].User == "a" && i%8 >= 4 {
			split[i].User = other
		}
	}
	f := Funnel{Steps: steps("A", "B"), Window: time.Hour}
	for name, c := range map[string]struct {
		events []journey.Event
		spread bool
	}{"shared": {shared, false}, "split": {split, true}} {
		var r Runner
		r.tune.minEventsPerWorker = 1
		r.tune.chunkEvents = 16
		_, ok, spread, err := r.streamParallel(&f, c.events, f.compile(), 2, routeAddr)
		if err != nil || spread != c.spread || ok == spread {
			t.Fatalf("%s: ok %v, spread %v, err %v; want spread %v", name, ok, spread, err, c.spread)
		}
		r.tune.route = routeAddr
		got, err := r.Run(Funnel{Steps: f.Steps, Window: f.Window, Workers: 2}, c.events)
		if err != nil {
			t.Fatal(err)
		}
		if want := refRun(f, c.events); !equalResults(want, got) {
			t.Fatalf("%s: want %+v\ngot  %+v", name, want, got)
		}
	}
}
