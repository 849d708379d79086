package tensor

import (
	"math"
	"testing"
)

func TestExp(t *testing.T) {
	var worst float64
	for x := -87.0; x <= 88.5; x += 0.00731 {
		got, want := float64(Exp(float32(x))), math.Exp(float64(float32(x)))
		if e := math.Abs(got-want) / want; e > worst {
			worst = e
		}
	}
	if worst > 3e-7 {
		t.Fatalf("Exp: max relative error %g", worst)
	}
	if Exp(-100) != 0 || !math.IsInf(float64(Exp(100)), 1) || Exp(0) != 1 || !math.IsNaN(float64(Exp(float32(math.NaN())))) {
		t.Fatal("Exp special values")
	}
}

func BenchmarkExp(b *testing.B) {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(i%200)/10 - 10
	}
	b.ResetTimer()
	var s float32
	for i := 0; i < b.N; i++ {
		for _, v := range x {
			s += Exp(v)
		}
	}
	b.ReportMetric(float64(b.N*len(x))/b.Elapsed().Seconds()/1e6, "Mexp/s")
	_ = s
}
