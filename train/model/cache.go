package model

import (
	"fmt"

	"github.com/polylearn/poly/train/tensor"
)

// Cache is a key/value cache for B sequences of up to MaxLen positions,
// made by NewCache. Keys and values of sequence b, kv head g, position p
// live at [l][((b*G+g)*MaxLen+p)*headDim].
type Cache struct {
	B, MaxLen int
	k, v      [][]float32
	headDim   int
}

// NewCache returns an empty cache for batch sequences of up to maxLen
// tokens (prompt and completion together).
func (m *Model) NewCache(batch, maxLen int) *Cache {
	c := &m.Config
	n := batch * c.NumKVHeads * maxLen * c.HeadDim
	kc := &Cache{B: batch, MaxLen: maxLen, k: make([][]float32, c.NumLayers), v: make([][]float32, c.NumLayers), headDim: c.HeadDim}
	for l := range kc.k {
		kc.k[l] = make([]float32, n)
		kc.v[l] = make([]float32, n)
	}
	return kc
}

// CopySeq copies the keys and values of positions [0, n) of sequence src
// to sequence dst, e.g. to prefill one prompt and fan it out to every
// rollout of a group (then Decode each from position n with the logits
// Prefill returned for src).
func (kc *Cache) CopySeq(dst, src, n int) error {
	if dst < 0 || dst >= kc.B || src < 0 || src >= kc.B || n < 0 || n > kc.MaxLen {
		return fmt.Errorf("model: CopySeq(%d, %d, %d) outside a cache of %d x %d", dst, src, n, kc.B, kc.MaxLen)
	}
	if dst == src || n == 0 || len(kc.k) == 0 {
		return nil
	}
	per := len(kc.k[0]) / kc.B / kc.MaxLen // floats per (sequence, position) over all kv heads
	heads := per / kc.headDim
	for l := range kc.k {
		for g := 0; g < heads; g++ {
			so := ((src*heads + g) * kc.MaxLen) * kc.headDim
			do := ((dst*heads + g) * kc.MaxLen) * kc.headDim
			copy(kc.k[l][do:do+n*kc.headDim], kc.k[l][so:so+n*kc.headDim])
			copy(kc.v[l][do:do+n*kc.headDim], kc.v[l][so:so+n*kc.headDim])
		}
	}
	return nil
}

// inferBufs are the scratch buffers of Prefill and Decode.
type inferBufs struct {
	x, xn, qkv, ao, gu, h, tmp, rstd []float32
	hbuf, logits                     []float32
	rows                             [][]float32
	seq, pos, tok                    []int32
	last                             []int
}

// Prefill runs whole prompts (prompts[b] for sequence b; len(prompts) must
// be the cache's B, an empty prompt skips its sequence) from position 0,
// filling the cache, and returns the next-token logits after each prompt
// (rows of a model-owned [B, V] buffer, valid until the next Prefill or
// Decode; nil rows for skipped sequences).
func (m *Model) Prefill(kc *Cache, prompts [][]int32) ([][]float32, error) {
	if len(prompts) != kc.B {
		return nil, fmt.Errorf("model: %d prompts for a cache of %d sequences", len(prompts), kc.B)
	}
	var seq, pos, tok []int32
	var last []int
	for b, p := range prompts {
		if len(p) > kc.MaxLen {
			return nil, fmt.Errorf("model: prompt %d has %d tokens, the cache holds %d", b, len(p), kc.MaxLen)
		}
		for i, t := range p {
			seq = append(seq, int32(b))
			pos = append(pos, int32(i))
			tok = append(tok, t)
		}
		last = append(last, len(tok)-1)
		if len(p) == 0 {
			last[b] = -1
		}
	}
	return m.infer(kc, seq, pos, tok, last)
}

// Decode feeds one token per sequence (tokens[b] at position positions[b]
// of sequence b; a negative token skips the sequence) and returns the
// next-token logits per sequence as rows of a model-owned [B, V] buffer,
// valid until the next Prefill or Decode (nil rows for skipped sequences).
// Attention covers cache positions 0..positions[b], which must all have
// been filled by earlier calls.
func (m *Model) Decode(kc *Cache, tokens, positions []int32) ([][]float32, error) {
	if len(tokens) != kc.B || len(positions) != kc.B {
		return nil, fmt.Errorf("model: %d tokens and %d positions for a cache of %d sequences", len(tokens), len(positions), kc.B)
	}
	inf := m.inferScratch(kc.B)
	seq, pos, tok := inf.idx(kc.B)
	seq, pos, tok = seq[:0], pos[:0], tok[:0]
	if cap(inf.last) < kc.B {
		inf.last = make([]int, kc.B)
	}
	last := inf.last[:kc.B]
	for b, t := range tokens {
		last[b] = -1
		if t < 0 {
			continue
		}
		last[b] = len(tok)
		seq = append(seq, int32(b))
		pos = append(pos, positions[b])
		tok = append(tok, t)
	}
	return m.infer(kc, seq, pos, tok, last)
}

func (inf *inferBufs) idx(n int) (seq, pos, tok []int32) {
	if cap(inf.seq) < n {
		inf.seq, inf.pos, inf.tok = make([]int32, n), make([]int32, n), make([]int32, n)
	}
	return inf.seq[:n], inf.pos[:n], inf.tok[:n]
}

