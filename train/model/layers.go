package model

import (
	"math"
	"sync"

	"github.com/polylearn/poly/train/tensor"
)

// Layer kernels, llm.c style: each forward has a backward with explicit
// buffers. Matrices are row-major; N is the number of token rows. Backward
// passes accumulate (+=) into parameter gradients and into the gradient of
// their input unless documented otherwise.

// rowGrain is the minimum rows per worker chunk for row-wise kernels.
func rowGrain(width int) int { return max(1, 4096/max(width, 1)) }

// embeddingForward gathers out[n] = emb[tok[n]].
func embeddingForward(out, emb []float32, tok []int32, D int) {
	for n, t := range tok {
		copy(out[n*D:(n+1)*D], emb[int(t)*D:(int(t)+1)*D])
	}
}

// embeddingBackward scatters demb[tok[n]] += dout[n].
func embeddingBackward(demb, dout []float32, tok []int32, D int) {
	for n, t := range tok {
		tensor.Axpy(1, dout[n*D:(n+1)*D], demb[int(t)*D:(int(t)+1)*D])
	}
}

// rmsnormForward computes out = x / sqrt(mean(x^2) + eps) * w per row and
// stores each row's reciprocal RMS in rstd.
func rmsnormForward(out, rstd, x, w []float32, N, D int, eps float32) {
	tensor.ParallelFor(N, rowGrain(D), func(lo, hi int) {
		for n := lo; n < hi; n++ {
			xr := x[n*D : (n+1)*D]
			r := float32(1 / math.Sqrt(float64(tensor.Dot(xr, xr)/float32(D)+eps)))
			rstd[n] = r
			or := out[n*D : (n+1)*D]
			for i, v := range xr {
				or[i] = v * r * w[i]
			}
		}
	})
}

// rmsnormBackward adds the gradient of x to dx and of w to dw (dw is
// accumulated row by row on one goroutine per chunk, then summed).
func rmsnormBackward(dx, dw, dout, x, w, rstd []float32, N, D int) {
	var mu sync.Mutex
	tensor.ParallelFor(N, rowGrain(D), func(lo, hi int) {
		part := make([]float32, D)
		for n := lo; n < hi; n++ {
			xr, gr, dr := x[n*D:(n+1)*D], dout[n*D:(n+1)*D], dx[n*D:(n+1)*D]
			r := rstd[n]
			// xhat = x*r; g = dout*w; dx = r*(g - xhat*mean(g*xhat))
			var dot float32
			for i, v := range xr {
				g := gr[i] * w[i]
				dot += g * v * r
				part[i] += gr[i] * v * r
			}
			c := dot / float32(D)
			for i, v := range xr {
				dr[i] += r * (gr[i]*w[i] - v*r*c)
			}
		}
		mu.Lock()
		tensor.Axpy(1, part, dw)
		mu.Unlock()
	})
}

// linearForward computes out[N,O] = x[N,I] W[O,I]^T + b (b may be nil).
func linearForward(out, x, W, b []float32, N, I, O int) {
	tensor.Gemm(false, true, N, O, I, 1, x, I, W, I, 0, out, O)
	if b != nil {
		tensor.ParallelFor(N, rowGrain(O), func(lo, hi int) {
			for n := lo; n < hi; n++ {
				tensor.Axpy(1, b, out[n*O:(n+1)*O])
			}
		})
	}
}

// linearBackward writes dx = dout W (overwriting dx; skipped when dx is
// nil) and adds dW += dout^T x and db += column sums of dout (when db is
// not nil).
func linearBackward(dx, dW, db, dout, x, W []float32, N, I, O int) {
	if dx != nil {
		tensor.Gemm(false, false, N, I, O, 1, dout, O, W, I, 0, dx, I)
	}
	tensor.Gemm(true, false, O, I, N, 1, dout, O, x, I, 1, dW, I)
	if db != nil {
		for n := 0; n < N; n++ {
			tensor.Axpy(1, dout[n*O:(n+1)*O], db)
		}
	}
}

