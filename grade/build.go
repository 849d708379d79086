package grade

import (
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/polylearn/poly/compiler/units"
)

// ctx carries the budget of one check through parsing and comparison.
type ctx struct {
	polls    int // comparison work in the current phase
	noCache  bool
	b        Budget
	deadline time.Time
	ev       evaluator
	why      string       // the first budget that ran out (a Budget* name)
	few      [8]candidate // allCandidates' answer: the whole text, then up to 5 of candidatesInto
	sc       *scratch     // memory kept between checks (pooled ctx only; see scratch)
	env      *varEnv      // variable values of symbolic comparison (see envMap)
	keep     bool         // what is parsed now outlives the check: no scratch memory
	trimIn   string       // the last text trimmed by trim, and what it gave
	trimOut  string
	ep       *evalProgs // symbolic comparison's compiled sides (see exprEqual)
}

// trim is trimAnswer remembering its last answer: a check trims the same
// text more than once (to compare it with the gold text, then to parse it).
func (c *ctx) trim(s string) string {
	if s != c.trimIn {
		c.trimIn, c.trimOut = s, trimAnswer(s)
	}
	return c.trimOut
}

// scratch returns the scratch memory for what is parsed now, nil when it
// must be allocated on the heap.
func (c *ctx) scratch() *scratch {
	if c.keep {
		return nil
	}
	return c.sc
}

// Names of the budgets, as Result.Budget reports them.
const (
	BudgetInput      = "input"      // MaxInput: the completion was cut to its tail
	BudgetAnswer     = "answer"     // MaxAnswer: the extracted answer is too long
	BudgetDepth      = "depth"      // MaxDepth: the answer is nested too deeply
	BudgetNodes      = "nodes"      // MaxNodes: too many tokens or parse nodes
	BudgetSteps      = "steps"      // MaxSteps: evaluation steps
	BudgetComparison = "comparison" // MaxSteps: comparison work (recursion, matrices)
	BudgetTime       = "time"       // Timeout: the wall-clock backstop
)

func newCtx(b Budget) *ctx {
	b = b.withDefaults()
	c := &ctx{b: b}
	c.ev = evaluator{maxSteps: b.MaxSteps}
	return c
}

// ctxPool recycles the ctx of Check and CheckStrings (one allocation of a
// few hundred bytes a check otherwise) and, with it, its scratch memory. A
// ctx is handed back only after a check returned normally, and nothing a
// Result or a cached Value holds points into it (see scratch).
var ctxPool = sync.Pool{New: func() any { return &ctx{sc: new(scratch)} }}

// getCtx is newCtx from the pool; putCtx hands the ctx back.
func getCtx(b Budget) *ctx {
	c := ctxPool.Get().(*ctx) // zero: new, or cleared by putCtx
	c.b = b.withDefaults()
	c.ev.maxSteps = c.b.MaxSteps
	return c
}

func putCtx(c *ctx) {
	sc, env, ep := c.sc, c.env, c.ep
	sc.reset()
	if env != nil {
		env.reset()
	}
	*c = ctx{sc: sc, env: env, ep: ep} // drop references into the input
	ctxPool.Put(c)
}

// envMap returns an empty environment for the variable values of a
// symbolic comparison, reused from comparison to comparison (only one is
// evaluated at a time).
func (c *ctx) envMap() *varEnv {
	if c.env == nil {
		c.env = &varEnv{names: make([]string, 0, 8), vals: make([]float64, 0, 8)}
	}
	c.env.reset()
	return c.env
}

// spent records that budget name ran out (the first one wins).
func (c *ctx) spent(name string) {
	if c.why == "" {
		c.why = name
	}
}

// phase starts a new parse or comparison with fresh step and comparison
// budgets, so that what one phase may do never depends on how much work
// an earlier one did (or skipped, by a cache hit): rewards are a pure
// function of gold, completion and options. The wall-clock deadline runs
// over the whole check.
func (c *ctx) phase() {
	c.polls = 0
	c.ev.steps = 0
	if c.why != BudgetTime {
		c.ev.over = false
	}
}

