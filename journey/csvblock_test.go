package journey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// scanAll collects ScanEventsCSV, the sequential reference of ReadEventsCSV.
func scanAll(r io.Reader) ([]Event, error) { return collect(ScanEventsCSV(r)) }

// sameRead reports how the parallel read of in, in blocks of about size bytes, differs
// from the sequential reference: in its events, or in its error's message, line,
// column and column name. It returns "" when they agree.
func sameRead(in string, size int) string {
	want, wantErr := scanAll(strings.NewReader(in))
	got, err := readEventsCSV(strings.NewReader(in), size)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		return "error " + errString(err) + ", want " + errString(wantErr)
	}
	var pe, wpe *cxmetrics.ParseError
	if errors.As(err, &pe) != errors.As(wantErr, &wpe) || pe != nil && (pe.Line != wpe.Line || pe.Column != wpe.Column || pe.Name != wpe.Name) {
		return "error position differs: " + errString(err)
	}
	if len(got) != len(want) || (got == nil) != (want == nil) {
		return "event count differs"
	}
	for i := range want {
		if !sameEvent(got[i], want[i]) {
			return "event differs"
		}
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Inputs that take every path of the parallel reader: the fast one, quotes and line
// feeds inside quotes, carriage returns, blank lines, and errors of every kind.
var blockCases = []string{
	"",
	"\n\n",
	"\ufeff",
	"user,event,time\n",
	"user,event,time",
	"\n\nuser,event,time\nu,e,1\n\n\nv,f,2\n",
	"user,event,time\nu,e,1\nu,e,2\nu,e,3\nu,e,4\nu,e,5\nu,e,6",
	"user,event,time\r\nu,e,1\r\nu,e,2\r\n\r\nu,e,3\r",
	"user,event,time\nu\r,e,1\nu,e\r,2\n",
	"user,event,time,value,channel,plan\nu1,view,1709285400.25,,email,\nu2,buy,2024-03-01T09:30:00+01:00, 19.99 ,,pro\nu1,view, 5 ,-0,email,pro\n",
	"user,event,time,note\nu,e,1,\"a\nb\"\nu,e,2,\"c\"\"d\"\nu,e,3,x\nu,e,x,\n",
	"user,event,time,note\nu,e,1,\"a\r\nb\"\nu,\"e\",2,\"\"\n",
	"user,event,time\nu,e\"x,1\nu,e,2\n",
	"user,event,time\nu,e,1\nu,\"e\nu,e,2\nu,e,3\n",
	"user,event,time\nu,e,1\nu,e\nu,e,2\n",
	"user,event,time\nu,e,1\nu,e,1,1\n",
	"user,event,time\nu,e,1\n,e,2\n",
	"user,event,time\nu,e,1\nu,,2\n",
	"user,event,time,value\nu,e,1,1\nu,e,2,NaN\n",
	"user,event,time,value\nu,e,1,1\nu,e,2,1e400\n",
	"user,event,time,value\nu,e,1,1\nu,e,2,1e-400\n",
	"user,event,time\nu,e,1\nu,e,253402300800\n",
	"user,event,time\nu,e,1\nu,e,1.1234567891\n",
	"user,event,time,USER\nu,e,1,2\n",
	"\"user\",event,\"time\nu,e,1\n",
	"\ufeff\"user\",\"event\",\"time\"\nu,e,1\n",
}

func TestReadEventsCSVBlocks(t *testing.T) {
	for _, in := range blockCases {
		for _, size := range []int{1, 3, 8, 17, 64, 1 << 20} {
			if d := sameRead(in, size); d != "" {
				t.Errorf("%q in blocks of %d: %s", in, size, d)
			}
		}
	}
}

// failAfter reads in and then fails with errInput; it does not say its length.
type failAfter struct{ in io.Reader }

var errInput = errors.New("input failed")

func (r *failAfter) Read(b []byte) (int, error) {
	n, err := r.in.Read(b)
	if err == io.EOF {
		err = errInput
	}
	return n, err
}

// sameStream is sameRead for inputs that do not say their size, whose result grows as
// it is read, and for inputs that fail after cut bytes (cut < 0: never).
func sameStream(in string, size, cut int) string {
	src := func() io.Reader {
		if cut < 0 || cut > len(in) {
			return struct{ io.Reader }{strings.NewReader(in)}
		}
		return &failAfter{strings.NewReader(in[:cut])}
	}
	want, wantErr := scanAll(src())
	got, err := readEventsCSV(src(), size)
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		return "error " + errString(err) + ", want " + errString(wantErr)
	}
	if (err != nil) && !errors.Is(err, errInput) != !errors.Is(wantErr, errInput) {
		return "input error lost"
	}
	if len(got) != len(want) || (got == nil) != (want == nil) {
		return "event count differs"
	}
	for i := range want {
		if !sameEvent(got[i], want[i]) {
			return "event differs"
		}
	}
	return ""
}

