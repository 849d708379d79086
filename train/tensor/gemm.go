package tensor

import (
	"fmt"
	"sync"
)

// Blocking of the packed GEMM (BLIS loop order jc, pc, ic, jr, ir).
const (
	mr = 12   // micro-tile rows
	nr = 32   // micro-tile columns (two 16-float vectors)
	kc = 256  // depth of one packed block
	mc = 120  // rows of A packed at once (a multiple of mr)
	nc = 2048 // columns of B packed at once (a multiple of nr)
)

// useAsm selects the assembly micro-kernel; tests flip it to compare both.
var useAsm = hasAVX512

// Kernel names the GEMM micro-kernel in use ("avx512", "avx2" or "go").
func Kernel() string {
	switch {
	case useAsm:
		return "avx512"
	case useAVX2:
		return "avx2"
	}
	return "go"
}

type packBufs struct {
	a, b []float32
	tile [mr * nr]float32
}

var packPool = sync.Pool{New: func() any {
	return &packBufs{a: make([]float32, mc*kc), b: make([]float32, kc*nc)}
}}

// Gemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices,
// where op(X) is X, or X transposed when the trans flag is set; op(A) is
// m x k, op(B) is k x n and C is m x n. lda, ldb and ldc are row strides.
// Large products are split over the worker pool.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if !transA && transB && m <= smallM && k >= 16 {
		gemmSmallNT(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	work := m * n * k
	if Threads() < 2 || work < 1<<17 {
		gemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if m >= n && m >= 2*mr {
		ParallelFor((m+mr-1)/mr, 1, func(lo, hi int) {
			r0, r1 := lo*mr, min(hi*mr, m)
			ao := r0 * lda
			if transA {
				ao = r0
			}
			gemmSerial(transA, transB, r1-r0, n, k, alpha, a[ao:], lda, b, ldb, beta, c[r0*ldc:], ldc)
		})
		return
	}
	if n >= 2*nr {
		ParallelFor((n+nr-1)/nr, 1, func(lo, hi int) {
			c0, c1 := lo*nr, min(hi*nr, n)
			bo := c0
			if transB {
				bo = c0 * ldb
			}
			gemmSerial(transA, transB, m, c1-c0, k, alpha, a, lda, b[bo:], ldb, beta, c[c0:], ldc)
		})
		return
	}
	gemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// GemmSerial is Gemm on the calling goroutine only, for use inside
// parallel loops that already spread work over the pool.
func GemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	gemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	if k > 0 && (lda < ac || len(a) < (ar-1)*lda+ac) {
		panic(fmt.Sprintf("tensor.Gemm: A too small: %dx%d lda %d len %d", ar, ac, lda, len(a)))
	}
	if k > 0 && (ldb < bc || len(b) < (br-1)*ldb+bc) {
		panic(fmt.Sprintf("tensor.Gemm: B too small: %dx%d ldb %d len %d", br, bc, ldb, len(b)))
	}
	if ldc < n || len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("tensor.Gemm: C too small: %dx%d ldc %d len %d", m, n, ldc, len(c)))
	}
}

func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else {
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

func gemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if k <= 0 || alpha == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	// beta == 0: the first depth block overwrites C (no clearing pass)
	overwrite := beta == 0
	if !overwrite {
		scaleC(m, n, beta, c, ldc)
	}
	bufs := packPool.Get().(*packBufs)
	defer packPool.Put(bufs)
	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			acc := pc > 0 || !overwrite
			packB(transB, kb, nb, b, ldb, pc, jc, bufs.b)
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(transA, mb, kb, alpha, a, lda, ic, pc, bufs.a)
				for jr := 0; jr < nb; jr += nr {
					nn := min(nr, nb-jr)
					bp := bufs.b[jr*kb : jr*kb+nr*kb]
					for ir := 0; ir < mb; ir += mr {
						mm := min(mr, mb-ir)
						ap := bufs.a[ir*kb : ir*kb+mr*kb]
						co := (ic+ir)*ldc + jc + jr
						if mm == mr && nn == nr {
							microKernel(kb, ap, bp, c[co:], ldc, acc)
							continue
						}
						t := bufs.tile[:]
						microKernel(kb, ap, bp, t, nr, false)
						for i := 0; i < mm; i++ {
							crow := c[co+i*ldc : co+i*ldc+nn]
							trow := t[i*nr : i*nr+nn]
							if acc {
								for j := range crow {
									crow[j] += trow[j]
								}
							} else {
								copy(crow, trow)
							}
						}
					}
				}
			}
		}
	}
}

