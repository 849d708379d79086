package main

import (
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/polylearn/poly/train/tensor"
)

// gemmShapes are the training step's typical products (m x n x k): the
// tiny shape's MLP up-projection forward (NT), its down-projection input
// gradient (NN) and a weight gradient (TN, the case gonum handles worst).
var gemmShapes = []struct {
	M, N, K        int
	TransA, TransB bool
	Name           string
}{
	{2048, 1376, 256, false, true, "fwd X.W^T 2048x1376x256"},
	{2048, 256, 688, false, false, "dX dY.W 2048x256x688"},
	{1376, 256, 2048, true, false, "dW dY^T.X 1376x256x2048"},
}

// benchGemm returns GFLOP/s of poly's GEMM on one goroutine (GemmSerial)
// and of gonum's pure-Go Sgemm (GOMAXPROCS=1 in the child) per shape.
func benchGemm() (poly, gon []float64) {
	r := rand.New(rand.NewPCG(1, 1))
	var impl gonum.Implementation
	for _, s := range gemmShapes {
		a, b, c := make([]float32, s.M*s.K), make([]float32, s.K*s.N), make([]float32, s.M*s.N)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		lda, ldb := s.K, s.N
		if s.TransA {
			lda = s.M
		}
		if s.TransB {
			ldb = s.K
		}
		flops := 2 * float64(s.M*s.N*s.K)
		poly = append(poly, timeIt(flops, func() {
			tensor.GemmSerial(s.TransA, s.TransB, s.M, s.N, s.K, 1, a, lda, b, ldb, 0, c, s.N)
		}))
		ta, tb := blas.NoTrans, blas.NoTrans
		if s.TransA {
			ta = blas.Trans
		}
		if s.TransB {
			tb = blas.Trans
		}
		gon = append(gon, timeIt(flops, func() {
			impl.Sgemm(ta, tb, s.M, s.N, s.K, 1, a, lda, b, ldb, 0, c, s.N)
		}))
	}
	return
}

// timeIt runs f for at least 0.5 s (after one warm-up call) and returns
// GFLOP/s.
func timeIt(flops float64, f func()) float64 {
	f()
	n, t0 := 0, time.Now()
	for time.Since(t0) < 500*time.Millisecond {
		f()
		n++
	}
	return flops * float64(n) / time.Since(t0).Seconds() / 1e9
}
