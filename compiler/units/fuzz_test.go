package units

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics, that every error is a
// *ParseError with an offset inside the text, and that the canonical and
// pretty spellings of every accepted unit parse back to the same unit.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"m/s^2", "kg·m²/s²", "J/(mol K)", "kΩ", "°C", "1/s", "cm³", "kmol2", "m^(1/2)", "((m))", "J/mol K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q): error %T %v is not a *ParseError", s, err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) || pe.End < pe.Offset || pe.End > len(s) {
				t.Fatalf("Parse(%q): error span [%d,%d) outside the text", s, pe.Offset, pe.End)
			}
			_ = pe.Error()
			return
		}
		for _, spelling := range []string{u.String(), u.Pretty()} {
			v, err := Parse(spelling)
			if err != nil {
				if spelling == "1" {
					continue
				}
				t.Fatalf("Parse(%q) = %s; re-parsing %q: %v", s, u, spelling, err)
			}
			if !v.Equal(u) || v.String() != u.String() {
				t.Fatalf("Parse(%q) = %s (scale %s); re-parsed %q = %s (scale %s)", s, u, u.Scale(), spelling, v, v.Scale())
			}
		}
		_ = u.LaTeX()
		// ScanUnit agrees with Parse on a whole unit text.
		if utf8.ValidString(s) {
			su, n, err := ScanUnit(s, nil)
			if err == nil && n == len(trimRightSpace(s)) && !su.Equal(u) {
				t.Fatalf("ScanUnit(%q) = %s, Parse = %s", s, su, u)
			}
		}
	})
}

func trimRightSpace(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// FuzzParseQuantity checks ParseQuantity and the number formatting round
// trip: String and FracString of every parsed number parse back to the
// same value.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"3.0e3 cell", "20 min", "12.70", "1/3", "-2/4 kg", "1e400", "47uF", ".5 %", "1e-999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseQuantity(%q): error %T %v is not a *ParseError", s, err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("ParseQuantity(%q): offset %d outside the text", s, pe.Offset)
			}
			return
		}
		for _, text := range []string{q.Value.String(), q.Value.FracString()} {
			n, err := ParseNumber(text)
			if err != nil {
				t.Fatalf("ParseQuantity(%q) = %v; ParseNumber(%q): %v", s, q, text, err)
			}
			if !n.Equal(q.Value) || n.IsExact() != q.Value.IsExact() && q.Value.IsExact() {
				t.Fatalf("ParseQuantity(%q) = %v; %q parses to %v", s, q.Value, text, n)
			}
		}
		_ = q.Pretty()
		_ = q.LaTeX()
		_, _ = q.SI()
	})
}

// FuzzArithmetic checks that no operation on two parsed quantities panics,
// that errors are the documented kinds, and some algebraic identities.
func FuzzArithmetic(f *testing.F) {
	for _, p := range [][2]string{{"20 degC", "5 K"}, {"1/3 m", "2 km"}, {"2", "0.5"}, {"1e300 m", "1e-300 s"}, {"-8", "1/3"}, {"3 m^2", "1/2"}, {"0 s", "0"}, {"50 %", "30 deg"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		qa, err := ParseQuantity(a)
		if err != nil {
			return
		}
		qb, err := ParseQuantity(b)
		if err != nil {
			return
		}
		sum, errAdd := qa.Add(qb)
		diff, errSub := qa.Sub(qb)
		_, _ = qa.Mul(qb)
		_, _ = qa.Div(qb)
		_, _ = qa.Pow(qb)
		_, _ = qa.Cmp(qb)
		_, _ = qa.To(qb.Unit)
		_, _ = qa.SI()
		_, _ = qa.Sqrt()
		for _, fn := range []string{"exp", "log", "sin", "acos", "log10"} {
			_, _ = qa.Apply(fn)
		}
		for _, spec := range []string{".3g", ".2f", ".4s", ".1%", ".3e"} {
			_, _ = qa.Format(spec)
		}
		_ = qa.LaTeX()
		if (errAdd == nil) != (qa.Dim() == qb.Dim()) && !errors.Is(errAdd, ErrOverflow) {
			t.Fatalf("%s + %s: err %v with dims %s, %s", a, b, errAdd, qa.Dim(), qb.Dim())
		}
		// x + y - y == x exactly when everything stayed exact (no offsets).
		if errAdd == nil && errSub == nil && sum.Value.IsExact() && qa.Unit.Offset().IsZero() && qb.Unit.Offset().IsZero() {
			back, err := sum.Sub(qb)
			if err == nil && back.Value.IsExact() && !back.Value.Equal(qa.Value) {
				t.Fatalf("(%s + %s) - %s = %s", a, b, b, back)
			}
			_ = diff
		}
	})
}
