package stats

import (
	"math"
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
	v := selectKth(x, lo)
	if lo+1 >= n || h == float64(lo) {
		return v
	}
	// After selection every element right of lo is >= x[lo]; the next order statistic
	// is their minimum.
	next := slices.Min(x[lo+1:])
	return v + (h-float64(lo))*(next-v)
}

// selectKth reorders x so that x[k] is the k-th smallest element, with smaller-or-equal
// elements left of it and greater-or-equal ones right of it (Hoare's selection with a
// median-of-three pivot), and returns x[k].
func selectKth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for hi > lo {
		if hi-lo < 16 {
			insertionSort(x[lo : hi+1])
			return x[k]
		}
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
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
	return x[k]
}

func insertionSort(x []float64) {
	for i := 1; i < len(x); i++ {
		v := x[i]
		j := i - 1
		for j >= 0 && x[j] > v {
			x[j+1] = x[j]
			j--
		}
		x[j+1] = v
	}
}
