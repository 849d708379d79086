package grade

import (
	"strings"
	"time"
)

// parser is a recursive-descent parser over LaTeX tokens. It never panics:
// errors are recorded in err (the first one wins) and parsing unwinds by
// returning placeholder nodes. Depth, node count and wall time are bounded.
type parser struct {
	toks     []token
	p        int
	depth    int
	maxDepth int
	nodes    int
	maxNodes int
	deadline time.Time
	ticks    int
	err      string
	budget   string // the budget that stopped parsing (Budget* names)
	isUnit   func(string) bool
	slab     []node // nodes are allocated hint (clamped), then 64 at a time
	hint     int    // the token count, for slab sizes
	kidSlab  []*node
	sc       *scratch // when set, nodes and kids come from it
}

func (p *parser) cur() token { return p.toks[p.p] }

func (p *parser) peek(k int) token {
	if p.p+k < len(p.toks) {
		return p.toks[p.p+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.p]
	if p.p < len(p.toks)-1 {
		p.p++
	}
	return t
}

func (p *parser) fail(msg string) {
	if p.err == "" {
		p.err = msg
	}
	// jump to EOF so every loop terminates
	p.p = len(p.toks) - 1
}

// failBudget is fail for an exhausted budget.
func (p *parser) failBudget(name, msg string) {
	if p.budget == "" {
		p.budget = name
	}
	p.fail(msg)
}

func (p *parser) is(k tkind) bool { return p.toks[p.p].k == k }

func (p *parser) isOp(s string) bool { t := &p.toks[p.p]; return t.k == tOp && t.s == s }

// op returns the current token's operator, "" when it is no operator.
func (p *parser) op() string {
	if t := &p.toks[p.p]; t.k == tOp {
		return t.s
	}
	return ""
}

func (p *parser) mk(op nop, kids ...*node) *node {
	p.nodes++
	if p.nodes > p.maxNodes {
		p.failBudget(BudgetNodes, "answer too large")
	}
	p.ticks++
	if p.ticks&255 == 0 && !p.deadline.IsZero() && time.Now().After(p.deadline) {
		p.failBudget(BudgetTime, "time budget exceeded")
	}
	if p.sc != nil {
		n := p.sc.node()
		n.op, n.dec = op, -1
		if len(kids) > 0 {
			n.kids = p.sc.kidSlice(len(kids))
			copy(n.kids, kids)
		}
		return n
	}
	if len(p.slab) == 0 {
		// about one node per two tokens at first, then as many again as
		// made so far (at most 64 at a time)
		k := min(max(p.nodes, 8), 64)
		if p.nodes <= 1 {
			k = min(max(p.hint/2+2, 4), 64)
		}
		p.slab = make([]node, k)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.op, n.dec = op, -1
	if len(kids) > 0 {
		// kids live in a shared slab too; the capacity is cut to the
		// length, so an append to one node's kids copies them
		if len(p.kidSlab) < len(kids) {
			p.kidSlab = make([]*node, max(2*p.hint, 16, len(kids)))
		}
		k := len(kids)
		n.kids = p.kidSlab[:k:k]
		copy(n.kids, kids)
		p.kidSlab = p.kidSlab[k:]
	}
	return n
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > p.maxDepth {
		p.failBudget(BudgetDepth, "answer nested too deeply")
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// parseAll parses a whole answer.
func (p *parser) parseAll() *node {
	if p.is(tEOF) {
		p.fail("empty answer")
		return p.mk(nText)
	}
	n := p.parseList(func(k tkind) bool { return k == tEOF })
	if p.err == "" && !p.is(tEOF) {
		p.fail("unexpected " + describe(p.cur()))
	}
	return n
}

func describe(t token) string {
	switch t.k {
	case tEOF:
		return "end of answer"
	case tCmd:
		return "\\" + t.s
	}
	if t.s == "" {
		return "token"
	}
	return "\"" + t.s + "\""
}

// parseList parses items separated by commas, semicolons or "and".
func (p *parser) parseList(stop func(tkind) bool) *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	items := []*node{p.parseItem()}
	// ';' separates groups when the items are also separated by commas:
	// "p=5, q=2; p=7, q=2" is two solutions of two equations each
	var groups []*node
	groupStart := 0
	sawComma := false
	for p.is(tComma) || p.is(tSemi) || p.is(tAnd) {
		sep := p.next()
		if sep.k == tSemi && len(items)-groupStart > 0 {
			groups = append(groups, p.group(items[groupStart:]))
			groupStart = len(items)
		} else {
			sawComma = true
		}
		if p.is(tAnd) {
			p.next() // "1, 2, and 3"
		}
		if stop(p.cur().k) {
			break // trailing comma
		}
		items = append(items, p.parseItem())
	}
	if groups != nil && sawComma {
		if len(items) > groupStart {
			groups = append(groups, p.group(items[groupStart:]))
		}
		return p.mk(nList, groups...)
	}
	if len(items) == 1 {
		return items[0]
	}
	l := p.mk(nList, items...)
	return l
}

func (p *parser) parseItem() *node { return p.parseUnion() }

// group makes one list item of several.
func (p *parser) group(items []*node) *node {
	if len(items) == 1 {
		return items[0]
	}
	return p.mk(nList, append([]*node(nil), items...)...)
}

func (p *parser) parseUnion() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	n := p.parseRel()
	if p.is(tCup) || p.is(tCap) {
		op := nUnion
		if p.is(tCap) {
			op = nInter
		}
		parts := []*node{n}
		for p.is(tCup) || p.is(tCap) {
			p.next()
			parts = append(parts, p.parseRel())
		}
		return p.mk(op, parts...)
	}
	return n
}

func isRelOp(t token) bool {
	if t.k == tIn {
		return true
	}
	if t.k != tOp {
		return false
	}
	switch t.s {
	case "=", "<", ">", "<=", ">=", "!=", "≈":
		return true
	}
	return false
}

func (p *parser) parseRel() *node {
	first := p.parseSum()
	if !isRelOp(p.cur()) {
		return first
	}
	r := p.mk(nRel, first)
	if p.sc != nil {
		// room for a chain of four without a new allocation
		ks := p.sc.kidSlice(4)
		ks[0] = first
		r.kids = ks[:1]
		r.rels = p.sc.relOps()
		*r.rels = p.sc.strSlice(3)[:0]
	} else {
		r.rels = new([]string)
	}
	for isRelOp(p.cur()) && len(r.kids) < 64 {
		t := p.next()
		op := t.s
		var rhs *node
		if t.k == tIn {
			op = "in"
			rhs = p.parseUnion()
		} else {
			rhs = p.parseSum()
		}
		*r.rels = append(*r.rels, op)
		r.kids = append(r.kids, rhs)
	}
	return r
}

func (p *parser) parseSum() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	left := p.parseTerm()
	for {
		switch op := p.op(); {
		case op == "+":
			p.next()
			left = p.mk(nAdd, left, p.parseTerm())
		case op == "-":
			p.next()
			left = p.mk(nSub, left, p.parseTerm())
		case p.is(tPM):
			p.next()
			left = p.mk(nPM, left, p.parseTerm())
		default:
			return left
		}
	}
}

// startsImplicit reports whether t can start a factor multiplied by
// juxtaposition (2x, 3\sqrt{2}, x(x+1)).
func (p *parser) startsImplicit(t token) bool {
	switch t.k {
	case tVar, tConst, tFunc, tSqrt, tFrac, tBinom, tLParen, tLBrace, tBegin:
		return true
	case tCmd:
		return t.s != "rfloor" && t.s != "rceil"
	case tWord:
		return len(t.s) <= 3
	}
	return false
}

func (p *parser) parseTerm() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	start := p.p
	left := p.parseUnary()
	for p.err == "" {
		if q, ok := p.unitUnlessSumVar(left, start); ok {
			return q
		}
		switch op := p.op(); {
		case op == "*":
			p.next()
			left = p.mk(nMul, left, p.parseUnary())
		case op == "/" || op == ":":
			p.next()
			left = p.mk(nDiv, left, p.parseUnary())
		case op == "choose":
			p.next()
			left = p.mk(nBinom, left, p.parseUnary())
		case p.startsImplicit(p.cur()) || primePowers(left, p.cur(), p.peek(1)):
			right := p.parsePower()
			if left.op == nText || right.op == nText {
				// prose around an answer ("Therefore x"), not a product
				p.fail("text in an expression")
				return left
			}
			left = p.mk(nMul, left, right)
		default:
			return left
		}
	}
	return left
}

