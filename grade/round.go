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

// sciDecimals returns the decimals and significant figures written in a
// number in scientific notation, m \times 10^{e} with a literal mantissa
// (possibly negated) and an integer exponent: 2.31 \times 10^{-3} has 5
// decimals and 3 significant figures, like 0.00231 (and 1.2e3).
func sciDecimals(n *node) (dec, sig int, ok bool) {
	if n != nil && n.op == nQty && len(n.kids) == 1 {
		n = n.kids[0]
	}
	if n == nil || n.op != nMul || len(n.kids) != 2 {
		return 0, 0, false
	}
	m, p := n.kids[0], n.kids[1]
	if m.op == nNeg && len(m.kids) == 1 {
		m = m.kids[0]
	}
	if m.op != nNum || m.sig <= 0 || p.op != nPow || len(p.kids) != 2 {
		return 0, 0, false
	}
	base, ex := p.kids[0], p.kids[1]
	if base.op != nNum || base.dec >= 0 || base.s != "" && base.s != "10" || !base.v.isInt() || base.fv != 10 {
		return 0, 0, false
	}
	neg := false
	if ex.op == nNeg && len(ex.kids) == 1 {
		neg, ex = true, ex.kids[0]
	}
	if ex.op != nNum || ex.dec >= 0 || !ex.v.isInt() || ex.fv > 1000 {
		return 0, 0, false
	}
	e := int(ex.fv)
	if neg {
		e = -e
	}
	dec = int(m.dec)
	if dec < 0 {
		dec = 0
	}
	return dec - e, int(m.sig), true
}

// sciRounded reports whether a gold number is written in scientific
// notation with at least 3 significant figures (a rounded value).
func sciRounded(gv *numberV) bool {
	if gv.sig < 3 {
		return false
	}
	_, sg, ok := sciDecimals(gv.src)
	return ok && sg == gv.sig
}
