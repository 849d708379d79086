package grade

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/polylearn/poly/compiler/units"
)

// Gold is a reference answer: a value, the tolerance its numbers are
// compared with, and for multiple choice the letter and option texts.
// Build it from computed values with Number, Exact, Quantity, Integer,
// Fraction, Choice, Set, Tuple, Interval, Expr and Text, or from a LaTeX
// string with ParseGold. The zero Gold has no value; checks against it
// report "no gold answer".
type Gold struct {
	v       Value
	src     string // the answer text it was parsed from (ParseGold)
	str     string // String(), when precomputed
	tol     Tolerance
	letter  string
	options []string
}

// Value returns the gold value (nil for the zero Gold).
func (g Gold) Value() Value { return g.v }

// Tolerance returns the tolerance set on the gold answer.
func (g Gold) Tolerance() Tolerance { return g.tol }

// String returns the canonical form of the gold answer.
func (g Gold) String() string {
	if g.str != "" {
		return g.str
	}
	if g.letter != "" {
		return "(" + g.letter + ")"
	}
	if g.v == nil {
		return ""
	}
	return g.v.String()
}

// WithTolerance returns g with its numbers compared under t (for every
// number of a set, tuple, interval or matrix too). It overrides the
// tolerances given to Number and the Options tolerance.
func (g Gold) WithTolerance(t Tolerance) Gold {
	g.tol = t
	return g
}

func numNode(n num) *node { return &node{op: nNum, v: n, fv: n.float(), dec: -1} }

func withUnit(v *numberV, unit string) error {
	unit = strings.TrimSpace(unit)
	if unit == "" {
		return nil
	}
	switch unit {
	case "%", "percent":
		v.percent = true
		v.n = quo(v.n, intNum(100))
		v.src = numNode(v.n)
		return nil
	case "°", "deg", "degree", "degrees":
		v.degree = true
		return nil
	}
	u, ok := parseUnit(unit)
	if !ok {
		return fmt.Errorf("unknown unit %q", unit)
	}
	v.unit, v.hasUnit, v.unitTxt = u, true, unit
	return nil
}

// Number is a gold number given as a float64 (a computed value), with an
// optional unit ("" for none; "%" and "°" mark percentages and degrees)
// and tolerance (zero: DefaultRel, since a float is inexact).
func Number(x float64, unit string, tol Tolerance) (Gold, error) {
	if math.IsNaN(x) {
		return Gold{}, errors.New("gold number is NaN")
	}
	v := &numberV{n: fnum(x), dec: -1, tol: tol}
	v.src = numNode(v.n)
	if err := withUnit(v, unit); err != nil {
		return Gold{}, err
	}
	return Gold{v: v, tol: tol}, nil
}

// Exact is a gold number given as an exact rational, with an optional
// unit and tolerance (zero: the prediction must equal it exactly, or be a
// decimal that rounds to it as docs/grading.md describes).
func Exact(r *big.Rat, unit string, tol Tolerance) (Gold, error) {
	if r == nil {
		return Gold{}, errors.New("nil rational")
	}
	v := &numberV{n: exact(new(big.Rat).Set(r)), dec: -1, tol: tol}
	v.src = numNode(v.n)
	if err := withUnit(v, unit); err != nil {
		return Gold{}, err
	}
	return Gold{v: v, tol: tol}, nil
}

// Quantity is a gold number with a unit from the units package.
func Quantity(n units.Number, u units.Unit, tol Tolerance) Gold {
	var x num
	if r, ok := n.Rat(); ok {
		x = exact(r)
	} else {
		x = fnum(n.Float64())
	}
	v := &numberV{n: x, dec: -1, tol: tol}
	v.src = numNode(x)
	if !u.IsOne() {
		v.unit, v.hasUnit, v.unitTxt = u, true, u.String()
	}
	return Gold{v: v, tol: tol}
}

// Integer is an exact integer gold answer.
func Integer(i int64) Gold {
	v := &numberV{n: intNum(i), dec: -1}
	v.src = numNode(v.n)
	return Gold{v: v}
}

// Fraction is the exact gold answer num/den (den != 0).
func Fraction(num, den int64) (Gold, error) {
	if den == 0 {
		return Gold{}, errors.New("fraction with zero denominator")
	}
	g, err := Exact(big.NewRat(num, den), "", Tolerance{})
	return g, err
}

// Choice is a multiple-choice gold answer: the letter (A, B, ...) and,
// optionally, the option texts in order (so an answer that states the
// option's content instead of its letter also counts).
func Choice(letter string, options ...string) (Gold, error) {
	l := strings.ToUpper(strings.Trim(strings.TrimSpace(letter), "()."))
	if len(l) != 1 || l[0] < 'A' || l[0] > 'Z' {
		return Gold{}, fmt.Errorf("choice letter %q is not A-Z", letter)
	}
	if len(options) > 0 && int(l[0]-'A') >= len(options) {
		return Gold{}, fmt.Errorf("choice %s but only %d options", l, len(options))
	}
	return Gold{v: &choiceV{letter: l}, letter: l, options: options}, nil
}

