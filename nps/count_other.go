//go:build !amd64

package nps

// hasAVX2 is false off amd64: the pure-Go counting paths run instead.
const hasAVX2 = false

func countVector(s Scale, x []int) (nd, np int, bad, ok bool) { return 0, 0, false, false }

func weightedVector(s Scale, x []int, w []float64, b *blockSums) (ok bool) { return false }
