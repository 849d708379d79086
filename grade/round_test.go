package grade

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// TestSameRoundedMatchesBig checks the uint64 path of sameRounded against
// roundTo's big.Rat rounding, on nearby pairs (so that many are equal),
// halves, signs and parts near the 64-bit limits.
func TestSameRoundedMatchesBig(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	rat := func() *big.Rat {
		switch r.Intn(4) {
		case 0:
			return new(big.Rat).SetFrac64(r.Int63n(2000001)-1000000, r.Int63n(1000)+1)
		case 1:
			return new(big.Rat).SetFrac64(r.Int63()-r.Int63(), int64(math.Pow(10, float64(r.Intn(10)))))
		case 2:
			n := new(big.Int).Lsh(big.NewInt(1), uint(60+r.Intn(8)))
			n.Sub(n, big.NewInt(r.Int63n(100)))
			if r.Intn(2) == 0 {
				n.Neg(n)
			}
			return new(big.Rat).SetFrac(n, big.NewInt(r.Int63n(1<<40)+1))
		default:
			// exact halves at some scale: 2k+1 over 2·10^j
			j := r.Intn(6)
			return new(big.Rat).SetFrac64(2*r.Int63n(100000)+1-100000, 2*int64(math.Pow(10, float64(j))))
		}
	}
	checked, equal := 0, 0
	for i := 0; i < 50000; i++ {
		a := rat()
		b := new(big.Rat).Set(a)
		if r.Intn(3) > 0 {
			b.Add(b, new(big.Rat).SetFrac64(r.Int63n(21)-10, int64(math.Pow(10, float64(r.Intn(12)+1)))))
		}
		d := r.Intn(20)
		want := roundTo(num{r: a}, d).Cmp(roundTo(num{r: b}, d)) == 0
		if got := sameRounded(num{r: a}, num{r: b}, d); got != want {
			t.Fatalf("sameRounded(%v, %v, %d) = %v, want %v", a, b, d, got, want)
		}
		if want {
			equal++
		}
		if _, _, ok := roundedInt(num{r: a}, d); ok {
			checked++
		}
	}
	if checked < 10000 || equal < 5000 || equal > 45000 {
		t.Fatalf("%d pairs took the fast path, %d rounded equal: the test lost its point", checked, equal)
	}
}