func (p *parser) parseUnary() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	switch op := p.op(); {
	case op == "-":
		p.next()
		return p.mk(nNeg, p.parseUnary())
	case op == "+":
		p.next()
		return p.parseUnary()
	case p.is(tPM):
		p.next()
		return p.mk(nPM, nil, p.parseUnary())
	}
	return p.parsePower()
}

func (p *parser) parsePower() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	base := p.parsePostfix()
	if p.isOp("^") {
		p.next()
		exp := p.parseExponent()
		n := p.mk(nPow, base, exp)
		return p.postfix(n)
	}
	return base
}

// parseExponent parses what follows '^': a braced group, or one signed
// primary (x^-1, 2^10, e^x), right-associative.
func (p *parser) parseExponent() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	switch {
	case p.isOp("-"):
		p.next()
		return p.mk(nNeg, p.parseExponent())
	case p.isOp("+"):
		p.next()
		return p.parseExponent()
	}
	b := p.parsePrimary()
	b = p.postfix(b)
	if p.isOp("^") {
		p.next()
		return p.mk(nPow, b, p.parseExponent())
	}
	return b
}

func (p *parser) parsePostfix() *node {
	return p.postfix(p.parsePrimary())
}

func (p *parser) postfix(n *node) *node {
	for p.err == "" {
		t := p.cur()
		switch {
		case t.k == tOp && t.s == "!":
			// "!=" is lexed as one operator, so this is a factorial
			p.next()
			n = p.mk(nFact, n)
		case t.k == tPercent:
			p.next()
			n = p.mk(nPercent, n)
		case t.k == tDegree:
			// °C / °F are units, handled by tryUnit
			if nt := p.peek(1); (nt.k == tVar || nt.k == tText) && (nt.s == "C" || nt.s == "F") {
				return n
			}
			p.next()
			n = p.mk(nDegree, n)
		case t.k == tOp && t.s == "'":
			p.next()
			if n.op == nVar {
				n.s += "'"
			}
		case t.k == tOp && t.s == "_":
			p.next()
			sub := p.subscript()
			switch n.op {
			case nVar:
				n.s += "_" + sub
			case nNum:
				if b := baseOf(sub); b > 1 && n.v.isInt() {
					n.v = convertBase(n, b)
					n.fv = n.v.float()
				}
			case nFunc:
			default:
				// a subscript on anything else is decoration
			}
		default:
			return n
		}
	}
	return n
}