// expired reports whether the budget is spent. Comparison work is counted
// against MaxSteps; the clock (a backstop only) is read every 64th poll.
func (c *ctx) expired() bool {
	if c.ev.over {
		c.spent(c.ev.why)
		return true
	}
	c.polls++
	if c.polls > c.b.MaxSteps {
		c.ev.over, c.ev.why = true, BudgetComparison
	} else if c.polls&63 == 0 {
		now := time.Now()
		if c.deadline.IsZero() {
			c.deadline = now.Add(c.b.Timeout)
			c.ev.deadline = c.deadline
		} else if now.After(c.deadline) {
			c.ev.over, c.ev.why = true, BudgetTime
		}
	}
	if c.ev.over {
		c.spent(c.ev.why)
	}
	return c.ev.over
}

// Parse parses an answer (LaTeX or plain text, without the surrounding
// prose) into a Value under the default budget.
func Parse(text string) (Value, error) {
	return newCtx(Budget{}).parse(text)
}

// ParseWith is Parse under budget b.
func ParseWith(text string, b Budget) (Value, error) {
	return newCtx(b).parse(text)
}

// isUnitText reports whether s names a unit of the units package.
func isUnitText(s string) bool {
	_, ok := parseUnit(s)
	return ok
}

// parseUnit parses a unit text as written in answers ("km", "m/s^2",
// "m\,s^{-2}", "cm^2", "°C", "miles").
func parseUnit(s string) (units.Unit, bool) {
	if len(s) > maxMemoUnit {
		return parseUnitText(s)
	}
	if e, ok := unitMemo.get(s); ok {
		return e.u, e.ok
	}
	u, ok := parseUnitText(s)
	unitMemo.put(strings.Clone(s), unitEntry{u, ok})
	return u, ok
}

// unitMemo remembers what parseUnit said of a text: the same few unit
// texts ("cm", "m/s^2") and words that are none come back in answer after
// answer, and parsing them is a pure function of the text. Units are
// values that are never changed, so they are shared.
var unitMemo = newShardedCache[unitEntry](4096)

// maxMemoUnit bounds the texts kept in unitMemo.
const maxMemoUnit = 64

type unitEntry struct {
	u  units.Unit
	ok bool
}

// parseUnitText is parseUnit without unitMemo.
func parseUnitText(s string) (units.Unit, bool) {
	s = cleanUnitText(s)
	if s == "" || len(s) > 64 {
		return units.Unit{}, false
	}
	u, err := units.Parse(s)
	if err != nil {
		return units.Unit{}, false
	}
	return u, true
}

var unitReplacer = strings.NewReplacer(
	"\\,", " ", "\\;", " ", "\\!", "", "\\ ", " ", "~", " ", "{", "", "}", "",
	"\\cdot", "*", "\\times", "*", "\\mu", "µ", "\\Omega", "Ω", "\\circ", "°", "^°", "°",
	"\\%", "%", "\\text", "", "\\mathrm", "", "\\rm", "", "$", "",
)

func cleanUnitText(s string) string {
	s = unitReplacer.Replace(s)
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSpace(s)
}

// errNoAnswer is returned for empty answers.
var errNoAnswer = errors.New("empty answer")

// parse normalises and parses one answer text.
func (c *ctx) parse(text string) (Value, error) {
	text = c.trim(text)
	if text == "" {
		return nil, errNoAnswer
	}
	if len(text) > c.b.MaxAnswer {
		c.spent(BudgetAnswer)
		return nil, errors.New("answer longer than the budget")
	}
	if v, ok := mixedNumber(text); ok {
		return v, nil
	}
	if v, ok := repeatingDecimal(text); ok {
		return v, nil
	}
	c.phase()
	if v, ok := fastNumber(text, c.scratch()); ok {
		return v, nil
	}
	if v, ok := decimalComma(text); ok {
		return v, nil
	}
	if v, ok := c.fastParse(text); ok {
		return v, nil
	}
	// the pooled ctx's token buffer (cleared when the ctx is handed
	// back), or one from tokenPool
	var tb *[]token
	buf := c.sc.tokenBuf()
	if c.sc == nil {
		tb = getTokens()
		buf = *tb
	}
	toks, lerr := lexInto(buf, text, c.b.MaxNodes)
	defer c.sc.releaseTokens(tb, toks)
	if lerr != "" {
		c.spent(BudgetNodes)
		return nil, errors.New(lerr)
	}
	if c.deadline.IsZero() && len(toks) > 256 {
		// a large answer: start the clock now
		c.deadline = time.Now().Add(c.b.Timeout)
		c.ev.deadline = c.deadline
	}
	p := &parser{toks: toks, maxDepth: c.b.MaxDepth, maxNodes: c.b.MaxNodes, deadline: c.deadline, isUnit: isUnitText, hint: len(toks), sc: c.scratch()}
	n := p.parseAll()
	if p.budget != "" {
		c.spent(p.budget)
		if p.budget == BudgetTime {
			c.ev.over, c.ev.why = true, BudgetTime
		}
	}
	if p.err != "" {
		// a whole answer that is words is text ("Evelyn", "no solution")
		if t := plainText(text); t != "" {
			return &textV{s: t}, nil
		}
		return nil, errors.New(p.err)
	}
	if msg := textInArithmetic(n, 0); msg != "" {
		return nil, errors.New(msg)
	}
	v := c.toValue(n, 0)
	if c.expired() {
		return nil, errors.New(c.ev.why + " budget exceeded")
	}
	return v, nil
}

