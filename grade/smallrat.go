package grade

import (
	"math"
	"math/big"
	"math/bits"
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
func ratFrac(n, d int64) *big.Rat { return ratFracIn(nil, n, d) }

// ratFracIn is ratFrac made in sc (nil: the heap).
func ratFracIn(sc *scratch, n, d int64) *big.Rat {
	if d < 0 {
		n, d = -n, -d
	}
	if g := gcd64(n, d); g > 1 {
		n, d = n/g, d/g
	}
	return scratchFrac(sc, n, d)
}

// scratchFrac returns n/d, in lowest terms with d >= 1 and n >
// math.MinInt64, as a rational made in sc, or on the heap (smallRat,
// reducedRat) when sc is nil. It must not be modified.
func scratchFrac(sc *scratch, n, d int64) *big.Rat {
	if d == 1 && n >= 0 && n < int64(len(smallRats)) || sc == nil || bits.UintSize != 64 {
		if d == 1 {
			return smallRat(n)
		}
		return reducedRat(n, d)
	}
	s := sc.rats.next()
	if s == nil {
		if d == 1 {
			return smallRat(n)
		}
		return reducedRat(n, d)
	}
	r := &s.r
	x := r.Num() // a reference to the numerator
	if !s.inited {
		x.SetBits(s.w[:]) // the numerator's words are the slot's
		s.inited = true
	}
	switch {
	case d == 1 && s.hasDen:
		r.Denom().SetUint64(1) // a reference: the denominator is set
	case d == 1:
		// left uninitialised: read as 1
	case s.hasDen:
		r.Denom().SetUint64(uint64(d))
	default:
		// as in reducedRat: Inv makes the slot's word the denominator
		// and gives the numerator a word of its own, kept from then on
		x.SetUint64(uint64(d))
		r.Inv(r)
		s.hasDen = true
	}
	if n < 0 {
		x.SetUint64(uint64(-n))
		x.Neg(x)
	} else {
		x.SetUint64(uint64(n))
	}
	return r
}

// ratSlot is a rational in scratch memory. A slot is rewritten in place
// when it is used again: its numerator and denominator keep their words.
type ratSlot struct {
	r      big.Rat
	w      [1]big.Word
	inited bool // r's numerator uses w (or, once hasDen, a word of its own)
	hasDen bool // r's denominator has a word of its own
}

// ratChunks hands out rational slots. Unlike the rest of scratch they are
// not cleared on reset: a slot refers only to its own words.
type ratChunks struct {
	cs   [][]ratSlot
	i, o int
}

// next returns the next slot, nil when maxScratchChunks are in use.
func (c *ratChunks) next() *ratSlot {
	for {
		if c.i < len(c.cs) {
			if ch := c.cs[c.i]; c.o < len(ch) {
				c.o++
				return &ch[c.o-1]
			}
			c.i, c.o = c.i+1, 0
			continue
		}
		if len(c.cs) >= maxScratchChunks {
			return nil
		}
		c.cs = append(c.cs, make([]ratSlot, 64))
	}
}

func (c *ratChunks) reset() { c.i, c.o = 0, 0 }

// ratBox is a rational and a word of storage for it in one allocation.
type ratBox struct {
	r big.Rat
	w [1]big.Word
}

// intRat returns the integer i as a new rational in one allocation (three
// for big.Rat.SetInt64: the Rat, its numerator's and its denominator's
// words). Its denominator is left uninitialised, which big.Rat reads as 1
// (the zero Rat is 0/1), so it is the same value with the same behaviour.
func intRat(i int64) *big.Rat {
	if bits.UintSize != 64 {
		return new(big.Rat).SetInt64(i)
	}
	b := new(ratBox)
	u := uint64(i)
	if i < 0 {
		u = -u
	}
	b.w[0] = big.Word(u)
	x := b.r.Num() // a reference to the numerator
	x.SetBits(b.w[:])
	if i < 0 {
		x.Neg(x)
	}
	return &b.r
}

// reducedRat returns n/d for n/d in lowest terms with d > 1 (and n >
// math.MinInt64) in two allocations instead of three.
func reducedRat(n, d int64) *big.Rat {
	if bits.UintSize != 64 {
		r := new(big.Rat).SetInt64(n)
		// the denominator of an initialised Rat is a reference to it
		r.Denom().SetInt64(d)
		return r
	}
	b := new(ratBox)
	b.w[0] = big.Word(d)
	b.r.Num().SetBits(b.w[:])
	// Inv gives the denominator d (the box's word) and the numerator 1
	// (one new word), which is then overwritten in place with |n|
	b.r.Inv(&b.r)
	x := b.r.Num()
	if n < 0 {
		x.SetUint64(uint64(-n))
		x.Neg(x)
	} else {
		x.SetUint64(uint64(n))
	}
	return &b.r
}

// smallArith computes a op b for op in "+-*/" when both are small; ok is
// false otherwise (and for division by zero).
func smallArith(op byte, a, b *big.Rat) (*big.Rat, bool) { return smallArithIn(nil, op, a, b) }

// smallArithIn is smallArith with the result made in sc (nil: the heap).
func smallArithIn(sc *scratch, op byte, a, b *big.Rat) (*big.Rat, bool) {
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
		return ratFracIn(sc, an*bd+bn*ad, ad*bd), true
	case '-':
		return ratFracIn(sc, an*bd-bn*ad, ad*bd), true
	case '*':
		return ratFracIn(sc, an*bn, ad*bd), true
	case '/':
		if bn == 0 {
			return nil, false
		}
		return ratFracIn(sc, an*bd, ad*bn), true
	}
	return nil, false
}