// subscript reads a subscript (one token or a braced group) as text.
func (p *parser) subscript() string {
	if p.is(tLBrace) {
		p.next()
		var b strings.Builder
		depth := 1
		for !p.is(tEOF) {
			t := p.next()
			if t.k == tLBrace {
				depth++
			}
			if t.k == tRBrace {
				depth--
				if depth == 0 {
					break
				}
			}
			b.WriteString(t.s)
		}
		return b.String()
	}
	t := p.next()
	if t.k == tNum && len(t.s) > 1 {
		// x_12 is x_1 times 2 in LaTeX, but nobody means that
		return t.s
	}
	return t.s
}

// parseArg parses a LaTeX macro argument: a braced group or a single
// character (\frac12, \sqrt2, \frac{1}2).
func (p *parser) parseArg() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	t := p.cur()
	switch t.k {
	case tLBrace:
		p.next()
		if p.is(tRBrace) {
			p.next()
			p.fail("empty group")
			return p.mk(nText)
		}
		n := p.parseList(func(k tkind) bool { return k == tRBrace })
		if !p.is(tRBrace) {
			p.fail("missing }")
			return n
		}
		p.next()
		return n
	case tNum:
		if len(t.s) > 1 && isDigit(t.s[0]) {
			n := p.mk(nNum)
			n.v, n.dec, n.sig = numLitIn(p.sc, t.s[:1])
			n.fv = n.v.float()
			p.toks[p.p].s = t.s[1:]
			p.toks[p.p].space = false
			if p.toks[p.p].s[0] == '.' {
				p.toks[p.p].s = "0" + p.toks[p.p].s
			}
			return n
		}
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	// leave without a defer: with this many returns it would not be
	// open-coded (and a panic abandons the parser anyway)
	n := p.primary()
	p.leave()
	return n
}

