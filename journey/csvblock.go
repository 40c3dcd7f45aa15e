package journey

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/cxmetrics/cxmetrics"
	"github.com/cxmetrics/cxmetrics/internal/csvfile"
	"github.com/cxmetrics/cxmetrics/internal/intern"
	"github.com/cxmetrics/cxmetrics/internal/pages"
	"github.com/cxmetrics/cxmetrics/internal/stats"
)

// ReadEventsCSV reads a file in blocks of about blockSize bytes that each end at a record
// boundary and parses each block, on every core, as soon as it is read, into one slice
// sized from the first block. A block that the fast parser cannot take as it is (a quote,
// a lone carriage return, a field that does not parse) is parsed again by encoding/csv
// and parseRecord, the reference path, with its line numbers shifted, so that files with
// quoted fields parse as before and the first error in file order is exactly the
// reference's error.

// blockSize is the size of the blocks that ReadEventsCSV parses in parallel.
const blockSize = 4 << 20

// blockReader cuts its input into blocks of about size bytes that each end after a line
// feed outside quotes, or at the end of the input. A block holds at least one whole
// record; a longer record makes its block larger. Buffers that the parsers are done with
// come back through free, so that a file is read into the same few buffers, whose pages
// the system has mapped already, whatever its size.
type blockReader struct {
	r     io.Reader
	size  int
	carry []byte // bytes read and not returned yet: the start of the next block
	spare []byte // the buffer that holds carry when carry is not a whole read buffer
	err   error  // io.EOF once r has ended, or the error r returned
	free  chan []byte
}

// next returns the next block and the whole buffer that holds it, or nil when the input
// has ended or failed: b.err says which, and at a failure b.carry holds what was read.
func (b *blockReader) next() (block, buf []byte) {
	for b.err == nil {
		select {
		case buf = <-b.free:
		default:
		}
		if need := max(b.size, 2*len(b.carry)); cap(buf) < need {
			buf = make([]byte, need)
		}
		buf = buf[:cap(buf)]
		n := copy(buf, b.carry)
		m, err := io.ReadFull(b.r, buf[n:])
		buf = buf[:n+m]
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			b.carry, b.err = nil, io.EOF
			if len(buf) == 0 {
				return nil, nil
			}
			return buf, buf
		}
		if err != nil {
			b.carry, b.err = buf, err
			return nil, nil
		}
		cut := recordEnd(buf)
		if cut == 0 {
			b.carry = buf
			continue
		}
		b.spare = append(b.spare[:0], buf[cut:]...)
		b.carry = b.spare
		return buf[:cut:cut], buf
	}
	return nil, nil
}

