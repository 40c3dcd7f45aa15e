package attribution

// Shapley attributes conversions with the Shapley value of the cooperative game whose
// players are the channels and whose value of a coalition S is the conversions (or the
// value) of the paths that touched only channels in S:
//
//	v(S) = sum over paths p with channels(p) ⊆ S of conversions(p)
//
// The Shapley value of channel j,
//
//	phi_j = sum over S ⊆ N \ {j} of |S|! (|N| - |S| - 1)! / |N|! (v(S ∪ {j}) - v(S)),
//
// is computed exactly with the simplification of Zhao, Mahboobi and Bagheri (2018): this
// v is a sum of unanimity games, one per path, so
//
//	phi_j = sum over paths p that touched j of conversions(p) / |channels(p)|
//
// where channels(p) is the set of distinct channels of p. The cost is linear in the total
// number of touchpoints rather than exponential in the number of channels, so there is no
// limit on the number of channels. A channel's repeats within a path do not add to its
// credit; the order of the touchpoints does not matter.
//
// Reference: Zhao, K., Mahboobi, S. H. and Bagheri, S. R. (2018). Shapley value methods
// for attribution modeling in online advertising. arXiv:1804.05327.
func Shapley(paths []Path) (Result, error) {
	c, err := compile(paths)
	if err != nil {
		return Result{}, err
	}
	return attribute(c, shapley(len(c.names)))
}

// shapley returns the rule of Shapley for paths over the given number of channels: each
// distinct channel of a path earns 1 / (number of distinct channels), credited at its
// first touch.
func shapley(channels int) rule {
	seen := make([]int, channels) // seen[id] == i+1 when path i has touched id
	return func(c *compiled, i int, buf []share) []share {
		p := c.path(i)
		distinct := 0
		for _, id := range p {
			if seen[id] != i+1 {
				seen[id] = i + 1
				distinct++
			}
		}
		f := 1 / float64(distinct)
		for _, id := range p {
			if seen[id] == i+1 {
				seen[id] = -(i + 1) // credited
				buf = append(buf, share{id, f})
			}
		}
		return buf
	}
}
