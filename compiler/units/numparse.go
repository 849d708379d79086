package units

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// maxExactExp bounds the decimal exponent that ParseNumber keeps exact;
// larger literals are parsed as floats (and overflow is an error).
const maxExactExp = 400

// ParseNumber parses a decimal literal exactly: an integer ("12"), a
// decimal ("12.70", ".5"), scientific notation ("3.0e3", "1E-9") or a
// fraction of integers ("1/3", "-2/4"), with an optional sign. The result
// is exact unless the literal is too large for the exactness budget, in
// which case it is a float (ErrOverflow when it does not fit a float64).
// Errors are *ParseError values with the offset of the offending byte.
func ParseNumber(s string) (Number, error) {
	n, end, err := scanNumber(s, 0)
	if err != nil {
		return Number{}, err
	}
	if end != len(s) {
		return Number{}, &ParseError{Text: s, Offset: end, End: len(s), Msg: fmt.Sprintf("unexpected %q after number", s[end:])}
	}
	return n, nil
}

// scanNumber scans a number literal at s[i:] and returns it with the offset
// just after it. A trailing "/int" is taken as a fraction only when digits
// follow the slash directly.
func scanNumber(s string, i int) (Number, int, error) {
	start := i
	perr := func(at int, msg string) (Number, int, error) {
		end := at + 1
		if end > len(s) {
			end = len(s)
		}
		return Number{}, at, &ParseError{Text: s, Offset: at, End: end, Msg: msg}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	frac := false
	if i < len(s) && s[i] == '.' {
		frac = true
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		if i < len(s) {
			return perr(i, fmt.Sprintf("expected a number, found %q", s[i:i+1]))
		}
		return perr(i, "expected a number")
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k == j { // "3e" or "3em": not an exponent; leave it to the caller
			goto done
		}
		e, err := strconv.Atoi(s[i+1 : k])
		if err != nil || e > 1<<20 || e < -(1<<20) {
			e = 1 << 20
			if s[i+1] == '-' {
				e = -e
			}
		}
		exp = e
		i = k
	}
done:
	text := s[start:i]
	if (exp > maxExactExp || exp < -maxExactExp) || len(text) > 2000 {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !strings.Contains(err.Error(), "range") {
			return perr(start, fmt.Sprintf("invalid number %q", text))
		}
		n, ferr := FloatChecked(f)
		if ferr != nil {
			return Number{}, i, &ParseError{Text: s, Offset: start, End: i, Msg: fmt.Sprintf("number %s: %v", text, ferr)}
		}
		return n, i, nil
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return perr(start, fmt.Sprintf("invalid number %q", text))
	}
	// A fraction p/q of plain integers.
	if !frac && exp == 0 && i+1 < len(s) && s[i] == '/' && isDigit(s[i+1]) {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && (s[j] == '.' || s[j] == 'e' || s[j] == 'E') && j+1 < len(s) && isDigit(s[j+1]) {
			return perr(j, "a fraction needs an integer denominator")
		}
		d, ok := new(big.Int).SetString(s[i+1:j], 10)
		if !ok || len(s[i+1:j]) > 2000 {
			return perr(i+1, "invalid denominator")
		}
		if d.Sign() == 0 {
			return Number{}, j, &ParseError{Text: s, Offset: i + 1, End: j, Msg: "division by zero"}
		}
		r.Quo(r, new(big.Rat).SetInt(d))
		i = j
	}
	return normRat(r), i, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
