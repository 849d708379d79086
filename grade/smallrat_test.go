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

// sameRat reports whether got is want with the same observable behaviour:
// value, canonical texts, integer-ness, denominator and conversions.
func sameRat(got, want *big.Rat) bool {
	gf, _ := got.Float64()
	wf, _ := want.Float64()
	return got.Cmp(want) == 0 && got.RatString() == want.RatString() && got.String() == want.String() &&
		got.IsInt() == want.IsInt() && got.Sign() == want.Sign() && got.Denom().Cmp(want.Denom()) == 0 &&
		got.Num().Cmp(want.Num()) == 0 && gf == wf && (num{r: got}).String() == (num{r: want}).String() &&
		(num{r: got}).float() == (num{r: want}).float()
}

// TestBoxedRatsMatchBig checks the rationals built in fewer allocations
// (intRat, reducedRat, neg, smallPow, smallIntRoot, smallScale10) against
// the big.Rat/big.Int computations they replace, and that arithmetic on
// them gives the same results.
func TestBoxedRatsMatchBig(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	edge := []int64{0, 1, -1, 2, -2, 3, 7, 10, 1023, 1024, -1024, 1<<31 - 1, -(1<<31 - 1), 1 << 40, -(1 << 62), 1<<63 - 1, -(1<<63 - 1)}
	pick := func() int64 {
		switch r.Intn(3) {
		case 0:
			return edge[r.Intn(len(edge))]
		case 1:
			return r.Int63n(2000) - 1000
		}
		return r.Int63n(1<<32) - 1<<31
	}
	for i := 0; i < 20000; i++ {
		n, d := pick(), pick()
		if !sameRat(intRat(n), new(big.Rat).SetInt64(n)) {
			t.Fatalf("intRat(%d) = %v", n, intRat(n))
		}
		if d == 0 {
			continue
		}
		want := new(big.Rat).SetFrac64(n, d)
		if d == 1<<63-1 || d == -(1<<63-1) || n == -(1<<62) {
			continue // ratFrac's bounds
		}
		got := ratFrac(n, d)
		if !sameRat(got, want) {
			t.Fatalf("ratFrac(%d, %d) = %v, want %v", n, d, got, want)
		}
		if neg := (num{r: got}).neg(); !sameRat(neg.r, new(big.Rat).Neg(want)) {
			t.Fatalf("-(%v) = %v", want, neg.r)
		}
		// arithmetic on a boxed rational
		other := new(big.Rat).SetFrac64(pick()%1000, 7)
		if s := add(num{r: got}, num{r: other}); !sameRat(s.r, new(big.Rat).Add(want, other)) {
			t.Fatalf("%v + %v = %v", want, other, s.r)
		}
		if m := new(big.Rat).Mul(got, other); !sameRat(m, new(big.Rat).Mul(want, other)) {
			t.Fatalf("%v * %v = %v", want, other, m)
		}
		// powers
		base := new(big.Rat).SetFrac64(r.Int63n(41)-20, r.Int63n(12)+1)
		e := r.Int63n(41) - 20
		if base.Sign() == 0 && e < 0 {
			continue
		}
		gotP, ok := smallPow(base, e)
		if ok {
			wn := new(big.Int).Exp(base.Num(), big.NewInt(abs64(e)), nil)
			wd := new(big.Int).Exp(base.Denom(), big.NewInt(abs64(e)), nil)
			wantP := new(big.Rat).SetFrac(wn, wd)
			if e < 0 {
				wantP.Inv(wantP)
			}
			if !sameRat(gotP, wantP) {
				t.Fatalf("(%v)^%d = %v, want %v", base, e, gotP, wantP)
			}
		} else if e != 0 && abs64(e) <= 5 && base.Num().BitLen() < 8 {
			t.Fatalf("(%v)^%d not computed", base, e)
		}
	}
	// integer roots
	for i := int64(0); i < 5000; i++ {
		n := i
		if i > 2500 {
			n = r.Int63n(1 << 53)
		}
		if i%7 == 0 {
			c := r.Int63n(3000)
			n = c * c * c
		}
		for q := int64(2); q <= 16; q++ {
			got, ok := smallIntRoot(n, q)
			want, wok := bigIntRoot(big.NewInt(n), q)
			if ok != wok || ok && got.Cmp(want) != 0 {
				t.Fatalf("root %d of %d: %v %v, want %v %v", q, n, got, ok, want, wok)
			}
		}
	}
	// scientific notation
	for i := 0; i < 5000; i++ {
		m := new(big.Rat).SetFrac64(pick(), pow10[r.Intn(10)])
		e := r.Intn(41) - 20
		got, ok := smallScale10(m, e)
		if !ok {
			continue
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil)
		want := new(big.Rat).Mul(m, new(big.Rat).SetInt(p))
		if e < 0 {
			want = new(big.Rat).Quo(m, new(big.Rat).SetInt(p))
		}
		if !sameRat(got, want) {
			t.Fatalf("%v e%d = %v, want %v", m, e, got, want)
		}
	}
}

func abs64(i int64) int64 {
	if i < 0 {
		return -i
	}
	return i
}

// TestScratchRatsMatchBig checks rationals made in scratch memory, whose
// slots are rewritten in place from check to check (integers after
// fractions, signs changing), against big.Rat, and that a reset does not
// change rationals made before it until their slots are used again.
func TestScratchRatsMatchBig(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	sc := new(scratch)
	for round := 0; round < 200; round++ {
		k := r.Intn(300)
		made := make([]*big.Rat, 0, k)
		want := make([]*big.Rat, 0, k)
		for i := 0; i < k; i++ {
			n := r.Int63n(1<<40) - 1<<39
			d := int64(1)
			if r.Intn(2) == 0 {
				d = r.Int63n(1<<20) + 1
			}
			if r.Intn(4) == 0 {
				n = r.Int63n(2000) - 1000
			}
			w := new(big.Rat).SetFrac64(n, d)
			got := ratFracIn(sc, n, d)
			if !sameRat(got, w) {
				t.Fatalf("ratFracIn(%d, %d) = %v, want %v", n, d, got, w)
			}
			made, want = append(made, got), append(want, w)
		}
		for i := range made {
			if !sameRat(made[i], want[i]) {
				t.Fatalf("round %d: rational %d changed to %v, want %v", round, i, made[i], want[i])
			}
		}
		sc.reset()
	}
}
