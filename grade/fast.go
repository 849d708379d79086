package grade

// Fast paths: common answer shapes parsed straight into the value that the
// lexer, parser and toValue give them (the same node tree, value and
// texts), without tokens. TestFastPathsMatchFullPath grades every case
// and fuzz seed with and without them and requires identical Results.

// fastPathsOff turns the fast paths off (fastNumber, fastParse, the
// bare-number shortcut of allCandidates and the compiled evaluation of
// symbolic comparison, evalProgs); tests only.
var fastPathsOff bool

// fastParse reads, in s (a trimmed answer):
//
//	\frac{a}{b}, -\frac{a}{b} (also \dfrac, \tfrac, \cfrac), a/b, -a/b
//	a\%, a%
//	a, b, ...   (a top-level list)
//	(a, b, ...), [a, b], [a, b), (a, b]   (tuples and intervals)
//	\{a, b, ...\}   (sets)
//
// where a, b are unsigned decimals (digits, optionally a point and
// digits), list elements optionally with a leading '-', spaces allowed
// around commas. Anything else (and any budget too small for the full
// path to parse it without running out) is left to the parser.
func (c *ctx) fastParse(s string) (Value, bool) {
	if fastPathsOff || c.b.MaxNodes < 256 || c.b.MaxDepth < 32 || c.b.MaxSteps < 1024 || len(s) > 256 {
		return nil, false
	}
	var v Value
	ok := false
	switch {
	case s[0] == '\\' && len(s) > 2 && s[1] == '{':
		v, ok = c.fastSeq(s, "\\{", "\\}")
	case s[0] == '(' || s[0] == '[':
		v, ok = c.fastSeq(s, s[:1], "")
	case s[0] == '\\' || s[0] == '-' && len(s) > 1 && s[1] == '\\':
		v, ok = c.fastFrac(s)
	default:
		v, ok = c.fastFlat(s)
	}
	if !ok {
		return nil, false
	}
	if c.expired() {
		// as the full path: a budget that ran out fails the parse
		return nil, false
	}
	return v, true
}

// plainNum returns the length of the unsigned decimal at the start of s
// (digits, optionally '.' and digits), 0 if there is none, and the
// length of its integer part.
func plainNum(s string) (n, lead int) {
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	lead = n
	if n == 0 || n > 18 {
		return 0, 0
	}
	if n+1 < len(s) && s[n] == '.' && isDigit(s[n+1]) {
		n++
		for n < len(s) && isDigit(s[n]) {
			n++
		}
	}
	if n > 19 {
		return 0, 0
	}
	// what follows must end the number token as the lexer reads it: no
	// exponent, no further point, no letter
	if n < len(s) && (s[n] == 'e' || s[n] == 'E' || s[n] == '.' || isLetter(s[n])) {
		return 0, 0
	}
	return n, lead
}

// litNode is the node of a number literal as parsePrimary makes it.
func litNode(sc *scratch, text string) *node {
	n := newNode(sc)
	n.op = nNum
	n.v, n.dec, n.sig = numLitIn(sc, text)
	n.fv = n.v.float()
	n.s = text
	return n
}

// opNode is p.mk(op, kids...).
func opNode(sc *scratch, op nop, kids ...*node) *node {
	n := newNode(sc)
	n.op, n.dec = op, -1
	if sc != nil {
		n.kids = sc.kidSlice(len(kids))
	} else {
		n.kids = make([]*node, len(kids))
	}
	copy(n.kids, kids)
	return n
}

// fastFrac reads [-]\frac{a}{b} (and \dfrac, \tfrac, \cfrac).
func (c *ctx) fastFrac(s string) (Value, bool) {
	neg := s[0] == '-'
	t := s
	if neg {
		t = s[1:]
	}
	switch {
	case len(t) > 6 && t[:6] == "\\frac{":
		t = t[6:]
	case len(t) > 7 && (t[:7] == "\\dfrac{" || t[:7] == "\\tfrac{" || t[:7] == "\\cfrac{"):
		t = t[7:]
	default:
		return nil, false
	}
	na, _ := plainNum(t)
	if na == 0 || na+2 >= len(t) || t[na] != '}' || t[na+1] != '{' {
		return nil, false
	}
	a := t[:na]
	t = t[na+2:]
	nb, _ := plainNum(t)
	if nb == 0 || nb+1 != len(t) || t[nb] != '}' {
		return nil, false
	}
	b := t[:nb]
	sc := c.scratch()
	// parseArg parses a, then b; then mk(nDiv); a leading '-' is nNeg
	// made after its operand
	div := opNode(sc, nDiv, litNode(sc, a), litNode(sc, b))
	root := div
	if neg {
		root = opNode(sc, nNeg, div)
	}
	return c.fastNumberValue(root), true
}