// primary is parsePrimary's body.
func (p *parser) primary() *node {
	t := p.cur()
	switch t.k {
	case tNum:
		p.next()
		n := p.mk(nNum)
		n.v, n.dec, n.sig = numLitIn(p.sc, t.s)
		n.fv = n.v.float()
		n.s = t.s
		if p.is(tFrac) && n.v.isInt() && n.dec < 0 {
			// mixed number 2\frac{1}{2} (a proper fraction), or a
			// coefficient 2\frac{\pi}{3}, 2\frac{5}{1} (10, not 7)
			f := p.parsePrimary()
			if f.op == nDiv && isIntLit(f.kids[0]) && isIntLit(f.kids[1]) && f.kids[0].fv >= 0 && f.kids[0].fv < f.kids[1].fv {
				return p.mk(nAdd, n, f)
			}
			return p.mk(nMul, n, f)
		}
		return n
	case tVar:
		p.next()
		n := p.mk(nVar)
		n.s = t.s
		return n
	case tConst:
		p.next()
		n := p.mk(nConst)
		n.s = t.s
		return n
	case tFunc:
		return p.parseFunc()
	case tSqrt:
		p.next()
		n := p.mk(nFunc)
		n.s = "sqrt"
		var idx *node
		if p.is(tLBrack) {
			p.next()
			idx = p.parseSum()
			if !p.is(tRBrack) {
				p.fail("missing ] in \\sqrt[n]")
				return n
			}
			p.next()
		}
		n.kids = []*node{p.parseArg()}
		if idx != nil {
			n.kids = append(n.kids, idx)
		}
		return n
	case tFrac:
		p.next()
		a := p.parseArg()
		b := p.parseArg()
		return p.mk(nDiv, a, b)
	case tBinom:
		p.next()
		a := p.parseArg()
		b := p.parseArg()
		return p.mk(nBinom, a, b)
	case tLParen, tLBrack:
		return p.parseBracket()
	case tLBrace:
		p.next()
		if p.is(tRBrace) {
			p.next()
			return p.mk(nSet)
		}
		n := p.parseList(func(k tkind) bool { return k == tRBrace })
		if !p.is(tRBrace) {
			p.fail("missing }")
			return n
		}
		p.next()
		return n
	case tLSet:
		p.next()
		s := p.mk(nSet)
		if p.is(tRSet) {
			p.next()
			return s
		}
		n := p.parseList(func(k tkind) bool { return k == tRSet })
		if !p.is(tRSet) {
			p.fail("missing \\}")
			return s
		}
		p.next()
		if n.op == nList {
			s.kids = n.kids
		} else {
			s.kids = []*node{n}
		}
		return s
	case tAbs:
		p.next()
		inner := p.parseSum()
		if !p.is(tAbs) {
			p.fail("missing |")
			return inner
		}
		p.next()
		n := p.mk(nFunc, inner)
		n.s = "abs"
		return n
	case tBegin:
		return p.parseEnv()
	case tText:
		p.next()
		n := p.mk(nText)
		n.s = t.s
		return n
	case tWord:
		p.next()
		if len(t.s) <= 3 && isLetters(t.s) {
			// xy is x*y
			var n *node
			for i := 0; i < len(t.s); i++ {
				v := p.mk(nVar)
				v.s = t.s[i : i+1]
				if n == nil {
					n = v
				} else {
					n = p.mk(nMul, n, v)
				}
			}
			return n
		}
		n := p.mk(nText)
		n.s = t.s
		return n
	case tCmd:
		p.next()
		switch t.s {
		case "lfloor", "lceil":
			inner := p.parseSum()
			if p.is(tCmd) && (p.cur().s == "rfloor" || p.cur().s == "rceil") {
				p.next()
			} else {
				p.fail("missing \\r" + t.s[1:])
			}
			n := p.mk(nFunc, inner)
			n.s = t.s[1:]
			return n
		}
		// an unknown command is an opaque symbol (\angle, \triangle, ...);
		// a braced argument is part of it (\vec{v}, \hat{x})
		n := p.mk(nVar)
		n.s = "\\" + t.s
		if p.is(tLBrace) && (t.s == "vec" || t.s == "hat" || t.s == "bar" || t.s == "tilde" || t.s == "dot" || t.s == "widehat" || t.s == "overrightarrow" || t.s == "overleftrightarrow" || t.s == "mathbf") {
			n.s += "{" + p.subscript() + "}"
		}
		return n
	}
	p.fail("unexpected " + describe(t))
	return p.mk(nText)
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) {
			return false
		}
	}
	return s != ""
}

