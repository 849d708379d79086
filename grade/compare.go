package grade

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// verdict is the outcome of comparing a prediction with a gold value.
// The reason is formatted lazily: most failed comparisons happen while
// matching set elements, where nobody reads them.
type verdict struct {
	ok      bool
	format  string
	args    []any
	partial float64 // fraction of elements right (sets, tuples, matrices)
	off     bool    // the reason is offBy(offG, offP) (no boxing: see noOff)
	offG    num
	offP    num
}

func (v verdict) reason() string {
	if v.off && !v.ok {
		return offBy(v.offG, v.offP)
	}
	if v.ok || v.format == "" {
		return ""
	}
	if len(v.args) == 0 {
		return v.format
	}
	if v.format == "%s" && len(v.args) == 1 {
		if s, ok := v.args[0].(fmt.Stringer); ok {
			return s.String()
		}
	}
	return fmt.Sprintf(v.format, v.args...)
}

func yes() verdict { return verdict{ok: true, partial: 1} }
func no(format string, a ...any) verdict {
	return verdict{format: format, args: a}
}

// noOff is the verdict for numbers g and p that differ; offBy is
// formatted only when the reason is read.
func noOff(g, p num) verdict { return verdict{off: true, offG: g, offP: p} }

// unwrap reduces an equation whose one side is a variable to the other
// side ("x = 3" is 3; in "x = 1 + 2 = 3" the last part counts) and a
// membership "x \in S" to S. It returns the variable name, if any.
func unwrap(v Value) (Value, string) {
	r, ok := v.(*relV)
	if !ok {
		return v, ""
	}
	if r.uv != nil {
		return r.uv, r.uvar
	}
	return v, ""
}

// unwrapRel computes what unwrap returns for r (nil: r itself); values
// are made in sc (r's scratch memory; nil: the heap).
func unwrapRel(r *relV, sc *scratch) (Value, string) {
	v, name := unwrapSlow(r, sc)
	if v == Value(r) {
		return nil, ""
	}
	return v, name
}

func unwrapSlow(r *relV, sc *scratch) (Value, string) {
	var v Value = r
	r = dropApprox(r)
	allEq := true
	for _, op := range r.ops {
		if op != "=" {
			allEq = false
		}
	}
	in := len(r.ops) == 1 && r.ops[0] == "in"
	if !in && !allEq {
		return v, ""
	}
	// a fresh ctx with the default budget, whose values go where r's are
	c := getCtx(Budget{})
	own := c.sc
	c.sc, c.keep = sc, sc == nil
	defer func() {
		c.sc = own
		putCtx(c)
	}()
	if in {
		return c.toValue(r.parts[1], 0), varName(r.parts[0])
	}
	if !allEq {
		return v, ""
	}
	if len(r.parts) >= 3 {
		return c.toValue(r.parts[len(r.parts)-1], 0), varName(r.parts[0])
	}
	if name := funcName(r.parts[0], r.parts[1]); name != "" {
		return c.toValue(r.parts[1], 0), name
	}
	if name := varName(r.parts[0]); name != "" {
		return c.toValue(r.parts[1], 0), name
	}
	if !hasVars(r.parts[0]) && !hasVars(r.parts[1]) {
		// "1/2 = 10/9": a chain of computations; the last value counts
		return c.toValue(r.parts[1], 0), ""
	}
	return v, ""
}

// dropApprox cuts an approximation off a chain ("x = 1/3 ≈ 0.33" is
// x = 1/3) and reads a lone "≈" as "=".
func dropApprox(r *relV) *relV {
	for i, op := range r.ops {
		if op != "≈" {
			continue
		}
		if i == 0 {
			ops := append([]string{"="}, r.ops[1:]...)
			return dropApprox(&relV{ops: ops, parts: r.parts})
		}
		return &relV{ops: r.ops[:i], parts: r.parts[:i+1]}
	}
	return r
}

// approxSides accepts a prediction "A ≈ B" (or "x = A ≈ B") when the
// constant on either side of its first "≈" matches the gold: the exact
// value ("\frac{9.5}{\pi} ≈ 3.02" for gold \frac{9.5}{\pi}) or the
// approximation (for gold 3.02). ok is false when pred has no such "≈" or
// neither side matches; the caller then compares as usual.
func (c *ctx) approxSides(gold, pred Value, tol Tolerance, depth int) (verdict, bool) {
	pr, ok := pred.(*relV)
	if !ok {
		return verdict{}, false
	}
	if _, ok := gold.(*relV); ok {
		return verdict{}, false
	}
	for i, op := range pr.ops {
		if op != "≈" {
			continue
		}
		if !c.approxConsistent(pr.parts[i], pr.parts[i+1]) {
			break // two answers, not a value and its approximation
		}
		for _, part := range pr.parts[i : i+2] {
			if hasVars(part) {
				continue
			}
			if v := c.compare(gold, c.toValue(part, depth+1), tol, depth+1); v.ok {
				return v, true
			}
		}
		break
	}
	return verdict{}, false
}

// approxConsistent reports whether the two sides of "a ≈ b" state one
// value: both are constants and one is the other rounded to the places it
// is written with ("\frac{9.5}{\pi} ≈ 3.02", "\pi ≈ 3"). "3 ≈ 4" or
// "\frac{1}{\pi} ≈ 3.02" states two answers, and approxSides must not
// let either one match (a hedge would score whichever is right).
func (c *ctx) approxConsistent(a, b *node) bool {
	if hasVars(a) || hasVars(b) {
		return false
	}
	fa, fb := c.ev.evalF(a), c.ev.evalF(b)
	if math.IsNaN(fa) || math.IsNaN(fb) || math.IsInf(fa, 0) || math.IsInf(fb, 0) {
		return false
	}
	d := math.Abs(fa - fb)
	if d <= 1e-12*max(math.Abs(fa), math.Abs(fb)) {
		return true
	}
	if isLiteral(a) && isLiteral(b) {
		// "2 ≈ 2.4", "2.45 ≈ 2.5": two written numbers that differ are
		// two answers; an approximation needs an exact side (π, \frac{70}{9})
		return false
	}
	return d <= writtenHalfUnit(a)*(1+1e-9) || d <= writtenHalfUnit(b)*(1+1e-9)
}

// isLiteral reports whether n is a number as written (3, -2.4, 1.2e-4).
func isLiteral(n *node) bool {
	for n != nil && n.op == nNeg && len(n.kids) == 1 {
		n = n.kids[0]
	}
	return n != nil && n.op == nNum
}

// writtenHalfUnit is half a unit in the last place of a number literal
// (0.005 for 3.02, 0.5 for 3, 5e-5 for 1.2e-4); 0 for anything that is
// not a literal, which is exact.
func writtenHalfUnit(n *node) float64 {
	for n != nil && n.op == nNeg && len(n.kids) == 1 {
		n = n.kids[0]
	}
	if n == nil || n.op != nNum {
		return 0
	}
	if n.dec >= 1 {
		return 0.5 * math.Pow(10, -float64(n.dec))
	}
	if n.v.isInt() && !strings.ContainsAny(n.s, "eE") {
		// an integer is exact to its units: "7 ≈ 10", "600 ≈ 1000" are
		// not roundings to the tens or thousands (a hedge would score both)
		return 0.5
	}
	if f := math.Abs(n.fv); n.sig > 0 && f > 0 && !math.IsInf(f, 0) {
		e := math.Floor(math.Log10(f))
		return 0.5 * math.Pow(10, e-float64(n.sig)+1)
	}
	return 0
}