// rest returns a reader of what b has not returned: its carry, then the rest of the
// input, or its error.
func (b *blockReader) rest() io.Reader {
	var tail io.Reader = b.r
	if b.err != nil && b.err != io.EOF {
		tail = errReader{b.err}
	}
	return io.MultiReader(bytes.NewReader(b.carry), tail)
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

// part is a block of records to parse, with where it lies in the file and in the result.
type part struct {
	data  []byte
	buf   []byte // the buffer that holds data, to reuse once it is parsed
	out   []Event
	index int
	line  int // line number of data[0]
	first int // index in the result of its first record
	n     int // records parsed
	err   error
}

// readEventsParallel is ReadEventsCSV on the blocks of br, of which first is the first,
// and size the input's size in bytes if known, else -1. It returns done false when the
// file's header could not be read from the first block (an empty file, a syntax error,
// a header preceded by more than a block of blank lines); the caller then reads the
// file sequentially from first and br.rest(), which reports exactly where it goes wrong.
//
// The result is allocated once the first block is read, sized from its line feeds with
// a margin, in memory mapped beforehand (pages.Make), and grown when the file holds more
// records.
func readEventsParallel(br *blockReader, first, firstBuf []byte, size int64) (events []Event, done bool, err error) {
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
	line := 1 + bytes.Count(first[:off], []byte{'\n'})
	nl := bytes.Count(first[off:], []byte{'\n'})
	var est float64
	switch {
	case br.err != nil:
		est = float64(nl + 1) // the whole file
	case size >= 0:
		// Records take 5 bytes at least ("u,e,1"), and 6 with their line feed.
		est = min(1.02*float64(nl)/float64(len(first))*float64(size)+64, float64(size)/5+1)
	default:
		est = 4 * float64(nl+1)
	}
	workers := runtime.GOMAXPROCS(0)
	events = pages.Make[Event](max(int(est), nl+1), workers)
	br.free = make(chan []byte, workers+1)
	tasks := make(chan *part, workers)
	var failed atomic.Int64 // index of the first part known to fail
	failed.Store(math.MaxInt64)
	// The users' table never grows while parsers use it: before a part is handed out,
	// it must have room for a new user on every record of the parts being parsed.
	users := new(intern.Shared)
	var pending atomic.Int64 // records of the parts handed out and not parsed
	var inflight, running, touched sync.WaitGroup
	touched.Add(workers)
	for w := range workers {
		running.Add(1)
		go func() {
			defer running.Done()
			touch(events[w*len(events)/workers : (w+1)*len(events)/workers])
			touched.Done()
			touched.Wait()
			p := blockParser{h: h, users: users, fields: make([][]byte, len(h.Names))}
			for pt := range tasks {
				if int64(pt.index) < failed.Load() {
					var ok bool
					if pt.n, ok = p.fast(pt.data, pt.out); !ok {
						pt.n, pt.err = p.reference(bytes.NewReader(pt.data), pt.line, pt.out)
					}
					if pt.err != nil {
						for f := failed.Load(); int64(pt.index) < f && !failed.CompareAndSwap(f, int64(pt.index)); f = failed.Load() {
						}
					}
				}
				select {
				case br.free <- pt.buf[:cap(pt.buf)]:
				default:
				}
				pending.Add(-int64(len(pt.out)))
				inflight.Done()
			}
		}()
	}
	var parts []*part
	total := 0
	for data, buf := first[off:], firstBuf; data != nil && failed.Load() == math.MaxInt64; data, buf = br.next() {
		nl := bytes.Count(data, []byte{'\n'})
		if total+nl+1 > len(events) {
			inflight.Wait() // every part parsed into the old slice
			grown := make([]Event, max(len(events)+len(events)/2, total+nl+1))
			copy(grown, events[:total])
			events = grown
		}
		if users.Len()+int(pending.Load())+nl+1 > users.Room() {
			inflight.Wait()
			// Room for the users so far again, and for every part that can be
			// handed out before the next check: those queued, those being parsed,
			// and this one.
			users.Reserve(users.Len() + (2*workers+2)*(nl+1))
		}
		pending.Add(int64(nl + 1))
		pt := &part{data: data, buf: buf, out: events[total : total+nl+1], index: len(parts), line: line, first: total}
		parts = append(parts, pt)
		line += nl
		total += nl + 1
		inflight.Add(1)
		tasks <- pt
	}
	close(tasks)
	running.Wait()
	n := 0
	for _, pt := range parts {
		if pt.err != nil {
			return nil, true, pt.err
		}
		if n != pt.first {
			copy(events[n:], events[pt.first:pt.first+pt.n])
		}
		n += pt.n
	}
	if br.err != io.EOF {
		// The input failed after the records parsed so far: what it read of the next
		// ones is parsed up to its error, as the sequential reader would.
		lines := bytes.Count(br.carry, []byte{'\n'}) + 1
		p := blockParser{h: h, users: new(intern.Shared)}
		p.users.Reserve(lines)
		_, err := p.reference(br.rest(), line, make([]Event, lines))
		return nil, true, err
	}
	if n == 0 {
		return nil, true, nil
	}
	clear(events[n:total]) // beyond total, events were never written
	if cap(events)-n > n/8 {
		return append([]Event(nil), events[:n]...), true, nil
	}
	return events[:n:n], true, nil
}

// userBatch is the number of user ids that blockParser looks up together.
const userBatch = 32

// touch writes to every page of events, so that the system maps them on every core at
// once before the parsers need them, where pages.Make did not map them beforehand.
func touch(events []Event) {
	const stride = 4096 / int(unsafe.Sizeof(Event{}))
	for i := 0; i < len(events); i += stride {
		events[i].Value = 0
	}
}

// blockParser parses blocks on one goroutine. It interns user ids, event names, channels
// and property values, so that a name that recurs is held once per goroutine.
type blockParser struct {
	h      csvfile.Header
	users  *intern.Shared // shared by the goroutines, so that a user id is held once
	arena  intern.Arena
	names  intern.Strings // event names, channels and property values
	fields [][]byte
	// The user ids of up to userBatch records whose events wait for them, looked up
	// together: a table of a million users misses the cache on almost every look-up,
	// and a batch lets the misses overlap.
	keys [][]byte
	ids  []string
	// recent holds the event names and channels last seen, two for each value of
	// recentSet, so that the few names that most files repeat are found by one or two
	// comparisons of their bytes.
	recent [recentLen]string
}

// recentLen is the number of names that a blockParser keeps at hand.
const recentLen = 64

// recentSet returns the first of the two slots of blockParser.recent that may hold a
// non-empty name: a multiplicative hash (Knuth's golden-ratio constant) of its length
// and its first, middle and last bytes.
func recentSet(b []byte) int {
	x := uint32(b[0]) | uint32(b[len(b)-1])<<8 | uint32(len(b)&0xff)<<16 | uint32(b[len(b)/2])<<24
	return int(x*0x9E3779B1>>26) &^ 1
}

// name returns the interned string equal to b, which is not empty.
func (p *blockParser) name(b []byte) string {
	set := p.recent[recentSet(b):][:2]
	if set[0] == string(b) {
		return set[0]
	}
	if set[1] == string(b) {
		return set[1]
	}
	s := p.names.Bytes(b)
	set[0], set[1] = s, set[0] // the older of the two gives way
	return s
}

// parseUnixNano is parseUnix on a time of exactly ten digits of seconds, a point and nine
// digits of nanoseconds, the form of times written by most event pipelines today; it
// returns ok false on anything else, which parseUnix then reads. The digits are read
// eight at a time (Lemire, "Fast integer parsing", 2018: one check that all eight bytes
// are digits, then three multiplications that combine them in pairs, fours and eights).
func parseUnixNano(b []byte) (sec, nsec int64, ok bool) {
	if len(b) != 20 || b[10] != '.' {
		return 0, 0, false
	}
	hi, ok1 := eightDigits(b[2:10])
	lo, ok2 := eightDigits(b[11:19])
	d0, d1, d9 := b[0]-'0', b[1]-'0', b[19]-'0'
	if !ok1 || !ok2 || d0 > 9 || d1 > 9 || d9 > 9 {
		return 0, 0, false
	}
	return int64(d0)*1e9 + int64(d1)*1e8 + int64(hi), int64(lo)*10 + int64(d9), true
}

// eightDigits returns the number that the eight bytes of b write in decimal, or false if
// one of them is not a digit.
func eightDigits(b []byte) (uint64, bool) {
	v := binary.LittleEndian.Uint64(b)
	const hiNibbles, zeros = 0xF0F0F0F0F0F0F0F0, 0x3030303030303030
	if v&hiNibbles != zeros || (v+0x0606060606060606)&hiNibbles != zeros {
		return 0, false
	}
	v = (v & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8
	v = (v & 0x00FF00FF00FF00FF) * 6553601 >> 16
	return (v & 0x0000FFFF0000FFFF) * 42949672960001 >> 32, true
}

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
	p.keys = p.keys[:0]
	done := 0
	flush := func() {
		p.ids = slices.Grow(p.ids[:0], len(p.keys))[:len(p.keys)]
		p.users.Batch(&p.arena, p.keys, p.ids)
		for j, id := range p.ids {
			out[done+j].User = id
		}
		done += len(p.keys)
		clear(p.keys) // the block's buffer is reused
		p.keys = p.keys[:0]
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
		p.keys = append(p.keys, fields[p.h.At[atUser]])
		n++
		if len(p.keys) == userBatch {
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
	*e = Event{Name: p.name(name)}
	t := f[h.At[atTime]]
	sec, nsec, ok := parseUnixNano(t)
	if !ok {
		sec, nsec, ok = parseUnix(t)
	}
	if ok && sec >= minUnix && sec <= maxUnix {
		e.Time = time.Unix(sec, nsec).UTC()
	} else {
		v, err := ParseTime(string(t))
		if err != nil {
			return false
		}
		e.Time = v
	}
	if col := h.At[atChannel]; col >= 0 && len(f[col]) > 0 {
		e.Channel = p.name(f[col])
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
func (p *blockParser) reference(data io.Reader, line int, out []Event) (int, error) {
	cr := csv.NewReader(data)
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
		e.User, e.Name, e.Channel = p.users.String(&p.arena, e.User), p.names.String(e.Name), p.names.String(e.Channel)
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
