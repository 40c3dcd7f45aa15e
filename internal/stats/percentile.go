package stats

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Quantile returns the q-quantile (0 <= q <= 1) of the sample x by linear interpolation
// between order statistics, R's type 7 and numpy's default ("linear"):
//
//	h = (n-1)·q,  Q(q) = x_(⌊h⌋) + (h - ⌊h⌋)·(x_(⌊h⌋+1) - x_(⌊h⌋))
//
// (Hyndman & Fan 1996). It reorders x in place, by selection in O(n) expected time rather
// than by sorting. x must not be empty.
func Quantile(x []float64, q float64) float64 {
	n := len(x)
	h := float64(n-1) * q
	lo := int(math.Floor(h))
	if lo < 0 {
		lo = 0
	}
	if lo > n-1 {
		lo = n - 1
	}
	v := SelectKth(x, lo)
	if lo+1 >= n || h == float64(lo) {
		return v
	}
	// After selection every element right of lo is >= x[lo]; the next order statistic
	// is their minimum.
	next := slices.Min(x[lo+1:])
	return v + (h-float64(lo))*(next-v)
}

// SelectKth reorders x so that x[k] is its k-th smallest element (0-based), with smaller
// or equal elements before it and greater or equal ones after it, and returns x[k]:
// Hoare's selection with a median-of-three pivot, O(n) expected. It falls back to sorting
// when the partitions stay unbalanced, so it never takes more than O(n log n). x must not
// hold NaNs.
func SelectKth[T cmp.Ordered](x []T, k int) T {
	lo, hi := 0, len(x)-1
	budget := 2 * bits.Len(uint(len(x)))
	for hi-lo > 16 {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			return x[k]
		}
		budget--
		mid := lo + (hi-lo)/2
		a, b, c := x[lo], x[mid], x[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	slices.Sort(x[lo : hi+1])
	return x[k]
}
