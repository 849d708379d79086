package grade

import (
	"math/bits"
)

// sameRounded reports whether a and b round to the same value at d
// decimals (half away from zero): roundTo(a, d) == roundTo(b, d), in
// uint64 arithmetic when both are rationals with 64-bit parts and d <= 18
// (TestSameRoundedMatchesBig), else with roundTo.
func sameRounded(a, b num, d int) bool {
	if qa, na, ok := roundedInt(a, d); ok {
		if qb, nb, ok := roundedInt(b, d); ok {
			return qa == qb && (na == nb || qa == 0)
		}
	}
	return roundTo(a, d).Cmp(roundTo(b, d)) == 0
}

// roundedInt returns round(|a|·10^d) and whether a < 0, when a is a
// rational whose numerator and denominator fit in 64 bits and d <= 18.
func roundedInt(a num, d int) (q uint64, neg bool, ok bool) {
	if a.r == nil || d < 0 || d > 18 || bits.UintSize != 64 {
		return 0, false, false
	}
	n, den := a.r.Num(), a.r.Denom()
	if n.BitLen() > 64 || den.BitLen() > 63 {
		return 0, false, false
	}
	neg = n.Sign() < 0
	var un uint64
	if an := n.Bits(); len(an) > 0 {
		un = uint64(an[0]) // one 64-bit word: |n| < 2^64
	}
	ud := den.Uint64()
	// floor((2·|n|·10^d + den) / (2·den)), in 128 bits
	hi, lo := bits.Mul64(un, uint64(pow10[d]))
	hi = hi<<1 | lo>>63
	lo <<= 1
	var carry uint64
	lo, carry = bits.Add64(lo, ud, 0)
	hi += carry
	div := ud << 1 // den < 2^63, so no overflow
	if hi >= div {
		return 0, false, false // the quotient would not fit
	}
	q, _ = bits.Div64(hi, lo, div)
	return q, neg, true
}