// varName returns the name of a lone variable (or function call f(x)).
func varName(n *node) string {
	if n == nil {
		return ""
	}
	switch n.op {
	case nVar:
		return n.s
	case nMul:
		// f(x) parses as f*(x): a function name applied to an argument
		if n.kids[0].op == nVar && n.kids[1].op == nNum {
			return n.kids[0].s + "(" + printNode(n.kids[1]) + ")"
		}
		// a product of symbols names a quantity: \angle ABC, AB
		if onlyVarProduct(n, 0) {
			return printNode(n)
		}
	case nDiv, nFunc:
		// NO/BO, |AB|, S_1:S
		if onlyVarProduct(n, 0) {
			return printNode(n)
		}
	case nTuple:
		// (x, y) = (1, 2)
		for _, k := range n.kids {
			if k.op != nVar {
				return ""
			}
		}
		return printNode(n)
	}
	return ""
}

func onlyVarProduct(n *node, depth int) bool {
	if depth > 32 {
		return false
	}
	switch n.op {
	case nVar:
		return true
	case nMul, nDiv:
		return onlyVarProduct(n.kids[0], depth+1) && onlyVarProduct(n.kids[1], depth+1)
	case nFunc:
		return n.s == "abs" && len(n.kids) == 1 && onlyVarProduct(n.kids[0], depth+1)
	}
	return false
}

// productOfVars reports whether n is a variable or a product of them
// (x, f(x) read as f·x), not an expression such as |z| or x^2.
func productOfVars(n *node, depth int) bool {
	if depth > 32 {
		return false
	}
	switch n.op {
	case nVar:
		return true
	case nMul:
		return productOfVars(n.kids[0], depth+1) && productOfVars(n.kids[1], depth+1)
	}
	return false
}

// compare decides whether pred equals gold under tol.
func (c *ctx) compare(gold, pred Value, tol Tolerance, depth int) verdict {
	if depth > 32 {
		c.spent(BudgetDepth)
		return no("comparison budget exceeded")
	}
	if c.expired() {
		return no(c.ev.why + " budget exceeded")
	}
	if gold == nil || pred == nil {
		return no("nothing to compare")
	}
	if v, ok := c.approxSides(gold, pred, tol, depth); ok {
		return v
	}
	if _, num := gold.(*numberV); !num {
		if v, ok := c.sameSpecialSet(gold, pred, tol, depth); ok {
			return v
		}
	}
	if gr, ok := gold.(*relV); ok {
		if pr, ok := pred.(*relV); ok {
			if v := c.relEqual(gr, pr); v.ok {
				return v
			}
		}
	}
	if v, ok := c.byNames(gold, pred, tol, depth); ok {
		return v
	}
	g, gvar := unwrap(gold)
	p, pvar := unwrap(pred)
	if gvar != "" && pvar != "" && gvar != pvar && !strings.Contains(gvar, "(") && !strings.Contains(pvar, "(") {
		// x = 3 vs y = 3: a different variable is a different answer
		// only when both name one; chains keep their first name loosely.
		// Also inside lists: "x = 1, y = 2" is not "y = 1, x = 2".
		if _, ok := gold.(*relV); ok {
			if pr, ok := pred.(*relV); ok && len(gold.(*relV).parts) == 2 && (len(pr.parts) == 2 || allEqOps(pr)) {
				return no("variable mismatch: %s vs %s", gvar, pvar)
			}
		}
	}
	switch gv := g.(type) {
	case *numberV:
		switch pv := p.(type) {
		case *numberV:
			return c.numEqual(gv, pv, tol)
		case *exprV:
			if n, ok := letterProduct(gv, pv); ok {
				return c.exprEqual(n, pv.root, tol)
			}
			return no("expected a number, got the expression %s", pv)
		case *seqV:
			if len(pv.elems) == 1 {
				return c.compare(gv, pv.elems[0], tol, depth+1)
			}
			if sameAll(c, gv, pv, tol, depth) {
				return yes() // "6, 6": a list ignores repeats
			}
			return no("expected a number, got %s", pv.Kind())
		case *textV:
			return no("expected a number, got text %q", pv.s)
		}
		return no("expected a number, got %s", p.Kind())
	case *exprV:
		switch pv := p.(type) {
		case *numberV:
			if n, ok := letterProduct(pv, gv); ok {
				return c.exprEqual(gv.root, n, tol)
			}
			return c.exprEqual(gv.root, pv.src, tol)
		case *exprV:
			return c.exprEqual(gv.root, pv.root, tol)
		case *textV:
			if len(gv.vars) == 1 && gv.root.op == nVar && normText(gv.vars[0]) == pv.s {
				return yes()
			}
		}
		return no("expected an expression, got %s", p.Kind())
	case *seqV:
		return c.seqCompare(gv, p, tol, depth)
	case *intervalV:
		switch pv := p.(type) {
		case *intervalV:
			return c.intervalEqual(gv, pv, tol, depth)
		case *seqV:
			if pv.k == seqPair {
				return c.intervalEqual(gv, &intervalV{lo: pv.elems[0], hi: pv.elems[1], lopen: true, ropen: true}, tol, depth)
			}
		case *relV:
			if iv, ok := c.relToInterval(pv); ok {
				return c.intervalEqual(gv, iv, tol, depth)
			}
			if v, ok := c.sameSolutionSet(pv, gv); ok {
				return v // |x| \le 3 for [-3, 3]
			}
		case *unionV:
			if len(pv.parts) == 1 {
				return c.compare(gv, pv.parts[0], tol, depth+1)
			}
		}
		return no("expected an interval, got %s", p.Kind())
	case *unionV:
		switch pv := p.(type) {
		case *unionV:
			return c.unordered(gv.parts, pv.parts, tol, depth)
		case *relV:
			// 1 \le |z| \le 3/2 for [-3/2, -1] \cup [1, 3/2]
			if v, ok := c.sameSolutionSet(pv, gv); ok {
				return v
			}
		default:
			if len(gv.parts) == 1 {
				return c.compare(gv.parts[0], p, tol, depth+1)
			}
		}
		return no("expected a union, got %s", p.Kind())
	case *matrixV:
		return c.matrixCompare(gv, p, tol, depth)
	case *relV:
		if pv, ok := p.(*relV); ok {
			return c.relEqual(gv, pv)
		}
		if iv, ok := c.relToInterval(gv); ok {
			return c.compare(iv, p, tol, depth+1)
		}
		if v, ok := c.sameSolutionSet(gv, p); ok {
			return v
		}
		return no("expected a relation %s, got %s", gv, p.Kind())
	case *textV:
		ps := ""
		switch pv := p.(type) {
		case *textV:
			ps = pv.s
		case *exprV:
			ps = normText(strings.ReplaceAll(printNode(pv.root), "*", ""))
		case *numberV:
			if pv.src != nil {
				ps = normText(printNode(pv.src))
			} else {
				ps = normText(pv.String())
			}
		default:
			ps = normText(p.String())
		}
		if textEqual(gv.s, ps) {
			return yes()
		}
		return no("text mismatch: %q vs %q", ps, gv.s)
	case *choiceV:
		if l, ok := choiceLetter(p); ok && l == gv.letter {
			return yes()
		}
		return no("wrong choice: %s vs %s", p, gv)
	}
	return no("cannot compare %s with %s", g.Kind(), p.Kind())
}

