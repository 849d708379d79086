package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Gradient checks: every backward kernel against central finite
// differences of an independent float64 reference of its forward (h=1e-6,
// so the numerical gradient is accurate to ~1e-9 and the comparison
// measures the float32 backward only).

func rnd32(r *rand.Rand, n int, std float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64() * std)
	}
	return s
}

func to64(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

func dot64(a []float64, b []float32) float64 {
	var s float64
	for i := range a {
		s += a[i] * float64(b[i])
	}
	return s
}

// numGrad returns the central-difference gradient of f with respect to x.
func numGrad(x []float64, f func() float64) []float64 {
	const h = 1e-6
	g := make([]float64, len(x))
	for i := range x {
		v := x[i]
		x[i] = v + h
		fp := f()
		x[i] = v - h
		fm := f()
		x[i] = v
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

// checkGrad compares an analytic float32 gradient with a numerical one:
// the largest error relative to the largest numerical entry must be below
// tol, and the gradient must not be trivially zero.
func checkGrad(t *testing.T, name string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d analytic vs %d numerical entries", name, len(got), len(want))
	}
	var scale, worst float64
	worstAt := -1
	for i := range want {
		scale = math.Max(scale, math.Abs(want[i]))
	}
	if scale == 0 {
		t.Fatalf("%s: numerical gradient is all zero", name)
	}
	for i := range want {
		if e := math.Abs(float64(got[i])-want[i]) / scale; e > worst {
			worst, worstAt = e, i
		}
	}
	if worst > tol {
		t.Errorf("%s: relative error %.3g at %d (analytic %g, numerical %g, scale %g)", name, worst, worstAt, got[worstAt], want[worstAt], scale)
	} else {
		t.Logf("%s: relative error %.2g (scale %.3g)", name, worst, scale)
	}
}

// ---- float64 references ----

func refRMSNorm(x, w []float64, N, D int, eps float64) []float64 {
	out := make([]float64, N*D)
	for n := 0; n < N; n++ {
		var ss float64
		for i := 0; i < D; i++ {
			ss += x[n*D+i] * x[n*D+i]
		}
		r := 1 / math.Sqrt(ss/float64(D)+eps)
		for i := 0; i < D; i++ {
			out[n*D+i] = x[n*D+i] * r * w[i]
		}
	}
	return out
}

func refLinear(x, W, b []float64, N, I, O int) []float64 {
	out := make([]float64, N*O)
	for n := 0; n < N; n++ {
		for o := 0; o < O; o++ {
			var s float64
			if b != nil {
				s = b[o]
			}
			for i := 0; i < I; i++ {
				s += x[n*I+i] * W[o*I+i]
			}
			out[n*O+o] = s
		}
	}
	return out
}

// refRope rotates heads of width hd at column col of rows of width ld,
// with angle pos*theta^(-2i/hd) (the same float32 frequency HF uses).
func refRope(x []float64, N, ld, col, heads, hd int, pos []int32, theta float64) []float64 {
	out := append([]float64{}, x...)
	h := hd / 2
	for n := 0; n < N; n++ {
		for k := 0; k < heads; k++ {
			o := n*ld + col + k*hd
			for i := 0; i < h; i++ {
				inv := float32(1 / math.Pow(theta, float64(2*i)/float64(hd)))
				a := float64(float32(pos[n]) * inv)
				c, s := math.Cos(a), math.Sin(a)
				x1, x2 := x[o+i], x[o+i+h]
				out[o+i] = x1*c - x2*s
				out[o+i+h] = x2*c + x1*s
			}
		}
	}
	return out
}

func refAttention(qkv []float64, a attnShape) []float64 {
	out := make([]float64, a.B*a.T*a.outLd)
	for b := 0; b < a.B; b++ {
		for h := 0; h < a.H; h++ {
			g := h / (a.H / a.G)
			for t := 0; t < a.T; t++ {
				q := qkv[(b*a.T+t)*a.ld+h*a.hd:]
				sc := make([]float64, t+1)
				mx := math.Inf(-1)
				for s := 0; s <= t; s++ {
					k := qkv[(b*a.T+s)*a.ld+a.kcol+g*a.hd:]
					var d float64
					for i := 0; i < a.hd; i++ {
						d += q[i] * k[i]
					}
					sc[s] = d * float64(a.scale)
					mx = math.Max(mx, sc[s])
				}
				var z float64
				for s := range sc {
					sc[s] = math.Exp(sc[s] - mx)
					z += sc[s]
				}
				for s := range sc {
					v := qkv[(b*a.T+s)*a.ld+a.vcol+g*a.hd:]
					for i := 0; i < a.hd; i++ {
						out[(b*a.T+t)*a.outLd+h*a.hd+i] += sc[s] / z * v[i]
					}
				}
			}
		}
	}
	return out
}

func refSwiGLU(gu []float64, N, F int) []float64 {
	out := make([]float64, N*F)
	for n := 0; n < N; n++ {
		for i := 0; i < F; i++ {
			g, u := gu[n*2*F+i], gu[n*2*F+F+i]
			out[n*F+i] = g / (1 + math.Exp(-g)) * u
		}
	}
	return out
}

// refHead is the log-softmax and entropy of logits/temp per row (temp 0
// means 1), in float64.
func refHead(logits []float64, y []int32, V int, temp float64) (logp, ent []float64) {
	if temp == 0 {
		temp = 1
	}
	for r := range y {
		z := make([]float64, V)
		for i, v := range logits[r*V : (r+1)*V] {
			z[i] = v / temp
		}
		mx := math.Inf(-1)
		for _, v := range z {
			mx = math.Max(mx, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - mx)
		}
		lse := mx + math.Log(s)
		var h float64
		for _, v := range z {
			h -= math.Exp(v-lse) * (v - lse)
		}
		logp = append(logp, z[y[r]]-lse)
		ent = append(ent, h)
	}
	return
}

// ---- per-layer checks ----

func TestGradEmbedding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	V, D := 7, 5
	tok := []int32{3, 0, 3, 6, 1}
	emb, dout := rnd32(r, V*D, 1), rnd32(r, len(tok)*D, 1)
	demb := make([]float32, V*D)
	embeddingBackward(demb, dout, tok, D)
	e64 := to64(emb)
	checkGrad(t, "embedding", demb, numGrad(e64, func() float64 {
		var s float64
		for n, tk := range tok {
			s += dot64(e64[int(tk)*D:(int(tk)+1)*D], dout[n*D:(n+1)*D])
		}
		return s
	}), 1e-6)
	out := make([]float32, len(tok)*D)
	embeddingForward(out, emb, tok, D)
	if out[2*D+1] != emb[3*D+1] {
		t.Fatal("embedding forward")
	}
}

func TestGradRMSNorm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	N, D, eps := 6, 24, 1e-5
	x, w, dout := rnd32(r, N*D, 2), rnd32(r, D, 1), rnd32(r, N*D, 1)
	out, rstd := make([]float32, N*D), make([]float32, N)
	rmsnormForward(out, rstd, x, w, N, D, float32(eps))
	x64, w64 := to64(x), to64(w)
	checkForward(t, "rmsnorm", out, refRMSNorm(x64, w64, N, D, eps))
	dx, dw := rnd32(r, N*D, 1), make([]float32, D)
	dx0 := append([]float32{}, dx...)
	rmsnormBackward(dx, dw, dout, x, w, rstd, N, D)
	for i := range dx {
		dx[i] -= dx0[i] // backward accumulates into dx
	}
	loss := func() float64 { return dot64(refRMSNorm(x64, w64, N, D, eps), dout) }
	checkGrad(t, "rmsnorm dx", dx, numGrad(x64, loss), 1e-4)
	checkGrad(t, "rmsnorm dw", dw, numGrad(w64, loss), 1e-4)
}

