package grpo

import "math"

// advEps is added to the group std before dividing (TRL's 1e-4).
const advEps = 1e-4

// GroupStats summarises the rewards of one step.
type GroupStats struct {
	Mean          float64 // mean reward over all rollouts
	MeanGroupStd  float64 // mean over groups of the group std (TRL's reward_std)
	ZeroStdGroups int     // groups whose rewards are all equal (no signal)
	Groups        int
}

// Advantages returns the group-relative advantage of every reward.
// rewards holds consecutive groups of size group. With scale the centred
// rewards are divided by (group std + 1e-4).
func Advantages(rewards []float64, group int, scale bool) ([]float64, GroupStats) {
	adv := make([]float64, len(rewards))
	var st GroupStats
	if group <= 0 || len(rewards)%group != 0 {
		panic("grpo: rewards are not whole groups")
	}
	for g := 0; g < len(rewards); g += group {
		rs := rewards[g : g+group]
		mean := 0.0
		for _, r := range rs {
			mean += r
		}
		mean /= float64(group)
		ss := 0.0
		for _, r := range rs {
			ss += (r - mean) * (r - mean)
		}
		std := 0.0
		if group > 1 {
			std = math.Sqrt(ss / float64(group-1))
		}
		zero := true
		for _, r := range rs {
			zero = zero && math.Abs(r-rs[0]) <= 1e-8*math.Max(1, math.Abs(rs[0]))
		}
		if zero {
			st.ZeroStdGroups++
		}
		for i, r := range rs {
			a := r - mean
			if scale {
				a /= std + advEps
			}
			adv[g+i] = a
		}
		st.Mean += mean * float64(group)
		st.MeanGroupStd += std
		st.Groups++
	}
	if len(rewards) > 0 {
		st.Mean /= float64(len(rewards))
		st.MeanGroupStd /= float64(st.Groups)
	}
	return adv, st
}