func isIntLit(n *node) bool { return n != nil && n.op == nNum && n.v.isInt() && n.dec < 0 }

// parseFunc parses \sin x, \sin^2 x, \sin(x), \log_2 8, \ln|x|.
func (p *parser) parseFunc() *node {
	t := p.next()
	n := p.mk(nFunc)
	n.s = t.s
	var base, power *node
	for i := 0; i < 2; i++ {
		if p.isOp("_") {
			p.next()
			base = p.parseArg()
		} else if p.isOp("^") {
			p.next()
			power = p.parseExponent()
		}
	}
	var arg *node
	switch {
	case p.is(tLParen):
		p.next()
		arg = p.parseSum()
		if !p.is(tRParen) {
			p.fail("missing ) after " + t.s)
			return n
		}
		p.next()
	case p.is(tLBrace):
		arg = p.parseArg()
	default:
		arg = p.parseFuncArg()
	}
	n.kids = []*node{arg}
	if base != nil {
		n.kids = append(n.kids, base)
	}
	if power != nil {
		if power.op == nNeg && isIntLit(power.kids[0]) && power.kids[0].v.r.Cmp(intNum(1).r) == 0 {
			// \sin^{-1} x is arcsin
			switch n.s {
			case "sin", "cos", "tan", "sec", "csc", "cot":
				n.s = "arc" + n.s
				return n
			}
		}
		return p.mk(nPow, n, power)
	}
	return n
}

// parseFuncArg parses an unparenthesised function argument: a product of
// powers that stops at + - and at the next function (\sin 2x \cos x).
func (p *parser) parseFuncArg() *node {
	if !p.enter() {
		return p.mk(nText)
	}
	defer p.leave()
	if p.isOp("-") {
		p.next()
		return p.mk(nNeg, p.parseFuncArg())
	}
	left := p.parsePower()
	for p.err == "" {
		t := p.cur()
		if t.k == tFunc || !p.startsImplicit(t) || t.k == tLParen && false {
			return left
		}
		left = p.mk(nMul, left, p.parsePower())
	}
	return left
}

