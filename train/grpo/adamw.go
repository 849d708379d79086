package grpo

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
)

// MarshalAdamW encodes an optimiser's state (step count,
// hyper-parameters, moments) for a checkpoint. The optimiser is the shared
// train/optim AdamW (torch.optim.AdamW over the flat parameter buffer).
func MarshalAdamW(o *optim.AdamW) []byte {
	buf := make([]byte, 0, 48+8*len(o.M))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(o.Step))
	for _, f := range []float64{o.Beta1, o.Beta2, o.Eps, o.WeightDecay} {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
	}
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(o.M)))
	for _, s := range [][]float32{o.M, o.V} {
		for _, x := range s {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
	}
	return buf
}

// UnmarshalAdamW restores a state written by MarshalAdamW into o; the
// number of parameters must match.
func UnmarshalAdamW(o *optim.AdamW, b []byte) error {
	if len(b) < 48 {
		return errors.New("adamw state: truncated")
	}
	u := func() uint64 { x := binary.LittleEndian.Uint64(b); b = b[8:]; return x }
	step := int(u())
	hp := [4]float64{}
	for i := range hp {
		hp[i] = math.Float64frombits(u())
	}
	n := int(u())
	if n != len(o.M) || len(b) != 8*n {
		return errors.New("adamw state: size does not match the model")
	}
	o.Step = step
	o.Beta1, o.Beta2, o.Eps, o.WeightDecay = hp[0], hp[1], hp[2], hp[3]
	for _, s := range [][]float32{o.M, o.V} {
		for i := range s {
			s[i] = math.Float32frombits(binary.LittleEndian.Uint32(b))
			b = b[4:]
		}
	}
	return nil
}

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