// packA packs alpha*op(A)[ic:ic+mb, pc:pc+kb] into mr-row panels: panel r
// holds, for each p, the mr values of its rows (zero padded).
func packA(transA bool, mb, kb int, alpha float32, a []float32, lda, ic, pc int, dst []float32) {
	for ir := 0; ir < mb; ir += mr {
		mm := min(mr, mb-ir)
		panel := dst[ir*kb : ir*kb+mr*kb]
		if transA {
			// op(A)[i, p] = a[p*lda + i]: rows of a are contiguous in i.
			for p := 0; p < kb; p++ {
				src := a[(pc+p)*lda+ic+ir : (pc+p)*lda+ic+ir+mm]
				d := panel[p*mr : p*mr+mr]
				for i, v := range src {
					d[i] = alpha * v
				}
				clear(d[mm:])
			}
			continue
		}
		if alpha == 1 && mm == mr {
			packRows12(panel, a[(ic+ir)*lda+pc:], lda, kb)
			continue
		}
		for i := 0; i < mm; i++ {
			src := a[(ic+ir+i)*lda+pc : (ic+ir+i)*lda+pc+kb]
			for p, v := range src {
				panel[p*mr+i] = alpha * v
			}
		}
		for i := mm; i < mr; i++ {
			for p := 0; p < kb; p++ {
				panel[p*mr+i] = 0
			}
		}
	}
}

// packB packs op(B)[pc:pc+kb, jc:jc+nb] into nr-column panels: panel j
// holds, for each p, the nr values of its columns (zero padded).
func packB(transB bool, kb, nb int, b []float32, ldb, pc, jc int, dst []float32) {
	for jr := 0; jr < nb; jr += nr {
		nn := min(nr, nb-jr)
		panel := dst[jr*kb : jr*kb+nr*kb]
		if !transB {
			for p := 0; p < kb; p++ {
				src := b[(pc+p)*ldb+jc+jr : (pc+p)*ldb+jc+jr+nn]
				d := panel[p*nr : p*nr+nr]
				copy(d, src)
				clear(d[nn:])
			}
			continue
		}
		// op(B)[p, j] = b[j*ldb + p]: rows of b are contiguous in p.
		for j := 0; j < nn; j++ {
			src := b[(jc+jr+j)*ldb+pc : (jc+jr+j)*ldb+pc+kb]
			for p, v := range src {
				panel[p*nr+j] = v
			}
		}
		for j := nn; j < nr; j++ {
			for p := 0; p < kb; p++ {
				panel[p*nr+j] = 0
			}
		}
	}
}

// microKernelGo is the portable micro-kernel: C[mr x nr] += Ap * Bp, or
// C = Ap * Bp when acc is false. It walks the tile in 4x4 blocks whose 16
// accumulators stay in registers.
func microKernelGo(k int, a, b, c []float32, ldc int, acc bool) {
	a, b = a[:k*mr], b[:k*nr]
	for i0 := 0; i0 < mr; i0 += 4 {
		for j0 := 0; j0 < nr; j0 += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			var c20, c21, c22, c23, c30, c31, c32, c33 float32
			ap, bp := a[i0:], b[j0:]
			for p := 0; p < k; p++ {
				a3, b3 := ap[3], bp[3]
				a0, a1, a2 := ap[0], ap[1], ap[2]
				b0, b1, b2 := bp[0], bp[1], bp[2]
				if p+1 < k {
					ap, bp = ap[mr:], bp[nr:]
				}
				c00 += a0 * b0
				c01 += a0 * b1
				c02 += a0 * b2
				c03 += a0 * b3
				c10 += a1 * b0
				c11 += a1 * b1
				c12 += a1 * b2
				c13 += a1 * b3
				c20 += a2 * b0
				c21 += a2 * b1
				c22 += a2 * b2
				c23 += a2 * b3
				c30 += a3 * b0
				c31 += a3 * b1
				c32 += a3 * b2
				c33 += a3 * b3
			}
			rows := [4][4]float32{{c00, c01, c02, c03}, {c10, c11, c12, c13}, {c20, c21, c22, c23}, {c30, c31, c32, c33}}
			for i := 0; i < 4; i++ {
				crow := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+4 : (i0+i)*ldc+j0+4]
				if acc {
					crow[0] += rows[i][0]
					crow[1] += rows[i][1]
					crow[2] += rows[i][2]
					crow[3] += rows[i][3]
				} else {
					crow[0], crow[1], crow[2], crow[3] = rows[i][0], rows[i][1], rows[i][2], rows[i][3]
				}
			}
		}
	}
}