// parseBracket parses (a), (a, b), [a, b), [a, b, c], ...
func (p *parser) parseBracket() *node {
	open := p.next()
	if p.is(tRParen) || p.is(tRBrack) {
		cl := p.next()
		n := p.mk(nTuple)
		n.s = open.s + cl.s
		return n
	}
	var items []*node
	for p.err == "" {
		items = append(items, p.parseItem())
		if p.is(tComma) || p.is(tSemi) {
			p.next()
			continue
		}
		break
	}
	if !p.is(tRParen) && !p.is(tRBrack) {
		p.fail("missing closing bracket for " + open.s)
		return p.mk(nText)
	}
	cl := p.next()
	if len(items) == 1 {
		return items[0]
	}
	n := p.mk(nTuple, items...)
	n.s = open.s + cl.s
	return n
}

var matrixEnvs = map[string]bool{
	"pmatrix": true, "bmatrix": true, "Bmatrix": true, "vmatrix": true, "Vmatrix": true,
	"matrix": true, "smallmatrix": true, "array": true,
}

// parseEnv parses \begin{pmatrix} a & b \\ c & d \end{pmatrix} into a
// matrix; other environments (aligned, cases, ...) into a list of rows.
func (p *parser) parseEnv() *node {
	t := p.next()
	env := t.s
	m := p.mk(nMatrix)
	m.s = env
	if p.sc != nil {
		m.kids = p.sc.kidSlice(8)[:0] // room for 8 rows
	}
	for p.err == "" && !p.is(tEnd) && !p.is(tEOF) {
		row := p.mk(nList)
		if p.sc != nil {
			row.kids = p.sc.kidSlice(8)[:0] // room for 8 cells
		}
		for p.err == "" {
			if p.is(tAmp) || p.is(tRowSep) || p.is(tEnd) {
				row.kids = append(row.kids, nil) // empty cell
			} else {
				row.kids = append(row.kids, p.parseItem())
			}
			if p.is(tAmp) {
				p.next()
				continue
			}
			break
		}
		// drop a trailing empty cell row
		allNil := true
		for _, k := range row.kids {
			if k != nil {
				allNil = false
			}
		}
		if !allNil {
			for i, k := range row.kids {
				if k == nil {
					row.kids[i] = p.mk(nText)
				}
			}
			m.kids = append(m.kids, row)
		}
		if p.is(tRowSep) {
			p.next()
			continue
		}
		break
	}
	if !p.is(tEnd) {
		p.fail("missing \\end{" + env + "}")
		return m
	}
	p.next()
	if !matrixEnvs[env] {
		// aligned/cases: rows become list items (cells joined)
		l := p.mk(nList)
		for _, r := range m.kids {
			if len(r.kids) == 1 {
				l.kids = append(l.kids, r.kids[0])
			} else {
				l.kids = append(l.kids, r)
			}
		}
		if len(l.kids) == 1 {
			return l.kids[0]
		}
		return l
	}
	return m
}

