package units

import (
	"fmt"
	"strings"
)

// Quantity is a number in a unit. The value is kept in the unit it was
// given in (20 min stays 20 min); conversions happen on demand.
//
// Temperature rule: a quantity whose unit is degC or degF alone is an
// absolute temperature and converts with the offset (20 degC = 293.15 K).
// In every product, quotient or power (J/(g*degC), degC^2) the unit is a
// scale only, as for a temperature difference. Subtracting two absolute
// temperatures gives a difference (delta_degC); adding a temperature to an
// absolute temperature treats the right operand as a difference.
type Quantity struct {
	Value Number
	Unit  Unit
}

// Q returns the quantity v u.
func Q(v Number, u Unit) Quantity { return Quantity{Value: v, Unit: u} }

// Scalar returns v as a dimensionless quantity with unit "1".
func Scalar(v Number) Quantity { return Quantity{Value: v} }

// ParseQuantity parses a number followed by an optional unit expression:
// "3.0e3 cell", "20 min", "9.81 m/s^2", "47uF", "1/3". Errors are
// *ParseError values with byte offsets into s.
func ParseQuantity(s string) (Quantity, error) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	v, end, err := scanNumber(s, i)
	if err != nil {
		return Quantity{}, err
	}
	rest := strings.TrimLeft(s[end:], " \t")
	if rest == "" {
		return Scalar(v), nil
	}
	off := len(s) - len(rest)
	u, err := Parse(rest)
	if err != nil {
		if pe, ok := err.(*ParseError); ok {
			pe.Offset += off
			pe.End += off
			pe.Text = s
		}
		return Quantity{}, err
	}
	return Q(v, u), nil
}

// Dim returns the dimension of q.
func (q Quantity) Dim() Dim { return q.Unit.dim }

// SIValue returns the value of q in coherent SI units (with the offset for
// an absolute temperature: 20 degC -> 293.15).
func (q Quantity) SIValue() (Number, error) {
	v, err := q.Value.Mul(q.Unit.Scale())
	if err != nil {
		return Number{}, err
	}
	if off := q.Unit.Offset(); !off.IsZero() {
		return v.Add(off)
	}
	return v, nil
}

// SI returns q converted to the coherent SI unit of its dimension.
func (q Quantity) SI() (Quantity, error) {
	v, err := q.SIValue()
	if err != nil {
		return Quantity{}, err
	}
	return Q(v, SI(q.Unit.dim)), nil
}

// Number returns the value of a dimensionless quantity as a plain number
// (50 % -> 1/2, 30 deg -> 0.5236, 2 h/min -> 120), or a *DimensionError.
func (q Quantity) Number() (Number, error) {
	if !q.Unit.IsDimensionless() {
		return Number{}, &DimensionError{Func: "a plain number", Unit: q.Unit, Msg: fmt.Sprintf("expected a dimensionless quantity, got %s", q.Unit)}
	}
	if q.Unit.IsOne() {
		return q.Value, nil
	}
	return q.Value.Mul(q.Unit.Scale())
}

// scaled converts v from unit from to unit to by scale only.
func scaled(v Number, from, to Unit) (Number, error) {
	if from.IsOne() && to.IsOne() {
		return v, nil
	}
	if !v.IsExact() {
		return FloatChecked(v.f * (from.floatScale() / to.floatScale()))
	}
	f, err := from.Scale().Div(to.Scale())
	if err != nil {
		return Number{}, err
	}
	if f.IsExact() && f.Cmp(Int(1)) == 0 {
		return v, nil
	}
	return v.Mul(f)
}

// To converts q to unit u. The dimensions must match (a *MismatchError
// otherwise). Offsets apply when converting between absolute temperatures
// (degC, degF, K alone; not delta_degC).
func (q Quantity) To(u Unit) (Quantity, error) {
	if q.Unit.dim != u.dim {
		return Quantity{}, &MismatchError{Op: "convert", Left: q.Unit, Right: u}
	}
	if useOffsets(q.Unit, u) {
		si, err := q.SIValue()
		if err != nil {
			return Quantity{}, err
		}
		if si, err = si.Sub(u.Offset()); err != nil {
			return Quantity{}, err
		}
		v, err := si.Div(u.Scale())
		if err != nil {
			return Quantity{}, err
		}
		return Q(v, u), nil
	}
	v, err := scaled(q.Value, q.Unit, u)
	if err != nil {
		return Quantity{}, err
	}
	return Q(v, u), nil
}

// useOffsets reports whether a conversion between a and b is between
// absolute temperatures.
func useOffsets(a, b Unit) bool {
	if !a.IsAbsoluteTemperature() && !b.IsAbsoluteTemperature() {
		return false
	}
	return isAbsTempOrKelvin(a) && isAbsTempOrKelvin(b)
}

