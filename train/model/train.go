package model

import (
	"fmt"
	"math"

	"github.com/polylearn/poly/train/tensor"
)

// Batch is B sequences of T token ids each (row-major, Tokens[b*T+t]),
// left-aligned and padded on the right with any valid id. Position t of
// sequence b predicts Tokens[b*T+t+1]. Mask[b*T+t] says whether that
// prediction is wanted (nil: every t < T-1); the last position of each row
// is never scored. Padding needs no attention mask: attention is causal and
// padding only follows the real tokens.
//
// Temperature, when set (0 means 1), divides the logits before the
// log-softmax: log-probabilities and entropies are those of the tempered
// distribution softmax(z/Temperature), the one a sampler at that
// temperature draws from (before top-k/top-p), and Backward differentiates
// through the division. GRPO sets it to its sampling temperature, as TRL
// and verl do.
type Batch struct {
	B, T        int
	Tokens      []int32
	Mask        []bool
	Temperature float32
}

// activations are the buffers of one training forward pass, kept for
// Backward (llm.c style; sized for B*T rows and reused while they fit).
type activations struct {
	B, T     int
	tok, pos []int32
	resid    [][]float32 // [L+1][N*D]: input of each layer, then the final residual
	rstd1    [][]float32 // [L][N]
	xn1      [][]float32 // [L][N*D]
	qkv      [][]float32 // [L][N*(Q+2KV)] after RoPE
	att      [][]float32 // [L][B*H*T*T] attention probabilities
	ao       [][]float32 // [L][N*Q] attention output
	mid      [][]float32 // [L][N*D] residual after attention
	rstd2    [][]float32 // [L][N]
	xn2      [][]float32 // [L][N*D]
	gu       [][]float32 // [L][N*2F] gate and up pre-activations
	hact     [][]float32 // [L][N*F] silu(gate)*up
	rstdF    []float32   // [N]
	xnF      []float32   // [N*D]
	sel      []int       // rows scored by the head
	y        []int32     // their targets
	lse, ent []float32   // per selected row
	invT     float32     // 1/temperature of the head
	logp     []float32   // [N] (returned)
	entropy  []float32   // [N] (returned)
	// backward scratch
	dres, dxn, dqkv, dao, dgu, dh []float32
	hbuf, logits                  []float32 // head chunk buffers
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

func growEach(s [][]float32, l, n int) [][]float32 {
	if len(s) != l {
		s = make([][]float32, l)
	}
	for i := range s {
		s[i] = grow(s[i], n)
	}
	return s
}

// headChunk is the number of rows whose logits are materialised at once.
func (m *Model) headChunk() int {
	return min(512, max(16, (1<<22)/m.Config.VocabSize))
}

func (m *Model) prepare(B, T int) *activations {
	c := &m.Config
	a := m.acts
	if a == nil {
		a = &activations{}
		m.acts = a
	}
	N, D, L, F := B*T, c.HiddenSize, c.NumLayers, c.IntermediateSize
	W := c.QDim() + 2*c.KVDim()
	a.B, a.T = B, T
	a.resid = growEach(a.resid, L+1, N*D)
	a.rstd1 = growEach(a.rstd1, L, N)
	a.xn1 = growEach(a.xn1, L, N*D)
	a.qkv = growEach(a.qkv, L, N*W)
	a.att = growEach(a.att, L, B*c.NumHeads*T*T)
	a.ao = growEach(a.ao, L, N*c.QDim())
	a.mid = growEach(a.mid, L, N*D)
	a.rstd2 = growEach(a.rstd2, L, N)
	a.xn2 = growEach(a.xn2, L, N*D)
	a.gu = growEach(a.gu, L, N*2*F)
	a.hact = growEach(a.hact, L, N*F)
	a.rstdF = grow(a.rstdF, N)
	a.xnF = grow(a.xnF, N*D)
	a.logp = grow(a.logp, N)
	a.entropy = grow(a.entropy, N)
	ch := m.headChunk()
	a.hbuf = grow(a.hbuf, ch*D)
	a.logits = grow(a.logits, ch*c.VocabSize)
	if cap(a.pos) < N {
		a.pos = make([]int32, N)
	}
	a.pos = a.pos[:N]
	for i := range a.pos {
		a.pos[i] = int32(i % T)
	}
	return a
}

func (m *Model) attnShape(B, T int) attnShape {
	c := &m.Config
	W := c.QDim() + 2*c.KVDim()
	return attnShape{B: B, T: T, H: c.NumHeads, G: c.NumKVHeads, hd: c.HeadDim, ld: W,
		kcol: c.QDim(), vcol: c.QDim() + c.KVDim(), scale: float32(1 / sqrt(float64(c.HeadDim))), outLd: c.QDim()}
}

// ForwardLogProbs runs the model over a batch and returns, for every
// position n = b*T+t, logp[n] = log p(Tokens[n+1] | Tokens[b*T : n+1]) and
// entropy[n], the entropy of the next-token distribution at n (both zero
// where the position is masked out or t = T-1), p being the distribution
// at batch.Temperature (softmax(logits/Temperature); 0 means 1). The slices are owned by the
// model and valid until its next ForwardLogProbs. The activations are kept
// for Backward. The [rows, vocab] logits are only ever materialised a chunk
// of rows at a time.
func (m *Model) ForwardLogProbs(batch *Batch) (logp, entropy []float32, err error) {
	c := &m.Config
	B, T := batch.B, batch.T
	if B <= 0 || T <= 0 || len(batch.Tokens) != B*T {
		return nil, nil, fmt.Errorf("model: batch of %d tokens for B=%d T=%d", len(batch.Tokens), B, T)
	}
	if batch.Mask != nil && len(batch.Mask) != B*T {
		return nil, nil, fmt.Errorf("model: mask of %d for B=%d T=%d", len(batch.Mask), B, T)
	}
	if T > c.MaxPositionEmbeddings {
		return nil, nil, fmt.Errorf("model: sequence length %d exceeds max_position_embeddings %d", T, c.MaxPositionEmbeddings)
	}
	invT := float32(1)
	if tp := batch.Temperature; tp != 0 {
		if !(tp > 0) || math.IsInf(float64(tp), 0) {
			return nil, nil, fmt.Errorf("model: temperature %v: want a finite value > 0 (or 0 for 1)", tp)
		}
		invT = 1 / tp
	}
	for i, t := range batch.Tokens {
		if t < 0 || int(t) >= c.VocabSize {
			return nil, nil, fmt.Errorf("model: token %d at position %d outside the vocabulary [0, %d)", t, i, c.VocabSize)
		}
	}
	a := m.prepare(B, T)
	a.invT = invT
	if cap(a.tok) < B*T {
		a.tok = make([]int32, B*T)
	}
	a.tok = append(a.tok[:0], batch.Tokens...) // owned: Backward must see the same ids
	N, D, F, W := B*T, c.HiddenSize, c.IntermediateSize, c.QDim()+2*c.KVDim()
	eps := float32(c.RMSNormEps)
	rt := m.ropeFor(T)
	as := m.attnShape(B, T)
	embeddingForward(a.resid[0], m.p.emb, a.tok, D)
	for l := 0; l < c.NumLayers; l++ {
		lp := &m.p.layers[l]
		rmsnormForward(a.xn1[l], a.rstd1[l], a.resid[l], lp.inNorm, N, D, eps)
		linearForward(a.qkv[l], a.xn1[l], lp.qkvW, lp.qkvB, N, D, W)
		ropeForward(a.qkv[l], W, 0, c.NumHeads+c.NumKVHeads, a.pos, rt, false)
		attentionForward(a.ao[l], a.att[l], a.qkv[l], as)
		linearForward(a.mid[l], a.ao[l], lp.oW, lp.oB, N, c.QDim(), D)
		tensor.Add(a.mid[l], a.mid[l], a.resid[l])
		rmsnormForward(a.xn2[l], a.rstd2[l], a.mid[l], lp.postNorm, N, D, eps)
		linearForward(a.gu[l], a.xn2[l], lp.gateUp, nil, N, D, 2*F)
		swigluForward(a.hact[l], a.gu[l], N, F)
		linearForward(a.resid[l+1], a.hact[l], lp.down, nil, N, F, D)
		tensor.Add(a.resid[l+1], a.resid[l+1], a.mid[l])
	}
	rmsnormForward(a.xnF, a.rstdF, a.resid[c.NumLayers], m.p.normF, N, D, eps)
	// select the scored rows
	a.sel, a.y = a.sel[:0], a.y[:0]
	for n := 0; n < N; n++ {
		if n%T == T-1 || (batch.Mask != nil && !batch.Mask[n]) {
			continue
		}
		a.sel = append(a.sel, n)
		a.y = append(a.y, a.tok[n+1])
	}
	a.lse = grow(a.lse, len(a.sel))
	a.ent = grow(a.ent, len(a.sel))
	clear(a.logp)
	clear(a.entropy)
	lp := grow(nil, len(a.sel))
	ch, V := m.headChunk(), c.VocabSize
	for r0 := 0; r0 < len(a.sel); r0 += ch {
		r1 := min(len(a.sel), r0+ch)
		for r := r0; r < r1; r++ {
			copy(a.hbuf[(r-r0)*D:(r-r0+1)*D], a.xnF[a.sel[r]*D:(a.sel[r]+1)*D])
		}
		tensor.Gemm(false, true, r1-r0, V, D, 1, a.hbuf, D, m.p.head, D, 0, a.logits, V)
		headForward(lp[r0:r1], a.ent[r0:r1], a.lse[r0:r1], a.logits, a.y[r0:r1], V, a.invT)
	}
	for r, n := range a.sel {
		a.logp[n] = lp[r]
		a.entropy[n] = a.ent[r]
	}
	return a.logp, a.entropy, nil
}

// Backward adds to Grads the gradient of sum(dLogp[n]*logp[n] +
// dEntropy[n]*entropy[n]) for the last ForwardLogProbs (dEntropy may be
// nil). Entries at unscored positions are ignored. For SFT pass
// dLogp[n] = -1/count on scored positions.
func (m *Model) Backward(dLogp, dEntropy []float32) error {
	a := m.acts
	if a == nil || a.tok == nil {
		return fmt.Errorf("model: Backward before ForwardLogProbs")
	}
	c := &m.Config
	B, T := a.B, a.T
	N, D, F, W, Q, V := B*T, c.HiddenSize, c.IntermediateSize, c.QDim()+2*c.KVDim(), c.QDim(), c.VocabSize
	if len(dLogp) != N || (dEntropy != nil && len(dEntropy) != N) {
		return fmt.Errorf("model: Backward wants %d gradients, got %d and %d", N, len(dLogp), len(dEntropy))
	}
	a.dres = grow(a.dres, N*D)
	a.dxn = grow(a.dxn, N*D)
	a.dqkv = grow(a.dqkv, N*W)
	a.dao = grow(a.dao, N*Q)
	a.dgu = grow(a.dgu, N*2*F)
	a.dh = grow(a.dh, N*F)
	// head, a chunk of rows at a time: recompute logits, then dlogits
	clear(a.dxn)
	gl := grow(nil, len(a.sel))
	var ge []float32
	if dEntropy != nil {
		ge = grow(nil, len(a.sel))
	}
	for r, n := range a.sel {
		gl[r] = dLogp[n]
		if ge != nil {
			ge[r] = dEntropy[n]
		}
	}
	ch := m.headChunk()
	for r0 := 0; r0 < len(a.sel); r0 += ch {
		r1 := min(len(a.sel), r0+ch)
		R := r1 - r0
		for r := r0; r < r1; r++ {
			copy(a.hbuf[(r-r0)*D:(r-r0+1)*D], a.xnF[a.sel[r]*D:(a.sel[r]+1)*D])
		}
		tensor.Gemm(false, true, R, V, D, 1, a.hbuf, D, m.p.head, D, 0, a.logits, V)
		var gec []float32
		if ge != nil {
			gec = ge[r0:r1]
		}
		headBackward(a.logits, a.y[r0:r1], a.lse[r0:r1], a.ent[r0:r1], gl[r0:r1], gec, V, a.invT)
		// dW_head += dz^T h ; dh = dz W_head (written into hbuf's rows' places)
		tensor.Gemm(true, false, V, D, R, 1, a.logits, V, a.hbuf, D, 1, m.g.head, D)
		tensor.Gemm(false, false, R, D, V, 1, a.logits, V, m.p.head, D, 0, a.hbuf, D)
		for r := r0; r < r1; r++ {
			copy(a.dxn[a.sel[r]*D:(a.sel[r]+1)*D], a.hbuf[(r-r0)*D:(r-r0+1)*D])
		}
	}
	clear(a.dres)
	rmsnormBackward(a.dres, m.g.normF, a.dxn, a.resid[c.NumLayers], m.p.normF, a.rstdF, N, D)
	rt := m.ropeFor(T)
	as := m.attnShape(B, T)
	for l := c.NumLayers - 1; l >= 0; l-- {
		lp, lg := &m.p.layers[l], &m.g.layers[l]
		// resid[l+1] = mid + down(h): dres flows to mid unchanged
		linearBackward(a.dh, lg.down, nil, a.dres, a.hact[l], lp.down, N, F, D)
		swigluBackward(a.dgu, a.dh, a.gu[l], N, F)
		linearBackward(a.dxn, lg.gateUp, nil, a.dgu, a.xn2[l], lp.gateUp, N, D, 2*F)
		rmsnormBackward(a.dres, lg.postNorm, a.dxn, a.mid[l], lp.postNorm, a.rstd2[l], N, D)
		// mid = resid[l] + o(ao)
		linearBackward(a.dao, lg.oW, lg.oB, a.dres, a.ao[l], lp.oW, N, Q, D)
		attentionBackward(a.dqkv, a.dao, a.att[l], a.qkv[l], as)
		ropeForward(a.dqkv, W, 0, c.NumHeads+c.NumKVHeads, a.pos, rt, true)
		// qkv was rotated in place; the weight gradient needs xn1 only
		linearBackward(a.dxn, lg.qkvW, lg.qkvB, a.dqkv, a.xn1[l], lp.qkvW, N, D, W)
		rmsnormBackward(a.dres, lg.inNorm, a.dxn, a.resid[l], lp.inNorm, a.rstd1[l], N, D)
	}
	embeddingBackward(m.g.emb, a.dres, a.tok, D)
	return nil
}
