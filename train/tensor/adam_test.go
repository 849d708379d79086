package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAdamStep(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	n := 45
	p0, g, m0, v0 := randSlice(r, n), randSlice(r, n), randSlice(r, n), randSlice(r, n)
	for i := range v0 {
		v0[i] = v0[i] * v0[i]
	}
	var res [][]float32
	for _, asm := range []bool{false, hasAVX512} {
		old := useAsm
		useAsm = asm
		p, m, v := append([]float32{}, p0...), append([]float32{}, m0...), append([]float32{}, v0...)
		AdamStep(p, g, m, v, 0.999, 0.9, 0.999, 0.01, 1.2, 1e-8)
		useAsm = old
		res = append(res, p)
		for i := range p {
			mi := 0.9*float64(m0[i]) + 0.1*float64(g[i])
			vi := 0.999*float64(v0[i]) + 0.001*float64(g[i])*float64(g[i])
			want := float64(p0[i])*0.999 - 0.01*mi/(math.Sqrt(vi)*1.2+1e-8)
			if math.Abs(float64(p[i])-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Fatalf("asm=%v p[%d] = %v, want %v", asm, i, p[i], want)
			}
		}
	}
}