var textStripper = strings.NewReplacer("\\text", "", "\\mathrm", "", "{", "", "}", "", "\\", "", " ", "", "$", "")

func textEqual(a, b string) bool {
	if a == b {
		return true
	}
	strip := func(s string) string {
		s = textStripper.Replace(s)
		return strings.Trim(strings.ToLower(s), "().")
	}
	return strip(a) == strip(b) && strip(a) != ""
}

// choiceLetter reads a multiple-choice letter from a parsed prediction.
func choiceLetter(v Value) (string, bool) {
	switch x := v.(type) {
	case *choiceV:
		return x.letter, true
	case *exprV:
		if x.root.op == nVar && len(x.root.s) == 1 {
			return strings.ToUpper(x.root.s), true
		}
	case *textV:
		s := strings.Trim(x.s, "() .")
		if len(s) == 1 && isLetter(s[0]) {
			return strings.ToUpper(s), true
		}
	}
	return "", false
}

// siValue returns the number in coherent SI units.
func siValue(v *numberV) num {
	if !v.hasUnit {
		return v.n
	}
	s := v.unit.Scale()
	var x num
	if r, ok := s.Rat(); ok {
		x = mul(v.n, exact(r))
	} else {
		x = mul(v.n, fnum(s.Float64()))
	}
	if off := v.unit.Offset(); !off.IsZero() {
		if r, ok := off.Rat(); ok {
			x = add(x, exact(r))
		} else {
			x = add(x, fnum(off.Float64()))
		}
	}
	return x
}

// inUnit converts a value in coherent SI units into g's unit.
func inUnit(si num, g *numberV) num {
	x := si
	if off := g.unit.Offset(); !off.IsZero() {
		if r, ok := off.Rat(); ok {
			x = sub(x, exact(r))
		} else {
			x = sub(x, fnum(off.Float64()))
		}
	}
	s := g.unit.Scale()
	if r, ok := s.Rat(); ok {
		return quo(x, exact(r))
	}
	return quo(x, fnum(s.Float64()))
}

func (c *ctx) numEqual(g, p *numberV, tol Tolerance) verdict {
	if !g.tol.IsZero() {
		tol = g.tol
	}
	gv, pv := g.n, p.n
	if gv.isNaN() && pv.isNaN() && g.src != nil && p.src != nil && printNode(g.src) == printNode(p.src) {
		return yes() // the same expression, too large or small for float64
	}
	if g.hasUnit && p.hasUnit {
		if g.unit.Dim() != p.unit.Dim() {
			return no("unit mismatch: %s vs %s", p.unit.String(), g.unit.String())
		}
		// the prediction in the gold's unit: tolerances (abs, sig) are
		// meant in the unit the gold answer is stated in
		pv = inUnit(siValue(p), g)
	}
	// percent: "28%" is 0.28; against a bare number either reading counts
	var triesBuf [2]num
	tries := append(triesBuf[:0], pv)
	gdeg := g.degree || g.hasUnit && g.unitTxt == "°"
	// a percentage, an angle and a quantity with a dimension (km) are
	// never one another: "500%" or "5°" is not "5 km", "90 km" not 90°
	if physical(g) && (p.percent || p.degree) || physical(p) && (g.percent || gdeg) ||
		gdeg && p.percent || g.percent && p.degree {
		return no("unit mismatch: %s vs %s", unitWord(p), unitWord(g))
	}
	switch {
	case gdeg && !g.hasUnit && p.hasUnit:
		// an angle unit (rad, "degrees"): converted, not an annotation,
		// so "90 rad" is not 90°
		pv = mul(siValue(p), fnum(180/math.Pi))
		tries[0] = pv
	case g.percent && !p.percent:
		tries = append(tries, quo(pv, intNum(100)))
	case p.percent && !g.percent:
		tries = append(tries, mul(pv, intNum(100)))
	case gdeg && !p.degree:
		tries = append(tries, mul(pv, fnum(180/math.Pi)))
	case p.degree && !gdeg:
		tries = append(tries, mul(pv, fnum(math.Pi/180)))
	}
	for i, t := range tries {
		pp := *p
		if i > 0 {
			pp.dec, pp.sig = -1, 0
		}
		if closeEnough(gv, t, g, &pp, tol) {
			return yes()
		}
	}
	return noOff(gv, pv)
}

// namedEntries reads "(p, q) = (3, 2)" (tuple true) or "p = 3, q = 2" as
// names and values; the names must differ.
func namedEntries(v Value) (names []string, vals []Value, tuple, ok bool) {
	switch x := v.(type) {
	case *relV:
		if len(x.parts) != 2 || x.parts[0].op != nTuple {
			return nil, nil, false, false
		}
		u, name := unwrap(x)
		s, isSeq := u.(*seqV)
		if name == "" || !isSeq || len(s.elems) != len(x.parts[0].kids) {
			return nil, nil, false, false
		}
		for _, k := range x.parts[0].kids {
			names = append(names, k.s)
		}
		vals, tuple = s.elems, true
	case *seqV:
		if x.k != seqList || !distinctNames(x.elems) {
			return nil, nil, false, false
		}
		for _, e := range x.elems {
			u, name := unwrap(e)
			names, vals = append(names, name), append(vals, u)
		}
	default:
		return nil, nil, false, false
	}
	for i := range names {
		for j := range i {
			if names[i] == names[j] {
				return nil, nil, false, false
			}
		}
	}
	return names, vals, tuple, len(names) >= 2
}