// tryUnit recognises a unit after a constant quantity: "5 km", "9.8 m/s^2",
// "3\,\mathrm{J}", "15\mbox{ cm}^2". The unit must run to the end of the
// item. Text that is no unit ("5 apples") becomes an annotation (unit "").
func (p *parser) tryUnit(left *node) (*node, bool) {
	t := p.cur()
	startOK := t.k == tText || t.k == tWord || t.k == tVar || t.k == tDegree || reciprocalUnitStart(p.toks[p.p:])
	if !startOK || hasVars(left) || left.op == nText || left.op == nSet || left.op == nList || left.op == nMatrix {
		return nil, false
	}
	j := p.p
	var b strings.Builder
	allText := true
	prevCaret := false
	for ; j < len(p.toks); j++ {
		u := p.toks[j]
		ok := false
		switch u.k {
		case tText, tWord:
			ok = true
			if b.Len() > 0 && u.space && !strings.HasSuffix(b.String(), "°") {
				b.WriteByte(' ')
			}
			b.WriteString(u.s)
		case tVar:
			ok = true
			allText = false
			if b.Len() > 0 && u.space && !strings.HasSuffix(b.String(), "°") {
				b.WriteByte(' ')
			}
			if u.s == "mu" {
				b.WriteString("µ")
			} else if u.s == "Omega" {
				b.WriteString("Ω")
			} else {
				b.WriteString(u.s)
			}
		case tDegree:
			ok = true
			allText = false
			b.WriteString("°")
		case tOp:
			switch u.s {
			case "^", "/", "*", "-":
				ok = u.s != "-" || prevCaret
				allText = false
				if ok {
					if u.s == "*" {
						b.WriteByte(' ')
					} else {
						b.WriteString(u.s)
					}
				}
			}
		case tNum:
			ok = prevCaret || (j > 0 && p.toks[j-1].k == tOp && p.toks[j-1].s == "-") || (j == p.p && u.s == "1")
			if ok {
				b.WriteString(u.s)
			}
		case tLBrace, tRBrace:
			ok = true
		}
		if !ok {
			break
		}
		prevCaret = u.k == tOp && u.s == "^" || (u.k == tLBrace && prevCaret)
	}
	if j == p.p {
		return nil, false
	}
	end := p.toks[j]
	switch end.k {
	case tEOF, tComma, tSemi, tRParen, tRBrack, tRSet, tRBrace, tAmp, tRowSep, tAnd, tEnd, tCup, tCap:
	case tOp:
		if !isRelOp(end) {
			return nil, false
		}
	default:
		return nil, false
	}
	text := strings.TrimSpace(b.String())
	// braces must balance inside the unit
	depth := 0
	for k := p.p; k < j; k++ {
		switch p.toks[k].k {
		case tLBrace:
			depth++
		case tRBrace:
			depth--
		}
		if depth < 0 {
			// the closing brace belongs to an outer group
			j = k
			break
		}
	}
	if depth > 0 {
		return nil, false
	}
	known := p.isUnit != nil && p.isUnit(text)
	if !known && !allText {
		return nil, false
	}
	q := p.mk(nQty, left)
	if known {
		q.s = text
	}
	p.p = j
	return q, true
}

// reciprocalUnitStart reports whether toks begin a unit written as a
// reciprocal, "1/s" or "1/mL" after a number ("5 1/mL"): a spaced "1", a
// slash and a unit word. Whether the whole text is a unit is still decided
// by the unit table.
func reciprocalUnitStart(toks []token) bool {
	if len(toks) < 3 || toks[0].k != tNum || toks[0].s != "1" || !toks[0].space {
		return false
	}
	if toks[1].k != tOp || toks[1].s != "/" {
		return false
	}
	k := toks[2].k
	return k == tText || k == tWord || k == tVar
}

// hasVars reports whether n mentions a variable.
func hasVars(n *node) bool {
	if n == nil {
		return false
	}
	if n.op == nVar {
		return true
	}
	for _, k := range n.kids {
		if hasVars(k) {
			return true
		}
	}
	return false
}

// baseOf reads a numeral base subscript (204_5, 1010_{2}).
func baseOf(s string) int {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2 {
		return 0
	}
	b := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0
		}
		b = b*10 + int(s[i]-'0')
	}
	if b < 2 || b > 36 {
		return 0
	}
	return b
}

// convertBase reads the digits of an integer literal in base b; a digit
// out of range leaves the literal as it was written (decimal) but marked.
func convertBase(n *node, b int) num {
	digits := n.s
	if digits == "" {
		digits = n.v.String()
	}
	if b == 10 {
		return n.v
	}
	v := intNum(0)
	bb := intNum(int64(b))
	for i := 0; i < len(digits); i++ {
		d := int(digits[i] - '0')
		if d < 0 || d >= b {
			return n.v
		}
		v = add(mul(v, bb), intNum(int64(d)))
	}
	return v
}

// numLit is parseNumLit with the counts as a node holds them (literals
// are at most MaxAnswer bytes and exponents at most ±1000, so they fit).
func numLit(s string) (num, int32, int32) { return numLitIn(nil, s) }

// numLitIn is numLit with a small value made in sc (nil: the heap).
func numLitIn(sc *scratch, s string) (num, int32, int32) {
	v, dec, sig := parseNumLitIn(sc, s)
	return v, int32(dec), int32(sig)
}
