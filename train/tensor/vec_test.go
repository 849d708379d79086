package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDotAxpy(t *testing.T) {
	for _, asm := range []bool{false, hasAVX512} {
		old := useAsm
		useAsm = asm
		testDotAxpy(t)
		useAsm = old
	}
}

func testDotAxpy(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 64, 100, 1000} {
		x, y := randSlice(r, n), randSlice(r, n)
		var want float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
		}
		if got := Dot(x, y); math.Abs(float64(got)-want) > 1e-4*math.Sqrt(float64(n)+1) {
			t.Errorf("Dot n=%d: %v, want %v", n, got, want)
		}
		y2 := append([]float32{}, y...)
		Axpy(0.5, x, y2)
		for i := range y2 {
			if d := y2[i] - (y[i] + 0.5*x[i]); d > 1e-6 || d < -1e-6 {
				t.Fatalf("Axpy n=%d at %d: %v", n, i, d)
			}
		}
	}
	if Max([]float32{1, 5, -2}) != 5 {
		t.Fatal("Max")
	}
}