// textInArithmetic reports prose used as an operand ("Soucis : 2,74").
func textInArithmetic(n *node, depth int) string {
	if n == nil || depth > 256 {
		return ""
	}
	switch n.op {
	case nAdd, nSub, nMul, nDiv, nPow, nNeg, nFunc, nFact, nBinom, nPercent, nDegree, nPM:
		for _, k := range n.kids {
			if k != nil && k.op == nText {
				return "text in an expression"
			}
		}
	}
	for _, k := range n.kids {
		if m := textInArithmetic(k, depth+1); m != "" {
			return m
		}
	}
	return ""
}

// plainText returns the normalised text of answers made of words only.
func plainText(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if !(r == ' ' || r == '-' || r == '\'' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return ""
		}
	}
	return normText(s)
}

// trimAnswer strips math delimiters, a whole-answer \boxed{}, and
// sentence punctuation around an answer.
func trimAnswer(s string) string {
	for i := 0; i < 8; i++ {
		if len(s) == 0 || !trimmable(s[0], s[len(s)-1]) {
			break // this round would leave s as it is
		}
		old := s
		s = strings.TrimSpace(s)
		for _, p := range mathDelims {
			if strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) && len(s) >= len(p[0])+len(p[1]) {
				s = s[len(p[0]) : len(s)-len(p[1])]
			}
		}
		if strings.HasPrefix(s, "\\boxed") || strings.HasPrefix(s, "\\fbox") {
			if inner, end, ok := boxedAt(s, 0); ok && strings.TrimSpace(s[end:]) == "" {
				s = inner
			}
		}
		s = strings.TrimSpace(s)
		for strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "...") || strings.HasSuffix(s, ",") || strings.HasSuffix(s, ";") {
			s = strings.TrimSpace(s[:len(s)-1])
		}
		s = strings.TrimSuffix(s, "\\quad")
		if s == old {
			break
		}
	}
	return s
}

// mathDelims are the math delimiters trimAnswer strips, in order.
var mathDelims = [...][2]string{{"$$", "$$"}, {"$", "$"}, {"\\[", "\\]"}, {"\\(", "\\)"}}

// trimmable reports whether trimAnswer may change a text that starts with
// first and ends with last: white space (ASCII, or a multi-byte character
// that may be Unicode space), a delimiter or \boxed at the start, or
// sentence punctuation, a delimiter or \quad at the end.
func trimmable(first, last byte) bool {
	switch first {
	case ' ', '\t', '\n', '\v', '\f', '\r', '$', '\\':
		return true
	}
	switch last {
	case ' ', '\t', '\n', '\v', '\f', '\r', '$', '.', ',', ';', 'd', ']', ')':
		return true
	}
	return first >= utf8.RuneSelf || last >= utf8.RuneSelf
}

