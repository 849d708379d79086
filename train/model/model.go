package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Model is a decoder-only transformer with all parameters in one flat
// float32 buffer (Params) and their gradients in another (Grads), both laid
// out by Table. It keeps the activations of the last ForwardLogProbs for
// Backward. A Model is not safe for concurrent use.
type Model struct {
	Config Config
	Params []float32   // all parameters, laid out by Table
	Grads  []float32   // gradients, same layout; Backward adds to them
	Table  []ParamInfo // HF name, offset, size and shape of every tensor

	p, g views
	rope *ropeTable
	acts *activations
	inf  *inferBufs
}

// New returns a model for cfg with HF's initialisation: weights drawn from
// normal(0, initializer_range) with a seeded generator, biases zero, norm
// weights one.
func New(cfg Config, seed uint64) (*Model, error) {
	m, err := alloc(cfg)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	std := m.Config.InitializerRange
	for _, p := range m.Table {
		dst := m.Params[p.Offset : p.Offset+p.Size]
		switch {
		case len(p.Shape) == 1 && isNormOrBias(p.Name) && !hasSuffix(p.Name, ".bias"):
			for i := range dst {
				dst[i] = 1
			}
		case hasSuffix(p.Name, ".bias"):
			clear(dst)
		default:
			for i := range dst {
				dst[i] = float32(rng.NormFloat64() * std)
			}
		}
	}
	return m, nil
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

// alloc builds a zeroed model for cfg.
func alloc(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Raw == nil {
		cfg.Raw = map[string]any{}
	}
	tab := layout(&cfg)
	last := tab[len(tab)-1]
	n := last.Offset + last.Size
	m := &Model{Config: cfg, Params: make([]float32, n), Grads: make([]float32, n), Table: tab}
	m.p = makeViews(&m.Config, tab, m.Params)
	m.g = makeViews(&m.Config, tab, m.Grads)
	return m, nil
}

// NumParams returns the number of parameters (a tied head counted once).
func (m *Model) NumParams() int { return len(m.Params) }

// ZeroGrad sets all gradients to zero.
func (m *Model) ZeroGrad() { clear(m.Grads) }

// Param returns the parameter tensor with the given HF name and its
// gradient (views into Params and Grads), or false.
func (m *Model) Param(name string) (p, g []float32, ok bool) {
	for _, t := range m.Table {
		if t.Name == name {
			return m.Params[t.Offset : t.Offset+t.Size], m.Grads[t.Offset : t.Offset+t.Size], true
		}
	}
	return nil, nil, false
}

// DecayMask reports, per entry of Table, whether AdamW should apply weight
// decay to it (every matrix; not biases or norm weights, as HF's Trainer).
func (m *Model) DecayMask() []bool {
	mask := make([]bool, len(m.Table))
	for i, t := range m.Table {
		mask[i] = !isNormOrBias(t.Name)
	}
	return mask
}

// DecayRanges returns the [lo, hi) ranges of Params that take weight decay
// (DecayMask's tensors, adjacent ones merged), for optim.AdamW.Decay.
func (m *Model) DecayRanges() [][2]int {
	var rs [][2]int
	for i, d := range m.DecayMask() {
		if !d {
			continue
		}
		t := m.Table[i]
		if n := len(rs); n > 0 && rs[n-1][1] == t.Offset {
			rs[n-1][1] = t.Offset + t.Size
			continue
		}
		rs = append(rs, [2]int{t.Offset, t.Offset + t.Size})
	}
	return rs
}

// ropeFor returns the RoPE table covering positions below n.
func (m *Model) ropeFor(n int) *ropeTable {
	if m.rope == nil || len(m.rope.cos) < n*m.rope.half {
		size := max(n, 256)
		if m.rope != nil {
			size = max(size, 2*len(m.rope.cos)/m.rope.half)
		}
		m.rope = newRopeTable(m.Config.HeadDim, size, m.Config.RopeTheta)
	}
	return m.rope
}

// CheckFinite returns an error naming the first tensor of Params holding
// NaN or Inf (grads=false) or of Grads (grads=true).
func (m *Model) CheckFinite(grads bool) error {
	buf, what := m.Params, "parameter"
	if grads {
		buf, what = m.Grads, "gradient"
	}
	for _, t := range m.Table {
		for _, v := range buf[t.Offset : t.Offset+t.Size] {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("model: %s of %s is not finite (%v)", what, t.Name, v)
			}
		}
	}
	return nil
}

// Clone returns an independent copy of the model's configuration and
// parameters (gradients zero, no activations), e.g. the frozen reference
// policy of GRPO.
func (m *Model) Clone() *Model {
	c, err := alloc(m.Config)
	if err != nil { // m was valid, so is its config
		panic(err)
	}
	copy(c.Params, m.Params)
	return c
}
