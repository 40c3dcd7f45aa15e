package journey

import (
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/cxmetrics/cxmetrics"
)

// genLog is an io.Reader that writes an events CSV file on the fly, as a pipe from an
// export would: a header, then n records of about 40 bytes, user "user-<i mod users>",
// one of four event names, and Unix seconds with nanoseconds rising by 1.000000007 s.
// It holds one record at a time, so a reader that streams it sees a file of any size
// in constant memory.
type genLog struct {
	n, users int
	i        int
	buf      []byte
	pending  []byte
}

var genNames = []string{"visit", "view", "cart", "purchase"}

func newGenLog(n, users int) *genLog {
	return &genLog{n: n, users: users, pending: []byte("user,event,time\n")}
}

func (g *genLog) Read(p []byte) (int, error) {
	k := 0
	for k < len(p) {
		if len(g.pending) == 0 {
			if g.i == g.n {
				break
			}
			g.buf = genRecord(g.buf[:0], g.i, g.users)
			g.pending = g.buf
			g.i++
		}
		c := copy(p[k:], g.pending)
		g.pending = g.pending[c:]
		k += c
	}
	if k == 0 {
		return 0, io.EOF
	}
	return k, nil
}

// genRecord appends record i of a generated log.
func genRecord(b []byte, i, users int) []byte {
	b = append(b, "user-"...)
	b = strconv.AppendInt(b, int64(i%users), 10)
	b = append(b, ',')
	b = append(b, genNames[i%7%len(genNames)]...)
	b = append(b, ',')
	sec, nsec := genTime(i)
	b = strconv.AppendInt(b, sec, 10)
	b = strconv.AppendInt(b, 1e9+nsec, 10) // a leading 1, then nine decimals
	b[len(b)-10] = '.'
	return append(b, '\n')
}

// genTime is the time of record i: 1704067200 s (2024-01-01) plus i times 1.000000007 s.
func genTime(i int) (sec, nsec int64) {
	ns := int64(i) * 7
	return 1704067200 + int64(i) + ns/1e9, ns % 1e9
}

// TestScanEventsCSVConstantMemory streams a generated file of 8 million records, about
// 300 MB, that never exists in memory, and checks every event and that the live heap
// stays under 16 MB throughout (read every 250,000 events after a collection). Holding
// the events would take about 1 GB. Under -race or -short it streams 200,000 records.
func TestScanEventsCSVConstantMemory(t *testing.T) {
	n := 8_000_000
	if raceEnabled || testing.Short() {
		n = 200_000
	}
	const users = 100_000
	var ms runtime.MemStats
	var maxHeap uint64
	i := 0
	for e, err := range ScanEventsCSV(newGenLog(n, users)) {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		sec, nsec := genTime(i)
		if e.User != "user-"+strconv.Itoa(i%users) || e.Name != genNames[i%7%len(genNames)] ||
			e.Time.Unix() != sec || int64(e.Time.Nanosecond()) != nsec || e.Props != nil {
			t.Fatalf("event %d: %+v", i, e)
		}
		if i%250_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			maxHeap = max(maxHeap, ms.HeapAlloc)
		}
		i++
	}
	if i != n {
		t.Fatalf("read %d events, want %d", i, n)
	}
	t.Logf("%d events, largest live heap %.1f MB", n, float64(maxHeap)/(1<<20))
	if maxHeap > 16<<20 {
		t.Errorf("live heap reached %d bytes", maxHeap)
	}
}

// ScanEventsCSV yields what ReadEventsCSV returns, and stops after the first error,
// which is ReadEventsCSV's error.
func TestScanEventsCSVAgrees(t *testing.T) {
	for _, in := range []string{
		"",
		"user,event,time\n",
		"user,event,time,value\nu,e,1,2\nu,e,2,x\nu,e,3,4\n",
		"user,event,time\nu,e,1\nu,e\n",
		"user,event,time,plan\nu,e,1,pro\nv,f,2024-01-01T00:00:00Z,\n",
	} {
		want, wantErr := ReadEventsCSV(strings.NewReader(in))
		var got []Event
		var gotErr error
		for e, err := range ScanEventsCSV(strings.NewReader(in)) {
			if gotErr != nil {
				t.Fatalf("%q: yielded after the error %v", in, gotErr)
			}
			if err != nil {
				gotErr = err
				continue
			}
			got = append(got, e)
		}
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Errorf("%q: error %v, want %v", in, gotErr, wantErr)
		}
		if wantErr == nil && len(got) != len(want) {
			t.Errorf("%q: %d events, want %d", in, len(got), len(want))
		}
		for i := range min(len(got), len(want)) {
			if !sameEvent(got[i], want[i]) {
				t.Errorf("%q: event %d: %+v, want %+v", in, i, got[i], want[i])
			}
		}
	}
	// A consumer that stops early stops the read.
	k := 0
	for range ScanEventsCSV(strings.NewReader("user,event,time\nu,e,1\nu,e,2\nu,e,x\n")) {
		if k++; k == 2 {
			break
		}
	}
	var pe *cxmetrics.ParseError
	for _, err := range ScanEventsCSV(strings.NewReader("user,event,time\nu,,1\n")) {
		if !errors.As(err, &pe) || pe.Line != 2 || pe.Name != "event" {
			t.Errorf("empty event: %v", err)
		}
	}
}
