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

func TestExpSubSigmoid(t *testing.T) {
	for _, asm := range []bool{false, hasAVX512} {
		old := useAsm
		useAsm = asm
		for _, n := range []int{1, 16, 37, 1000} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(i%300)*0.6 - 100
			}
			y := make([]float32, n)
			s := ExpSub(y, x, -3)
			var want float64
			for i, v := range x {
				e := math.Exp(float64(v) + 3)
				if v+3 < -87.3 {
					e = 0
				}
				want += e
				if d := math.Abs(float64(y[i])-e) / math.Max(e, 1e-30); d > 3e-7 && e > 1e-37 {
					t.Fatalf("asm=%v ExpSub n=%d x=%v: %v, want %v", asm, n, v, y[i], e)
				}
			}
			if math.Abs(float64(s)-want) > 1e-5*want+1e-30 {
				t.Fatalf("asm=%v ExpSub sum %v, want %v", asm, s, want)
			}
			Sigmoid(y, x)
			for i, v := range x {
				want := 1 / (1 + math.Exp(-float64(v)))
				if math.Abs(float64(y[i])-want) > 2e-7*math.Max(want, 1e-30) && want > 1e-37 {
					t.Fatalf("asm=%v Sigmoid(%v) = %v, want %v", asm, v, y[i], want)
				}
			}
		}
		useAsm = old
	}
}