// Inputs whose first block has longer lines than the rest, so that the result sized
// from it must grow.
var growCases = []string{
	"user,event,time\n" + strings.Repeat("a-long-user-id,e,1709285400.123456789\n", 3) + strings.Repeat("u,e,1\n", 200),
	"user,event,time,note\n" + strings.Repeat("a-long-user-id,e,1,\"x\ny\"\n", 3) + strings.Repeat("u,e,1,\n", 200) + "u,e,x,\n",
}

func TestReadEventsCSVStreams(t *testing.T) {
	for _, in := range append(blockCases, growCases...) {
		for _, size := range []int{1, 8, 64, 1 << 20} {
			for _, cut := range []int{-1, 0, 5, len(in) / 2, len(in) - 1, len(in)} {
				if d := sameStream(in, size, cut); d != "" {
					t.Errorf("%q in blocks of %d, failing after %d bytes: %s", in, size, cut, d)
				}
			}
		}
	}
	for _, in := range growCases {
		if d := sameRead(in, 64); d != "" {
			t.Errorf("%q: %s", in, d)
		}
	}
}

// FuzzReadEventsCSVStreams is FuzzReadEventsCSVBlocks on inputs that do not say their
// size or that fail after some bytes.
func FuzzReadEventsCSVStreams(f *testing.F) {
	for _, in := range append(blockCases, growCases...) {
		f.Add(in, uint8(5), -1)
		f.Add(in, uint8(17), len(in)/2)
	}
	f.Fuzz(func(t *testing.T, in string, size uint8, cut int) {
		if d := sameStream(in, int(size%64)+1, cut); d != "" {
			t.Fatal(d)
		}
	})
}

// FuzzReadEventsCSVBlocks checks the parallel reader against the sequential one on
// arbitrary files cut into blocks of 1 to 64 bytes: the same events, or the same first
// error at the same line and column.
func FuzzReadEventsCSVBlocks(f *testing.F) {
	for _, in := range blockCases {
		f.Add(in, uint8(5))
	}
	f.Fuzz(func(t *testing.T, in string, size uint8) {
		if d := sameRead(in, int(size%64)+1); d != "" {
			t.Fatal(d)
		}
	})
}

// TestReadEventsCSVLarge reads a generated file of a million events (200,000 under -race
// or -short) in blocks of 64 KB, checks every event, and measures the heap that the
// events keep: the live heap after a collection, less the one before the read and the
// input's bytes, per event. A journey.Event is 88 bytes on a 64-bit machine (three
// strings of 16, a time.Time of 24, a float64 and a map pointer); the rest is the
// interned user ids and names, one id of 11 bytes or less for ten events, and the
// slice's spare capacity: it is sized from the first block with a margin of 2%.
func TestReadEventsCSVLarge(t *testing.T) {
	n := 1_000_000
	if raceEnabled || testing.Short() {
		n = 200_000
	}
	users := n / 10 // ten events per user, as in the funnel's benchmark log
	data, err := io.ReadAll(newGenLog(n, users))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	events, err := readEventsCSV(bytes.NewReader(data), 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(data)
	perEvent := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / float64(n)
	if len(events) != n {
		t.Fatalf("%d events, want %d", len(events), n)
	}
	for i, e := range events {
		sec, nsec := genTime(i)
		if e.Time.Unix() != sec || int64(e.Time.Nanosecond()) != nsec || e.Name != genNames[i%7%len(genNames)] || e.Props != nil {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	// Spot-check the user ids, which the loop above leaves out for speed.
	for _, i := range []int{0, 1, users - 1, users, n - 1} {
		if want := "user-" + strconv.Itoa(i%users); events[i].User != want {
			t.Errorf("event %d: user %q, want %q", i, events[i].User, want)
		}
	}
	t.Logf("%d events, %.1f bytes of heap kept per event", n, perEvent)
	if perEvent > 100 {
		t.Errorf("%.1f bytes of heap per event, want at most 100", perEvent)
	}
	runtime.KeepAlive(events)
}

// TestParseUnixNano checks the eight-digits-at-a-time reader of times against parseUnix
// on random times of its form and on random strings of twenty bytes of digits, points,
// signs and other bytes: wherever parseUnixNano reads a time, parseUnix reads the same,
// and every time of the form it takes (no sign) it reads.
func TestParseUnixNano(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300000 {
		var s []byte
		if i%3 == 0 {
			s = fmt.Appendf(nil, "%010d.%09d", r.Int64N(1e10), r.Int64N(1e9))
		} else {
			s = make([]byte, 20)
			for k := range s {
				s[k] = "0123456789./:;+-a 9"[r.IntN(19)]
			}
			if i%2 == 0 {
				s[10] = '.'
			}
		}
		sec, nsec, ok := parseUnixNano(s)
		wantSec, wantNsec, wantOK := parseUnix(s)
		if ok && (!wantOK || sec != wantSec || nsec != wantNsec) {
			t.Fatalf("parseUnixNano(%q) = %d, %d; parseUnix: %d, %d, %v", s, sec, nsec, wantSec, wantNsec, wantOK)
		}
		if !ok && wantOK && s[0] != '+' && s[0] != '-' && s[10] == '.' {
			t.Fatalf("parseUnixNano(%q) failed; parseUnix: %d, %d", s, wantSec, wantNsec)
		}
	}
}