// ropeTable holds cos and sin of pos*theta^(-2i/hd) for i < hd/2.
type ropeTable struct {
	half     int
	cos, sin []float32 // [maxPos, half]
}

func newRopeTable(headDim, maxPos int, theta float64) *ropeTable {
	h := headDim / 2
	rt := &ropeTable{half: h, cos: make([]float32, maxPos*h), sin: make([]float32, maxPos*h)}
	for i := 0; i < h; i++ {
		// computed as HF does: inv_freq in float32, then pos * inv_freq
		inv := float32(1 / math.Pow(theta, float64(2*i)/float64(headDim)))
		for p := 0; p < maxPos; p++ {
			a := float64(float32(p) * inv)
			rt.cos[p*h+i] = float32(math.Cos(a))
			rt.sin[p*h+i] = float32(math.Sin(a))
		}
	}
	return rt
}

// ropeForward rotates, in place, the heads heads of width 2*half starting
// at column col of each row of x (row stride ld), row n at position pos[n]:
// HF's rotate_half convention (pairs i and i+half).
func ropeForward(x []float32, ld, col, heads int, pos []int32, rt *ropeTable, inverse bool) {
	h := rt.half
	tensor.ParallelFor(len(pos), rowGrain(heads*2*h), func(lo, hi int) {
		for n := lo; n < hi; n++ {
			c := rt.cos[int(pos[n])*h : int(pos[n])*h+h]
			s := rt.sin[int(pos[n])*h : int(pos[n])*h+h]
			for hd := 0; hd < heads; hd++ {
				v := x[n*ld+col+hd*2*h : n*ld+col+(hd+1)*2*h]
				a, b := v[:h], v[h:2*h]
				if inverse {
					for i := range a {
						a[i], b[i] = a[i]*c[i]+b[i]*s[i], b[i]*c[i]-a[i]*s[i]
					}
				} else {
					for i := range a {
						a[i], b[i] = a[i]*c[i]-b[i]*s[i], b[i]*c[i]+a[i]*s[i]
					}
				}
			}
		}
	})
}

// attnShape describes causal grouped-query attention over a [B*T, ld] qkv
// buffer: queries at column 0 (H heads), keys at column kcol and values at
// column vcol (G heads each), head width hd.
type attnShape struct {
	B, T, H, G, hd int
	ld, kcol, vcol int
	scale          float32
	outLd          int // row stride of the attention output [B*T, H*hd]
}

const attnBlock = 64 // query rows per causal block

// attentionForward computes out = softmax(scale*QK^T + causal mask) V per
// (sequence, head) and stores the probabilities in P [B, H, T, T] (the
// upper triangle is left zero).
func attentionForward(out, P, qkv []float32, a attnShape) {
	T := a.T
	tensor.ParallelFor(a.B*a.H, 1, func(lo, hi int) {
		for bh := lo; bh < hi; bh++ {
			b, h := bh/a.H, bh%a.H
			g := h / (a.H / a.G)
			q := qkv[b*T*a.ld+h*a.hd:]
			k := qkv[b*T*a.ld+a.kcol+g*a.hd:]
			v := qkv[b*T*a.ld+a.vcol+g*a.hd:]
			p := P[bh*T*T : (bh+1)*T*T]
			o := out[b*T*a.outLd+h*a.hd:]
			for i0 := 0; i0 < T; i0 += attnBlock {
				i1 := min(T, i0+attnBlock)
				tensor.GemmSerial(false, true, i1-i0, i1, a.hd, a.scale, q[i0*a.ld:], a.ld, k, a.ld, 0, p[i0*T:], T)
				for t := i0; t < i1; t++ {
					row := p[t*T : (t+1)*T]
					softmaxInPlace(row[:t+1])
					clear(row[t+1 : i1])
				}
				tensor.GemmSerial(false, false, i1-i0, a.hd, i1, 1, p[i0*T:], T, v, a.ld, 0, o[i0*a.outLd:], a.outLd)
			}
		}
	})
}

