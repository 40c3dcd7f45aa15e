package journey

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/csvfile"
	"github.com/cxmetrics/cxmetrics/internal/intern"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// ReadEventsCSV reads a file in blocks of about blockSize bytes that each end at a record
// boundary, then parses the blocks on every core into one slice sized from their line
// counts. A block that the fast parser cannot take as it is (a quote, a lone carriage
// return, a field that does not parse) is parsed again by encoding/csv and parseRecord,
// the reference path, with its line numbers shifted, so that files with quoted fields
// parse as before and the first error in file order is exactly the reference's error.

// blockSize is the size of the blocks that ReadEventsCSV parses in parallel.
const blockSize = 4 << 20

// readBlocks reads all of r into blocks of about blockSize bytes that each end after a
// line feed outside quotes, or at the end of the input. A block holds at least one whole
// record; a longer record makes its block larger.
//
// When r says how many bytes it holds (see remaining) and they make more than one block,
// it also returns a slice of events for the file, sized from the line feeds of the first
// block with a margin, allocated before the rest is read: the garbage collector cycle
// that so large an allocation starts then scans it while it is still empty and the file
// is read, instead of while the parsers fill it, when it would hold pointers to mark and
// make every pointer written pay a write barrier.
func readBlocks(r io.Reader, blockSize int) (blocks [][]byte, events []Event, err error) {
	hint := remaining(r)
	var carry []byte
	size := blockSize
	for {
		buf := make([]byte, max(size, 2*len(carry)))
		n := copy(buf, carry)
		m, err := io.ReadFull(r, buf[n:])
		buf = buf[:n+m]
		if err != nil {
			if len(buf) > 0 {
				blocks = append(blocks, buf)
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = nil
			}
			return blocks, events, err
		}
		cut := recordEnd(buf)
		if cut == 0 {
			carry, size = buf, 2*len(buf)
			continue
		}
		blocks = append(blocks, buf[:cut:cut])
		carry, size = buf[cut:], blockSize
		if len(blocks) == 1 && hint > int64(cut) {
			// Records take 5 bytes at least ("u,e,1"), and 6 with their line feed.
			lines := float64(bytes.Count(buf[:cut], []byte{'\n'}))
			est := min(1.02*lines/float64(cut)*float64(hint)+64, float64(hint)/5+1)
			events = make([]Event, int(est))
		}
	}
}

// remaining returns the number of bytes left to read in r when r says it (a regular
// file, a bytes.Reader, a strings.Reader, a bytes.Buffer), else -1.
func remaining(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case *os.File:
		fi, err := r.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		off, err := r.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return fi.Size() - off
	}
	return -1
}

// recordEnd returns the position after the last line feed of b outside quotes, 0 if none.
// b starts at a record boundary. In a file that encoding/csv reads without error every
// quote opens a field, closes it or is one of a doubled pair, so the count of quotes
// before a line feed is even exactly when the line feed ends a record; the first quote
// that breaks this rule is a syntax error at that quote, which the reference parser of
// the block that holds it reports.
func recordEnd(b []byte) int {
	if bytes.IndexByte(b, '"') < 0 {
		return bytes.LastIndexByte(b, '\n') + 1
	}
	end, quoted := 0, false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			end = i + 1
		}
	}
	return end
}

// part is a block of records to parse, with where it lies in the file and in the result.
type part struct {
	data  []byte
	line  int // line number of data[0]
	first int // index in the result of its first record
	bound int // records it holds at most: its line feeds plus one
	n     int // records parsed
	err   error
}

