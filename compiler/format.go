package compiler

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// numFormat is a parsed interpolation format: "", ".3g", ".2f", ".4e", "d".
type numFormat struct {
	verb byte // 0 (default), 'g', 'f', 'e', 'd'
	prec int  // -1 when not given
}

// parseFormat parses the part after ':' in `{x:.3g}`.
func parseFormat(s string) (numFormat, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return numFormat{prec: -1}, nil
	}
	f := numFormat{prec: -1}
	verb := s[len(s)-1]
	switch verb {
	case 'g', 'f', 'e', 'd':
		f.verb = verb
	default:
		return f, fmt.Errorf("unknown format %q (use .Ng, .Nf, .Ne or d)", s)
	}
	p := s[:len(s)-1]
	if p == "" {
		return f, nil
	}
	if verb == 'd' || p[0] != '.' {
		return f, fmt.Errorf("unknown format %q (use .Ng, .Nf, .Ne or d)", s)
	}
	n, err := strconv.Atoi(p[1:])
	if err != nil || n < 0 || n > 30 {
		return f, fmt.Errorf("bad precision in format %q (0 to 30)", s)
	}
	f.prec = n
	return f, nil
}

// formatNumber renders a magnitude. exact, when not nil, is the exact
// value of x. The default format prints exact integers in full, exact
// fractions as p/q, and other numbers with up to 6 significant digits.
func formatNumber(x float64, exact *big.Rat, f numFormat) string {
	switch f.verb {
	case 'g':
		p := f.prec
		if p == 0 {
			p = 1
		}
		return cleanExp(strconv.FormatFloat(x, 'g', p, 64))
	case 'f':
		p := f.prec
		if p < 0 {
			p = 6
		}
		if exact != nil {
			return exact.FloatString(p)
		}
		return strconv.FormatFloat(x, 'f', p, 64)
	case 'e':
		p := f.prec
		if p < 0 {
			p = 6
		}
		return cleanExp(strconv.FormatFloat(x, 'e', p, 64))
	case 'd':
		if exact != nil && exact.IsInt() {
			return exact.Num().String()
		}
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	if exact != nil {
		if exact.IsInt() {
			if exact.Num().BitLen() <= 80 {
				return exact.Num().String()
			}
		} else if exact.Num().BitLen() <= 64 && exact.Denom().BitLen() <= 64 {
			return exact.RatString()
		}
	}
	return formatFloat(x)
}

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
