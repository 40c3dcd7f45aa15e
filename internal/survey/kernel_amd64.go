package survey

import "math"

// kernelParams are the constants of the AVX-512 kernels, each repeated in eight lanes:
// Lo, the bin edges 1..8 (edge 0 is 0), the weight bounds and the number of points; then
// the table of the table kernels (see table_amd64.s).
type kernelParams struct {
	lo     [8]int64
	edge   [8][8]int64
	minW   [8]float64
	maxW   [8]float64
	points [8]int64
	table  [16]uint64
}

// unweightedLanes and weightedLanes are the per-lane results of the kernels: cnt[j] counts
// the answers below edge j+1 (cumulative), ok the answers in range with a valid weight,
// w[j] and q[j] the weights and squared weights of bin j.
type unweightedLanes struct {
	cnt [8][8]int64
}

type weightedLanes struct {
	cnt   [8][8]int64
	ok    [8]int64
	w     [8][8]float64
	q     [8][8]float64
	check [3][8]uint64 // the block checks of wblock7AVX512: largest u, largest and smallest weight pattern
}

//go:noescape
func tableCountAVX512(x []int, p *kernelParams, out *[8]uint64)

//go:noescape
func wranges3AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)

//go:noescape
func wblock5AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)

//go:noescape
func wblock7AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)

//go:noescape
func wblock8AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)

//go:noescape
func count8AVX512(x []int, p *kernelParams, out *unweightedLanes)

//go:noescape
func weighted8AVX512(x []int, w []float64, p *kernelParams, out *weightedLanes)

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

// hasAVX512 reports whether the processor and the operating system support AVX-512F:
// CPUID leaf 7 EBX bit 16, with OSXSAVE (leaf 1 ECX bit 27) and the opmask, ZMM and YMM
// state enabled in XCR0 (bits 1, 2, 5, 6 and 7).
var hasAVX512 = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	if ecx1&(1<<27) == 0 {
		return false
	}
	if eax, _ := xgetbv(); eax&0xe6 != 0xe6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<16) != 0
}()

// kernel counts with AVX-512 when the processor has it and the layout has at most 8 bins,
// else with the histogram loops. Unweighted, scales of at most 16 points count by table
// lookup into packed fields of fieldBits bits (tableCountAVX512), wider ones by one
// comparison per bin edge (count8AVX512). Weighted, a layout of one bin per point (at most
// 8) counts with wblock5/7/8AVX512, three bins of a scale of at most 16 points (the NPS
// categories) with wranges3AVX512, any other layout with weighted8AVX512.
type kernel struct {
	vector    bool
	table     bool // at most 16 points: the table kernels apply
	points    bool // one bin per point, at most 8 points
	fieldBits uint // width of a packed count
	p         kernelParams
}

func newKernel(l Layout, vector bool) kernel {
	k := kernel{vector: vector && l.Bins() <= 8}
	if !k.vector {
		return k
	}
	n := l.Hi - l.Lo + 1
	k.table = n <= 16
	k.points = n <= 8 && l.Bins() == n
	k.fieldBits = uint(64 / l.Bins())
	for i := range 8 {
		k.p.lo[i] = int64(l.Lo)
		k.p.minW[i] = MinWeight
		k.p.maxW[i] = MaxWeight
		k.p.points[i] = int64(n)
		for j := range 8 {
			// Edges past the last bin repeat the last edge: their bins stay empty.
			k.p.edge[j][i] = int64(l.Edges[min(j+1, l.Bins())])
		}
	}
	if k.table {
		for j := range l.Bins() {
			for u := l.Edges[j]; u < l.Edges[j+1]; u++ {
				k.p.table[u] = 1 << (k.fieldBits * uint(j))
			}
		}
	}
	return k
}

// tableBlock is the most answers a table kernel may count in one call: every packed field
// of every lane then stays below 2^fieldBits. It is a multiple of 16.
func (k *kernel) tableBlock() int {
	return min(1<<20, 8*(1<<min(k.fieldBits, 40)-1)) &^ 15
}