// fastNumberValue is toValue for a constant expression tree without
// percent, degree, unit, ± or matrix (what the fast paths build).
func (c *ctx) fastNumberValue(n *node) *numberV {
	v := newNumber(c.scratch())
	v.dec, v.src = -1, n
	if n.op == nNum {
		v.dec, v.sig = int(n.dec), int(n.sig)
	}
	if n.op == nNeg && n.kids[0].op == nNum {
		v.dec, v.sig = int(n.kids[0].dec), int(n.kids[0].sig)
	}
	c.ev.vars, c.ev.sc = nil, c.scratch()
	v.n = c.ev.eval(n)
	return v
}

// fastFlat reads a/b, -a/b, a\%, a% and top-level lists of numbers.
func (c *ctx) fastFlat(s string) (Value, bool) {
	sc := c.scratch()
	neg := s[0] == '-'
	t := s
	if neg {
		t = s[1:]
	}
	na, _ := plainNum(t)
	if na == 0 {
		return nil, false
	}
	rest := t[na:]
	switch {
	case len(rest) > 1 && rest[0] == '/':
		nb, _ := plainNum(rest[1:])
		if nb == 0 || nb+1 != len(rest) {
			return nil, false
		}
		// -a/b is (-a)/b: the unary minus binds to a
		left := litNode(sc, t[:na])
		if neg {
			left = opNode(sc, nNeg, left)
		}
		return c.fastNumberValue(opNode(sc, nDiv, left, litNode(sc, rest[1:]))), true
	case !neg && (rest == "%" || rest == "\\%"):
		n := opNode(sc, nPercent, litNode(sc, t[:na]))
		v := newNumber(sc)
		v.dec, v.src, v.percent = -1, n, true
		c.ev.vars, c.ev.sc = nil, sc
		v.n = c.ev.eval(n)
		return v, true
	case len(rest) > 0 && (rest[0] == ',' || rest[0] == ' '):
		return c.fastSeq(s, "", "")
	}
	return nil, false
}

// fastSeq reads a list of numbers: between open and its closer ("(" or
// "[" and ")" or "]"; "\{" and "\}"), or a top-level list when open is "".
func (c *ctx) fastSeq(s, open, close string) (Value, bool) {
	t := s[len(open):]
	var elems [16]*node
	k := 0
	sc := c.scratch()
	for {
		for len(t) > 0 && t[0] == ' ' {
			t = t[1:]
		}
		neg := len(t) > 0 && t[0] == '-'
		if neg {
			t = t[1:]
		}
		n, lead := plainNum(t)
		if n == 0 || k == len(elems) {
			return nil, false
		}
		if open == "" && n == lead && lead <= 3 && len(t) > n+3 && t[n] == ',' && threeDigits(t[n+1:]) {
			// "1,234": thousands at the top level
			return nil, false
		}
		e := litNode(sc, t[:n])
		if neg {
			e = opNode(sc, nNeg, e)
		}
		elems[k] = e
		k++
		t = t[n:]
		for len(t) > 0 && t[0] == ' ' {
			t = t[1:]
		}
		if len(t) > 0 && t[0] == ',' {
			t = t[1:]
			continue
		}
		break
	}
	switch open {
	case "":
		if t != "" || k < 2 {
			return nil, false
		}
		return c.fastSeqValue(seqList, elems[:k]), true
	case "\\{":
		if t != "\\}" {
			return nil, false
		}
		return c.fastSeqValue(seqSet, elems[:k]), true
	}
	if len(t) != 1 || t[0] != ')' && t[0] != ']' || k < 2 {
		return nil, false
	}
	br := open + t
	if k == 2 {
		switch br {
		case "()":
			return c.fastSeqValue(seqPair, elems[:k]), true
		case "[]", "[)", "(]":
			vs := c.fastValues(elems[:k])
			iv := newInterval(sc)
			iv.lo, iv.hi, iv.lopen, iv.ropen = vs[0], vs[1], br[0] == '(', br[1] == ')'
			return iv, true
		}
	}
	if br != "()" && br != "[]" {
		return nil, false // [1, 2, 3): text
	}
	return c.fastSeqValue(seqTuple, elems[:k]), true
}

// fastValues is values for number nodes.
func (c *ctx) fastValues(ns []*node) []Value {
	var out []Value
	if sc := c.scratch(); sc != nil {
		out = sc.valueSlice(len(ns))
	} else {
		out = make([]Value, len(ns))
	}
	for i, n := range ns {
		out[i] = c.fastNumberValue(n)
	}
	return out
}

func (c *ctx) fastSeqValue(k seqKind, ns []*node) *seqV {
	sv := newSeq(c.scratch())
	sv.k, sv.elems = k, c.fastValues(ns)
	return sv
}