func checkForward(t *testing.T, name string, got []float32, want []float64) {
	t.Helper()
	var worst, scale float64
	for i := range want {
		worst = math.Max(worst, math.Abs(float64(got[i])-want[i]))
		scale = math.Max(scale, math.Abs(want[i]))
	}
	if worst > 1e-5*math.Max(1, scale) {
		t.Errorf("%s forward: max abs error %g (scale %g)", name, worst, scale)
	}
}

func TestGradLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 3))
	for _, sh := range [][3]int{{5, 7, 3}, {70, 40, 33}} { // the second crosses GEMM tile edges
		N, I, O := sh[0], sh[1], sh[2]
		for _, bias := range []bool{false, true} {
			t.Run(fmt.Sprintf("%dx%dx%d/bias=%v", N, I, O, bias), func(t *testing.T) {
				x, W, dout := rnd32(r, N*I, 1), rnd32(r, O*I, 0.3), rnd32(r, N*O, 1)
				var b, db []float32
				if bias {
					b, db = rnd32(r, O, 1), make([]float32, O)
				}
				out := make([]float32, N*O)
				linearForward(out, x, W, b, N, I, O)
				x64, W64, b64 := to64(x), to64(W), to64(b)
				if !bias {
					b64 = nil
				}
				checkForward(t, "linear", out, refLinear(x64, W64, b64, N, I, O))
				dx, dW := make([]float32, N*I), make([]float32, O*I)
				linearBackward(dx, dW, db, dout, x, W, N, I, O)
				loss := func() float64 { return dot64(refLinear(x64, W64, b64, N, I, O), dout) }
				checkGrad(t, "linear dx", dx, numGrad(x64, loss), 1e-4)
				checkGrad(t, "linear dW", dW, numGrad(W64, loss), 1e-4)
				if bias {
					checkGrad(t, "linear db", db, numGrad(b64, loss), 1e-4)
				}
			})
		}
	}
}

