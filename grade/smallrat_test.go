package grade

import (
	"math/big"
	"math/rand"
	"testing"
)

// TestSmallRatMatchesBig checks the int64 fast paths of add, sub, mul, quo
// and smallDecimal against big.Rat on random and edge-case operands,
// including ones just past the 31-bit limit (which take the big path).
func TestSmallRatMatchesBig(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	edge := []int64{0, 1, -1, 2, 3, 10, 1<<31 - 1, -(1<<31 - 1), 1 << 31, -(1 << 31), 1 << 40, 999999937}
	pick := func() int64 {
		if r.Intn(3) == 0 {
			return edge[r.Intn(len(edge))]
		}
		return r.Int63n(1<<32) - 1<<31
	}
	for i := 0; i < 20000; i++ {
		an, ad, bn, bd := pick(), pick(), pick(), pick()
		if ad == 0 || bd == 0 {
			continue
		}
		a, b := new(big.Rat).SetFrac64(an, ad), new(big.Rat).SetFrac64(bn, bd)
		for _, op := range []struct {
			name string
			f    func(x, y num) num
			g    func(z, x, y *big.Rat) *big.Rat
		}{
			{"+", add, (*big.Rat).Add}, {"-", sub, (*big.Rat).Sub}, {"*", mul, (*big.Rat).Mul}, {"/", quo, (*big.Rat).Quo},
		} {
			if op.name == "/" && b.Sign() == 0 {
				continue
			}
			got := op.f(num{r: a}, num{r: b})
			want := op.g(new(big.Rat), a, b)
			if got.r == nil || got.r.Cmp(want) != 0 || got.r.RatString() != want.RatString() || got.r.Denom().Sign() <= 0 {
				t.Fatalf("%v %s %v = %v, want %v", a, op.name, b, got, want.RatString())
			}
			// the canonical text is what a Result carries
			if got.String() != (num{r: want}).String() {
				t.Fatalf("%v %s %v: text %q, want %q", a, op.name, b, got.String(), num{r: want}.String())
			}
		}
	}
	for _, s := range []string{"0", "0.5", "1.25", "123456789.123456789", "0.000000000000000001", "100.00", "999999999999999999", "12345678.123456789"} {
		got, ok := smallDecimal(s)
		want, _ := new(big.Rat).SetString(s)
		if !ok {
			if len(s) <= 18 {
				t.Errorf("smallDecimal(%q) not read", s)
			}
			continue
		}
		if got.Cmp(want) != 0 || got.RatString() != want.RatString() {
			t.Errorf("smallDecimal(%q) = %v, want %v", s, got, want)
		}
	}
}
