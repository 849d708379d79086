package grpo

import (
	"encoding/binary"
	"errors"
	"math"
)

// AdamW is Adam with decoupled weight decay (Loshchilov & Hutter), as
// torch.optim.AdamW: p -= lr·wd·p; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
// p -= lr · (m/(1-β1^t)) / (sqrt(v/(1-β2^t)) + eps). Decay applies where
// NoDecay marks (norms and biases are usually excluded).
type AdamW struct {
	Beta1, Beta2, Eps, WeightDecay float64
	M, V                           []float32
	T                              int // steps taken
	// NoDecay lists the ranges of parameters that take no weight decay.
	NoDecay []Range
}

// Range is a span [Off, Off+N) of the flat parameter buffer.
type Range struct{ Off, N int }

// NewAdamW returns an optimiser for n parameters with torch's defaults
// (β 0.9/0.999, eps 1e-8) and the given weight decay, not applied inside
// the noDecay ranges.
func NewAdamW(n int, weightDecay float64, noDecay []Range) *AdamW {
	return &AdamW{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: weightDecay, M: make([]float32, n), V: make([]float32, n), NoDecay: noDecay}
}

// Step updates params from grads with learning rate lr.
func (o *AdamW) Step(params, grads []float32, lr float64) {
	o.T++
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	bc1 := 1 - math.Pow(o.Beta1, float64(o.T))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.T))
	stepSize := float32(lr / bc1)
	sq := float32(math.Sqrt(bc2))
	eps := float32(o.Eps)
	if o.WeightDecay != 0 {
		decay := float32(1 - lr*o.WeightDecay)
		// decay everything, then undo it where there is none: the ranges
		// are few (norm weights, biases)
		saved := make([]float32, 0, 64)
		for _, r := range o.NoDecay {
			saved = append(saved, params[r.Off:r.Off+r.N]...)
		}
		for i := range params[:len(grads)] {
			params[i] *= decay
		}
		k := 0
		for _, r := range o.NoDecay {
			k += copy(params[r.Off:r.Off+r.N], saved[k:k+r.N])
		}
	}
	for i, g := range grads {
		p := params[i]
		m := b1*o.M[i] + (1-b1)*g
		v := b2*o.V[i] + (1-b2)*g*g
		o.M[i], o.V[i] = m, v
		params[i] = p - stepSize*m/(float32(math.Sqrt(float64(v)))/sq+eps)
	}
}

// MarshalBinary encodes the state (step count, hyper-parameters, m, v).
func (o *AdamW) MarshalBinary() ([]byte, error) {
	buf := make([]byte, 0, 48+8*len(o.M))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(o.T))
	for _, f := range []float64{o.Beta1, o.Beta2, o.Eps, o.WeightDecay} {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
	}
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(o.M)))
	for _, s := range [][]float32{o.M, o.V} {
		for _, x := range s {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
	}
	return buf, nil
}

// UnmarshalBinary restores a state written by MarshalBinary; the number
// of parameters must match.
func (o *AdamW) UnmarshalBinary(b []byte) error {
	if len(b) < 48 {
		return errors.New("adamw state: truncated")
	}
	u := func() uint64 { x := binary.LittleEndian.Uint64(b); b = b[8:]; return x }
	t := int(u())
	hp := [4]float64{}
	for i := range hp {
		hp[i] = math.Float64frombits(u())
	}
	n := int(u())
	if n != len(o.M) || len(b) != 8*n {
		return errors.New("adamw state: size does not match the model")
	}
	o.T = t
	o.Beta1, o.Beta2, o.Eps, o.WeightDecay = hp[0], hp[1], hp[2], hp[3]
	for _, s := range [][]float32{o.M, o.V} {
		for i := range s {
			s[i] = math.Float32frombits(binary.LittleEndian.Uint32(b))
			b = b[4:]
		}
	}
	return nil
}

// ClipGradNorm scales grads so that their global L2 norm is at most
// maxNorm (0: no clipping) and returns the norm before clipping.
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