func isAbsTempOrKelvin(u Unit) bool {
	if u.IsAbsoluteTemperature() {
		return true
	}
	t, ok := u.single()
	return ok && t.d.name == "K"
}

// Add returns q + r in q's unit (r converted by scale: a temperature added
// to an absolute temperature is a difference). Dimensions must match.
func (q Quantity) Add(r Quantity) (Quantity, error) {
	if q.Unit.dim != r.Unit.dim {
		return Quantity{}, &MismatchError{Op: "+", Left: q.Unit, Right: r.Unit}
	}
	if q.Unit.IsDelta() && r.Unit.IsAbsoluteTemperature() {
		return r.Add(q) // difference + absolute = absolute
	}
	v, err := scaled(r.Value, r.Unit, q.Unit)
	if err != nil {
		return Quantity{}, err
	}
	s, err := q.Value.Add(v)
	if err != nil {
		return Quantity{}, err
	}
	return Q(s, q.Unit), nil
}

// Sub returns q - r in q's unit. The difference of two absolute
// temperatures (or of kelvin and an absolute temperature) converts r with
// its offset and is a difference: 30 degC - 20 degC = 10 delta_degC.
func (q Quantity) Sub(r Quantity) (Quantity, error) {
	if q.Unit.dim != r.Unit.dim {
		return Quantity{}, &MismatchError{Op: "-", Left: q.Unit, Right: r.Unit}
	}
	var v Number
	unit := q.Unit
	if r.Unit.IsAbsoluteTemperature() && isAbsTempOrKelvin(q.Unit) {
		c, err := r.To(q.Unit)
		if err != nil {
			return Quantity{}, err
		}
		v, unit = c.Value, q.Unit.Delta()
	} else {
		var err error
		if v, err = scaled(r.Value, r.Unit, q.Unit); err != nil {
			return Quantity{}, err
		}
	}
	d, err := q.Value.Sub(v)
	if err != nil {
		return Quantity{}, err
	}
	return Q(d, unit), nil
}

// Neg returns -q.
func (q Quantity) Neg() Quantity { return Q(q.Value.Neg(), q.Unit) }

// Abs returns |q|.
func (q Quantity) Abs() Quantity { return Q(q.Value.Abs(), q.Unit) }

// Mul returns q * r; units multiply (as scales: offsets play no part).
func (q Quantity) Mul(r Quantity) (Quantity, error) {
	u, err := q.Unit.Mul(r.Unit)
	if err != nil {
		return Quantity{}, err
	}
	v, err := q.Value.Mul(r.Value)
	if err != nil {
		return Quantity{}, err
	}
	return Q(v, u), nil
}

// Div returns q / r (ErrDivByZero when r is zero).
func (q Quantity) Div(r Quantity) (Quantity, error) {
	u, err := q.Unit.Div(r.Unit)
	if err != nil {
		return Quantity{}, err
	}
	v, err := q.Value.Div(r.Value)
	if err != nil {
		return Quantity{}, err
	}
	return Q(v, u), nil
}

// Pow returns q^e for a dimensionless exponent e (which may itself carry a
// dimensionless unit such as h/min). A quantity with a dimension can be
// raised to an integer, or to a rational p/q when every exponent of its
// dimension is divisible by q (sqrt(m^2) = m); otherwise the result is a
// *DimensionError. Dimensionless quantities take any power.
func (q Quantity) Pow(e Quantity) (Quantity, error) {
	n, err := e.Number()
	if err != nil {
		return Quantity{}, &DimensionError{Func: "**", Unit: e.Unit, Msg: fmt.Sprintf("exponent must be dimensionless, got %s", e.Unit)}
	}
	return q.PowN(n)
}

