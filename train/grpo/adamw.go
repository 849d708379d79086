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