func TestGradRoPE(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 4))
	N, hd, heads, col, ld, theta := 5, 8, 3, 4, 30, 1000.0
	pos := []int32{0, 1, 7, 33, 2}
	x, dout := rnd32(r, N*ld, 1), rnd32(r, N*ld, 1)
	rt := newRopeTable(hd, 64, theta)
	out := append([]float32{}, x...)
	ropeForward(out, ld, col, heads, pos, rt, false)
	x64 := to64(x)
	checkForward(t, "rope", out, refRope(x64, N, ld, col, heads, hd, pos, theta))
	dx := append([]float32{}, dout...)
	ropeForward(dx, ld, col, heads, pos, rt, true)
	checkGrad(t, "rope dx", dx, numGrad(x64, func() float64 { return dot64(refRope(x64, N, ld, col, heads, hd, pos, theta), dout) }), 1e-5)
}

func TestGradAttention(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 5))
	// T = 70 spans two causal blocks of 64 query rows; 4 query heads share 2 kv heads
	for _, sh := range []struct{ B, T, H, G, hd int }{{2, 5, 2, 1, 4}, {1, 70, 4, 2, 8}} {
		t.Run(fmt.Sprintf("B%d_T%d_H%d_G%d", sh.B, sh.T, sh.H, sh.G), func(t *testing.T) {
			Q, KV := sh.H*sh.hd, sh.G*sh.hd
			a := attnShape{B: sh.B, T: sh.T, H: sh.H, G: sh.G, hd: sh.hd, ld: Q + 2*KV, kcol: Q, vcol: Q + KV,
				scale: float32(1 / math.Sqrt(float64(sh.hd))), outLd: Q}
			N := sh.B * sh.T
			qkv, dout := rnd32(r, N*a.ld, 1), rnd32(r, N*Q, 1)
			out, P := make([]float32, N*Q), make([]float32, sh.B*sh.H*sh.T*sh.T)
			attentionForward(out, P, qkv, a)
			q64 := to64(qkv)
			checkForward(t, "attention", out, refAttention(q64, a))
			dqkv := make([]float32, N*a.ld)
			attentionBackward(dqkv, dout, P, qkv, a)
			checkGrad(t, "attention dqkv", dqkv, numGrad(q64, func() float64 { return dot64(refAttention(q64, a), dout) }), 1e-4)
		})
	}
}

func TestGradSwiGLU(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 6))
	N, F := 4, 9
	gu, dh := rnd32(r, N*2*F, 2), rnd32(r, N*F, 1)
	h := make([]float32, N*F)
	swigluForward(h, gu, N, F)
	g64 := to64(gu)
	checkForward(t, "swiglu", h, refSwiGLU(g64, N, F))
	dgu := make([]float32, N*2*F)
	swigluBackward(dgu, dh, gu, N, F)
	checkGrad(t, "swiglu dgu", dgu, numGrad(g64, func() float64 { return dot64(refSwiGLU(g64, N, F), dh) }), 1e-5)
}

func TestGradHead(t *testing.T) {
	for _, temp := range []float64{1, 0.6, 1.7} {
		r := rand.New(rand.NewPCG(1, 7))
		R, V := 5, 11
		logits, y := rnd32(r, R*V, 2), []int32{0, 10, 3, 3, 7}
		gl, ge := rnd32(r, R, 1), rnd32(r, R, 1)
		logp, ent, lse := make([]float32, R), make([]float32, R), make([]float32, R)
		invT := float32(1 / temp)
		headForward(logp, ent, lse, append([]float32{}, logits...), y, V, invT)
		l64 := to64(logits)
		wl, we := refHead(l64, y, V, temp)
		checkForward(t, fmt.Sprintf("head logp (T=%v)", temp), logp, wl)
		checkForward(t, fmt.Sprintf("head entropy (T=%v)", temp), ent, we)
		for _, withEnt := range []bool{false, true} {
			d := append([]float32{}, logits...)
			var dent []float32
			if withEnt {
				dent = ge
			}
			headBackward(d, y, lse, ent, gl, dent, V, invT)
			checkGrad(t, fmt.Sprintf("head dlogits (T=%v, entropy=%v)", temp, withEnt), d, numGrad(l64, func() float64 {
				lp, en := refHead(l64, y, V, temp)
				var s float64
				for i := range lp {
					s += lp[i] * float64(gl[i])
					if withEnt {
						s += en[i] * float64(ge[i])
					}
				}
				return s
			}), 1e-5)
		}
	}
}
