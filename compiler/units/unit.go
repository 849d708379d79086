package units

import (
	"errors"
	"strconv"
	"strings"
)

// term is one factor of a unit: an optional prefix, a named unit and a
// non-zero integer exponent.
type term struct {
	p   *prefixDef
	d   *unitDef
	exp int
}

func (t term) name() string {
	if t.p != nil {
		return t.p.name + t.d.name
	}
	return t.d.name
}

func (t term) pretty() string {
	if t.p != nil {
		return t.p.pretty + t.d.pretty
	}
	return t.d.pretty
}

func (t term) latex() string {
	if t.p != nil {
		return t.p.latex + t.d.latex
	}
	return t.d.latex
}

// Unit is a product of named units with integer exponents, e.g. kg*m/s^2,
// together with its scale (the value of one unit in coherent SI units) and
// its dimension. The zero value is the dimensionless unit "1". Units are
// immutable values; parse them with Parse or build them with Mul, Div and
// Pow.
type Unit struct {
	terms  []term
	scale  Number  // valid when len(terms) > 0
	fscale float64 // scale as a float64, valid when len(terms) > 0
	dim    Dim
}

// ErrExponent is returned when a unit's exponent leaves the supported range
// (±127 per base dimension).
var ErrExponent = errors.New("unit exponent too large")

// One is the dimensionless unit "1".
var One = Unit{}

// newUnit computes scale and dimension of terms (which it owns).
func newUnit(terms []term) (Unit, error) {
	u := Unit{terms: terms, scale: Int(1)}
	for _, t := range terms {
		s := t.d.scale
		if t.p != nil {
			var err error
			if s, err = s.Mul(t.p.scale); err != nil {
				return Unit{}, err
			}
		}
		s, err := s.Pow(Int(int64(t.exp)))
		if err != nil {
			return Unit{}, err
		}
		if u.scale, err = u.scale.Mul(s); err != nil {
			return Unit{}, err
		}
		d, ok := t.d.dim.Pow(t.exp)
		if !ok {
			return Unit{}, ErrExponent
		}
		if u.dim, ok = u.dim.Mul(d); !ok {
			return Unit{}, ErrExponent
		}
	}
	if len(terms) == 0 {
		return Unit{}, nil
	}
	u.fscale = u.scale.Float64()
	return u, nil
}

// floatScale returns the scale as a float64.
func (u Unit) floatScale() float64 {
	if len(u.terms) == 0 {
		return 1
	}
	return u.fscale
}

// Lookup returns the unit named by one symbol ("km", "uF", "°C", "cell"),
// without operators.
func Lookup(sym string) (Unit, bool) {
	p, d, ok := lookupSymbol(sym)
	if !ok {
		return Unit{}, false
	}
	u, err := newUnit([]term{{p: p, d: d, exp: 1}})
	return u, err == nil
}