var scratchPool sync.Pool

func getScratch(n int) *[]float32 {
	if s, ok := scratchPool.Get().(*[]float32); ok && cap(*s) >= n {
		*s = (*s)[:n]
		return s
	}
	s := make([]float32, n)
	return &s
}

// attentionBackward writes dqkv (all of the q, k and v columns; it is
// overwritten) from dout, the saved probabilities P and qkv (post-RoPE).
func attentionBackward(dqkv, dout, P, qkv []float32, a attnShape) {
	T := a.T
	per := a.H / a.G
	tensor.ParallelFor(a.B*a.G, 1, func(lo, hi int) {
		sp := getScratch(T * T)
		defer scratchPool.Put(sp)
		dp := *sp
		for bg := lo; bg < hi; bg++ {
			b, g := bg/a.G, bg%a.G
			base := b * T * a.ld
			k, v := qkv[base+a.kcol+g*a.hd:], qkv[base+a.vcol+g*a.hd:]
			dk, dv := dqkv[base+a.kcol+g*a.hd:], dqkv[base+a.vcol+g*a.hd:]
			for t := 0; t < T; t++ {
				clear(dk[t*a.ld : t*a.ld+a.hd])
				clear(dv[t*a.ld : t*a.ld+a.hd])
			}
			for h := g * per; h < (g+1)*per; h++ {
				q, dq := qkv[base+h*a.hd:], dqkv[base+h*a.hd:]
				do := dout[b*T*a.outLd+h*a.hd:]
				p := P[(b*a.H+h)*T*T : (b*a.H+h+1)*T*T]
				for i0 := 0; i0 < T; i0 += attnBlock {
					i1 := min(T, i0+attnBlock)
					ib := i1 - i0
					// dP = dO V^T; dV += P^T dO
					tensor.GemmSerial(false, true, ib, i1, a.hd, 1, do[i0*a.outLd:], a.outLd, v, a.ld, 0, dp, i1)
					tensor.GemmSerial(true, false, i1, a.hd, ib, 1, p[i0*T:], T, do[i0*a.outLd:], a.outLd, 1, dv, a.ld)
					// dS = scale * P * (dP - rowsum(P*dP)), in place in dp
					for t := i0; t < i1; t++ {
						pr := p[t*T : t*T+t+1]
						dr := dp[(t-i0)*i1 : (t-i0)*i1+i1]
						s := tensor.Dot(pr, dr[:t+1])
						for j, pv := range pr {
							dr[j] = a.scale * pv * (dr[j] - s)
						}
						clear(dr[t+1:])
					}
					// dQ = dS K; dK += dS^T Q
					tensor.GemmSerial(false, false, ib, a.hd, i1, 1, dp, i1, k, a.ld, 0, dq[i0*a.ld:], a.ld)
					tensor.GemmSerial(true, false, i1, a.hd, ib, 1, dp, i1, q[i0*a.ld:], a.ld, 1, dk, a.ld)
				}
			}
		}
	})
}

// softmaxInPlace replaces x by softmax(x).
func softmaxInPlace(x []float32) {
	m := tensor.Max(x)
	s := tensor.ExpSub(x, x, m)
	tensor.Scale(1/s, x)
}

// swigluForward computes h = silu(gate) * up from gu = [gate | up] (rows
// of width 2F).
func swigluForward(h, gu []float32, N, F int) {
	tensor.ParallelFor(N, rowGrain(F), func(lo, hi int) {
		sp := getScratch(F)
		defer scratchPool.Put(sp)
		sg := *sp
		for n := lo; n < hi; n++ {
			g, u, o := gu[n*2*F:n*2*F+F], gu[n*2*F+F:(n+1)*2*F], h[n*F:(n+1)*F]
			tensor.Sigmoid(sg, g)
			for i, gv := range g {
				o[i] = gv * sg[i] * u[i]
			}
		}
	})
}

