package nps

// bounds are the comparison constants of the vector kernels.
type bounds struct {
	lo, hi, detMax, proStart int64
}

func newBounds(s Scale) *bounds {
	return &bounds{lo: int64(s.Min), hi: int64(s.Max), detMax: int64(s.DetractorMax), proStart: int64(s.PromoterMin) - 1}
}

// lanes are the four-lane partial results of countAVX2.
type lanes struct {
	above, pro, bad [4]int64
}

// weightedLanes are the four-lane partial results of countWeightedAVX2.
type weightedLanes struct {
	above, pro, bad [4]int64
	w, wd, wp, q    [4]float64
}

//go:noescape
func countAVX2(x []int, b *bounds, out *lanes)

//go:noescape
func countWeightedAVX2(x []int, w []float64, b *bounds, out *weightedLanes)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX2 reports whether the processor and the operating system support AVX2: CPUID
// leaf 7 EBX bit 5, with OSXSAVE and AVX (leaf 1 ECX bits 27, 28) and the YMM state
// enabled in XCR0 (bits 1 and 2).
var hasAVX2 = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&(1<<27) == 0 || ecx1&(1<<28) == 0 {
		return false
	}
	if eax, _ := xgetbv(); eax&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}()

// countVector counts the scores of x (len a multiple of 4) with AVX2. It reports
// ok = false when the processor lacks AVX2.
func countVector(s Scale, x []int) (nd, np int, bad, ok bool) {
	if !hasAVX2 {
		return 0, 0, false, false
	}
	var l lanes
	countAVX2(x, newBounds(s), &l)
	above := l.above[0] + l.above[1] + l.above[2] + l.above[3]
	pro := l.pro[0] + l.pro[1] + l.pro[2] + l.pro[3]
	bad = l.bad[0]|l.bad[1]|l.bad[2]|l.bad[3] != 0
	return len(x) - int(above), int(pro), bad, true
}

// weightedVector is countVector with weights, returning the block's sums.
func weightedVector(s Scale, x []int, w []float64, b *blockSums) (ok bool) {
	if !hasAVX2 {
		return false
	}
	var l weightedLanes
	countWeightedAVX2(x, w[:len(x)], newBounds(s), &l)
	above := l.above[0] + l.above[1] + l.above[2] + l.above[3]
	b.nd = len(x) - int(above)
	b.np = int(l.pro[0] + l.pro[1] + l.pro[2] + l.pro[3])
	b.bad = l.bad[0]|l.bad[1]|l.bad[2]|l.bad[3] != 0
	b.w = (l.w[0] + l.w[1]) + (l.w[2] + l.w[3])
	b.wd = (l.wd[0] + l.wd[1]) + (l.wd[2] + l.wd[3])
	b.wp = (l.wp[0] + l.wp[1]) + (l.wp[2] + l.wp[3])
	b.q = (l.q[0] + l.q[1]) + (l.q[2] + l.q[3])
	return true
}
