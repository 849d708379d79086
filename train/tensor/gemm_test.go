package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				av := a[i*lda+p]
				if transA {
					av = a[p*lda+i]
				}
				bv := b[p*ldb+j]
				if transB {
					bv = b[j*ldb+p]
				}
				s += float64(av) * float64(bv)
			}
			out[i*n+j] = float64(alpha)*s + float64(beta)*float64(c[i*ldc+j])
		}
	}
	return out
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

func TestGemm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type kern struct{ asm, avx2 bool }
	kernels := []kern{{false, false}}
	if hasAVX2 {
		kernels = append(kernels, kern{false, true})
	}
	if hasAVX512 {
		kernels = append(kernels, kern{true, false})
	}
	shapes := [][3]int{{1, 1, 1}, {3, 5, 7}, {12, 32, 16}, {13, 33, 300}, {130, 70, 257}, {8, 600, 64}, {300, 40, 9}, {5, 2100, 20}, {64, 64, 0}}
	for _, kn := range kernels {
		for _, sh := range shapes {
			for i, ta := range []bool{false, true, false, true} {
				for _, tb := range []bool{false, true} {
					beta := []float32{-0.5, 0, 1, -0.5}[i]
					m, n, k := sh[0], sh[1], sh[2]
					name := fmt.Sprintf("avx512=%v/avx2=%v/%dx%dx%d/ta=%v/tb=%v/beta=%v", kn.asm, kn.avx2, m, n, k, ta, tb, beta)
					t.Run(name, func(t *testing.T) {
						old, old2 := useAsm, useAVX2
						useAsm, useAVX2 = kn.asm, kn.avx2
						defer func() { useAsm, useAVX2 = old, old2 }()
						lda, ldb, ldc := k+3, n+1, n+2
						if ta {
							lda = m + 3
						}
						if tb {
							ldb = k + 1
						}
						a := randSlice(r, max(m, k)*lda+1)
						b := randSlice(r, max(n, k)*ldb+1)
						c := randSlice(r, m*ldc)
						alpha := float32(0.7)
						want := naiveGemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
						if beta == 0 { // BLAS semantics: C is not read
							for i := range c {
								c[i] = float32(math.NaN())
							}
						}
						Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
						for i := 0; i < m; i++ {
							for j := 0; j < n; j++ {
								got := float64(c[i*ldc+j])
								if d := math.Abs(got - want[i*n+j]); d > 1e-4*math.Sqrt(float64(k)+1)*2 {
									t.Fatalf("C[%d,%d] = %g, want %g", i, j, got, want[i*n+j])
								}
							}
						}
					})
				}
			}
		}
	}
}

func BenchmarkGemm(b *testing.B) {
	for _, sh := range [][3]int{{256, 256, 256}, {2048, 688, 256}, {2048, 256, 688}, {688, 256, 2048}, {8, 1376, 512}, {1024, 1024, 1024}} {
		for _, serial := range []bool{true, false} {
			m, n, k := sh[0], sh[1], sh[2]
			b.Run(fmt.Sprintf("%dx%dx%d/serial=%v/%s", m, n, k, serial, Kernel()), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				a, bb, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if serial {
						GemmSerial(false, true, m, n, k, 1, a, k, bb, k, 0, c, n)
					} else {
						Gemm(false, true, m, n, k, 1, a, k, bb, k, 0, c, n)
					}
				}
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkGemmKernels compares the micro-kernels on one goroutine.
func BenchmarkGemmKernels(b *testing.B) {
	m, n, k := 2048, 688, 256
	for _, kn := range []struct {
		name      string
		asm, avx2 bool
		ok        bool
	}{{"avx512", true, false, hasAVX512}, {"avx2", false, true, hasAVX2}, {"go", false, false, true}} {
		if !kn.ok {
			continue
		}
		b.Run(kn.name, func(b *testing.B) {
			old, old2 := useAsm, useAVX2
			useAsm, useAVX2 = kn.asm, kn.avx2
			defer func() { useAsm, useAVX2 = old, old2 }()
			r := rand.New(rand.NewPCG(1, 2))
			a, bb, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				GemmSerial(false, true, m, n, k, 1, a, k, bb, k, 0, c, n)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
