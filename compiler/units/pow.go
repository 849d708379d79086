package units

import (
	"fmt"
	"math"
	"math/big"
)

// maxRootDegree bounds the q of a rational exponent p/q that Pow tries to
// keep exact (x^(1/2), x^(2/3), ...).
const maxRootDegree = 64

// Pow returns n raised to e. Integer exponents of exact numbers stay exact
// within the bit budget; a rational exponent p/q of an exact number stays
// exact when the q-th root is exact (sqrt(9/4) = 3/2); anything else is a
// float. 0 to a negative power is ErrDivByZero; a negative base to a
// non-integer power is ErrNaN.
func (n Number) Pow(e Number) (Number, error) {
	if n.Sign() == 0 && !(n.inexact && math.IsNaN(n.f)) && e.Sign() < 0 {
		return Number{}, ErrDivByZero
	}
	if !e.inexact {
		er := e.rat()
		if er.IsInt() {
			if k, ok := e.Int64(); ok {
				return n.powInt(k)
			}
		} else if !n.inexact && er.Denom().IsInt64() && er.Denom().Int64() <= maxRootDegree && er.Num().IsInt64() {
			q := er.Denom().Int64()
			p := er.Num().Int64()
			if root, ok, err := n.root(int(q)); err != nil {
				return Number{}, err
			} else if ok {
				return root.powInt(p)
			}
		}
	}
	b, x := n.Float64(), e.Float64()
	if b < 0 && x != math.Trunc(x) {
		return Number{}, fmt.Errorf("negative number to a non-integer power: %w", ErrNaN)
	}
	return FloatChecked(math.Pow(b, x))
}

// powInt returns n^k for an integer k.
func (n Number) powInt(k int64) (Number, error) {
	if k == 0 {
		return Int(1), nil
	}
	if n.inexact {
		if n.f == 0 && k < 0 {
			return Number{}, ErrDivByZero
		}
		return FloatChecked(math.Pow(n.f, float64(k)))
	}
	r := n.rat()
	if r.Sign() == 0 {
		if k < 0 {
			return Number{}, ErrDivByZero
		}
		return Number{}, nil
	}
	ak := k
	if ak < 0 {
		ak = -ak
	}
	// Stay exact only when the result fits the budget; |1| and |-1| always do.
	bits := int64(r.Num().BitLen() - 1 + r.Denom().BitLen() - 1)
	if ak < 0 || (bits > 0 && ak > MaxRatBits/bits) {
		f, _ := r.Float64()
		return FloatChecked(math.Pow(f, float64(k)))
	}
	kk := big.NewInt(ak)
	num := new(big.Int).Exp(r.Num(), kk, nil)
	den := new(big.Int).Exp(r.Denom(), kk, nil)
	if k < 0 {
		num, den = den, num
	}
	res := new(big.Rat).SetFrac(num, den)
	return normRat(res), nil
}

// root returns the exact q-th root of the exact number n when there is one.
// ok is false when the root is not rational; err is ErrNaN for an even root
// of a negative number.
func (n Number) root(q int) (Number, bool, error) {
	r := n.rat()
	neg := r.Sign() < 0
	if neg && q%2 == 0 {
		return Number{}, false, fmt.Errorf("even root of a negative number: %w", ErrNaN)
	}
	num := new(big.Int).Abs(r.Num())
	a, ok := iroot(num, q)
	if !ok {
		return Number{}, false, nil
	}
	b, ok := iroot(r.Denom(), q)
	if !ok {
		return Number{}, false, nil
	}
	if neg {
		a.Neg(a)
	}
	return Number{r: new(big.Rat).SetFrac(a, b)}, true, nil
}

// iroot returns the integer q-th root of a >= 0 and whether it is exact.
func iroot(a *big.Int, q int) (*big.Int, bool) {
	if a.Sign() == 0 {
		return new(big.Int), true
	}
	if q == 1 {
		return new(big.Int).Set(a), true
	}
	if q == 2 {
		s := new(big.Int).Sqrt(a)
		return s, new(big.Int).Mul(s, s).Cmp(a) == 0
	}
	// Newton's method from above: x = 2^ceil(bits/q) >= root.
	x := new(big.Int).Lsh(big.NewInt(1), uint((a.BitLen()+q-1)/q))
	qq := big.NewInt(int64(q))
	q1 := big.NewInt(int64(q - 1))
	for {
		// y = ((q-1)*x + a / x^(q-1)) / q
		t := new(big.Int).Exp(x, q1, nil)
		t.Quo(a, t)
		y := new(big.Int).Mul(x, q1)
		y.Add(y, t)
		y.Quo(y, qq)
		if y.Cmp(x) >= 0 {
			break
		}
		x = y
	}
	return x, new(big.Int).Exp(x, qq, nil).Cmp(a) == 0
}

// Sqrt returns the square root of n: exact for perfect-square rationals.
func (n Number) Sqrt() (Number, error) { return n.Pow(Frac(1, 2)) }
