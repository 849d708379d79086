// Package optim holds the optimiser for poly's flat parameter buffers:
// AdamW (decoupled weight decay, as torch.optim.AdamW) fused over one
// []float32, and global gradient-norm clipping. Both spread their loops
// over the tensor package's worker pool. AdamW's state (de)serialises with
// MarshalBinary/UnmarshalBinary (state.go) in the checkpoint format.
package optim

import (
	"fmt"
	"math"

	"github.com/polylearn/poly/train/tensor"
)

// AdamW is torch.optim.AdamW over a flat buffer. M and V (first and second
// moments) and Step (updates taken) are its whole state: save them to
// resume bit for bit.
type AdamW struct {
	Beta1, Beta2 float64 // default 0.9, 0.999
	Eps          float64 // default 1e-8
	WeightDecay  float64 // default 0.01
	// Decay lists the [lo, hi) element ranges that take weight decay; nil
	// means every element (see model.(*Model).DecayRanges).
	Decay [][2]int
	M, V  []float32
	Step  int
}

// NewAdamW returns AdamW for n parameters with the defaults above.
func NewAdamW(n int) *AdamW {
	return &AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, M: make([]float32, n), V: make([]float32, n)}
}

const grain = 1 << 14

// Update takes one step with learning rate lr: params -= lr*(adam direction)
// after decaying params by lr*WeightDecay where Decay says so.
func (o *AdamW) Update(params, grads []float32, lr float64) error {
	if len(params) != len(o.M) || len(grads) != len(o.M) {
		return fmt.Errorf("optim: %d params and %d grads for an optimiser of %d", len(params), len(grads), len(o.M))
	}
	o.Step++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.Step))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.Step))
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	step := float32(lr / bc1)
	rbc2 := float32(1 / math.Sqrt(bc2))
	eps := float32(o.Eps)
	adam := func(lo, hi int, decay float32) {
		tensor.AdamStep(params[lo:hi], grads[lo:hi], o.M[lo:hi], o.V[lo:hi], decay, b1, b2, step, rbc2, eps)
	}
	wd := float32(1 - lr*o.WeightDecay)
	decay := o.Decay
	if decay == nil {
		decay = [][2]int{{0, len(params)}}
	}
	// one parallel pass: element chunks, each told whether it decays
	inDecay := func(lo, hi int) {
		i := lo
		for _, r := range decay {
			a, b := max(r[0], lo), min(r[1], hi)
			if a >= b {
				continue
			}
			if i < a {
				adam(i, a, 1)
			}
			adam(a, b, wd)
			i = b
		}
		if i < hi {
			adam(i, hi, 1)
		}
	}
	tensor.ParallelFor(len(params), grain, inDecay)
	return nil
}

// GradNorm returns the L2 norm of grads (accumulated in float64).
func GradNorm(grads []float32) float64 {
	// Fixed blocks summed in block order: the result does not depend on
	// how the pool splits the work, so a resumed run is bit-for-bit the
	// same as an uninterrupted one.
	nb := (len(grads) + grain - 1) / grain
	partial := make([]float64, nb)
	tensor.ParallelFor(nb, 1, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			var s float64
			for _, g := range grads[b*grain : min((b+1)*grain, len(grads))] {
				s += float64(g) * float64(g)
			}
			partial[b] = s
		}
	})
	var total float64
	for _, s := range partial {
		total += s
	}
	return math.Sqrt(total)
}

// ClipGradNorm scales grads so their L2 norm is at most maxNorm (as
// torch.nn.utils.clip_grad_norm_) and returns the norm before clipping.
func ClipGradNorm(grads []float32, maxNorm float64) float64 {
	n := GradNorm(grads)
	if maxNorm > 0 && n > maxNorm {
		c := float32(maxNorm / (n + 1e-6))
		tensor.ParallelFor(len(grads), grain, func(lo, hi int) { tensor.Scale(c, grads[lo:hi]) })
	}
	return n
}