// unpack adds the packed counts of eight lanes into per-bin totals.
func (k *kernel) unpack(lanes *[8]uint64, bins int, counts *[8]uint64) (total uint64) {
	mask := uint64(1)<<k.fieldBits - 1
	for j := range bins {
		var c uint64
		for _, v := range lanes {
			c += v >> (k.fieldBits * uint(j)) & mask
		}
		counts[j] += c
		total += c
	}
	return total
}

// unweightedTable counts with tableCountAVX512 in blocks of tableBlock answers.
func (k *kernel) unweightedTable(pkg string, l Layout, scores []int, bins []Bin) error {
	B := l.Bins()
	n16 := len(scores) &^ 15
	var counts [8]uint64
	block := k.tableBlock()
	for start := 0; start < n16; start += block {
		end := min(start+block, n16)
		var lanes [8]uint64
		tableCountAVX512(scores[start:end], &k.p, &lanes)
		if k.unpack(&lanes, B, &counts) != uint64(end-start) {
			return firstBad(pkg, l.Lo, l.Hi, scores[start:end], nil, start)
		}
	}
	for j := range B {
		bins[j].AddCount(counts[j])
	}
	return unweightedScalar(pkg, l, scores[n16:], bins, n16)
}

func (k *kernel) unweighted(pkg string, l Layout, scores []int, bins []Bin) error {
	if !k.vector {
		return unweightedScalar(pkg, l, scores, bins, 0)
	}
	if k.table {
		return k.unweightedTable(pkg, l, scores, bins)
	}
	n8 := len(scores) &^ 7
	var out unweightedLanes
	count8AVX512(scores[:n8], &k.p, &out)
	B := l.Bins()
	var cum [9]uint64
	for j := range B {
		var c int64
		for _, v := range out.cnt[j] {
			c += v
		}
		cum[j+1] = uint64(c)
	}
	if cum[B] != uint64(n8) {
		return firstBad(pkg, l.Lo, l.Hi, scores[:n8], nil, 0)
	}
	for j := range B {
		bins[j].AddCount(cum[j+1] - cum[j])
	}
	return unweightedScalar(pkg, l, scores[n8:], bins, n8)
}

func (k *kernel) weighted(pkg string, l Layout, scores []int, weights []float64, bins []Bin) error {
	if !k.vector {
		return weightedScalar(pkg, l, scores, weights, bins, 0)
	}
	weights = weights[:len(scores)]
	if k.points {
		return k.weightedPointsBlocks(pkg, l, scores, weights, bins)
	}
	if k.table && l.Bins() == 3 {
		return k.weightedRanges3(pkg, l, scores, weights, bins)
	}
	B := l.Bins()
	n8 := len(scores) &^ 7
	var out weightedLanes
	for start := 0; start < n8; start += blockSize {
		end := min(start+blockSize, n8)
		sc, ws := scores[start:end], weights[start:end]
		weighted8AVX512(sc, ws, &k.p, &out)
		if lanes(&out.ok) != int64(len(sc)) {
			return firstBad(pkg, l.Lo, l.Hi, sc, ws, start)
		}
		prev := int64(0)
		for j := range B {
			c := lanes(&out.cnt[j])
			bins[j].N += uint64(c - prev)
			prev = c
			bins[j].W.Add(laneSum(&out.w[j]))
			bins[j].W2.Add(laneSum(&out.q[j]))
		}
	}
	return weightedScalar(pkg, l, scores[n8:], weights[n8:], bins, n8)
}

// Bit patterns of the weight bounds, as wranges3AVX512 compares them.
var (
	minWeightBits = math.Float64bits(MinWeight)
	maxWeightBits = math.Float64bits(MaxWeight)
)

