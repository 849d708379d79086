package compiler

import (
	"errors"
	"strings"

	"github.com/polylearn/poly/lang"
	"sync"

	"github.com/polylearn/poly/compiler/units"
)

// Q is a quantity: a number in a unit (compiler/units).
type Q = units.Quantity

// This file adapts compiler/units to the evaluator: the few rules that
// are the compiler's choice live here.

var (
	unitCacheMu sync.Mutex
	unitCache   = map[string]unitEntry{}
	kelvin      = units.MustParse("K")
)

type unitEntry struct {
	u   units.Unit
	err error
}

// parseUnit parses a unit text, caching results (specs repeat units).
func parseUnit(text string) (units.Unit, error) {
	unitCacheMu.Lock()
	e, ok := unitCache[text]
	unitCacheMu.Unlock()
	if ok {
		return e.u, e.err
	}
	u, err := units.Parse(text)
	if len(text) < 64 {
		unitCacheMu.Lock()
		if len(unitCache) < 10000 {
			unitCache[text] = unitEntry{u, err}
		}
		unitCacheMu.Unlock()
	}
	return u, err
}

func qScalar(n units.Number) Q { return units.Scalar(n) }

func qWithUnit(n units.Number, unitText string) (Q, error) {
	u, err := parseUnit(unitText)
	if err != nil {
		return Q{}, err
	}
	return units.Q(n, u), nil
}

// absToKelvin converts an absolute temperature (degC, degF alone) to
// kelvin before it enters a product, quotient or power: R*T with T =
// 37 degC means 310.15 K. Temperature differences (T2 - T1, delta_degC)
// are scales and pass unchanged.
func absToKelvin(q Q) (Q, error) {
	if q.Unit.IsAbsoluteTemperature() {
		return q.To(kelvin)
	}
	return q, nil
}

func qAdd(a, b Q) (Q, error) { return a.Add(b) }
func qSub(a, b Q) (Q, error) { return a.Sub(b) }

func qMul(a, b Q) (Q, error) {
	a, err := absToKelvin(a)
	if err != nil {
		return Q{}, err
	}
	if b, err = absToKelvin(b); err != nil {
		return Q{}, err
	}
	return simplify(a.Mul(b))
}

func qDiv(a, b Q) (Q, error) {
	a, err := absToKelvin(a)
	if err != nil {
		return Q{}, err
	}
	if b, err = absToKelvin(b); err != nil {
		return Q{}, err
	}
	return simplify(a.Div(b))
}

// simplify turns a compound dimensionless unit (h/min, km/m, mol/mol)
// into a plain number: 2 h / 20 min is 6. Named dimensionless units
// (cell, %, deg, rad) are kept.
func simplify(q Q, err error) (Q, error) {
	if err != nil || q.Unit.IsOne() || !q.Unit.IsDimensionless() {
		return q, err
	}
	if !strings.ContainsAny(q.Unit.String(), "/*^ ") {
		return q, nil
	}
	n, nerr := q.Number()
	if nerr != nil {
		return q, nil
	}
	return units.Scalar(n), nil
}

// qMod is a - b*floor(a/b) with a and b of one dimension (result in a's
// unit).
func qMod(a, b Q) (Q, error) {
	bb, err := b.To(a.Unit)
	if err != nil {
		return Q{}, err
	}
	if bb.Value.IsZero() {
		return Q{}, units.ErrDivByZero
	}
	d, err := a.Value.Div(bb.Value)
	if err != nil {
		return Q{}, err
	}
	f, err := d.Floor()
	if err != nil {
		return Q{}, err
	}
	m, err := f.Mul(bb.Value)
	if err != nil {
		return Q{}, err
	}
	v, err := a.Value.Sub(m)
	if err != nil {
		return Q{}, err
	}
	return units.Q(v, a.Unit), nil
}

func qPow(a Q, e units.Number) (Q, error) {
	a, err := absToKelvin(a)
	if err != nil {
		return Q{}, err
	}
	return a.PowN(e)
}

func qSqrt(a Q) (Q, error) { return qPow(a, units.Frac(1, 2)) }

func qNeg(a Q) Q { return a.Neg() }

func qCmp(a, b Q) (int, error) { return a.Cmp(b) }

// qToScalar returns a dimensionless quantity as a plain number (scales
// applied: 2 h/min is 120, 30 deg is 0.5236).
func qToScalar(a Q) (units.Number, error) { return a.Number() }

func qMag(a Q) units.Number { return a.Value }

func qWithMag(a Q, n units.Number) Q { return units.Q(n, a.Unit) }

func qUnitText(a Q) string {
	if a.Unit.IsOne() {
		return "1 (dimensionless)"
	}
	return a.Unit.String()
}

// qUnitPretty is the display spelling of a's unit ("" for unit 1).
func qUnitPretty(a Q) string {
	if a.Unit.IsOne() {
		return ""
	}
	return a.Unit.Pretty()
}

// qUnitString is the canonical ASCII spelling ("" for unit 1).
func qUnitString(a Q) string {
	if a.Unit.IsOne() {
		return ""
	}
	return a.Unit.String()
}

// qSI returns a's value in coherent SI units (for atan2 of two lengths).
func qSI(a Q) units.Number {
	n, err := a.SIValue()
	if err != nil {
		return a.Value
	}
	return n
}

// qCost is the step cost of an arithmetic operation on a: big exact
// numbers cost in proportion to their size.
func qCost(a Q) int {
	if r, ok := a.Value.Rat(); ok {
		return (r.Num().BitLen() + r.Denom().BitLen()) / 256
	}
	return 0
}

// unitErrAt positions a unit parse error inside the unit's range r
// (single-line units: the offending part is underlined).
func unitErrAt(r lang.Range, err error) *evalError {
	var pe *units.ParseError
	if errors.As(err, &pe) {
		out := r
		if r.Start.Line == r.End.Line && pe.Offset >= 0 && pe.Offset <= len(pe.Text) {
			from := len([]rune(pe.Text[:pe.Offset]))
			to := from + max(1, len([]rune(pe.Text[pe.Offset:min(max(pe.End, pe.Offset), len(pe.Text))])))
			out.Start.Col += from
			out.Start.Offset += pe.Offset
			out.End = out.Start
			out.End.Col += to - from
			if out.End.Col > r.End.Col && r.End.Col > 0 {
				out.End = r.End
			}
		}
		return errAt(out, "%s", pe.Msg)
	}
	return errAt(r, "%s", err.Error())
}
