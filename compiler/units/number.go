package units

import (
	"math"
	"math/big"
)

// MaxRatBits is the exactness budget: when an exact result would need more
// than this many bits (numerator plus denominator), it is rounded to a
// float64 instead.
const MaxRatBits = 4096

// Number is an exact rational while the arithmetic that made it is exact
// (integer and decimal literals, + - * /, integer powers, roots of perfect
// powers) and a float64 otherwise (transcendental functions, inexact roots,
// results over the MaxRatBits budget). The zero value is the exact 0.
// Numbers are immutable values; every operation returns a new one.
type Number struct {
	r       *big.Rat // exact value when !inexact; nil means 0. Never mutated.
	f       float64  // the value when inexact
	inexact bool
}

// Int returns the exact integer n.
func Int(n int64) Number { return Number{r: new(big.Rat).SetInt64(n)} }

// Frac returns the exact fraction p/q; it panics when q is 0 (a programming
// error: use Div for data).
func Frac(p, q int64) Number { return Number{r: big.NewRat(p, q)} }

// Rat returns an exact number with the value of r (r is copied).
func Rat(r *big.Rat) Number { return normRat(new(big.Rat).Set(r)) }

// Float returns the inexact number f. NaN and ±Inf are accepted here (a
// caller that builds a number from a computation should use FloatChecked).
func Float(f float64) Number { return Number{f: f, inexact: true} }

// FloatChecked returns the inexact number f, or ErrOverflow for ±Inf and
// ErrNaN for NaN.
func FloatChecked(f float64) (Number, error) {
	switch {
	case math.IsNaN(f):
		return Number{}, ErrNaN
	case math.IsInf(f, 0):
		return Number{}, ErrOverflow
	}
	return Float(f), nil
}

// normRat keeps r exact when it is within the bit budget and rounds it to a
// float64 otherwise. r is owned by the result.
func normRat(r *big.Rat) Number {
	if r.Num().BitLen()+r.Denom().BitLen() > MaxRatBits {
		f, _ := r.Float64()
		return Number{f: f, inexact: true}
	}
	return Number{r: r}
}

// IsExact reports whether n is an exact rational.
func (n Number) IsExact() bool { return !n.inexact }

// IsInt reports whether n is an exact integer.
func (n Number) IsInt() bool { return !n.inexact && (n.r == nil || n.r.IsInt()) }

// Rat returns the exact value of n, or (nil, false) when n is a float. The
// returned value is a copy.
func (n Number) Rat() (*big.Rat, bool) {
	if n.inexact {
		return nil, false
	}
	if n.r == nil {
		return new(big.Rat), true
	}
	return new(big.Rat).Set(n.r), true
}

// rat returns the shared exact value (read-only!).
func (n Number) rat() *big.Rat {
	if n.r == nil {
		return zeroRat
	}
	return n.r
}

var zeroRat = new(big.Rat)

// Float64 returns n as a float64 (rounded when exact; may be ±Inf for huge
// exact values, which the budget makes impossible in practice).
func (n Number) Float64() float64 {
	if n.inexact {
		return n.f
	}
	if n.r == nil {
		return 0
	}
	f, _ := n.r.Float64()
	return f
}

// Int64 returns n as an int64 when it is an exact integer that fits.
func (n Number) Int64() (int64, bool) {
	if !n.IsInt() {
		return 0, false
	}
	r := n.rat()
	if !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// Sign returns -1, 0 or +1 (0 for NaN).
func (n Number) Sign() int {
	if n.inexact {
		switch {
		case n.f > 0:
			return 1
		case n.f < 0:
			return -1
		}
		return 0
	}
	return n.rat().Sign()
}

// IsZero reports whether n is 0.
func (n Number) IsZero() bool { return n.Sign() == 0 && !(n.inexact && math.IsNaN(n.f)) }

// ToFloat returns n as an inexact number.
func (n Number) ToFloat() Number {
	if n.inexact {
		return n
	}
	return Float(n.Float64())
}

// Neg returns -n.
func (n Number) Neg() Number {
	if n.inexact {
		return Float(-n.f)
	}
	return Number{r: new(big.Rat).Neg(n.rat())}
}

// Abs returns |n|.
func (n Number) Abs() Number {
	if n.Sign() < 0 {
		return n.Neg()
	}
	return n
}

// Add returns n + m.
func (n Number) Add(m Number) (Number, error) {
	if n.inexact || m.inexact {
		return FloatChecked(n.Float64() + m.Float64())
	}
	return normRat(new(big.Rat).Add(n.rat(), m.rat())), nil
}

// Sub returns n - m.
func (n Number) Sub(m Number) (Number, error) {
	if n.inexact || m.inexact {
		return FloatChecked(n.Float64() - m.Float64())
	}
	return normRat(new(big.Rat).Sub(n.rat(), m.rat())), nil
}

// Mul returns n * m. An exact zero times anything finite is the exact zero.
func (n Number) Mul(m Number) (Number, error) {
	if n.inexact || m.inexact {
		return FloatChecked(n.Float64() * m.Float64())
	}
	return normRat(new(big.Rat).Mul(n.rat(), m.rat())), nil
}

// Div returns n / m, or ErrDivByZero.
func (n Number) Div(m Number) (Number, error) {
	if m.Sign() == 0 {
		if m.inexact && math.IsNaN(m.f) {
			return Number{}, ErrNaN
		}
		return Number{}, ErrDivByZero
	}
	if n.inexact || m.inexact {
		return FloatChecked(n.Float64() / m.Float64())
	}
	return normRat(new(big.Rat).Quo(n.rat(), m.rat())), nil
}

// Cmp compares n and m: -1, 0 or +1. Exact numbers compare exactly; when
// either is a float both are compared as floats.
func (n Number) Cmp(m Number) int {
	if n.inexact || m.inexact {
		a, b := n.Float64(), m.Float64()
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	return n.rat().Cmp(m.rat())
}

// Equal reports whether n and m have the same value (exactly, or as floats
// when either is a float).
func (n Number) Equal(m Number) bool { return n.Cmp(m) == 0 }

// Floor returns the largest integer <= n (exact for exact n).
func (n Number) Floor() (Number, error) {
	if n.inexact {
		return FloatChecked(math.Floor(n.f))
	}
	r := n.rat()
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for positive denominators
	return Number{r: new(big.Rat).SetInt(q)}, nil
}

// Ceil returns the smallest integer >= n.
func (n Number) Ceil() (Number, error) {
	f, err := n.Neg().Floor()
	if err != nil {
		return f, err
	}
	return f.Neg(), nil
}

// Round returns n rounded to the nearest integer, halves away from zero.
func (n Number) Round() (Number, error) {
	if n.inexact {
		return FloatChecked(math.Round(n.f))
	}
	a := n.Abs()
	h, _ := a.Add(Frac(1, 2))
	f, _ := h.Floor()
	if n.Sign() < 0 {
		f = f.Neg()
	}
	return f, nil
}
