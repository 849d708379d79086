package units

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// maxDecimalDigits bounds how many fraction digits String spends on an
// exact terminating decimal before it prefers p/q.
const maxDecimalDigits = 30

// String formats n for display: exact integers as "12", exact terminating
// decimals as "12.7", other exact rationals as "1/3", floats in shortest
// round-trip form ("0.1", "1.5e+20" outside [1e-5, 1e16)).
func (n Number) String() string {
	if n.inexact {
		return formatFloat(n.f)
	}
	if s, ok := n.decimalString(); ok {
		return s
	}
	return n.rat().String()
}

// FracString formats n as "p/q" (or "p" for integers) when exact; floats as
// String does.
func (n Number) FracString() string {
	if n.inexact {
		return formatFloat(n.f)
	}
	if n.rat().IsInt() {
		return n.rat().Num().String()
	}
	return n.rat().String()
}

// LaTeX formats n for LaTeX: integers and terminating decimals as digits,
// other exact rationals as \frac{p}{q} (sign in front), floats with a
// "\times 10^{k}" exponent outside [1e-5, 1e16).
func (n Number) LaTeX() string {
	if n.inexact {
		return latexFloat(formatFloat(n.f))
	}
	if s, ok := n.decimalString(); ok {
		return s
	}
	return n.FracLaTeX()
}

// FracLaTeX formats an exact n as \frac{p}{q} (integers plainly); floats as
// LaTeX does.
func (n Number) FracLaTeX() string {
	if n.inexact {
		return n.LaTeX()
	}
	r := n.rat()
	if r.IsInt() {
		return r.Num().String()
	}
	sign := ""
	num := r.Num()
	if num.Sign() < 0 {
		sign = "-"
		num = new(big.Int).Neg(num)
	}
	return fmt.Sprintf("%s\\frac{%s}{%s}", sign, num, r.Denom())
}

// decimalString returns the exact decimal expansion of a rational whose
// denominator has only the factors 2 and 5, within maxDecimalDigits.
func (n Number) decimalString() (string, bool) {
	r := n.rat()
	if r.IsInt() {
		return r.Num().String(), true
	}
	d := new(big.Int).Set(r.Denom())
	two, five := big.NewInt(2), big.NewInt(5)
	twos, fives := 0, 0
	m := new(big.Int)
	for {
		q, rem := new(big.Int).QuoRem(d, two, m)
		if rem.Sign() != 0 {
			break
		}
		d, twos = q, twos+1
	}
	for {
		q, rem := new(big.Int).QuoRem(d, five, m)
		if rem.Sign() != 0 {
			break
		}
		d, fives = q, fives+1
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	prec := max(twos, fives)
	if prec > maxDecimalDigits {
		return "", false
	}
	return r.FloatString(prec), true
}

// formatFloat is the shortest round-trip form, plain between 1e-5 and 1e16.
func formatFloat(f float64) string {
	a := math.Abs(f)
	if f == 0 || (a >= 1e-5 && a < 1e16) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'e', -1, 64)
}

// latexFloat turns "1.5e+20" into "1.5 \times 10^{20}"; other text is kept.
func latexFloat(s string) string {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	e, err := strconv.Atoi(exp)
	if err != nil {
		return s
	}
	if mant == "1" {
		return fmt.Sprintf("10^{%d}", e)
	}
	if mant == "-1" {
		return fmt.Sprintf("-10^{%d}", e)
	}
	return fmt.Sprintf("%s \\times 10^{%d}", mant, e)
}

// SigString formats n with sig significant figures, keeping trailing zeros
// (3 figures of 1 is "1.00"): plain notation when the decimal exponent is
// in [-4, sig), otherwise "1.92e+05". sig < 1 is taken as 1.
func (n Number) SigString(sig int) string {
	mant, exp, neg := sigDigits(n.Float64(), sig)
	if mant == "" {
		return formatFloat(n.Float64())
	}
	return joinSig(mant, exp, neg, sig, false)
}

