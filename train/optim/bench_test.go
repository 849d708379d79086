package optim

import "testing"

// BenchmarkAdamW: one update of 12M parameters (the small bench shape).
func BenchmarkAdamW(b *testing.B) {
	n := 12 << 20
	p, g := make([]float32, n), make([]float32, n)
	for i := range g {
		g[i] = float32(i%7) * 0.01
	}
	o := NewAdamW(n)
	o.Decay = [][2]int{{0, n / 2}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o.Update(p, g, 1e-3)
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds()/1e6, "Mparams/s")
}