// byNames compares named values when one side names them as a tuple:
// "(p, q) = (3, 2)" is p = 3, q = 2, so "q = 3, p = 2" or
// "(q, p) = (3, 2)" is wrong. ok is false unless both sides name the same
// variables.
func (c *ctx) byNames(gold, pred Value, tol Tolerance, depth int) (verdict, bool) {
	gn, gv, gt, ok := namedEntries(gold)
	if !ok {
		return verdict{}, false
	}
	pn, pv, pt, ok := namedEntries(pred)
	if !ok || !gt && !pt || len(gn) != len(pn) {
		return verdict{}, false
	}
	idx := make([]int, len(gn))
	for i, name := range gn {
		idx[i] = -1
		for j, m := range pn {
			if m == name {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return verdict{}, false
		}
	}
	for i, name := range gn {
		if v := c.compare(gv[i], pv[idx[i]], tol, depth+1); !v.ok {
			return no("%s: %s", name, v.reason()), true
		}
	}
	return yes(), true
}

// distinctNames reports whether vs are two or more equations naming
// different variables ("x = 3, y = 2"; not the roots "x = 1, x = 2").
func distinctNames(vs []Value) bool {
	if len(vs) < 2 || len(vs) > 16 {
		return false
	}
	var names [16]string
	for i, v := range vs {
		r, ok := v.(*relV)
		if !ok {
			return false
		}
		_, name := unwrap(r)
		if name == "" {
			return false
		}
		for _, m := range names[:i] {
			if m == name {
				return false
			}
		}
		names[i] = name
	}
	return true
}

// anyNamed reports whether one of vs is an equation or a relation.
func anyNamed(vs []Value) bool {
	for _, v := range vs {
		if _, ok := v.(*relV); ok {
			return true
		}
	}
	return false
}

// allEqOps reports whether r is a chain of equations (x = 1 + 1 = 2),
// whose first name counts like that of an equation: "x = 0 + 2, y = 0 + 1"
// written as chains must not match "x = 1, y = 2".
func allEqOps(r *relV) bool {
	for _, op := range r.ops {
		if op != "=" {
			return false
		}
	}
	return true
}

// zeroFloor is how far from an exact 0 an inexact value may be and still
// equal it (float64 round-off: sin(π) is 1.2e-16).
const zeroFloor = 1e-14

// physical reports whether v has a unit with a dimension (km, J; not rad).
func physical(v *numberV) bool { return v.hasUnit && !v.unit.IsDimensionless() }

// unitWord names v's unit for a mismatch reason.
func unitWord(v *numberV) string {
	switch {
	case v.percent:
		return "%"
	case v.degree:
		return "°"
	case v.hasUnit:
		return v.unit.String()
	}
	return "no unit"
}

// offBy describes how far p is from g.
func offBy(g, p num) string {
	gf, pf := g.float(), p.float()
	if math.IsNaN(pf) {
		return "not a number"
	}
	if gf == 0 || math.IsInf(gf, 0) || math.IsNaN(gf) {
		return fmt.Sprintf("expected %s, got %s", g, p)
	}
	rel := math.Abs(pf-gf) / math.Abs(gf)
	switch {
	case rel >= 1e6 || math.IsInf(rel, 0):
		return "expected " + g.String() + ", got " + p.String()
	case rel >= 0.01:
		return "off by " + strconv.FormatFloat(rel*100, 'g', 3, 64) + "%"
	}
	return "off by " + strconv.FormatFloat(rel, 'g', 2, 64) + " (relative)"
}

// closeEnough applies the tolerance rules to two numbers (see
// docs/grading.md): exact equality of rationals; then an explicit
// tolerance when one is set; else DefaultRel, and rounding: a decimal
// gold with ≥3 significant figures accepts a more precise prediction that
// rounds to it, and a prediction with ≥6 significant figures that is the
// correctly rounded gold is accepted.
func closeEnough(g, p num, gv, pv *numberV, tol Tolerance) bool {
	if g.isNaN() || p.isNaN() {
		return false
	}
	if g.r != nil && p.r != nil {
		if ratEqual(g.r, p.r) {
			return true
		}
		// two exact values that differ: only the rounding rules or an
		// explicit tolerance can still accept
		goldRounded := gv != nil && gv.sig >= 3 && (gv.dec >= 1 || sciRounded(gv))
		predRounded := pv != nil && pv.dec >= 1 && pv.sig >= 6
		if tol.IsZero() && !goldRounded && !predRounded {
			return false
		}
	}
	gf, pf := g.float(), p.float()
	if math.IsInf(gf, 0) || math.IsInf(pf, 0) {
		// an exact number too large for float64 (10^{400}) is not \infty
		return gf == pf && g.r == nil && p.r == nil
	}
	d := math.Abs(gf - pf)
	if !tol.IsZero() {
		if tol.Abs > 0 && d <= tol.Abs {
			return true
		}
		if tol.Rel > 0 && d <= tol.Rel*math.Abs(gf) {
			return true
		}
		if tol.Sig > 0 && sigEqual(gf, pf, tol.Sig) {
			return true
		}
		return false
	}
	if g.r == nil || p.r == nil {
		// an inexact side: relative tolerance (and a tiny absolute floor
		// around zero, where relative error means nothing)
		if d <= DefaultRel*math.Max(math.Abs(gf), math.Abs(pf)) {
			return true
		}
		// (1e-14: float64 round-off of sin(π) is ~1e-16; a floor of 1e-12
		// let 0 match \sqrt{2} \times 10^{-13})
		if gf == 0 && d <= zeroFloor || pf == 0 && d <= zeroFloor {
			return true
		}
	}
	// gold written as a rounded decimal; prediction more precise
	if gv != nil && pv != nil && gv.dec >= 1 && gv.sig >= 3 && (pv.dec > gv.dec || pv.dec < 0) {
		if sameRounded(p, g, gv.dec) {
			return true
		}
	}
	// gold in scientific notation with ≥3 significant figures and no
	// decimals left (4.67 \times 10^{4}): a prediction that rounds to it
	if gv != nil && pv != nil && gv.dec < 1 && (pv.dec > gv.dec || pv.dec < 0) && sciRounded(gv) {
		if sigEqual(gf, pf, gv.sig) {
			return true
		}
	}
	// prediction written as a rounded decimal with ≥6 significant figures
	if pv != nil && pv.dec >= 1 && pv.sig >= 6 && (gv == nil || gv.dec < 0 || gv.dec > pv.dec) {
		if sameRounded(g, p, pv.dec) {
			return true
		}
	}
	return false
}

// ratEqual compares normalised rationals without allocating.
func ratEqual(a, b *big.Rat) bool {
	return a.Num().Cmp(b.Num()) == 0 && a.Denom().Cmp(b.Denom()) == 0
}

// roundTo rounds a to d decimals (half away from zero) as a rational.
func roundTo(a num, d int) *big.Rat {
	if d > 60 {
		d = 60
	}
	var r *big.Rat
	if a.r != nil {
		r = new(big.Rat).Set(a.r)
	} else {
		if math.IsNaN(a.f) || math.IsInf(a.f, 0) {
			return new(big.Rat)
		}
		r = new(big.Rat).SetFloat64(a.f)
		if r == nil {
			return new(big.Rat)
		}
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
	r.Mul(r, new(big.Rat).SetInt(scale))
	neg := r.Sign() < 0
	r.Abs(r)
	r.Add(r, big.NewRat(1, 2))
	q := new(big.Int).Quo(r.Num(), r.Denom())
	if neg {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, scale)
}

// sigEqual reports whether a and b agree to sig significant figures: the
// difference is at most half a unit in the sig-th figure of a.
func sigEqual(a, b float64, sig int) bool {
	if a == 0 {
		return b == 0
	}
	e := math.Floor(math.Log10(math.Abs(a)))
	unit := math.Pow(10, e-float64(sig)+1)
	return math.Abs(a-b) <= unit/2*(1+1e-9)
}

// points are the fixed evaluation points for symbolic comparison: a
// deterministic spread over positive and negative values that avoids
// special values (0, ±1, small integers).
var points = func() [][]float64 {
	// xorshift with a fixed seed: the same points in every run
	x := uint64(0x9E3779B97F4A7C15)
	next := func() float64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return float64(x>>11) / float64(1<<53)
	}
	out := make([][]float64, 12)
	for i := range out {
		row := make([]float64, 16)
		for j := range row {
			v := 0.15 + 2.6*next()
			if i%3 == 2 {
				v = -v
			}
			row[j] = v
		}
		out[i] = row
	}
	return out
}()

// exprEqual compares two expressions by evaluating both at the fixed
// points (variables by name). Points where either side is undefined are
// skipped; at least three must agree and none disagree.
func (c *ctx) exprEqual(a, b *node, tol Tolerance) verdict {
	if a == nil || b == nil {
		return no("nothing to compare")
	}
	var varBuf [8]string
	vars := freeVars(a, varBuf[:0])
	vars = freeVars(b, vars)
	if len(vars) > 16 {
		return no("too many variables")
	}
	valid := 0
	rel := DefaultRel * 10
	if tol.Rel > rel {
		rel = tol.Rel
	}
	env := c.envMap()
	var pp pointPairs
	c.pairs(&pp, a, b, vars)
	for j, pt := range points {
		for i, v := range vars {
			env.set(v, pt[i])
		}
		c.ev.vars = env
		x, y := c.pairAt(&pp, j, a, b)
		c.ev.vars = nil
		if c.ev.over {
			c.spent(c.ev.why)
			return no("evaluation budget exceeded")
		}
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			continue
		}
		valid++
		d := math.Abs(x - y)
		if d <= rel*math.Max(math.Abs(x), math.Abs(y)) || d <= 1e-10 || tol.Abs > 0 && d <= tol.Abs {
			continue
		}
		if len(vars) == 0 {
			// constants: use the numeric rules
			gv := &numberV{n: fnum(x), dec: -1}
			pv := &numberV{n: fnum(y), dec: -1}
			if closeEnough(gv.n, pv.n, gv, pv, tol) {
				continue
			}
			return noOff(gv.n, pv.n)
		}
		return no("expressions differ (at %s)", pointString(vars, env))
	}
	if valid == 0 {
		return no("expressions could not be evaluated")
	}
	return yes()
}