// MustParse is Parse for unit texts known to be valid; it panics on error.
func MustParse(s string) Unit {
	u, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// Dim returns the dimension of u.
func (u Unit) Dim() Dim { return u.dim }

// Scale returns the value of one u in coherent SI units (1000 for km).
func (u Unit) Scale() Number {
	if len(u.terms) == 0 {
		return Int(1)
	}
	return u.scale
}

// IsDimensionless reports whether u has no dimension (1, %, rad, cell, ...).
func (u Unit) IsDimensionless() bool { return u.dim.IsDimensionless() }

// IsOne reports whether u is the plain unit "1" (no named units at all).
func (u Unit) IsOne() bool { return len(u.terms) == 0 }

// single returns the only term when u is one named unit to the power 1.
func (u Unit) single() (term, bool) {
	if len(u.terms) == 1 && u.terms[0].exp == 1 {
		return u.terms[0], true
	}
	return term{}, false
}

// Offset returns the SI offset of an absolute temperature unit (273.15 for
// degC): a value v in u is v*Scale()+Offset() in kelvin. It is zero for
// every other unit, including products such as J/(g*degC).
func (u Unit) Offset() Number {
	if t, ok := u.single(); ok && t.p == nil {
		return t.d.offset
	}
	return Number{}
}

// IsAbsoluteTemperature reports whether u is degC or degF alone: a unit
// whose values convert with an offset.
func (u Unit) IsAbsoluteTemperature() bool { return !u.Offset().IsZero() }

// IsDelta reports whether u is a temperature-difference unit (delta_degC).
func (u Unit) IsDelta() bool {
	t, ok := u.single()
	return ok && t.d.family != t.d.name
}

// Delta returns the difference unit of an absolute temperature unit (degC
// -> delta_degC) and u itself otherwise.
func (u Unit) Delta() Unit {
	if t, ok := u.single(); ok && t.p == nil && t.d.delta != nil {
		v, _ := newUnit([]term{{d: t.d.delta, exp: 1}})
		return v
	}
	return u
}

// Absolute returns the absolute unit of a temperature-difference unit
// (delta_degC -> degC) and u itself otherwise.
func (u Unit) Absolute() Unit {
	if t, ok := u.single(); ok && t.d.family != t.d.name {
		return MustParse(t.d.family)
	}
	return u
}

// Mul returns u*v. Equal terms merge ("m*m" is "m^2", "J/K*K" is "J").
func (u Unit) Mul(v Unit) (Unit, error) { return u.combine(v, 1) }

// Div returns u/v.
func (u Unit) Div(v Unit) (Unit, error) { return u.combine(v, -1) }

func (u Unit) combine(v Unit, sign int) (Unit, error) {
	terms, err := mergeTerms(u.terms, v.terms, sign)
	if err != nil {
		return Unit{}, err
	}
	return newUnit(terms)
}

// mergeTerms returns a * b^sign as a new term list: equal terms merge and
// cancel.
func mergeTerms(a, b []term, sign int) ([]term, error) {
	terms := make([]term, 0, len(a)+len(b))
	terms = append(terms, a...)
	for _, t := range b {
		t.exp *= sign
		merged := false
		for i := range terms {
			if terms[i].p == t.p && terms[i].d.family == t.d.family {
				terms[i].exp += t.exp
				merged = true
				break
			}
		}
		if !merged {
			terms = append(terms, t)
		}
	}
	out := terms[:0]
	for _, t := range terms {
		if t.exp != 0 {
			if t.exp > 127 || t.exp < -127 {
				return nil, ErrExponent
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// powTerms returns a^k as a new term list.
func powTerms(a []term, k int) ([]term, error) {
	if k == 0 {
		return nil, nil
	}
	if k > 127 || k < -127 {
		return nil, ErrExponent
	}
	terms := make([]term, len(a))
	for i, t := range a {
		t.exp *= k
		if t.exp > 127 || t.exp < -127 {
			return nil, ErrExponent
		}
		terms[i] = t
	}
	return terms, nil
}

// Pow returns u^k.
func (u Unit) Pow(k int) (Unit, error) {
	terms, err := powTerms(u.terms, k)
	if err != nil {
		return Unit{}, err
	}
	return newUnit(terms)
}

// Root returns u^(1/q) when every exponent of u is divisible by q.
func (u Unit) Root(q int) (Unit, bool) {
	if q <= 0 {
		return Unit{}, false
	}
	terms := make([]term, len(u.terms))
	for i, t := range u.terms {
		if t.exp%q != 0 {
			return Unit{}, false
		}
		t.exp /= q
		terms[i] = t
	}
	v, err := newUnit(terms)
	return v, err == nil
}

// SI returns the coherent SI unit of dimension d, written in base units
// ("kg*m/s^2" for force; "1" for dimensionless).
func SI(d Dim) Unit {
	var terms []term
	for _, b := range []Base{Mass, Length, Time, Current, Temperature, Amount, LuminousIntensity} {
		if d[b] == 0 {
			continue
		}
		t := term{d: unitTable[baseSymbols[b]], exp: int(d[b])}
		if b == Mass {
			t = term{p: prefixTable["k"], d: unitTable["g"], exp: int(d[b])}
		}
		terms = append(terms, t)
	}
	u, _ := newUnit(terms)
	return u
}

// Equal reports whether u and v are the same unit up to spelling: same
// dimension, scale and offset (km and 1000 m are equal; J and N*m too).
func (u Unit) Equal(v Unit) bool {
	return u.dim == v.dim && u.Scale().Equal(v.Scale()) && u.Offset().Equal(v.Offset())
}

// String is the canonical plain-ASCII spelling, which Parse accepts:
// "kg*m/s^2", "J/(mol*K)", "1/s", "uF", "kohm", "degC", "%", "1".
func (u Unit) String() string {
	return u.format(term.name, "*", func(s string, e int) string { return powStr(s, e) }, "/", "(", ")")
}

// Pretty is the display spelling with Unicode symbols: "kg·m/s²",
// "J/(mol·K)", "μF", "kΩ", "°C".
func (u Unit) Pretty() string {
	return u.format(term.pretty, "·", func(s string, e int) string {
		if e == 1 {
			return s
		}
		return s + superscript(e)
	}, "/", "(", ")")
}

// LaTeX is the spelling for LaTeX math mode: "\mathrm{m/s^{2}}",
// "\mathrm{J/(mol\cdot K)}", "\mathrm{\mu{}F}"; "" for the unit "1".
func (u Unit) LaTeX() string {
	if len(u.terms) == 0 {
		return ""
	}
	return `\mathrm{` + u.format(term.latex, `\cdot `, func(s string, e int) string {
		if e == 1 {
			return s
		}
		return s + "^{" + strconv.Itoa(e) + "}"
	}, "/", "(", ")") + "}"
}

func (u Unit) format(name func(term) string, sep string, pow func(string, int) string, div, lp, rp string) string {
	var num, den []string
	for _, t := range u.terms {
		if t.exp > 0 {
			num = append(num, pow(name(t), t.exp))
		} else {
			den = append(den, pow(name(t), -t.exp))
		}
	}
	var b strings.Builder
	if len(num) == 0 {
		b.WriteString("1")
	} else {
		b.WriteString(strings.Join(num, sep))
	}
	if len(den) > 0 {
		b.WriteString(div)
		if len(den) == 1 {
			b.WriteString(den[0])
		} else {
			b.WriteString(lp + strings.Join(den, sep) + rp)
		}
	}
	return b.String()
}

var supDigits = []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")

func superscript(e int) string {
	var b strings.Builder
	if e < 0 {
		b.WriteRune('⁻')
		e = -e
	}
	for _, c := range strconv.Itoa(e) {
		b.WriteRune(supDigits[c-'0'])
	}
	return b.String()
}