// SigLaTeX is SigString with "\times 10^{k}" for the exponent form.
func (n Number) SigLaTeX(sig int) string {
	mant, exp, neg := sigDigits(n.Float64(), sig)
	if mant == "" {
		return formatFloat(n.Float64())
	}
	return joinSig(mant, exp, neg, sig, true)
}

// sigDigits returns the sig significant digits of |f| (no dot), its
// decimal exponent and sign; mant is "" for NaN/Inf.
func sigDigits(f float64, sig int) (mant string, exp int, neg bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", 0, false
	}
	if sig < 1 {
		sig = 1
	}
	if sig > 17 {
		sig = 17
	}
	neg = f < 0
	s := strconv.FormatFloat(math.Abs(f), 'e', sig-1, 64) // d.ddde±XX
	i := strings.IndexByte(s, 'e')
	exp, _ = strconv.Atoi(s[i+1:])
	mant = strings.Replace(s[:i], ".", "", 1)
	return mant, exp, neg
}

func joinSig(mant string, exp int, neg bool, sig int, latex bool) string {
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if exp >= -4 && exp < sig {
		if exp < 0 {
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", -exp-1))
			b.WriteString(mant)
		} else {
			b.WriteString(mant[:exp+1])
			if len(mant) > exp+1 {
				b.WriteByte('.')
				b.WriteString(mant[exp+1:])
			}
		}
		return b.String()
	}
	b.WriteString(mant[:1])
	if len(mant) > 1 {
		b.WriteByte('.')
		b.WriteString(mant[1:])
	}
	if latex {
		fmt.Fprintf(&b, " \\times 10^{%d}", exp)
	} else {
		fmt.Fprintf(&b, "e%+03d", exp)
	}
	return b.String()
}

// Format formats n by a format spec as used in interpolations ({x:.3g}):
// an optional precision ".N" and a verb:
//
//	f  fixed point, N fraction digits (default 6); exact numbers round
//	   exactly, halves away from zero
//	e  scientific, N fraction digits (default 6): "1.920e+05"
//	g  N significant figures (default shortest), trailing zeros trimmed, as
//	   Go's and Python's %g
//	s  N significant figures keeping trailing zeros (SigString)
//	%  percent: n*100 in fixed point with N digits (default 0), then "%"
//	   (empty spec) String()
//
// An unknown spec is an error naming it.
func (n Number) Format(spec string) (string, error) {
	if spec == "" {
		return n.String(), nil
	}
	verb := spec[len(spec)-1]
	p := spec[:len(spec)-1]
	prec := -1
	if p != "" {
		if p[0] != '.' {
			return "", fmt.Errorf("bad format %q: want .N followed by f, e, g, s or %%", spec)
		}
		v, err := strconv.Atoi(p[1:])
		if err != nil || v < 0 || v > 100 {
			return "", fmt.Errorf("bad format %q: precision must be 0..100", spec)
		}
		prec = v
	}
	switch verb {
	case 'f':
		if prec < 0 {
			prec = 6
		}
		if !n.inexact {
			return n.rat().FloatString(prec), nil
		}
		return strconv.FormatFloat(n.f, 'f', prec, 64), nil
	case 'e':
		if prec < 0 {
			prec = 6
		}
		return strconv.FormatFloat(n.Float64(), 'e', prec, 64), nil
	case 'g':
		if prec == 0 {
			prec = 1
		}
		return strconv.FormatFloat(n.Float64(), 'g', prec, 64), nil
	case 's':
		if prec <= 0 {
			prec = 6
		}
		return n.SigString(prec), nil
	case '%':
		if prec < 0 {
			prec = 0
		}
		h, err := n.Mul(Int(100))
		if err != nil {
			return "", err
		}
		s, _ := h.Format(fmt.Sprintf(".%df", prec))
		return s + "%", nil
	}
	return "", fmt.Errorf("bad format %q: want .N followed by f, e, g, s or %%", spec)
}
