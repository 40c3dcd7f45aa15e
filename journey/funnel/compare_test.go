package funnel

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestBenchLogCSV writes the benchmark log (benchLog) as CSV with the columns user, event
// and t (Unix nanoseconds) to the file named by CXBENCH_FUNNEL_CSV, for bench/funnel.sh.
// It runs only when that variable is set.
func TestBenchLogCSV(t *testing.T) {
	path := os.Getenv("CXBENCH_FUNNEL_CSV")
	if path == "" {
		t.Skip("set CXBENCH_FUNNEL_CSV to write the benchmark log")
	}
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(file, 1<<20)
	w.WriteString("user,event,t\n")
	var buf []byte
	for _, e := range benchLog() {
		buf = append(buf[:0], e.User...)
		buf = append(buf, ',')
		buf = append(buf, e.Name...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, e.Time.UnixNano(), 10)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := file.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBenchRunTimes times Run on the benchmark log with one worker and with every core,
// CXBENCH_FUNNEL_RUNS times each (the best and the median), and prints the step counts,
// for bench/funnel.sh. It runs only when that variable is set.
func TestBenchRunTimes(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("CXBENCH_FUNNEL_RUNS"))
	if runs <= 0 {
		t.Skip("set CXBENCH_FUNNEL_RUNS to time Run on the benchmark log")
	}
	events := benchLog()
	for _, workers := range []int{1, 0} {
		f := benchFunnel(Ordered, LatestStart)
		f.Workers = workers
		var r Runner
		var res Result
		var wall, cpu []time.Duration
		for range runs {
			c0, t0 := cpuTime(), time.Now()
			var err error
			if res, err = r.Run(f, events); err != nil {
				t.Fatal(err)
			}
			wall = append(wall, time.Since(t0))
			cpu = append(cpu, cpuTime()-c0)
		}
		n := workers
		if n == 0 {
			n = runtime.GOMAXPROCS(0)
		}
		fmt.Printf("go Run, %d worker(s): counts %v; wall best %.3fs median %.3fs; user+sys CPU median %.3fs\n",
			n, reached(res), best(wall).Seconds(), median64(wall).Seconds(), median64(cpu).Seconds())
	}
}

func best(d []time.Duration) time.Duration {
	m := d[0]
	for _, v := range d {
		m = min(m, v)
	}
	return m
}

func median64(d []time.Duration) time.Duration {
	x := make([]int64, len(d))
	for i, v := range d {
		x[i] = int64(v)
	}
	return time.Duration(median(x))
}