func pointString(vars []string, env *varEnv) string {
	parts := make([]string, 0, len(vars))
	for _, v := range vars {
		x, _ := env.get(v)
		parts = append(parts, fmt.Sprintf("%s=%.3g", v, x))
	}
	return strings.Join(parts, ", ")
}

func (c *ctx) seqCompare(g *seqV, p Value, tol Tolerance, depth int) verdict {
	var pe []Value
	pk := seqList
	switch pv := p.(type) {
	case *seqV:
		pe, pk = pv.elems, pv.k
	case *relV:
		if iv, ok := c.relToInterval(pv); ok && g.k == seqPair {
			return c.intervalEqual(&intervalV{lo: g.elems[0], hi: g.elems[1], lopen: true, ropen: true}, iv, tol, depth)
		}
		if g.k == seqPair {
			if v, ok := c.sameSolutionSet(pv, &intervalV{lo: g.elems[0], hi: g.elems[1], lopen: true, ropen: true}); ok {
				return v // x^2 < 4 for (-2, 2)
			}
		}
		if len(g.elems) == 1 {
			return c.compare(g.elems[0], p, tol, depth+1)
		}
		return no("expected %s, got a relation", g.Kind())
	case *intervalV:
		if g.k == seqPair {
			return c.intervalEqual(&intervalV{lo: g.elems[0], hi: g.elems[1], lopen: true, ropen: true}, pv, tol, depth)
		}
		return no("expected %s, got an interval", g.Kind())
	case *matrixV:
		if flat, ok := vectorOf(pv); ok {
			pe, pk = flat, seqTuple
		} else {
			return no("expected %s, got a matrix", g.Kind())
		}
	default:
		if len(g.elems) == 1 {
			return c.compare(g.elems[0], p, tol, depth+1)
		}
		return no("expected %d elements, got one %s", len(g.elems), p.Kind())
	}
	ordered := g.k == seqTuple || g.k == seqPair || pk == seqTuple || pk == seqPair
	if !ordered && distinctNames(g.elems) && !anyNamed(pe) {
		// "x = 3, y = 2" answered "2, 3": without names the values count
		// in order (unordered, "2, 3" would match x = 2, y = 3 as well)
		ordered = true
	}
	if g.k == seqSet && (pk == seqTuple || pk == seqPair) || pk == seqSet && (g.k == seqTuple || g.k == seqPair) {
		return no("expected %s, got %s", g.Kind(), p.Kind())
	}
	if !ordered {
		if g.k == seqList && pk == seqList {
			// "p=5, q=2; p=7, q=2" against a flat "p = 5, q = 2 and p = 7,
			// q = 2": groups on one side only are read flat
			gf, gn := flatLists(g.elems)
			pf, pn := flatLists(pe)
			if gn != pn && !hasSeq(gf) && !hasSeq(pf) {
				return c.unordered(gf, pf, tol, depth)
			}
		}
		return c.unordered(g.elems, pe, tol, depth)
	}
	if len(g.elems) != len(pe) {
		return no("expected %d elements, got %d", len(g.elems), len(pe))
	}
	right := 0
	first := ""
	for i := range g.elems {
		v := c.compare(g.elems[i], pe[i], tol, depth+1)
		if v.ok {
			right++
		} else if first == "" {
			first = fmt.Sprintf("element %d: %s", i+1, v.reason())
		}
	}
	if right == len(g.elems) {
		return yes()
	}
	return verdict{format: first, partial: float64(right) / float64(len(g.elems))}
}

// unordered matches two collections as multisets.
func (c *ctx) unordered(g, p []Value, tol Tolerance, depth int) verdict {
	if len(g) > 256 || len(p) > 256 {
		return no("too many elements")
	}
	if v, ok := c.matchAll(g, p, tol, depth); ok {
		return v // the common case: no duplicates to remove
	}
	g, p = c.dedupe(g, tol, depth), c.dedupe(p, tol, depth)
	used := make([]bool, len(p))
	right := 0
	var missing Value
	for _, ge := range g {
		found := false
		for j, pe := range p {
			if used[j] {
				continue
			}
			if c.compare(ge, pe, tol, depth+1).ok {
				used[j], found = true, true
				break
			}
		}
		if found {
			right++
		} else if missing == nil {
			missing = ge
		}
	}
	n := len(g)
	if len(p) > n {
		n = len(p)
	}
	if right == len(g) && len(g) == len(p) {
		return yes()
	}
	partial := 0.0
	if n > 0 {
		partial = float64(right) / float64(n)
	}
	if len(g) != len(p) {
		return verdict{format: "expected %d elements, got %d", args: []any{len(g), len(p)}, partial: partial}
	}
	return verdict{format: "missing %s", args: []any{missing}, partial: partial}
}

