//go:build !amd64

package survey

// hasAVX512 is false off amd64: the histogram loops count.
const hasAVX512 = false

type kernel struct{}

func newKernel(Layout, bool) kernel { return kernel{} }

func (kernel) unweighted(pkg string, l Layout, scores []int, bins []Bin) error {
	return unweightedScalar(pkg, l, scores, bins, 0)
}

func (kernel) weighted(pkg string, l Layout, scores []int, weights []float64, bins []Bin) error {
	return weightedScalar(pkg, l, scores, weights, bins, 0)
}
