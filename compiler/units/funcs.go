package units

import (
	"fmt"
	"math"
	"math/big"
)

// Pi and E are float approximations of the constants.
var (
	Pi = Float(math.Pi)
	E  = Float(math.E)
)

// Exp returns e^n (exact 1 for an exact 0).
func (n Number) Exp() (Number, error) {
	if n.IsExact() && n.Sign() == 0 {
		return Int(1), nil
	}
	return FloatChecked(math.Exp(n.Float64()))
}

// Log returns the natural logarithm of n (exact 0 for an exact 1).
func (n Number) Log() (Number, error) { return n.logBase("log", 0, math.Log) }

// Log10 returns the base-10 logarithm of n, exact for exact powers of ten.
func (n Number) Log10() (Number, error) { return n.logBase("log10", 10, math.Log10) }

// Log2 returns the base-2 logarithm of n, exact for exact powers of two.
func (n Number) Log2() (Number, error) { return n.logBase("log2", 2, math.Log2) }

func (n Number) logBase(name string, base int64, f func(float64) float64) (Number, error) {
	if n.Sign() <= 0 {
		return Number{}, fmt.Errorf("%s of a non-positive number: %w", name, ErrNaN)
	}
	if n.IsExact() {
		r := n.rat()
		if r.Cmp(big.NewRat(1, 1)) == 0 {
			return Int(0), nil
		}
		if base > 0 {
			if k, ok := exactLog(r, base); ok {
				return Int(k), nil
			}
		}
		// log of a huge exact value: use the bit lengths to stay finite.
		if r.Num().BitLen() > 1000 || r.Denom().BitLen() > 1000 {
			v := ratLog(r) / math.Log(float64(max(base, 0)))
			if base == 0 {
				v = ratLog(r)
			}
			return FloatChecked(v)
		}
	}
	return FloatChecked(f(n.Float64()))
}

// ratLog returns ln(r) for a positive rational of any size.
func ratLog(r *big.Rat) float64 {
	return bigLog(r.Num()) - bigLog(r.Denom())
}

func bigLog(x *big.Int) float64 {
	s := x.BitLen() - 60
	if s < 0 {
		s = 0
	}
	m := new(big.Int).Rsh(x, uint(s))
	f, _ := new(big.Float).SetInt(m).Float64()
	return math.Log(f) + float64(s)*math.Ln2
}

// exactLog returns k with base^k == r, when there is one.
func exactLog(r *big.Rat, base int64) (int64, bool) {
	num, den := r.Num(), r.Denom()
	one := big.NewInt(1)
	b := big.NewInt(base)
	var x *big.Int
	sign := int64(1)
	switch {
	case den.Cmp(one) == 0:
		x = num
	case num.Cmp(one) == 0:
		x, sign = den, -1
	default:
		return 0, false
	}
	k := int64(0)
	t := new(big.Int).Set(x)
	m := new(big.Int)
	for t.Cmp(one) > 0 {
		t.QuoRem(t, b, m)
		if m.Sign() != 0 {
			return 0, false
		}
		k++
	}
	return sign * k, true
}

// unary applies f unless n is an exact zero and f(0) == zeroVal is exact.
func (n Number) unary(f func(float64) float64, zeroVal int64, zeroExact bool) (Number, error) {
	if zeroExact && n.IsExact() && n.Sign() == 0 {
		return Int(zeroVal), nil
	}
	return FloatChecked(f(n.Float64()))
}

// Sin returns sin(n), n in radians.
func (n Number) Sin() (Number, error) { return n.unary(math.Sin, 0, true) }

// Cos returns cos(n), n in radians.
func (n Number) Cos() (Number, error) { return n.unary(math.Cos, 1, true) }

// Tan returns tan(n), n in radians.
func (n Number) Tan() (Number, error) { return n.unary(math.Tan, 0, true) }

// Asin returns arcsin(n) in radians; |n| > 1 is ErrNaN.
func (n Number) Asin() (Number, error) { return n.unary(math.Asin, 0, true) }

// Acos returns arccos(n) in radians; |n| > 1 is ErrNaN.
func (n Number) Acos() (Number, error) { return n.unary(math.Acos, 0, false) }

// Atan returns arctan(n) in radians.
func (n Number) Atan() (Number, error) { return n.unary(math.Atan, 0, true) }

// Sinh returns sinh(n).
func (n Number) Sinh() (Number, error) { return n.unary(math.Sinh, 0, true) }

// Cosh returns cosh(n).
func (n Number) Cosh() (Number, error) { return n.unary(math.Cosh, 1, true) }

// Tanh returns tanh(n).
func (n Number) Tanh() (Number, error) { return n.unary(math.Tanh, 0, true) }

// Atan2 returns atan2(y, x) in radians.
func Atan2(y, x Number) (Number, error) {
	if y.IsExact() && y.Sign() == 0 && x.IsExact() && x.Sign() > 0 {
		return Int(0), nil
	}
	return FloatChecked(math.Atan2(y.Float64(), x.Float64()))
}