// swigluBackward writes dgu (overwritten) from dh.
func swigluBackward(dgu, dh, gu []float32, N, F int) {
	tensor.ParallelFor(N, rowGrain(F), func(lo, hi int) {
		sp := getScratch(F)
		defer scratchPool.Put(sp)
		sg := *sp
		for n := lo; n < hi; n++ {
			g, u := gu[n*2*F:n*2*F+F], gu[n*2*F+F:(n+1)*2*F]
			dg, du, d := dgu[n*2*F:n*2*F+F], dgu[n*2*F+F:(n+1)*2*F], dh[n*F:(n+1)*F]
			tensor.Sigmoid(sg, g)
			for i, gv := range g {
				s := sg[i]
				du[i] = d[i] * gv * s
				dg[i] = d[i] * u[i] * s * (1 + gv*(1-s))
			}
		}
	})
}

// headForward computes, for each row r of logits [R, V] and target y[r],
// the log-softmax of the tempered logits z = logits*invT (invT =
// 1/temperature; 1 leaves them as they are): logp[r] = log softmax(z)[y],
// ent[r] = its entropy, lse[r] = logsumexp(z). The logits are overwritten
// by z when invT != 1. Dividing the logits by the sampling temperature
// before the log-softmax is what TRL (trl/trainer/utils.py
// selective_log_softmax(..., temperature), installed by GRPOTrainer with
// add_fused_lm_head(model, temperature=self.temperature) for the policy and
// the reference, TRL 1.16) and verl (verl/workers/actor/dp_actor.py
// _forward_micro_batch: logits.div_(temperature), then
// logprobs_from_logits and entropy_from_logits) do for the policy, old and
// reference log-probabilities.
func headForward(logp, ent, lse, logits []float32, y []int32, V int, invT float32) {
	tensor.ParallelFor(len(y), rowGrain(V), func(lo, hi int) {
		sp := getScratch(V)
		defer scratchPool.Put(sp)
		e := *sp
		for r := lo; r < hi; r++ {
			z := logits[r*V : (r+1)*V]
			if invT != 1 {
				tensor.Scale(invT, z)
			}
			m := tensor.Max(z)
			s := float64(tensor.ExpSub(e, z, m))
			// sum e*(z-m) = e.z - m*s
			sz := float64(tensor.Dot(e, z)) - float64(m)*s
			l := math.Log(s)
			lse[r] = m + float32(l)
			logp[r] = z[y[r]] - lse[r]
			// H = lse - sum p z = log s - sum(e (z-m))/s
			ent[r] = float32(l - sz/s)
		}
	})
}

// headBackward overwrites logits [R, V] (the untempered logits, as given
// to headForward) with dL/dlogits given dlogp and dent per row (dent may
// be nil) and the lse and ent headForward returned for the same invT.
// With z = logits*invT and p = softmax(z), dL/dz = gl*(onehot - p) -
// gH*p*(log p + H), and dL/dlogits = invT * dL/dz.
func headBackward(logits []float32, y []int32, lse, ent, dlogp, dent []float32, V int, invT float32) {
	tensor.ParallelFor(len(y), rowGrain(V), func(lo, hi int) {
		sp := getScratch(V)
		defer scratchPool.Put(sp)
		p := *sp
		for r := lo; r < hi; r++ {
			z := logits[r*V : (r+1)*V]
			if invT != 1 {
				tensor.Scale(invT, z)
			}
			gl := dlogp[r] * invT
			var gh float32
			if dent != nil {
				gh = dent[r] * invT
			}
			l, H := lse[r], ent[r]
			tensor.ExpSub(p, z, l)
			for i, v := range z {
				z[i] = -gl*p[i] - gh*p[i]*(v-l+H)
			}
			z[y[r]] += gl
		}
	})
}

func sqrt(x float64) float64 { return math.Sqrt(x) }
