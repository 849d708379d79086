// Package tensor holds poly's CPU compute kernels for float32 training and
// inference: a BLIS-style packed GEMM (an AVX-512 assembly micro-kernel on
// amd64 CPUs that have it, a portable Go kernel elsewhere), vector helpers
// (dot, axpy, scale, sums) and one process-wide pool of workers that every
// parallel kernel shares (no goroutine per operation).
//
// All matrices are row-major slices with an explicit leading dimension
// (row stride), as in BLAS. Kernels never allocate in steady state: packing
// buffers come from a per-call sync.Pool.
package tensor