// mulSmall returns a*b when it fits in 63 bits (a, b >= 0).
func mulSmall(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0 && lo < 1<<63
}

// smallPow returns x^e (e != 0, x != 0 when e < 0) in int64 arithmetic
// when x is small and the result fits: the same rational as big.Int.Exp
// of numerator and denominator (coprime powers stay coprime), inverted
// for e < 0.
func smallPow(x *big.Rat, e int64) (*big.Rat, bool) {
	n, d, ok := small31(x)
	if !ok || e == 0 || e > 62 || e < -62 || n == 0 && e < 0 {
		return nil, false
	}
	ae := e
	if ae < 0 {
		ae = -ae
	}
	un := uint64(n)
	if n < 0 {
		un = uint64(-n)
	}
	pn, pd := uint64(1), uint64(1)
	for i := int64(0); i < ae; i++ {
		if pn, ok = mulSmall(pn, un); !ok {
			return nil, false
		}
		if pd, ok = mulSmall(pd, uint64(d)); !ok {
			return nil, false
		}
	}
	sn, sd := int64(pn), int64(pd)
	if n < 0 && ae%2 == 1 {
		sn = -sn
	}
	if e < 0 {
		sn, sd = sd, sn
		if sd < 0 {
			sn, sd = -sn, -sd
		}
	}
	if sd == 1 {
		return smallRat(sn), true
	}
	return reducedRat(sn, sd), true
}

// smallIntRoot is intRoot for 0 <= n < 2^53: the same candidates (the
// float root rounded, and its neighbours), checked in 64-bit arithmetic.
func smallIntRoot(n int64, q int64) (*big.Int, bool) {
	g := math.Round(math.Pow(float64(n), 1/float64(q)))
	if math.IsInf(g, 0) || g > 1e15 {
		return nil, false
	}
	for d := -1.0; d <= 1; d++ {
		c := int64(g + d)
		if c < 0 {
			continue
		}
		p, ok := uint64(1), true
		for i := int64(0); i < q && ok; i++ {
			p, ok = mulSmall(p, uint64(c))
			if c <= 1 {
				break // 0^q = 0 and 1^q = 1 (q >= 2)
			}
		}
		if c <= 1 {
			p = uint64(c)
		}
		if ok && p == uint64(n) {
			return big.NewInt(c), true
		}
	}
	return nil, false
}

// smallScale10 returns r·10^e for |e| <= 18 in int64 arithmetic when it
// fits: the same rational as big.Rat.Mul or Quo by 10^|e|.
func smallScale10(r *big.Rat, e int) (*big.Rat, bool) {
	if e > 18 || e < -18 || !r.Num().IsInt64() || !r.Denom().IsInt64() {
		return nil, false
	}
	n, d := r.Num().Int64(), r.Denom().Int64()
	if n == math.MinInt64 {
		return nil, false
	}
	if e >= 0 {
		un := uint64(n)
		if n < 0 {
			un = uint64(-n)
		}
		p, ok := mulSmall(un, uint64(pow10[e]))
		if !ok {
			return nil, false
		}
		if n < 0 {
			return ratFrac(-int64(p), d), true
		}
		return ratFrac(int64(p), d), true
	}
	p, ok := mulSmall(uint64(d), uint64(pow10[-e]))
	if !ok {
		return nil, false
	}
	return ratFrac(n, int64(p)), true
}