// weightedRanges3 counts three bins of a scale of at most 16 points with wranges3AVX512,
// which checks scores and weights per block: a block that fails is scanned for its first
// bad answer, and counted by the histogram loop when it has none (a weight of -0).
func (k *kernel) weightedRanges3(pkg string, l Layout, scores []int, weights []float64, bins []Bin) error {
	n8 := len(scores) &^ 7
	block := min(blockSize, k.tableBlock())
	points := uint64(l.Hi - l.Lo + 1)
	var out weightedLanes
	for start := 0; start < n8; start += block {
		end := min(start+block, n8)
		sc, ws := scores[start:end], weights[start:end]
		wranges3AVX512(sc, ws, &k.p, &out)
		var maxU, maxBits uint64
		minBits := uint64(math.MaxUint64)
		for i := range 8 {
			maxU = max(maxU, uint64(out.cnt[0][i]))
			maxBits = max(maxBits, uint64(out.cnt[1][i]))
			minBits = min(minBits, uint64(out.cnt[2][i]))
		}
		if maxU >= points || maxBits > maxWeightBits || minBits < minWeightBits-1 {
			if err := firstBad(pkg, l.Lo, l.Hi, sc, ws, start); err != nil {
				return err
			}
			if err := weightedScalar(pkg, l, sc, ws, bins, start); err != nil {
				return err
			}
			continue
		}
		var counts, packed [8]uint64
		for i, v := range out.ok {
			packed[i] = uint64(v)
		}
		k.unpack(&packed, 3, &counts)
		for j := range 3 {
			bins[j].N += counts[j]
			bins[j].W.Add(laneSum(&out.w[j]))
			bins[j].W2.Add(laneSum(&out.q[j]))
		}
	}
	return weightedScalar(pkg, l, scores[n8:], weights[n8:], bins, n8)
}

// weightedPointsBlocks counts a layout of one bin per point (at most 8) with
// wblock5AVX512, wblock7AVX512 or wblock8AVX512, which count with integer operations and
// check scores and weights per block as wranges3AVX512 does, so that the floating-point
// ports only add the weights and their squares.
func (k *kernel) weightedPointsBlocks(pkg string, l Layout, scores []int, weights []float64, bins []Bin) error {
	B := l.Bins()
	n8 := len(scores) &^ 7
	points := uint64(l.Hi - l.Lo + 1)
	var out weightedLanes
	for start := 0; start < n8; start += 4 * blockSize {
		end := min(start+4*blockSize, n8)
		sc, ws := scores[start:end], weights[start:end]
		switch {
		case B <= 5:
			wblock5AVX512(sc, ws, &k.p, &out)
		case B <= 7:
			wblock7AVX512(sc, ws, &k.p, &out)
		default:
			wblock8AVX512(sc, ws, &k.p, &out)
		}
		var maxU, maxBits uint64
		minBits := uint64(math.MaxUint64)
		for i := range 8 {
			maxU = max(maxU, out.check[0][i])
			maxBits = max(maxBits, out.check[1][i])
			minBits = min(minBits, out.check[2][i])
		}
		if maxU >= points || maxBits > maxWeightBits || minBits < minWeightBits-1 {
			if err := firstBad(pkg, l.Lo, l.Hi, sc, ws, start); err != nil {
				return err
			}
			if err := weightedScalar(pkg, l, sc, ws, bins, start); err != nil {
				return err
			}
			continue
		}
		rest := uint64(len(sc))
		for j := range B {
			c := uint64(lanes(&out.cnt[j]))
			if j == 7 { // wblock8AVX512 leaves the last point to the difference
				c = rest
			}
			rest -= c
			bins[j].N += c
			bins[j].W.Add(laneSum(&out.w[j]))
			bins[j].W2.Add(laneSum(&out.q[j]))
		}
	}
	return weightedScalar(pkg, l, scores[n8:], weights[n8:], bins, n8)
}

func lanes(v *[8]int64) int64 {
	return v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]
}

// laneSum adds eight lanes pairwise, in a fixed order.
func laneSum(v *[8]float64) float64 {
	return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
}
