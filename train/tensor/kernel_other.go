//go:build !amd64 || purego

package tensor

const (
	hasAVX512 = false
	hasAVX2   = false
)

var useAVX2 = false

func microKernel(k int, a, b, c []float32, ldc int, acc bool) {
	microKernelGo(k, a, b, c, ldc, acc)
}

// dotBlock4 computes out[i*4+j] = sum_p x[i*ldx+p]*w[j*ldw+p] for i, j < 4.
func dotBlock4(k int, x []float32, ldx int, w []float32, ldw int, out *[16]float32) {
	*out = [16]float32{}
	dotBlockTail(0, k, x, ldx, w, ldw, out)
}

// Dot returns sum(x[i]*y[i]) over len(x) elements.
func Dot(x, y []float32) float32 { return dotGo(x, y) }

// Axpy computes y[i] += a*x[i] over len(x) elements.
func Axpy(a float32, x, y []float32) { axpyGo(a, x, y) }

// ExpSub writes y[i] = exp(x[i]-m) and returns the sum of the y[i].
func ExpSub(y, x []float32, m float32) float32 { return expSubGo(y, x, m) }

// Sigmoid writes y[i] = 1/(1+exp(-x[i])).
func Sigmoid(y, x []float32) { sigmoidGo(y, x) }

// AdamStep applies one AdamW update to p with gradients g and moments m, v
// (all the same length): p = p*decay - step*m'/(sqrt(v')*rbc2 + eps) with
// m' = b1*m + (1-b1)*g, v' = b2*v + (1-b2)*g*g.
func AdamStep(p, g, m, v []float32, decay, b1, b2, step, rbc2, eps float32) {
	adamGo(p, g, m, v, decay, b1, b2, step, rbc2, eps)
}
