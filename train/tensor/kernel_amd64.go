//go:build amd64 && !purego

package tensor

import "golang.org/x/sys/cpu"

// kernel12x32 is the AVX-512 micro-kernel in kernel_amd64.s:
// C[12x32] += Ap[k x 12] * Bp[k x 32] with C rows ldc floats apart (acc
// != 0), or C = Ap * Bp (acc == 0).
//
//go:noescape
func kernel12x32(k int, a, b, c *float32, ldc int, acc int)

// dot4x4 is the AVX-512 kernel in dot_amd64.s: out[i*4+j] = x row i .
// w row j over k values (k a positive multiple of 16).
//
//go:noescape
func dot4x4(k int, x *float32, ldx int, w *float32, ldw int, out *float32)

//go:noescape
func dotAVX(n int, x, y *float32) float32

//go:noescape
func axpyAVX(n int, a float32, x, y *float32)

//go:noescape
func expSubAVX(n int, x *float32, m float32, y *float32) float32

//go:noescape
func sigmoidAVX(n int, x, y *float32)

// kernel12x32avx2 is the same micro-kernel for AVX2+FMA CPUs
// (kernel_avx2_amd64.s).
//
//go:noescape
func kernel12x32avx2(k int, a, b, c *float32, ldc int, acc int)

//go:noescape
func adamAVX(n int, pp, gg, mm, vv *float32, c *[8]float32)

// hasAVX512 reports whether the AVX-512 kernels can run here.
var hasAVX512 = cpu.X86.HasAVX512F

// hasAVX2 reports whether the AVX2+FMA GEMM micro-kernel can run here.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// useAVX2 selects the AVX2 GEMM micro-kernel when AVX-512 is not in use.
var useAVX2 = hasAVX2 && !hasAVX512

func microKernel(k int, a, b, c []float32, ldc int, acc bool) {
	f := 0
	if acc {
		f = 1
	}
	if useAsm {
		kernel12x32(k, &a[0], &b[0], &c[0], ldc, f)
		return
	}
	if useAVX2 {
		kernel12x32avx2(k, &a[0], &b[0], &c[0], ldc, f)
		return
	}
	microKernelGo(k, a, b, c, ldc, acc)
}

// dotBlock4 computes out[i*4+j] = sum_p x[i*ldx+p]*w[j*ldw+p] for i, j < 4.
func dotBlock4(k int, x []float32, ldx int, w []float32, ldw int, out *[16]float32) {
	k16 := k &^ 15
	if useAsm && k16 > 0 {
		dot4x4(k16, &x[0], ldx, &w[0], ldw, &out[0])
	} else {
		k16 = 0
		*out = [16]float32{}
	}
	if k16 < k {
		dotBlockTail(k16, k, x, ldx, w, ldw, out)
	}
}

// Dot returns sum(x[i]*y[i]) over len(x) elements.
func Dot(x, y []float32) float32 {
	y = y[:len(x)]
	n16 := len(x) &^ 15
	if !useAsm || n16 == 0 {
		return dotGo(x, y)
	}
	s := dotAVX(n16, &x[0], &y[0])
	if n16 < len(x) {
		s += dotGo(x[n16:], y[n16:])
	}
	return s
}

// Axpy computes y[i] += a*x[i] over len(x) elements.
func Axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	n16 := len(x) &^ 15
	if !useAsm || n16 == 0 {
		axpyGo(a, x, y)
		return
	}
	axpyAVX(n16, a, &x[0], &y[0])
	if n16 < len(x) {
		axpyGo(a, x[n16:], y[n16:])
	}
}

// ExpSub writes y[i] = exp(x[i]-m) and returns the sum of the y[i].
func ExpSub(y, x []float32, m float32) float32 {
	x = x[:len(y)]
	n16 := len(y) &^ 15
	if !useAsm || n16 == 0 {
		return expSubGo(y, x, m)
	}
	s := expSubAVX(n16, &x[0], m, &y[0])
	if n16 < len(y) {
		s += expSubGo(y[n16:], x[n16:], m)
	}
	return s
}

// Sigmoid writes y[i] = 1/(1+exp(-x[i])).
func Sigmoid(y, x []float32) {
	x = x[:len(y)]
	n16 := len(y) &^ 15
	if !useAsm || n16 == 0 {
		sigmoidGo(y, x)
		return
	}
	sigmoidAVX(n16, &x[0], &y[0])
	if n16 < len(y) {
		sigmoidGo(y[n16:], x[n16:])
	}
}

// AdamStep applies one AdamW update to p with gradients g and moments m, v
// (all the same length): p = p*decay - step*m'/(sqrt(v')*rbc2 + eps) with
// m' = b1*m + (1-b1)*g, v' = b2*v + (1-b2)*g*g.
func AdamStep(p, g, m, v []float32, decay, b1, b2, step, rbc2, eps float32) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	n16 := len(p) &^ 15
	if useAsm && n16 > 0 {
		c := [8]float32{decay, b1, 1 - b1, b2, 1 - b2, step, rbc2, eps}
		adamAVX(n16, &p[0], &g[0], &m[0], &v[0], &c)
	} else {
		n16 = 0
	}
	adamGo(p[n16:], g[n16:], m[n16:], v[n16:], decay, b1, b2, step, rbc2, eps)
}
