package compiler

import (
	"math"
	"strconv"
	"strings"
)

// formatFloat prints x with up to 6 significant digits, without
// trailing zeros, in plain notation for moderate magnitudes and
// e-notation otherwise.
func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == 0:
		return "0"
	}
	ax := math.Abs(x)
	if ax >= 1e-4 && ax < 1e15 {
		s := strconv.FormatFloat(x, 'g', 6, 64)
		if !strings.ContainsAny(s, "e") {
			return s
		}
		// 'g' chose an exponent (e.g. 1.23457e+06): print in full.
		v, _ := strconv.ParseFloat(s, 64)
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return cleanExp(strconv.FormatFloat(x, 'g', 6, 64))
}

// cleanExp rewrites Go's "1.5e-07" as "1.5e-7" and "2e+06" as "2e6".
func cleanExp(s string) string {
	i := strings.IndexByte(s, 'e')
	if i < 0 {
		return s
	}
	mant, exp := s[:i], s[i+1:]
	sign := ""
	if exp != "" && (exp[0] == '+' || exp[0] == '-') {
		if exp[0] == '-' {
			sign = "-"
		}
		exp = exp[1:]
	}
	exp = strings.TrimLeft(exp, "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "e" + sign + exp
}

// latexNumber renders a plain number string ("1.5e-7", "3/4", "-2") as
// LaTeX ("1.5 \times 10^{-7}", "\frac{3}{4}").
func latexNumber(s string) string {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	var out string
	switch {
	case strings.Contains(body, "/"):
		p, q, _ := strings.Cut(body, "/")
		out = `\frac{` + p + `}{` + q + `}`
	case strings.ContainsAny(body, "eE") && !strings.Contains(body, "inf") && body != "NaN":
		i := strings.IndexAny(body, "eE")
		out = body[:i] + ` \times 10^{` + strings.TrimPrefix(body[i+1:], "+") + `}`
	default:
		out = body
	}
	if neg {
		return "-" + out
	}
	return out
}
