package compiler

import (
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
	return a.Mul(b)
}

func qDiv(a, b Q) (Q, error) {
	a, err := absToKelvin(a)
	if err != nil {
		return Q{}, err
	}
	if b, err = absToKelvin(b); err != nil {
		return Q{}, err
	}
	return a.Div(b)
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

func qConvert(a Q, unitText string) (Q, error) {
	u, err := parseUnit(unitText)
	if err != nil {
		return Q{}, err
	}
	return a.To(u)
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