// Set is an unordered gold collection.
func Set(elems ...Gold) Gold { return Gold{v: &seqV{k: seqSet, elems: values(elems)}} }

// Tuple is an ordered gold collection (a point, a vector).
func Tuple(elems ...Gold) Gold { return Gold{v: &seqV{k: seqTuple, elems: values(elems)}} }

// Interval is a gold interval; use Number(math.Inf(±1), ...) for
// unbounded ends.
func Interval(lo, hi Gold, loOpen, hiOpen bool) Gold {
	return Gold{v: &intervalV{lo: lo.v, hi: hi.v, lopen: loOpen, ropen: hiOpen}}
}

func values(gs []Gold) []Value {
	out := make([]Value, len(gs))
	for i, g := range gs {
		out[i] = g.v
		if out[i] == nil {
			out[i] = &textV{}
		}
	}
	return out
}

// Expr is a symbolic gold answer parsed from LaTeX or plain text in the
// named variables (vars may be empty: the variables are then whatever
// letters the text uses).
func Expr(text string, vars ...string) (Gold, error) {
	v, err := Parse(text)
	if err != nil {
		return Gold{}, fmt.Errorf("gold expression %q: %w", text, err)
	}
	if e, ok := v.(*exprV); ok && len(vars) > 0 {
		allowed := map[string]bool{}
		for _, x := range vars {
			allowed[x] = true
		}
		for _, x := range e.vars {
			if !allowed[x] {
				return Gold{}, fmt.Errorf("gold expression %q uses %s, not one of %v", text, x, vars)
			}
		}
	}
	return Gold{v: v}, nil
}

// Text is a gold answer compared as normalised text (case and spacing
// insensitive): names, words, "no solution".
func Text(s string) Gold { return Gold{v: &textV{s: normText(s)}} }

// ParseGold parses a gold answer written in LaTeX or plain text, as in
// verl-style ground truth: "\frac{1}{2}", "$x \in [0,1)$", "5\,\mathrm{km}",
// "(B)". A gold text that holds a \boxed{} answer (a whole solution) is
// reduced to the boxed part first.
func ParseGold(text string) (Gold, error) {
	return parseGold(newCtx(Budget{}), text)
}

func parseGold(c *ctx, text string) (Gold, error) {
	t := tail(text, c.b.MaxInput)
	if b, _, ok := lastBoxed(t); ok {
		t = b
	}
	if l, ok := goldLetter(t); ok {
		return Choice(l)
	}
	if l, ok := goldOptionLetter(t); ok {
		return Choice(l)
	}
	v, err := c.parse(t)
	if err == nil {
		return Gold{v: v, src: c.trim(t)}, nil
	}
	// A whole solution without a box: only an explicit answer phrase
	// ("The answer is 5") may stand for it. A gold that merely fails to
	// parse must not fall back to its last number: "2 1/s" would become 1,
	// and every prediction that also ends in "1/s" would score.
	for _, cand := range candidates(t, true) {
		if l, ok := goldOptionLetter(cand.text); ok {
			return Choice(l)
		}
		if v2, err2 := c.parse(cand.text); err2 == nil {
			return Gold{v: v2}, nil
		}
	}
	// a sentence around one delimited formula ("the solution is $m \in
	// [2, \infty)$"): the formula (never a bare last number)
	if m, _, ok := lastMath(t); ok && strings.ContainsAny(t, "$\\") {
		if v2, err2 := c.parse(m); err2 == nil {
			return Gold{v: v2}, nil
		}
	}
	return Gold{}, fmt.Errorf("gold answer %q: %w", clip(text, 80), err)
}

// goldLetter recognises a lone choice letter: "B", "(B)", "\text{(B)}".
func goldLetter(s string) (string, bool) {
	s = trimAnswer(s)
	for _, p := range []string{"\\text{", "\\textbf{", "\\mathrm{"} {
		if strings.HasPrefix(s, p) && strings.HasSuffix(s, "}") {
			s = s[len(p) : len(s)-1]
		}
	}
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "()"))
	if len(s) == 1 && s[0] >= 'A' && s[0] <= 'J' {
		return s, true
	}
	return "", false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// goldOptionLetter recognises a choice letter followed by its option
// text: "(D) Alina", "D) 42", or a letter and a capitalised name on the
// first line ("C Cecile").
func goldOptionLetter(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		s = strings.TrimSpace(s[:nl])
	}
	if len(s) >= 4 && s[0] == '(' && isUpperChoice(s[1]) && s[2] == ')' && s[3] == ' ' {
		return s[1:2], true
	}
	if len(s) >= 3 && isUpperChoice(s[0]) && s[1] == ')' && s[2] == ' ' {
		return s[:1], true
	}
	if len(s) >= 4 && isUpperChoice(s[0]) && s[1] == ' ' && s[2] >= 'A' && s[2] <= 'Z' && s[3] >= 'a' && s[3] <= 'z' {
		return s[:1], true
	}
	return "", false
}
