//go:build !amd64 || purego

package tensor

const hasAVX512 = false

func microKernel(k int, a, b, c []float32, ldc int) {
	microKernelGo(k, a, b, c, ldc)
}