// readEventsParallel is ReadEventsCSV. It returns done false when the file's header
// could not be read from its first block (an empty file, a syntax error, a header
// preceded by more than a block of blank lines) or the input failed; the caller then
// reads the file sequentially from blocks and the rest of r, which reports exactly
// where it goes wrong.
//
// Events go into pre when it is long enough for the file's records.
func readEventsParallel(blocks [][]byte, pre []Event) (events []Event, done bool, err error) {
	first := blocks[0]
	bom := 0
	if bytes.HasPrefix(first, []byte("\ufeff")) {
		bom = 3
	}
	cr := csv.NewReader(bytes.NewReader(first[bom:]))
	header, err := cr.Read()
	if err != nil {
		return nil, false, nil
	}
	h, err := csvfile.Match(header, eventColumns, true)
	if err != nil {
		return nil, true, err
	}
	off := bom + int(cr.InputOffset())
	parts := make([]part, 0, len(blocks))
	line, total := 1, 0
	for i, b := range blocks {
		if i == 0 {
			line += bytes.Count(b[:off], []byte{'\n'})
			b = b[off:]
		}
		nl := bytes.Count(b, []byte{'\n'})
		parts = append(parts, part{data: b, line: line, first: total, bound: nl + 1})
		line += nl
		total += nl + 1
	}
	events = pre
	if len(pre) < total {
		events = make([]Event, total)
	}
	var next, failed atomic.Int64
	failed.Store(int64(len(parts)))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := blockParser{h: h, fields: make([][]byte, len(h.Names))}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(parts) || int64(i) > failed.Load() {
					return
				}
				pt := &parts[i]
				out := events[pt.first : pt.first+pt.bound]
				var ok bool
				if pt.n, ok = p.fast(pt.data, out); !ok {
					pt.n, pt.err = p.reference(pt.data, pt.line, out)
				}
				if pt.err != nil {
					for f := failed.Load(); int64(i) < f && !failed.CompareAndSwap(f, int64(i)); f = failed.Load() {
					}
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for i := range parts {
		pt := &parts[i]
		if pt.err != nil {
			return nil, true, pt.err
		}
		if n != pt.first {
			copy(events[n:], events[pt.first:pt.first+pt.n])
		}
		n += pt.n
	}
	if n == 0 {
		return nil, true, nil
	}
	clear(events[n:total]) // beyond total, pre was never written
	if cap(events)-n > n/8 {
		return append([]Event(nil), events[:n]...), true, nil
	}
	return events[:n:n], true, nil
}

// blockParser parses blocks on one goroutine. It interns user ids, event names, channels
// and property values, so that a name that recurs is held once per goroutine.
type blockParser struct {
	h      csvfile.Header
	users  intern.Strings
	names  intern.Strings // event names, channels and property values
	fields [][]byte
	// The user ids of up to batchLen records whose events wait for them, looked up
	// together: a table of a million users misses the cache on almost every look-up,
	// and a batch lets the misses overlap.
	keys   [batchLen][]byte
	hashes [batchLen]uint64
	ids    [batchLen]string
}

// batchLen is the number of user ids that blockParser looks up together.
const batchLen = 32

// fast parses the records of data into out, which is long enough, without allocating
// for what the block repeats. It returns ok false, having parsed part of the block, at
// anything that it leaves to the reference parser: a quote, a carriage return inside a
// line, a wrong number of fields, or a field that does not parse or is empty where it
// may not be.
func (p *blockParser) fast(data []byte, out []Event) (n int, ok bool) {
	if bytes.IndexByte(data, '"') >= 0 {
		return 0, false
	}
	hasCR := bytes.IndexByte(data, '\r') >= 0
	fields := p.fields
	waiting := 0 // records of the batch whose user is not set yet
	flush := func() {
		p.users.Batch(p.keys[:waiting], p.hashes[:], p.ids[:])
		for j, id := range p.ids[:waiting] {
			out[n-waiting+j].User = id
		}
		waiting = 0
	}
	defer flush()
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if hasCR {
			// encoding/csv reads "\r\n" as "\n", and drops a "\r" before the end of
			// the input.
			if k := len(line) - 1; k >= 0 && line[k] == '\r' {
				line = line[:k]
			}
			if bytes.IndexByte(line, '\r') >= 0 {
				return n, false
			}
		}
		if len(line) == 0 {
			continue // a blank line holds no record
		}
		last := len(fields) - 1
		for k := range last {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				return n, false
			}
			fields[k], line = line[:i], line[i+1:]
		}
		if bytes.IndexByte(line, ',') >= 0 {
			return n, false
		}
		fields[last] = line
		if !p.event(&out[n]) {
			return n, false
		}
		p.keys[waiting] = fields[p.h.At[atUser]]
		n, waiting = n+1, waiting+1
		if waiting == batchLen {
			flush()
		}
	}
	return n, true
}

// event fills e from p.fields as parseRecord does, or returns false. It leaves the
// user to the caller.
func (p *blockParser) event(e *Event) bool {
	h, f := &p.h, p.fields
	user, name := f[h.At[atUser]], f[h.At[atEvent]]
	if len(user) == 0 || len(name) == 0 {
		return false
	}
	*e = Event{Name: p.names.Bytes(name)}
	t := f[h.At[atTime]]
	if sec, nsec, ok := parseUnix(t); ok && sec >= minUnix && sec <= maxUnix {
		e.Time = time.Unix(sec, nsec).UTC()
	} else {
		v, err := ParseTime(string(t))
		if err != nil {
			return false
		}
		e.Time = v
	}
	if col := h.At[atChannel]; col >= 0 && len(f[col]) > 0 {
		e.Channel = p.names.Bytes(f[col])
	}
	if col := h.At[atValue]; col >= 0 {
		if s := bytes.TrimSpace(f[col]); len(s) > 0 {
			v, err := strconv.ParseFloat(string(s), 64)
			if err != nil || !stats.Finite(v) {
				return false
			}
			e.Value = v
		}
	}
	for _, col := range h.Extra {
		if len(f[col]) > 0 {
			if e.Props == nil {
				e.Props = make(map[string]string, len(h.Extra))
			}
			e.Props[h.Names[col]] = p.names.Bytes(f[col])
		}
	}
	return true
}

// reference parses the records of data, which begins on the given line of the file,
// into out with encoding/csv and parseRecord, as ScanEventsCSV does, and returns the
// first error as ScanEventsCSV would report it in the whole file.
func (p *blockParser) reference(data []byte, line int, out []Event) (int, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = len(p.h.Names)
	shift := line - 1
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return n, nil
		}
		var ce *csv.ParseError
		if errors.As(err, &ce) {
			ce.StartLine += shift
			ce.Line += shift
		}
		if err != nil {
			return n, readErr(err)
		}
		e, err := parseRecord(cr, rec, p.h)
		if err != nil {
			var pe *cxmetrics.ParseError
			if errors.As(err, &pe) {
				pe.Line += shift
			}
			return n, err
		}
		e.User, e.Name, e.Channel = p.users.String(e.User), p.names.String(e.Name), p.names.String(e.Channel)
		for k, v := range e.Props {
			e.Props[k] = p.names.String(v)
		}
		if n == len(out) {
			// Unreachable: a record takes at least one line.
			return n, &cxmetrics.ParseError{Line: line, Err: cxmetrics.ErrCorrupt}
		}
		out[n] = e
	}
}

// errReader returns its error on every read.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
