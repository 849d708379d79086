package compiler

import (
	"math"
	"strconv"
	"strings"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/lang"
)

// maxTextLen bounds an interpolated text.
const maxTextLen = 1 << 20

// interpolate renders s, replacing each hole `{x}`, `{x:.3g}`,
// `{x in km}` with the formatted value.
func (e *evaluator) interpolate(s *lang.String, sc *scope, prefix string) (string, *evalError) {
	var b strings.Builder
	for _, p := range s.Parts {
		switch p := p.(type) {
		case *lang.StringLit:
			b.WriteString(p.Text)
		case *lang.Hole:
			txt, err := e.renderHole(p, sc, prefix)
			if err != nil {
				return "", err
			}
			b.WriteString(txt)
		}
		if b.Len() > maxTextLen {
			return "", errAt(s.Range, "text too long after interpolation (more than %d bytes)", maxTextLen)
		}
	}
	return b.String(), nil
}

func (e *evaluator) renderHole(h *lang.Hole, sc *scope, prefix string) (string, *evalError) {
	v, err := e.eval(h.Expr, sc, prefix)
	if err != nil {
		return "", err
	}
	fr := h.FormatRange
	if !fr.Start.IsValid() {
		fr = h.Range
	}
	if h.Unit != nil {
		if v.kind != vNum {
			return "", errAt(h.Unit.Range, "cannot convert a %s to a unit", v.kind)
		}
		u, uerr := parseUnit(h.Unit.Text)
		if uerr != nil {
			return "", unitErrAt(h.Unit.Range, uerr)
		}
		q, cerr := v.q.To(u)
		if cerr != nil {
			return "", errAt(h.Unit.Range, "%s", cerr.Error())
		}
		v.q = q
	}
	return formatValue(v, h.Format, fr)
}

// formatValue renders a value for a prompt: numbers with their unit,
// lists as [a, b], sets as {a, b}, tuples as (a, b).
func formatValue(v value, format string, fr lang.Range) (string, *evalError) {
	switch v.kind {
	case vNum:
		mag, err := formatMag(qMag(v.q), format, fr)
		if err != nil {
			return "", err
		}
		if u := qUnitPretty(v.q); u != "" {
			if u == "%" || u == "°" {
				return mag + u, nil
			}
			return mag + " " + u, nil
		}
		return mag, nil
	case vStr:
		return v.s, nil
	case vBool:
		if v.b {
			return "true", nil
		}
		return "false", nil
	case vInterval:
		lo, err := formatValue(v.elems[0], format, fr)
		if err != nil {
			return "", err
		}
		hi, err := formatValue(v.elems[1], format, fr)
		if err != nil {
			return "", err
		}
		l, r := "[", "]"
		if v.loOpen {
			l = "("
		}
		if v.hiOpen {
			r = ")"
		}
		return l + lo + ", " + hi + r, nil
	}
	open, close := "[", "]"
	switch v.kind {
	case vSet:
		open, close = "{", "}"
	case vTuple:
		open, close = "(", ")"
	}
	parts := make([]string, len(v.elems))
	for i, el := range v.elems {
		s, err := formatValue(el, format, fr)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return open + strings.Join(parts, ", ") + close, nil
}

// formatMag formats a magnitude with an interpolation format ("" for the
// default).
func formatMag(n units.Number, format string, fr lang.Range) (string, *evalError) {
	if format == "" {
		return defaultNumber(n), nil
	}
	s, err := n.Format(format)
	if err != nil {
		return "", errAt(fr, "%s", err.Error())
	}
	return cleanExp(s), nil
}

// defaultNumber is the default rendering of a number: exact integers and
// moderate terminating decimals as written, small exact fractions as p/q,
// everything else with up to 6 significant digits (e-notation outside
// [1e-4, 1e15)).
func defaultNumber(n units.Number) string {
	f := n.Float64()
	if r, ok := n.Rat(); ok {
		af := math.Abs(f)
		if r.IsInt() && af < 1e15 {
			return r.Num().String()
		}
		if af >= 1e-4 && af < 1e15 {
			s := n.String()
			if !strings.ContainsAny(s, "/e") && len(s) <= 18 {
				return s
			}
			if strings.Contains(s, "/") && r.Num().BitLen() <= 40 && r.Denom().BitLen() <= 40 {
				return s
			}
		}
		// Exact but very large or small: the shortest e-notation that
		// reads back as the same float (6.02214076e23, 2.43290200817664e18).
		if !math.IsInf(f, 0) && f != 0 {
			return cleanExp(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return formatFloat(f)
}