// smallM is the largest row count for which Gemm(false, true, ...) uses
// the unpacked dot-product kernel (decoding a handful of sequences: the
// weights are streamed once, with no packing copy).
const smallM = 16

// gemmSmallNT computes C = alpha*A*B^T + beta*C for small m by blocks of
// 4 rows of A times 4 rows of B, split over the pool by columns.
func gemmSmallNT(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	grain := max(4, (1<<16)/max(k*m, 1)*4)
	blocks := (n + 3) / 4
	ParallelFor(blocks, max(1, grain/4), func(lo, hi int) {
		var out [16]float32
		var pad [4 * 1024]float32
		for jb := lo; jb < hi; jb++ {
			j0 := jb * 4
			nj := min(4, n-j0)
			wrow := b[j0*ldb:]
			wld := ldb
			if nj < 4 {
				continue // remainder columns below
			}
			for i0 := 0; i0 < m; i0 += 4 {
				ni := min(4, m-i0)
				xrow, xld := a[i0*lda:], lda
				if ni < 4 {
					if k > len(pad)/4 {
						continue
					}
					clear(pad[:4*k])
					for i := 0; i < ni; i++ {
						copy(pad[i*k:(i+1)*k], a[(i0+i)*lda:(i0+i)*lda+k])
					}
					xrow, xld = pad[:], k
				}
				dotBlock4(k, xrow, xld, wrow, wld, &out)
				for i := 0; i < ni; i++ {
					crow := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+4]
					for j := range crow {
						crow[j] = alpha*out[i*4+j] + betaTimes(beta, crow[j])
					}
				}
			}
		}
	})
	// remainder columns and rows the blocks skipped
	for j := n &^ 3; j < n; j++ {
		for i := 0; i < m; i++ {
			c[i*ldc+j] = alpha*Dot(a[i*lda:i*lda+k], b[j*ldb:j*ldb+k]) + betaTimes(beta, c[i*ldc+j])
		}
	}
	if m%4 != 0 && k > 1024 {
		for i := m &^ 3; i < m; i++ {
			for j := 0; j < n&^3; j++ {
				c[i*ldc+j] = alpha*Dot(a[i*lda:i*lda+k], b[j*ldb:j*ldb+k]) + betaTimes(beta, c[i*ldc+j])
			}
		}
	}
}

// betaTimes returns beta*v, with beta == 0 ignoring v (even NaN), as BLAS.
func betaTimes(beta, v float32) float32 {
	if beta == 0 {
		return 0
	}
	return beta * v
}

// dotBlockTail adds the terms p in [from, k) to out (see dotBlock4).
func dotBlockTail(from, k int, x []float32, ldx int, w []float32, ldw int, out *[16]float32) {
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			var s float32
			for p := from; p < k; p++ {
				s += x[i*ldx+p] * w[j*ldw+p]
			}
			out[i*4+j] += s
		}
	}
}

// packRows12 interleaves 12 rows of a (row stride lda, kb columns) into
// dst[p*12+i] = a[i*lda+p].
func packRows12(dst, a []float32, lda, kb int) {
	r0, r1, r2, r3 := a[0:kb], a[lda:lda+kb], a[2*lda:2*lda+kb], a[3*lda:3*lda+kb]
	r4, r5, r6, r7 := a[4*lda:4*lda+kb], a[5*lda:5*lda+kb], a[6*lda:6*lda+kb], a[7*lda:7*lda+kb]
	r8, r9, r10, r11 := a[8*lda:8*lda+kb], a[9*lda:9*lda+kb], a[10*lda:10*lda+kb], a[11*lda:11*lda+kb]
	dst = dst[:kb*12]
	for p := 0; p < kb; p++ {
		d := dst[p*12 : p*12+12 : p*12+12]
		d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
		d[8], d[9], d[10], d[11] = r8[p], r9[p], r10[p], r11[p]
	}
}
