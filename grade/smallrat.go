package grade

import (
	"math/big"
)

// Small-rational fast paths: when both operands' numerators and
// denominators fit in 31 bits, +, -, * and / are done in int64 (no
// product or sum can overflow) and the reduced result is built without
// big.Rat's normalisation (a GCD on big.Ints that allocates). The value
// is the same rational big.Rat gives; TestSmallRatMatchesBig checks it.

// small31 returns x's numerator and denominator when both fit in 31 bits.
func small31(x *big.Rat) (n, d int64, ok bool) {
	a, b := x.Num(), x.Denom()
	if a.BitLen() > 31 || b.BitLen() > 31 {
		return 0, 0, false
	}
	return a.Int64(), b.Int64(), true
}

func gcd64(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ratFrac returns n/d in lowest terms (d != 0; |n|, |d| < 2^63). The
// result must not be modified (it may be a shared small integer).
func ratFrac(n, d int64) *big.Rat {
	if d < 0 {
		n, d = -n, -d
	}
	if g := gcd64(n, d); g > 1 {
		n, d = n/g, d/g
	}
	if d == 1 {
		return smallRat(n)
	}
	r := new(big.Rat).SetInt64(n)
	// the denominator of an initialised Rat is a reference to it; n/d is
	// reduced and d > 0, so r is normalised
	r.Denom().SetInt64(d)
	return r
}

// smallArith computes a op b for op in "+-*/" when both are small; ok is
// false otherwise (and for division by zero).
func smallArith(op byte, a, b *big.Rat) (*big.Rat, bool) {
	an, ad, ok := small31(a)
	if !ok {
		return nil, false
	}
	bn, bd, ok := small31(b)
	if !ok {
		return nil, false
	}
	switch op {
	case '+':
		return ratFrac(an*bd+bn*ad, ad*bd), true
	case '-':
		return ratFrac(an*bd-bn*ad, ad*bd), true
	case '*':
		return ratFrac(an*bn, ad*bd), true
	case '/':
		if bn == 0 {
			return nil, false
		}
		return ratFrac(an*bd, ad*bn), true
	}
	return nil, false
}