// fastNumber parses the most common answer, a plain integer or decimal
// ("42", "-3", "0.25"), without the lexer and parser; the value and its
// node come from sc when it is not nil.
func fastNumber(s string, sc *scratch) (Value, bool) {
	if len(s) == 0 || len(s) > 18 || fastPathsOff {
		return nil, false
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	if i == len(s) {
		return nil, false
	}
	dot := -1
	var mant int64
	for j := i; j < len(s); j++ {
		c := s[j]
		switch {
		case isDigit(c):
			mant = mant*10 + int64(c-'0')
		case c == '.' && dot < 0 && j > i && j < len(s)-1:
			dot = j
		default:
			return nil, false
		}
	}
	if s[0] == '-' {
		mant = -mant
	}
	v := newNumber(sc)
	v.dec = -1
	var fv float64
	if dot < 0 {
		v.n = num{r: scratchFrac(sc, mant, 1)}
		v.sig = sigFigs(s[i:])
		fv = float64(mant)
	} else {
		d := len(s) - dot - 1
		v.n = num{r: ratFracIn(sc, mant, pow10[d])} // the same rational as big.Rat.SetFrac64
		v.dec, v.sig = d, sigFigs(s[i:])
		fv = float64(mant) / float64(pow10[d])
	}
	if mant >= 1<<53 || mant <= -1<<53 {
		// the operands above are exact, and so the IEEE result is the
		// correctly rounded quotient, only below 2^53
		fv = v.n.float()
	}
	src := newNode(sc)
	src.op, src.v, src.fv, src.dec, src.sig, src.s = nNum, v.n, fv, int32(v.dec), int32(v.sig), s
	if s[0] == '-' {
		// the parser's tree: the negation of the literal (printed "-0"
		// for -0, where the negative literal would print "0")
		src.v, src.fv, src.s = negIn(sc, v.n), -fv, s[1:]
		if mant == 0 {
			src.v, src.fv = v.n, 0
		}
		neg := newNode(sc)
		neg.op, neg.dec = nNeg, -1
		if sc != nil {
			neg.kids = sc.kidSlice(1)
		} else {
			neg.kids = make([]*node, 1)
		}
		neg.kids[0] = src
		src = neg
	}
	v.src = src
	return v, true
}

var pow10 = [...]int64{1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// decimalComma reads "0,111" and "1000,99" as decimals with a decimal
// comma: digits, one comma, digits, where the comma cannot separate
// thousands: the integer part is 0, or it is longer than three digits and
// the fraction is not three digits long, or the fraction has exactly two
// digits (1,22 as in European prices). "1,2" stays a list.
func decimalComma(s string) (Value, bool) {
	neg := strings.HasPrefix(s, "-")
	t := strings.TrimPrefix(s, "-")
	i := strings.IndexByte(t, ',')
	if i <= 0 || i == len(t)-1 {
		return nil, false
	}
	a, b := t[:i], t[i+1:]
	for _, part := range []string{a, b} {
		for j := 0; j < len(part); j++ {
			if !isDigit(part[j]) {
				return nil, false
			}
		}
	}
	if !(a == "0" || len(a) > 3 && len(b) != 3 || len(b) == 2) {
		return nil, false
	}
	n, dec, sig := parseNumLit(a + "." + b)
	if neg {
		n = n.neg()
	}
	return &numberV{n: n, dec: dec, sig: sig}, true
}

// toValue turns a parsed tree into a Value.
func (c *ctx) toValue(n *node, depth int) Value {
	if n == nil {
		return &textV{}
	}
	if depth > c.b.MaxDepth {
		return &textV{s: "…"}
	}
	sc := c.scratch()
	switch n.op {
	case nList, nSet:
		sv := newSeq(sc)
		sv.k, sv.elems = seqList, flattenPM(c.values(n.kids, depth))
		if n.op == nSet {
			sv.k = seqSet
		}
		return sv
	case nTuple:
		elems := c.values(n.kids, depth)
		if len(elems) == 2 && len(n.s) == 2 {
			switch n.s {
			case "()":
				sv := newSeq(sc)
				sv.k, sv.elems = seqPair, elems
				return sv
			case "[]", "[)", "(]":
				iv := newInterval(sc)
				iv.lo, iv.hi, iv.lopen, iv.ropen = elems[0], elems[1], n.s[0] == '(', n.s[1] == ')'
				return iv
			}
		}
		if n.s == "[)" || n.s == "(]" {
			return &textV{s: printNode(n)}
		}
		sv := newSeq(sc)
		sv.k, sv.elems = seqTuple, elems
		return sv
	case nUnion:
		return &unionV{parts: c.values(n.kids, depth)}
	case nMatrix:
		m := &matrixV{}
		if sc != nil && len(n.kids) <= 8 {
			m.rows = sc.rows.slice(len(n.kids), 32)[:0]
		}
		for _, r := range n.kids {
			m.rows = append(m.rows, c.values(r.kids, depth))
		}
		return m
	case nRel:
		r := newRel(sc)
		r.ops, r.parts = n.relOps(), n.kids
		// unwrapped once here, so that cached values are never written
		r.uv, r.uvar = unwrapRel(r, sc)
		return r
	case nText, nInter:
		return &textV{s: normText(printNode(n))}
	}
	if m, ok := c.matrixArith(n, 0); ok {
		return m
	}
	if k := countPM(n, 0); k > 0 && k <= 3 {
		alts := expandPM(n, 0)
		return &seqV{k: seqSet, elems: c.values(alts, depth), pm: true}
	}
	var varBuf [8]string
	if vars := freeVars(n, varBuf[:0]); len(vars) > 0 {
		if sc == nil {
			return &exprV{root: n, vars: append([]string(nil), vars...)}
		}
		e := sc.expr()
		e.root, e.vars = n, append(sc.strSlice(len(vars))[:0], vars...)
		return e
	}
	v := newNumber(sc)
	v.dec, v.src = -1, n
	inner := n
	switch n.op {
	case nQty:
		inner = n.kids[0]
		if n.s != "" {
			if u, ok := parseUnit(n.s); ok {
				v.unit, v.hasUnit, v.unitTxt = u, true, n.s
			}
		}
	case nPercent:
		v.percent = true
	case nDegree:
		v.degree = true
		inner = n.kids[0]
	}
	if inner.op == nNum {
		v.dec, v.sig = int(inner.dec), int(inner.sig)
	}
	if inner.op == nNeg && inner.kids[0].op == nNum {
		v.dec, v.sig = int(inner.kids[0].dec), int(inner.kids[0].sig)
	}
	if d, sg, ok := sciDecimals(inner); ok {
		v.dec, v.sig = d, sg
	}
	if v.percent && inner.kids[0].op == nNum {
		v.dec, v.sig = -1, 0
	}
	c.ev.vars, c.ev.sc = nil, sc
	v.n = c.ev.eval(inner)
	if v.hasUnit && v.unit.IsDimensionless() && v.unitTxt != "" && strings.Contains(v.unitTxt, "°") {
		v.degree, v.hasUnit = true, false
	}
	return v
}

func (c *ctx) values(ns []*node, depth int) []Value {
	var out []Value
	if sc := c.scratch(); sc != nil {
		out = sc.valueSlice(len(ns))[:0]
	} else {
		out = make([]Value, 0, len(ns))
	}
	for _, k := range ns {
		out = append(out, c.toValue(k, depth+1))
	}
	return out
}

// flattenPM splices the two values of an element "a ± b" into a set or
// list: \{1 \pm \sqrt5, -2\} has three elements.
func flattenPM(vs []Value) []Value {
	pm := false
	for _, v := range vs {
		if s, ok := v.(*seqV); ok && s.k == seqSet && s.pm {
			pm = true
		}
	}
	if !pm {
		return vs // nothing to splice
	}
	out := vs[:0:0]
	for _, v := range vs {
		if s, ok := v.(*seqV); ok && s.k == seqSet && s.pm {
			out = append(out, s.elems...)
			continue
		}
		out = append(out, v)
	}
	return out
}

// countPM counts the ± signs in n (stopping at 4).
func countPM(n *node, depth int) int {
	if n == nil || depth > 64 {
		return 0
	}
	k := 0
	if n.op == nPM {
		k = 1
	}
	switch n.op {
	case nList, nSet, nTuple, nMatrix, nRel, nUnion:
		return 0
	}
	for _, c := range n.kids {
		k += countPM(c, depth+1)
		if k > 3 {
			return k
		}
	}
	return k
}

// expandPM replaces each ± by + and - (callers allow at most 3 of them:
// 8 variants).
func expandPM(n *node, depth int) []*node {
	if n == nil || depth > 64 {
		return []*node{n}
	}
	if n.op == nPM {
		var plus, minus *node
		if n.kids[0] == nil {
			plus = n.kids[1]
			minus = &node{op: nNeg, kids: []*node{n.kids[1]}, dec: -1}
		} else {
			plus = &node{op: nAdd, kids: []*node{n.kids[0], n.kids[1]}, dec: -1}
			minus = &node{op: nSub, kids: []*node{n.kids[0], n.kids[1]}, dec: -1}
		}
		out := append(expandPM(plus, depth+1), expandPM(minus, depth+1)...)
		if len(out) > 8 {
			out = out[:8]
		}
		return out
	}
	switch n.op {
	case nList, nSet, nTuple, nMatrix, nRel, nUnion:
		return []*node{n}
	}
	for i, k := range n.kids {
		alts := expandPM(k, depth+1)
		if len(alts) > 1 {
			var out []*node
			for _, a := range alts {
				cp := *n
				cp.kids = append([]*node(nil), n.kids...)
				cp.kids[i] = a
				out = append(out, expandPM(&cp, depth+1)...)
				if len(out) >= 8 {
					break
				}
			}
			return out
		}
	}
	return []*node{n}
}

// normText lower-cases, trims and collapses white space, and strips
// surrounding parentheses and LaTeX text markup from a text answer.
func normText(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.Join(strings.Fields(s), " ")
	for len(s) >= 2 && (s[0] == '(' && s[len(s)-1] == ')' || s[0] == '"' && s[len(s)-1] == '"') {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	s = strings.TrimSuffix(s, ".")
	return s
}

// matrixArith evaluates sums, differences and products of constant
// matrices (A + B, AB, 2A); ok is false for anything else.
func (c *ctx) matrixArith(n *node, depth int) (*matrixV, bool) {
	if !hasMatrix(n, 0) {
		return nil, false
	}
	m, ok := c.evalMat(n, depth)
	if !ok {
		return nil, false
	}
	out := &matrixV{}
	for _, r := range m {
		row := make([]Value, len(r))
		for j, x := range r {
			row[j] = &numberV{n: x, dec: -1, src: numNode(x)}
		}
		out.rows = append(out.rows, row)
	}
	return out, true
}

func hasMatrix(n *node, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	switch n.op {
	case nMatrix:
		return true
	case nAdd, nSub, nMul, nNeg:
		for _, k := range n.kids {
			if hasMatrix(k, depth+1) {
				return true
			}
		}
	}
	return false
}

func (c *ctx) evalMat(n *node, depth int) ([][]num, bool) {
	if n == nil || depth > 32 || c.expired() {
		return nil, false
	}
	switch n.op {
	case nMatrix:
		var m [][]num
		for _, r := range n.kids {
			row := make([]num, len(r.kids))
			for j, k := range r.kids {
				if hasVars(k) {
					return nil, false
				}
				c.ev.vars, c.ev.sc = nil, c.scratch()
				row[j] = c.ev.eval(k)
			}
			m = append(m, row)
		}
		return m, len(m) > 0
	case nNeg:
		a, ok := c.evalMat(n.kids[0], depth+1)
		if !ok {
			return nil, false
		}
		return mapMat(a, func(x num) num { return x.neg() }), true
	case nAdd, nSub:
		a, ok1 := c.evalMat(n.kids[0], depth+1)
		b, ok2 := c.evalMat(n.kids[1], depth+1)
		if !ok1 || !ok2 || !sameShape(a, b) {
			return nil, false
		}
		out := make([][]num, len(a))
		for i := range a {
			out[i] = make([]num, len(a[i]))
			for j := range a[i] {
				if n.op == nAdd {
					out[i][j] = add(a[i][j], b[i][j])
				} else {
					out[i][j] = sub(a[i][j], b[i][j])
				}
			}
		}
		return out, true
	case nMul:
		la, lm := hasMatrix(n.kids[0], 0), hasMatrix(n.kids[1], 0)
		switch {
		case la && lm:
			a, ok1 := c.evalMat(n.kids[0], depth+1)
			b, ok2 := c.evalMat(n.kids[1], depth+1)
			if !ok1 || !ok2 || len(a[0]) != len(b) || len(a)*len(b[0])*len(b) > 4096 {
				return nil, false
			}
			out := make([][]num, len(a))
			for i := range a {
				out[i] = make([]num, len(b[0]))
				for j := range b[0] {
					s := intNum(0)
					for k := range b {
						if j >= len(b[k]) || k >= len(a[i]) {
							return nil, false
						}
						s = add(s, mul(a[i][k], b[k][j]))
					}
					out[i][j] = s
				}
			}
			return out, true
		case la || lm:
			mi, si := 0, 1
			if lm {
				mi, si = 1, 0
			}
			if hasVars(n.kids[si]) {
				return nil, false
			}
			a, ok := c.evalMat(n.kids[mi], depth+1)
			if !ok {
				return nil, false
			}
			c.ev.vars, c.ev.sc = nil, c.scratch()
			k := c.ev.eval(n.kids[si])
			return mapMat(a, func(x num) num { return mul(k, x) }), true
		}
	}
	return nil, false
}

func mapMat(a [][]num, f func(num) num) [][]num {
	out := make([][]num, len(a))
	for i := range a {
		out[i] = make([]num, len(a[i]))
		for j := range a[i] {
			out[i][j] = f(a[i][j])
		}
	}
	return out
}

func sameShape(a, b [][]num) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}