// PowN is Pow with a plain number exponent.
func (q Quantity) PowN(e Number) (Quantity, error) {
	if q.Unit.IsOne() {
		v, err := q.Value.Pow(e)
		return Scalar(v), err
	}
	if k, ok := e.Int64(); ok {
		if k > 127 || k < -127 {
			if q.Unit.IsDimensionless() {
				return q.plain().PowN(e)
			}
			return Quantity{}, ErrExponent
		}
		u, err := q.Unit.Pow(int(k))
		if err != nil {
			return Quantity{}, err
		}
		v, err := q.Value.Pow(e)
		if err != nil {
			return Quantity{}, err
		}
		return Q(v, u), nil
	}
	if q.Unit.IsDimensionless() {
		return q.plain().PowN(e)
	}
	if r, ok := e.Rat(); ok && r.Denom().IsInt64() && r.Denom().Int64() <= 127 && r.Num().IsInt64() && r.Num().Int64() <= 127 && r.Num().Int64() >= -127 {
		den, num := int(r.Denom().Int64()), int(r.Num().Int64())
		if u, ok := q.Unit.Root(den); ok {
			if u, err := u.Pow(num); err == nil {
				v, err := q.Value.Pow(e)
				if err != nil {
					return Quantity{}, err
				}
				return Q(v, u), nil
			}
		}
		if d, ok := q.Unit.dim.Root(den); ok {
			if d, ok = d.Pow(num); ok {
				si, err := q.SIValue()
				if err != nil {
					return Quantity{}, err
				}
				v, err := si.Pow(e)
				if err != nil {
					return Quantity{}, err
				}
				return Q(v, SI(d)), nil
			}
		}
	}
	return Quantity{}, &DimensionError{Func: "**", Unit: q.Unit, Msg: fmt.Sprintf("cannot raise %s to the power %s", q.Unit, e)}
}

// plain turns a dimensionless quantity into a unit-1 scalar.
func (q Quantity) plain() Quantity {
	n, _ := q.Number()
	return Scalar(n)
}

// Sqrt returns q^(1/2).
func (q Quantity) Sqrt() (Quantity, error) { return q.PowN(Frac(1, 2)) }

// Cmp compares q and r (r converted to q's unit; absolute temperatures with
// their offsets). Dimensions must match, else a *MismatchError.
func (q Quantity) Cmp(r Quantity) (int, error) {
	if q.Unit.dim != r.Unit.dim {
		return 0, &MismatchError{Op: "compare", Left: q.Unit, Right: r.Unit}
	}
	c, err := r.To(q.Unit)
	if err != nil {
		return 0, err
	}
	return q.Value.Cmp(c.Value), nil
}

// Apply applies a function of a dimensionless argument (exp, log, log10,
// log2, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh). The argument
// must be dimensionless (angles in rad or deg are: sin(30 deg) = 0.5);
// the result has unit "1". An unknown name is an error.
func (q Quantity) Apply(name string) (Quantity, error) {
	f, ok := dimensionlessFuncs[name]
	if !ok {
		return Quantity{}, fmt.Errorf("unknown function %q", name)
	}
	if !q.Unit.IsDimensionless() {
		return Quantity{}, &DimensionError{Func: name, Unit: q.Unit}
	}
	n, err := q.Number()
	if err != nil {
		return Quantity{}, err
	}
	v, err := f(n)
	if err != nil {
		return Quantity{}, fmt.Errorf("%s: %w", name, err)
	}
	return Scalar(v), nil
}

var dimensionlessFuncs = map[string]func(Number) (Number, error){
	"exp": Number.Exp, "log": Number.Log, "ln": Number.Log, "log10": Number.Log10, "log2": Number.Log2,
	"sin": Number.Sin, "cos": Number.Cos, "tan": Number.Tan,
	"asin": Number.Asin, "acos": Number.Acos, "atan": Number.Atan,
	"sinh": Number.Sinh, "cosh": Number.Cosh, "tanh": Number.Tanh,
}

// String formats q as "<value> <unit>" in canonical ASCII ("20 min",
// "9.81 m/s^2"); a unit-1 quantity is its number alone.
func (q Quantity) String() string {
	if q.Unit.IsOne() {
		return q.Value.String()
	}
	return q.Value.String() + " " + q.Unit.String()
}

// Pretty formats q for prompts: "47 μF", "20 °C", "50%", "30°".
func (q Quantity) Pretty() string { return joinPretty(q.Value.String(), q.Unit) }

// Format formats the value by a Number.Format spec and appends the pretty
// unit: Format(".3g") of 192000 cell is "1.92e+05 cell".
func (q Quantity) Format(spec string) (string, error) {
	s, err := q.Value.Format(spec)
	if err != nil {
		return "", err
	}
	return joinPretty(s, q.Unit), nil
}

// LaTeX formats q for LaTeX math mode: "47\,\mathrm{\mu{}F}".
func (q Quantity) LaTeX() string {
	if q.Unit.IsOne() {
		return q.Value.LaTeX()
	}
	return q.Value.LaTeX() + `\,` + q.Unit.LaTeX()
}

func joinPretty(v string, u Unit) string {
	if u.IsOne() {
		return v
	}
	if t, ok := u.single(); ok && t.p == nil && (t.d.name == "%" || t.d.name == "permille" || t.d.name == "deg") {
		return v + u.Pretty()
	}
	return v + " " + u.Pretty()
}
