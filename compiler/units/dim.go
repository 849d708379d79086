package units

import (
	"strconv"
	"strings"
)

// Base indexes the SI base dimensions in a Dim.
type Base int

// The SI base dimensions, in the order Dim stores them.
const (
	Length            Base = iota // metre, m
	Mass                          // kilogram, kg
	Time                          // second, s
	Current                       // ampere, A
	Temperature                   // kelvin, K
	Amount                        // mole, mol
	LuminousIntensity             // candela, cd
	NumBase                       // number of base dimensions
)

// baseSymbols are the coherent SI unit symbols of the base dimensions.
var baseSymbols = [NumBase]string{"m", "kg", "s", "A", "K", "mol", "cd"}

// Dim is a dimension: the integer exponents of the SI base dimensions. The
// zero value is dimensionless. Counts (cell, molecule) and angles (rad,
// deg) are dimensionless.
type Dim [NumBase]int8

// IsDimensionless reports whether every exponent is zero.
func (d Dim) IsDimensionless() bool { return d == Dim{} }

// Mul returns d*e (exponents added). ok is false when an exponent leaves
// the int8 range.
func (d Dim) Mul(e Dim) (Dim, bool) {
	var r Dim
	for i := range d {
		s := int(d[i]) + int(e[i])
		if s > 127 || s < -127 {
			return Dim{}, false
		}
		r[i] = int8(s)
	}
	return r, true
}

// Inv returns 1/d.
func (d Dim) Inv() Dim {
	for i := range d {
		d[i] = -d[i]
	}
	return d
}

// Pow returns d^k; ok is false when an exponent leaves the int8 range.
func (d Dim) Pow(k int) (Dim, bool) {
	var r Dim
	for i := range d {
		s := int(d[i]) * k
		if s > 127 || s < -127 {
			return Dim{}, false
		}
		r[i] = int8(s)
	}
	return r, true
}

// Root returns d^(1/q) when every exponent is divisible by q.
func (d Dim) Root(q int) (Dim, bool) {
	var r Dim
	for i := range d {
		if int(d[i])%q != 0 {
			return Dim{}, false
		}
		r[i] = int8(int(d[i]) / q)
	}
	return r, true
}

// String writes d in coherent SI base units, e.g. "kg*m^2/s^2", or "1".
func (d Dim) String() string {
	var num, den []string
	order := []Base{Mass, Length, Time, Current, Temperature, Amount, LuminousIntensity}
	for _, b := range order {
		e := int(d[b])
		switch {
		case e > 0:
			num = append(num, powStr(baseSymbols[b], e))
		case e < 0:
			den = append(den, powStr(baseSymbols[b], -e))
		}
	}
	return joinFraction(num, den, "*")
}

func powStr(s string, e int) string {
	if e == 1 {
		return s
	}
	return s + "^" + strconv.Itoa(e)
}

// joinFraction writes "a*b/(c*d)", "a/c", "1/c" or "1".
func joinFraction(num, den []string, sep string) string {
	var b strings.Builder
	if len(num) == 0 {
		b.WriteString("1")
	} else {
		b.WriteString(strings.Join(num, sep))
	}
	if len(den) == 0 {
		return b.String()
	}
	b.WriteString("/")
	if len(den) == 1 {
		b.WriteString(den[0])
	} else {
		b.WriteString("(" + strings.Join(den, sep) + ")")
	}
	return b.String()
}