func (m *Model) inferScratch(N int) *inferBufs {
	c := &m.Config
	if m.inf == nil {
		m.inf = &inferBufs{}
	}
	f := m.inf
	D, F, W := c.HiddenSize, c.IntermediateSize, c.QDim()+2*c.KVDim()
	f.x = grow(f.x, N*D)
	f.xn = grow(f.xn, N*D)
	f.tmp = grow(f.tmp, N*D)
	f.qkv = grow(f.qkv, N*W)
	f.ao = grow(f.ao, N*c.QDim())
	f.gu = grow(f.gu, N*2*F)
	f.h = grow(f.h, N*F)
	f.rstd = grow(f.rstd, N)
	return f
}

// infer runs rows (sequence seq[i], position pos[i], token tok[i]) through
// the model, writing their keys and values into the cache, and returns the
// logits of row last[b] for each sequence b (nil where last[b] < 0).
func (m *Model) infer(kc *Cache, seq, pos, tok []int32, last []int) ([][]float32, error) {
	c := &m.Config
	N := len(tok)
	for i, t := range tok {
		if t < 0 || int(t) >= c.VocabSize {
			return nil, fmt.Errorf("model: token %d outside the vocabulary [0, %d)", t, c.VocabSize)
		}
		if pos[i] < 0 || int(pos[i]) >= kc.MaxLen || int(pos[i]) >= c.MaxPositionEmbeddings {
			return nil, fmt.Errorf("model: position %d outside the cache (%d) or max_position_embeddings", pos[i], kc.MaxLen)
		}
	}
	f := m.inferScratch(N)
	D, F, Q, KV, W, G, hd := c.HiddenSize, c.IntermediateSize, c.QDim(), c.KVDim(), c.QDim()+2*c.KVDim(), c.NumKVHeads, c.HeadDim
	eps := float32(c.RMSNormEps)
	rt := m.ropeFor(kc.MaxLen)
	scale := float32(1 / sqrt(float64(hd)))
	if N > 0 {
		embeddingForward(f.x, m.p.emb, tok, D)
	}
	for l := 0; l < c.NumLayers && N > 0; l++ {
		lp := &m.p.layers[l]
		rmsnormForward(f.xn, f.rstd, f.x, lp.inNorm, N, D, eps)
		linearForward(f.qkv, f.xn, lp.qkvW, lp.qkvB, N, D, W)
		ropeForward(f.qkv, W, 0, c.NumHeads+G, pos, rt, false)
		kl, vl := kc.k[l], kc.v[l]
		for i := 0; i < N; i++ {
			for g := 0; g < G; g++ {
				o := ((int(seq[i])*G+g)*kc.MaxLen + int(pos[i])) * hd
				copy(kl[o:o+hd], f.qkv[i*W+Q+g*hd:i*W+Q+(g+1)*hd])
				copy(vl[o:o+hd], f.qkv[i*W+Q+KV+g*hd:i*W+Q+KV+(g+1)*hd])
			}
		}
		H, per := c.NumHeads, c.NumHeads/G
		tensor.ParallelFor(N*H, max(1, 256/max(1, int(pos[0])+1)), func(lo, hi int) {
			sp := getScratch(kc.MaxLen)
			defer scratchPool.Put(sp)
			s := *sp
			for ih := lo; ih < hi; ih++ {
				i, h := ih/H, ih%H
				g := h / per
				p := int(pos[i]) + 1
				base := (int(seq[i])*G + g) * kc.MaxLen * hd
				q := f.qkv[i*W+h*hd : i*W+(h+1)*hd]
				for j := 0; j < p; j++ {
					s[j] = scale * tensor.Dot(q, kl[base+j*hd:base+(j+1)*hd])
				}
				softmaxInPlace(s[:p])
				o := f.ao[i*Q+h*hd : i*Q+(h+1)*hd]
				clear(o)
				for j := 0; j < p; j++ {
					tensor.Axpy(s[j], vl[base+j*hd:base+(j+1)*hd], o)
				}
			}
		})
		linearForward(f.tmp, f.ao, lp.oW, lp.oB, N, Q, D)
		tensor.Add(f.x[:N*D], f.x, f.tmp)
		rmsnormForward(f.xn, f.rstd, f.x, lp.postNorm, N, D, eps)
		linearForward(f.gu, f.xn, lp.gateUp, nil, N, D, 2*F)
		swigluForward(f.h, f.gu, N, F)
		linearForward(f.tmp, f.h, lp.down, nil, N, F, D)
		tensor.Add(f.x[:N*D], f.x, f.tmp)
	}
	// final norm and head for the requested rows only
	V := c.VocabSize
	R := 0
	for _, r := range last {
		if r >= 0 {
			R++
		}
	}
	f.hbuf = grow(f.hbuf, R*D)
	f.logits = grow(f.logits, len(last)*V)
	j := 0
	for _, r := range last {
		if r >= 0 {
			copy(f.hbuf[j*D:(j+1)*D], f.x[r*D:(r+1)*D])
			j++
		}
	}
	rows := f.rows[:0]
	if R > 0 {
		rmsnormForward(f.hbuf, f.rstd, f.hbuf, m.p.normF, R, D, eps)
		out := f.logits[:R*V]
		tensor.Gemm(false, true, R, V, D, 1, f.hbuf, D, m.p.head, D, 0, out, V)
	}
	j = 0
	for _, r := range last {
		if r < 0 {
			rows = append(rows, nil)
			continue
		}
		rows = append(rows, f.logits[j*V:(j+1)*V:(j+1)*V])
		j++
	}
	f.rows = rows
	return rows, nil
}
