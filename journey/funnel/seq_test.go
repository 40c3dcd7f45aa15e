package funnel

import (
	"errors"
	"iter"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/journey"
)

// seqOf yields the events of a slice.
func seqOf(events []journey.Event) iter.Seq2[journey.Event, error] {
	return func(yield func(journey.Event, error) bool) {
		for _, e := range events {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// TestRunSeqMatchesReference compares RunSeq with the reference on random logs sorted by
// time and sorted by user and time, with every setting of randomCase.
func TestRunSeqMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	c := func(n int) int { return rng.IntN(n) }
	var r Runner
	for i := range randomCases {
		f, events := randomCase(c)
		order := SeqOrder(c(2))
		events = sortedByTime(events)
		if order == ByUser {
			slices.SortStableFunc(events, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
		}
		got, err := r.RunSeq(f, order, seqOf(events))
		if err != nil {
			t.Fatal(err)
		}
		if want := refRun(f, events); !equalResults(want, got) {
			t.Fatalf("case %d, order %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", i, order, f, events, want, got)
		}
	}
}

// TestRunSeqErrors checks that RunSeq names the first event that breaks the promised
// order, passes on the sequence's errors and reports invalid events as Run does.
func TestRunSeqErrors(t *testing.T) {
	f := Funnel{Steps: steps("A", "B")}
	bad := errors.New("disk on fire")
	tests := []struct {
		name   string
		order  SeqOrder
		events []journey.Event
		want   error
		index  int
		detail string
	}{
		{"time goes back", ByTime, []journey.Event{ev("u", "A", at(1, 0)), ev("v", "A", at(1, 5)), ev("u", "B", at(1, 4))},
			cxmetrics.ErrOutOfRange, 2, `user "u"`},
		{"user's time goes back", ByUser, []journey.Event{ev("u", "A", at(1, 0)), ev("u", "A", at(1, 5)), ev("u", "B", at(1, 4))},
			cxmetrics.ErrOutOfRange, 2, "each user's events"},
		{"user comes back", ByUser, []journey.Event{ev("u", "A", at(1, 0)), ev("v", "A", at(1, 5)), ev("u", "B", at(1, 6))},
			cxmetrics.ErrOutOfRange, 2, `after user "v"`},
		{"empty user", ByTime, []journey.Event{ev("u", "A", at(1, 0)), ev("", "A", at(1, 5))}, cxmetrics.ErrEmpty, 1, "user"},
		{"no events", ByUser, nil, cxmetrics.ErrEmpty, -2, ""},
		{"unknown order", SeqOrder(2), nil, cxmetrics.ErrUnknownLabel, -1, ""},
	}
	var r Runner
	for _, tt := range tests {
		_, err := r.RunSeq(f, tt.order, seqOf(tt.events))
		if !errors.Is(err, tt.want) {
			t.Fatalf("%s: error %v, want %v", tt.name, err, tt.want)
		}
		var ie *cxmetrics.InputError
		if errors.As(err, &ie) != (tt.index != -2) || ie != nil && ie.Index != tt.index {
			t.Fatalf("%s: error %v, want index %d", tt.name, err, tt.index)
		}
		if !strings.Contains(err.Error(), tt.detail) || !strings.HasPrefix(err.Error(), "funnel: ") {
			t.Errorf("%s: message %q", tt.name, err)
		}
	}
	failing := func(yield func(journey.Event, error) bool) {
		if yield(ev("u", "A", at(1, 0)), nil) {
			yield(journey.Event{}, bad)
		}
	}
	if _, err := r.RunSeq(f, ByTime, failing); !errors.Is(err, bad) || !strings.Contains(err.Error(), "event 1") {
		t.Errorf("sequence error: %v", err)
	}
}

// TestRunSeq20M streams 20 million generated events by 500,000 users, in time order,
// through a five-step funnel without holding them, and checks that the heap stays under
// 300 MB, sampling it while the funnel runs. It takes several seconds, so it runs only
// with CXMETRICS_FUNNEL_20M=1: go test -run TestRunSeq20M -v ./journey/funnel/.
func TestRunSeq20M(t *testing.T) {
	if os.Getenv("CXMETRICS_FUNNEL_20M") == "" {
		t.Skip("set CXMETRICS_FUNNEL_20M=1 to stream 20 million events")
	}
	const n, users = 20_000_000, 500_000
	names := []string{"visit", "view", "cart", "checkout", "purchase", "search", "scroll", "help"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	gen := func(yield func(journey.Event, error) bool) {
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range n {
			e := journey.Event{
				User: "user-" + strconv.Itoa(rng.IntN(users)),
				Name: names[rng.IntN(len(names))],
				Time: start.Add(time.Duration(i) * time.Millisecond),
			}
			if !yield(e, nil) {
				return
			}
		}
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := before.HeapInuse
	done := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		p := peak
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				sampled <- p
				return
			case <-tick.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				p = max(p, m.HeapInuse)
			}
		}
	}()
	f := benchFunnel(Ordered, LatestStart)
	var r Runner
	t0 := time.Now()
	res, err := r.RunSeq(f, ByTime, gen)
	elapsed := time.Since(t0)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	close(done)
	peak = max(<-sampled, after.HeapInuse)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d events, %d users in %v; heap in use %d MB before, %d MB at the peak; reached %v",
		n, res.Users, elapsed, before.HeapInuse>>20, peak>>20, reached(res))
	if grown := peak - before.HeapInuse; grown > 300<<20 {
		t.Errorf("heap grew by %d MB, want under 300 MB", grown>>20)
	}
	if res.Users < users/2 || res.Steps[4].Reached == 0 {
		t.Errorf("implausible result %v", reached(res))
	}
}

// FuzzRunSeq draws a funnel and a log from the fuzzer's bytes and feeds the log to
// RunSeq as it is, sorted by time and sorted by user: in order, the result must equal
// the reference; out of order, the error must wrap ErrOutOfRange.
func FuzzRunSeq(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{3, 0, 0, 1, 1, 2, 2, 0, 1, 0, 1, 0, 20, 0, 0, 1, 0, 1, 1, 0, 2, 2, 0, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, events := randomCase(bytesChooser(data))
		byUser := sortedByTime(events)
		slices.SortStableFunc(byUser, func(a, b journey.Event) int { return strings.Compare(a.User, b.User) })
		var r Runner
		for k, in := range []struct {
			order  SeqOrder
			events []journey.Event
		}{{ByTime, events}, {ByUser, events}, {ByTime, sortedByTime(events)}, {ByUser, byUser}} {
			got, err := r.RunSeq(fn, in.order, seqOf(in.events))
			if err != nil {
				if k >= 2 || !errors.Is(err, cxmetrics.ErrOutOfRange) {
					t.Fatalf("order %d: error %v", in.order, err)
				}
				continue
			}
			if want := refRun(fn, in.events); !equalResults(want, got) {
				t.Fatalf("order %d: funnel %+v\nevents %v\nwant %+v\ngot  %+v", in.order, fn, in.events, want, got)
			}
		}
	})
}
