package grpo

import (
	"math"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
)

// NewAdamW returns the shared AdamW for m with the given weight decay,
// applied to all but norm weights and biases.
func NewAdamW(m *model.Model, weightDecay float64) *optim.AdamW {
	o := optim.NewAdamW(len(m.Params))
	o.WeightDecay = weightDecay
	o.Decay = m.DecayRanges()
	return o
}

// ClipGradNorm scales grads so that their global L2 norm is at most
// maxNorm (0: no clipping) and returns the norm before clipping. It sums
// sequentially, so the norm (and a resumed run) is bit-for-bit
// reproducible, unlike a parallel reduction whose order varies.
func ClipGradNorm(grads []float32, maxNorm float64) float64 {
	ss := 0.0
	for _, g := range grads {
		ss += float64(g) * float64(g)
	}
	norm := math.Sqrt(ss)
	if maxNorm > 0 && norm > maxNorm {
		s := float32(maxNorm / (norm + 1e-6))
		for i := range grads {
			grads[i] *= s
		}
	}
	return norm
}

// LR returns the learning rate of step (0-based) of total: linear warm-up
// over warmup steps (lr·(step+1)/warmup), then constant or cosine decay
// to minRatio·lr at the last step.
func LR(base float64, step, total, warmup int, schedule string, minRatio float64) float64 {
	if warmup > 0 && step < warmup {
		return base * float64(step+1) / float64(warmup)
	}
	if schedule != "cosine" || total <= warmup+1 {
		return base
	}
	progress := float64(step-warmup) / float64(total-warmup-1)
	progress = math.Min(1, math.Max(0, progress))
	return base * (minRatio + (1-minRatio)*0.5*(1+math.Cos(math.Pi*progress)))
}