// matchAll reports whether g and p match one to one.
func (c *ctx) matchAll(g, p []Value, tol Tolerance, depth int) (verdict, bool) {
	if len(g) != len(p) {
		return verdict{}, false
	}
	var usedBuf [16]bool
	used := usedBuf[:0]
	if len(p) <= len(usedBuf) {
		used = usedBuf[:len(p)]
	} else {
		used = make([]bool, len(p))
	}
	for _, ge := range g {
		found := false
		for j, pe := range p {
			if !used[j] && c.compare(ge, pe, tol, depth+1).ok {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return verdict{}, false
		}
	}
	return yes(), true
}

// dedupe drops repeated elements: sets have no multiplicity.
func (c *ctx) dedupe(vs []Value, tol Tolerance, depth int) []Value {
	out := vs[:0:0]
	for _, v := range vs {
		dup := false
		for _, w := range out {
			if c.compare(w, v, tol, depth+1).ok {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

func (c *ctx) intervalEqual(g, p *intervalV, tol Tolerance, depth int) verdict {
	if g.lopen != p.lopen || g.ropen != p.ropen {
		return no("interval ends differ: %s vs %s", p, g)
	}
	if v := c.compare(g.lo, p.lo, tol, depth+1); !v.ok {
		return no("lower end: %s", v.reason())
	}
	if v := c.compare(g.hi, p.hi, tol, depth+1); !v.ok {
		return no("upper end: %s", v.reason())
	}
	return yes()
}

// vectorOf flattens a one-row or one-column matrix.
func vectorOf(m *matrixV) ([]Value, bool) {
	if len(m.rows) == 1 {
		return m.rows[0], true
	}
	var out []Value
	for _, r := range m.rows {
		if len(r) != 1 {
			return nil, false
		}
		out = append(out, r[0])
	}
	return out, true
}

func (c *ctx) matrixCompare(g *matrixV, p Value, tol Tolerance, depth int) verdict {
	switch pv := p.(type) {
	case *matrixV:
		if len(g.rows) != len(pv.rows) {
			return no("expected %d rows, got %d", len(g.rows), len(pv.rows))
		}
		right, total := 0, 0
		first := ""
		for i := range g.rows {
			if len(g.rows[i]) != len(pv.rows[i]) {
				return no("row %d: expected %d columns, got %d", i+1, len(g.rows[i]), len(pv.rows[i]))
			}
			for j := range g.rows[i] {
				total++
				v := c.compare(g.rows[i][j], pv.rows[i][j], tol, depth+1)
				if v.ok {
					right++
				} else if first == "" {
					first = fmt.Sprintf("entry (%d,%d): %s", i+1, j+1, v.reason())
				}
			}
		}
		if right == total {
			return yes()
		}
		return verdict{format: first, partial: float64(right) / float64(total)}
	case *seqV:
		if flat, ok := vectorOf(g); ok && pv.k != seqSet {
			return c.seqCompare(&seqV{k: seqTuple, elems: flat}, &seqV{k: seqTuple, elems: pv.elems}, tol, depth)
		}
	case *intervalV:
		// [a, b] against a two-entry vector is the vector, not an interval
		if flat, ok := vectorOf(g); ok && !pv.lopen && !pv.ropen {
			return c.seqCompare(&seqV{k: seqTuple, elems: flat}, &seqV{k: seqTuple, elems: []Value{pv.lo, pv.hi}}, tol, depth)
		}
	}
	return no("expected a matrix, got %s", p.Kind())
}

// relParts normalises a two-sided relation to (lhs - rhs) op 0 with op in
// =, !=, <, <=.
func relDiff(r *relV) (*node, string, bool) {
	if len(r.parts) != 2 {
		return nil, "", false
	}
	l, rr := r.parts[0], r.parts[1]
	op := r.ops[0]
	switch op {
	case ">":
		l, rr, op = rr, l, "<"
	case ">=":
		l, rr, op = rr, l, "<="
	case "in":
		return nil, "", false
	}
	return &node{op: nSub, kids: []*node{l, rr}, dec: -1}, op, true
}

// relEqual decides whether two relations are equivalent: for equations
// (L1-R1) = k(L2-R2) with a constant k != 0 (k > 0 for inequalities) at
// every evaluation point; chains compare part by part.
func (c *ctx) relEqual(g, p *relV) verdict {
	if len(g.parts) != 2 || len(p.parts) != 2 {
		return c.chainEqual(g, p)
	}
	d1, op1, ok1 := relDiff(g)
	d2, op2, ok2 := relDiff(p)
	if !ok1 || !ok2 {
		return no("cannot compare %s with %s", p, g)
	}
	if op1 != op2 {
		return no("relation differs: %s vs %s", p, g)
	}
	var varBuf [8]string
	vars := freeVars(d1, varBuf[:0])
	vars = freeVars(d2, vars)
	env := c.envMap()
	ratio := math.NaN()
	valid := 0
	var pp pointPairs
	c.pairs(&pp, d1, d2, vars)
	for j, pt := range points {
		for i, v := range vars {
			if i < len(pt) {
				env.set(v, pt[i])
			}
		}
		c.ev.vars = env
		x, y := c.pairAt(&pp, j, d1, d2)
		c.ev.vars = nil
		if c.ev.over {
			c.spent(c.ev.why)
			return no("evaluation budget exceeded")
		}
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			continue
		}
		if math.Abs(x) < 1e-12 && math.Abs(y) < 1e-12 {
			valid++
			continue
		}
		if math.Abs(y) < 1e-12 || math.Abs(x) < 1e-12 {
			return no("relations differ: %s vs %s", p, g)
		}
		r := x / y
		if math.IsNaN(ratio) {
			ratio = r
		} else if math.Abs(r-ratio) > 1e-7*math.Abs(ratio) {
			return no("relations differ: %s vs %s", p, g)
		}
		valid++
	}
	if valid == 0 {
		return no("relations could not be evaluated")
	}
	if (op1 == "<" || op1 == "<=") && ratio < 0 {
		return no("inequality reversed: %s vs %s", p, g)
	}
	return yes()
}

func flipOp(op string) string {
	switch op {
	case "<":
		return ">"
	case ">":
		return "<"
	case "<=":
		return ">="
	case ">=":
		return "<="
	}
	return op
}

// chainEqual compares relation chains part by part (also reversed).
func (c *ctx) chainEqual(g, p *relV) verdict {
	if len(g.parts) != len(p.parts) {
		return no("relation differs: %s vs %s", p, g)
	}
	try := func(rev bool) bool {
		n := len(g.parts)
		for i := 0; i < n; i++ {
			j := i
			if rev {
				j = n - 1 - i
			}
			if i < n-1 {
				op := p.ops[i]
				if rev {
					op = flipOp(p.ops[n-2-i])
				}
				if op != g.ops[i] {
					return false
				}
			}
			if !c.exprEqual(g.parts[i], p.parts[j], Tolerance{}).ok {
				return false
			}
		}
		return true
	}
	if try(false) || try(true) {
		return yes()
	}
	return no("relation differs: %s vs %s", p, g)
}

// infV and ninfV are the ends of unbounded intervals (read-only, as
// every compared value).
var infV, ninfV = &numberV{n: fnum(math.Inf(1)), dec: -1}, &numberV{n: fnum(math.Inf(-1)), dec: -1}

// relToInterval turns "a < x <= b", "x > 5", "x \le 3" into an interval.
func (c *ctx) relToInterval(r *relV) (*intervalV, bool) {
	inf, ninf := infV, ninfV
	open := func(op string) bool { return op == "<" || op == ">" }
	val := func(n *node) Value { return c.toValue(n, 0) }
	switch len(r.parts) {
	case 2:
		op := r.ops[0]
		l, rr := r.parts[0], r.parts[1]
		if !hasVars(l) {
			l, rr, op = rr, l, flipOp(op)
		}
		// only a lone variable (or a name such as f(x)) bounds an interval;
		// x^2 < 4 is left to sameSolutionSet
		if !productOfVars(l, 0) || hasVars(rr) {
			return nil, false
		}
		switch op {
		case "<", "<=":
			return &intervalV{lo: ninf, hi: val(rr), lopen: true, ropen: open(op)}, true
		case ">", ">=":
			return &intervalV{lo: val(rr), hi: inf, lopen: open(op), ropen: true}, true
		}
	case 3:
		if !productOfVars(r.parts[1], 0) || hasVars(r.parts[0]) || hasVars(r.parts[2]) {
			return nil, false
		}
		a, b := r.ops[0], r.ops[1]
		if (a == "<" || a == "<=") && (b == "<" || b == "<=") {
			return &intervalV{lo: val(r.parts[0]), hi: val(r.parts[2]), lopen: open(a), ropen: open(b)}, true
		}
		if (a == ">" || a == ">=") && (b == ">" || b == ">=") {
			return &intervalV{lo: val(r.parts[2]), hi: val(r.parts[0]), lopen: open(b), ropen: open(a)}, true
		}
	}
	return nil, false
}

// sameSolutionSet compares a condition on one variable (1 \le |z| \le 3/2)
// with an interval or a union of intervals by testing membership at the
// ends of the intervals (and just beside them) and on a grid. ok is false
// when the sides are not of that shape.
func (c *ctx) sameSolutionSet(r *relV, p Value) (verdict, bool) {
	var vars []string
	for _, part := range r.parts {
		vars = freeVars(part, vars)
	}
	if len(vars) != 1 {
		return verdict{}, false
	}
	for _, op := range r.ops {
		switch op {
		case "<", "<=", ">", ">=", "!=":
		default:
			return verdict{}, false
		}
	}
	var ivs []*intervalV
	switch x := p.(type) {
	case *intervalV:
		ivs = []*intervalV{x}
	case *seqV:
		if x.k != seqPair {
			return verdict{}, false
		}
		ivs = []*intervalV{{lo: x.elems[0], hi: x.elems[1], lopen: true, ropen: true}}
	case *unionV:
		for _, part := range x.parts {
			switch pt := part.(type) {
			case *intervalV:
				ivs = append(ivs, pt)
			case *seqV:
				if pt.k != seqPair {
					return verdict{}, false
				}
				ivs = append(ivs, &intervalV{lo: pt.elems[0], hi: pt.elems[1], lopen: true, ropen: true})
			default:
				return verdict{}, false
			}
		}
	default:
		return verdict{}, false
	}
	type span struct {
		lo, hi       float64
		lopen, ropen bool
	}
	var spanBuf [8]span
	var probeBuf [128]float64
	spans := spanBuf[:0]
	probes := probeBuf[:0]
	for _, iv := range ivs {
		lo, ok1 := iv.lo.(*numberV)
		hi, ok2 := iv.hi.(*numberV)
		if !ok1 || !ok2 {
			return verdict{}, false
		}
		sp := span{lo.n.float(), hi.n.float(), iv.lopen, iv.ropen}
		if !(sp.lo < sp.hi || sp.lo == sp.hi && !sp.lopen && !sp.ropen) {
			// (1, -2) is a point, not an empty interval: it must not
			// equal an inequality with no solution
			return verdict{}, false
		}
		spans = append(spans, sp)
		for _, e := range []float64{sp.lo, sp.hi} {
			if !math.IsInf(e, 0) && !math.IsNaN(e) {
				d := 1e-6 * math.Max(1, math.Abs(e))
				probes = append(probes, e, e-d, e+d)
			}
		}
	}
	for k := -40; k <= 40; k++ {
		probes = append(probes, float64(k)*0.37+0.011)
	}
	// the relation's own constants are probed too: x ≠ 5 differs from the
	// real line only at 5. A "≠" between anything but the variable and a
	// constant (x^2 ≠ 4) excludes points no probe finds: not decided here.
	for i, op := range r.ops {
		a, b := r.parts[i], r.parts[i+1]
		if op == "!=" && !(a.op == nVar && !hasVars(b) || b.op == nVar && !hasVars(a)) {
			return verdict{}, false
		}
		for _, part := range []*node{a, b} {
			if hasVars(part) {
				continue
			}
			if e := c.ev.evalF(part); !math.IsInf(e, 0) && !math.IsNaN(e) {
				d := 1e-6 * math.Max(1, math.Abs(e))
				probes = append(probes, e, e-d, e+d)
			}
		}
	}
	inUnion := func(x float64) bool {
		for _, sp := range spans {
			okLo := x > sp.lo || !sp.lopen && x == sp.lo
			okHi := x < sp.hi || !sp.ropen && x == sp.hi
			if okLo && okHi {
				return true
			}
		}
		return false
	}
	env := c.envMap()
	for _, x := range probes {
		env.set(vars[0], x)
		c.ev.vars = env
		in := true
		for i, op := range r.ops {
			a, b := c.ev.evalF(r.parts[i]), c.ev.evalF(r.parts[i+1])
			var holds bool
			switch op {
			case "<":
				holds = a < b
			case "<=":
				holds = a <= b || math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
			case ">":
				holds = a > b
			case ">=":
				holds = a >= b || math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
			case "!=":
				holds = a != b
			}
			if !holds {
				in = false
				break
			}
		}
		c.ev.vars = nil
		if c.ev.over {
			c.spent(c.ev.why)
			return no("evaluation budget exceeded"), true
		}
		if in != inUnion(x) {
			return no("solution sets differ at %s = %.4g", vars[0], x), true
		}
	}
	return yes(), true
}

// sameSpecialSet accepts two spellings of the empty set (\emptyset,
// \varnothing, ∅, \{\}), of the real line (\mathbb{R}, ℝ, (-\infty,
// \infty)), and a union of intervals against a list of one-variable
// inequalities ("x < 3 \text{ or } x > 5" for (-\infty,3) \cup (5,\infty)).
// ok is false when it does not decide; the caller compares as usual.
func (c *ctx) sameSpecialSet(gold, pred Value, tol Tolerance, depth int) (verdict, bool) {
	g, _ := unwrap(gold) // x \in \mathbb{R}
	p, _ := unwrap(pred)
	if emptySet(g) && emptySet(p) || realLine(g) && realLine(p) {
		return yes(), true
	}
	if gs, ok := finiteUnion(gold); ok {
		if ps, ok := finiteUnion(pred); ok {
			return c.compare(gs, ps, tol, depth+1), true
		}
		if _, ok := pred.(*seqV); ok {
			return c.compare(gs, pred, tol, depth+1), true
		}
	} else if ps, ok := finiteUnion(pred); ok {
		if g, ok := gold.(*seqV); ok && (g.k == seqSet || g.k == seqList) {
			return c.compare(gold, ps, tol, depth+1), true
		}
	}
	if gu, ok := gold.(*unionV); ok {
		if pu, ok := c.excludedPoint(pred); ok {
			return c.unordered(gu.parts, pu, tol, depth), true
		}
	}
	if pu, ok := pred.(*unionV); ok {
		if gu, ok := c.excludedPoint(gold); ok {
			return c.unordered(gu, pu.parts, tol, depth), true
		}
	}
	if gu, ok := gold.(*unionV); ok {
		if pu, ok := c.relsAsUnion(pred); ok {
			return c.unordered(gu.parts, pu, tol, depth), true
		}
	}
	if pu, ok := pred.(*unionV); ok {
		if gu, ok := c.relsAsUnion(gold); ok {
			return c.unordered(gu, pu.parts, tol, depth), true
		}
	}
	return verdict{}, false
}

// emptySet reports whether v is written as the empty set.
func emptySet(v Value) bool {
	switch x := v.(type) {
	case *exprV:
		return x.root.op == nVar && (x.root.s == "\\emptyset" || x.root.s == "\\varnothing")
	case *textV:
		switch x.s {
		case "∅", "no solution", "no solutions", "no real solution", "no real solutions", "none", "empty set", "the empty set":
			return true
		}
	case *seqV:
		return x.k == seqSet && len(x.elems) == 0
	}
	return false
}

// realLine reports whether v is written as the set of all reals.
func realLine(v Value) bool {
	infs := func(lo, hi Value) bool {
		l, ok1 := lo.(*numberV)
		h, ok2 := hi.(*numberV)
		return ok1 && ok2 && l.n.r == nil && h.n.r == nil && math.IsInf(l.n.f, -1) && math.IsInf(h.n.f, 1)
	}
	switch x := v.(type) {
	case *exprV:
		return x.root.op == nVar && x.root.s == "R"
	case *textV:
		switch x.s {
		case "ℝ", "all real numbers", "all reals", "all real x", "all real values":
			return true
		}
	case *intervalV:
		return x.lopen && x.ropen && infs(x.lo, x.hi)
	case *seqV:
		return x.k == seqPair && infs(x.elems[0], x.elems[1])
	}
	return false
}

// relsAsUnion reads a list of one-variable inequalities in the same
// variable ("x < 3, x > 5") as the intervals of a union.
func (c *ctx) relsAsUnion(v Value) ([]Value, bool) {
	s, ok := v.(*seqV)
	if !ok || s.k != seqList || len(s.elems) > 16 {
		return nil, false
	}
	parts := make([]Value, 0, len(s.elems))
	name := ""
	for _, e := range s.elems {
		r, ok := e.(*relV)
		if !ok {
			return nil, false
		}
		iv, ok := c.relToInterval(r)
		if !ok {
			return nil, false
		}
		var vars []string
		for _, p := range r.parts {
			vars = freeVars(p, vars)
		}
		if len(vars) != 1 || name != "" && vars[0] != name {
			return nil, false
		}
		name = vars[0]
		parts = append(parts, iv)
	}
	return parts, true
}

// flatLists flattens bare lists nested in a list (groups separated by
// ";"), reporting whether there were any.
func flatLists(vs []Value) ([]Value, bool) {
	nested := false
	for _, v := range vs {
		if s, ok := v.(*seqV); ok && s.k == seqList {
			nested = true
			break
		}
	}
	if !nested {
		return vs, false
	}
	out := make([]Value, 0, 2*len(vs))
	for _, v := range vs {
		if s, ok := v.(*seqV); ok && s.k == seqList {
			out = append(out, s.elems...)
		} else {
			out = append(out, v)
		}
	}
	return out, true
}

// hasSeq reports whether any of vs is a sequence (a tuple, a point, a set).
func hasSeq(vs []Value) bool {
	for _, v := range vs {
		if _, ok := v.(*seqV); ok {
			return true
		}
	}
	return false
}

// finiteUnion reads a union of finite sets ("\{1,3\} \cup \{2,4\}", also
// with bare braces) as the set of all their elements.
func finiteUnion(v Value) (*seqV, bool) {
	u, ok := v.(*unionV)
	if !ok || len(u.parts) < 2 {
		return nil, false
	}
	var elems []Value
	for _, p := range u.parts {
		s, ok := p.(*seqV)
		if !ok || s.k != seqSet && s.k != seqList {
			return nil, false
		}
		elems = append(elems, s.elems...)
	}
	return &seqV{k: seqSet, elems: elems}, true
}

// excludedPoint reads "x \ne a" as the two open rays (-\infty, a) and
// (a, \infty).
func (c *ctx) excludedPoint(v Value) ([]Value, bool) {
	r, ok := v.(*relV)
	if !ok || len(r.ops) != 1 || r.ops[0] != "!=" {
		return nil, false
	}
	l, rr := r.parts[0], r.parts[1]
	if !hasVars(l) {
		l, rr = rr, l
	}
	if l.op != nVar || hasVars(rr) {
		return nil, false
	}
	a := c.toValue(rr, 0)
	inf := &numberV{n: fnum(math.Inf(1)), dec: -1}
	ninf := &numberV{n: fnum(math.Inf(-1)), dec: -1}
	return []Value{&intervalV{lo: ninf, hi: a, lopen: true, ropen: true}, &intervalV{lo: a, hi: inf, lopen: true, ropen: true}}, true
}

// funcName names the left side of a function definition, "f(x) = 2x + 3"
// or "f^{-1}(x) = ...": a function symbol applied to a variable that the
// right side uses (and the symbol not). "" otherwise ("xy = 6" is a product).
func funcName(lhs, rhs *node) string {
	if lhs == nil || rhs == nil || lhs.op != nMul || len(lhs.kids) != 2 || lhs.kids[1].op != nVar {
		return ""
	}
	f, x := lhs.kids[0], lhs.kids[1].s
	sym := f
	if f.op == nPow && len(f.kids) == 2 {
		sym = f.kids[0] // f^{-1}
	}
	if sym.op != nVar || sym.s == x {
		return ""
	}
	vars := freeVars(rhs, nil)
	uses, usesF := false, false
	for _, v := range vars {
		uses = uses || v == x
		usesF = usesF || v == sym.s
	}
	if !uses || usesF {
		return ""
	}
	return printNode(f) + "(" + x + ")"
}

// letterProduct reads a number with a unit made of letters ("4t", "3 s",
// "\frac{1}{2} g t^2") as the product of the number and those variables
// when the other side is an expression in exactly those variables ("t
// \cdot 4", "\frac{gt^2}{2}"): there the letters are no unit.
func letterProduct(q *numberV, e *exprV) (*node, bool) {
	if !q.hasUnit || q.unitTxt == "" || len(q.unitTxt) > 16 || q.percent || q.degree {
		return nil, false
	}
	var root *node
	if len(q.unitTxt) == 1 {
		if len(e.vars) != 1 || e.vars[0] != q.unitTxt {
			return nil, false
		}
		root = &node{op: nVar, s: q.unitTxt}
	} else {
		v, err := Parse(q.unitTxt)
		u, ok := v.(*exprV)
		if err != nil || !ok || len(u.vars) != len(e.vars) {
			return nil, false
		}
		for _, x := range u.vars {
			if len(x) != 1 || !slices.Contains(e.vars, x) {
				return nil, false
			}
		}
		root = u.root
	}
	return &node{op: nMul, kids: []*node{numNode(q.n), root}}, true
}

// sameAll reports whether every element of a bare list or set equals the
// gold number (the same answer repeated: "\boxed{6} ... \boxed{6}").
func sameAll(c *ctx, g *numberV, s *seqV, tol Tolerance, depth int) bool {
	if s.k != seqList && s.k != seqSet || len(s.elems) < 2 || len(s.elems) > 16 {
		return false // an empty set is not a number repeated
	}
	for _, e := range s.elems {
		if !c.compare(g, e, tol, depth+1).ok {
			return false
		}
	}
	return true
}
