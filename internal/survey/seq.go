package survey

import (
	"fmt"
	"iter"
	"math"

	"github.com/cxmetrics/cxmetrics"
)

// CountSeq counts a stream of unweighted scores into bins, which must be l.Bins() empty bins.
// It stops at the first score outside [l.Lo, l.Hi], which the error names with its
// position in the stream; bins is then unspecified. It is the streaming counterpart of
// Count, whose kernels need a slice.
//
// It calls scores with its own yield function rather than ranging over it, so that an
// iterator that goes on calling yield after it returned false (which would make a range
// loop panic) is ignored instead.
func CountSeq(pkg string, l Layout, scores iter.Seq[int], bins []Bin) error {
	span := uint(l.Hi) - uint(l.Lo)
	var n uint64
	var err error
	scores(func(v int) bool {
		if err != nil {
			return false
		}
		u := uint(v) - uint(l.Lo) // one comparison finds v < Lo and v > Hi
		switch {
		case u > span:
			err = ScoreError(pkg, l.Lo, l.Hi, int(n), v)
			return false
		case n >= MaxCount:
			err = fmt.Errorf("%s: more than %d answers: %w", pkg, uint64(MaxCount), cxmetrics.ErrTooLarge)
			return false
		}
		j := 0
		for uint(l.Edges[j+1]) <= u {
			j++
		}
		bins[j].N++
		n++
		return true
	})
	if err != nil {
		return err
	}
	for j := range bins {
		c := float64(bins[j].N)
		bins[j].W.Add(c)
		bins[j].W2.Add(c)
	}
	return nil
}

// AddCount adds n answers of weight 1 to b.
func (b *Bin) AddCount(n uint64) {
	b.N += n
	b.W.Add(float64(n))
	b.W2.Add(float64(n))
}

// MOVER returns the interval for the difference a - b of two independent estimates from
// their own intervals [la, ua] and [lb, ub], by the method of variance estimates recovery
// (Newcombe 1998, "Interval estimation for the difference between independent proportions:
// comparison of eleven methods", Statistics in Medicine 17, method 10, with Wilson's
// intervals; Zou & Donner 2008 for the general method):
//
//	L = (a - b) - √((a - la)² + (ub - b)²),   U = (a - b) + √((ua - a)² + (b - lb)²)
func MOVER(a, la, ua, b, lb, ub float64) (lo, hi float64) {
	d := a - b
	return d - math.Hypot(a-la, ub-b), d + math.Hypot(ua-a, b-lb)
}
