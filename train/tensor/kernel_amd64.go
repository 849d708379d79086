//go:build amd64 && !purego

package tensor

import "golang.org/x/sys/cpu"

// kernel12x32 is the AVX-512 micro-kernel in kernel_amd64.s:
// C[12x32] += Ap[k x 12] * Bp[k x 32] with C rows ldc floats apart.
//
//go:noescape
func kernel12x32(k int, a, b, c *float32, ldc int)

// hasAVX512 reports whether the assembly micro-kernel can run here.
var hasAVX512 = cpu.X86.HasAVX512F

func microKernel(k int, a, b, c []float32, ldc int) {
	if useAsm {
		kernel12x32(k, &a[0], &b[0], &c[0], ldc)
		return
	}
	microKernelGo(k, a, b, c, ldc)
}
