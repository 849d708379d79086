package grade

import (
	"math"
	"strings"

	"github.com/polylearn/poly/compiler/units"
)

// Kind names the shape of a parsed answer.
type Kind string

// The kinds of Value.
const (
	KindNumber   Kind = "number"
	KindExpr     Kind = "expr"
	KindSet      Kind = "set"
	KindTuple    Kind = "tuple"
	KindList     Kind = "list"
	KindInterval Kind = "interval"
	KindUnion    Kind = "union"
	KindMatrix   Kind = "matrix"
	KindRelation Kind = "relation"
	KindChoice   Kind = "choice"
	KindText     Kind = "text"
)

// Value is a parsed answer. String returns its canonical form (what
// Result.Parsed shows); Kind its shape.
type Value interface {
	String() string
	Kind() Kind
}

// numberV is a real number, maybe with a unit, a percent sign or a degree
// sign.
type numberV struct {
	n       num
	unit    units.Unit
	hasUnit bool
	unitTxt string
	percent bool // written with %: n is already divided by 100
	degree  bool // written with ° (n in degrees)
	dec     int  // decimals written (-1: not a decimal literal)
	sig     int  // significant figures written (0: not a literal)
	src     *node
	tol     Tolerance // set on gold values
}

func (v *numberV) Kind() Kind { return KindNumber }

func (v *numberV) String() string {
	if !v.percent && !v.degree && !v.hasUnit && (v.n.r != nil || v.src == nil || v.src.op == nNum || math.IsInf(v.n.f, 0)) {
		return v.n.String() // the common case, without a builder
	}
	var b strings.Builder
	switch {
	case v.percent:
		b.WriteString(mul(v.n, intNum(100)).String())
		b.WriteString("%")
	case v.n.r == nil && v.src != nil && v.src.op != nNum && !v.hasUnit && !v.degree && !math.IsInf(v.n.f, 0):
		b.WriteString(printNode(v.src))
		b.WriteString(" ≈ ")
		b.WriteString(v.n.String())
	default:
		b.WriteString(v.n.String())
	}
	if v.degree {
		b.WriteString("°")
	}
	if v.hasUnit {
		b.WriteString(" ")
		b.WriteString(v.unit.String())
	}
	return b.String()
}

// exprV is a symbolic expression in free variables.
type exprV struct {
	root *node
	vars []string
}

func (v *exprV) Kind() Kind     { return KindExpr }
func (v *exprV) String() string { return printNode(v.root) }

// seqKind tells sets, tuples, bare lists and "(a, b)" pairs apart.
type seqKind uint8

const (
	seqSet   seqKind = iota // \{a, b\}: unordered
	seqTuple                // (a, b, c) or [a, b, c]: ordered
	seqList                 // a, b: unordered unless compared with a tuple
	seqPair                 // (a, b): a point, or an open interval
)

type seqV struct {
	k     seqKind
	elems []Value
	pm    bool // the two values of a ± expression
}

func (v *seqV) Kind() Kind {
	switch v.k {
	case seqSet:
		return KindSet
	case seqList:
		return KindList
	}
	return KindTuple
}

func (v *seqV) String() string {
	// one builder instead of a slice of parts, a join and a concatenation
	open, cl := "(", ")"
	switch v.k {
	case seqSet:
		open, cl = "{", "}"
	case seqList:
		open, cl = "", ""
	}
	var b strings.Builder
	b.Grow(2 + 8*len(v.elems))
	b.WriteString(open)
	for i, e := range v.elems {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.String())
	}
	b.WriteString(cl)
	return b.String()
}

type intervalV struct {
	lo, hi       Value
	lopen, ropen bool
}

func (v *intervalV) Kind() Kind { return KindInterval }

func (v *intervalV) String() string {
	l, r := "[", "]"
	if v.lopen {
		l = "("
	}
	if v.ropen {
		r = ")"
	}
	return l + v.lo.String() + ", " + v.hi.String() + r
}

type unionV struct{ parts []Value }

func (v *unionV) Kind() Kind { return KindUnion }

func (v *unionV) String() string {
	parts := make([]string, len(v.parts))
	for i, e := range v.parts {
		parts[i] = e.String()
	}
	return strings.Join(parts, " ∪ ")
}

type matrixV struct{ rows [][]Value }

func (v *matrixV) Kind() Kind { return KindMatrix }

func (v *matrixV) String() string {
	rows := make([]string, len(v.rows))
	for i, r := range v.rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = c.String()
		}
		rows[i] = "[" + strings.Join(cells, ", ") + "]"
	}
	return "[" + strings.Join(rows, ", ") + "]"
}

// relV is an equation or inequality chain: parts[0] ops[0] parts[1] ...
type relV struct {
	ops   []string
	parts []*node
	uv    Value  // what the relation counts as (see unwrap); nil: itself
	uvar  string // the variable it names
}

func (v *relV) Kind() Kind { return KindRelation }

func (v *relV) String() string {
	var b strings.Builder
	b.Grow(32)
	for i, p := range v.parts {
		if i > 0 {
			b.WriteByte(' ')
			b.WriteString(relSym(v.ops[i-1]))
			b.WriteByte(' ')
		}
		b.WriteString(printNode(p))
	}
	return b.String()
}

func relSym(op string) string {
	switch op {
	case "<=":
		return "≤"
	case ">=":
		return "≥"
	case "!=":
		return "≠"
	case "in":
		return "∈"
	}
	return op
}

type choiceV struct{ letter string }

func (v *choiceV) Kind() Kind     { return KindChoice }
func (v *choiceV) String() string { return "(" + v.letter + ")" }

type textV struct{ s string }

func (v *textV) Kind() Kind     { return KindText }
func (v *textV) String() string { return v.s }

// printNode renders an expression tree in a canonical infix form.
func printNode(n *node) string {
	var b strings.Builder
	b.Grow(32) // one allocation for most answers
	writeNode(&b, n, 0, 0)
	return b.String()
}

func prec(n *node) int {
	switch n.op {
	case nAdd, nSub, nPM:
		return 1
	case nMul, nDiv:
		return 2
	case nNeg:
		return 3
	case nPow:
		return 4
	}
	return 5
}

func writeNode(b *strings.Builder, n *node, ctx int, depth int) {
	if n == nil {
		return
	}
	if depth > 200 || b.Len() > 8192 {
		b.WriteString("…")
		return
	}
	p := prec(n)
	paren := p < ctx
	if paren {
		b.WriteByte('(')
	}
	bin := func(op string, lp, rp int) {
		writeNode(b, n.kids[0], lp, depth+1)
		b.WriteString(op)
		writeNode(b, n.kids[1], rp, depth+1)
	}
	switch n.op {
	case nNum:
		b.WriteString(n.v.String())
	case nVar, nText:
		b.WriteString(n.s)
	case nConst:
		switch n.s {
		case "pi":
			b.WriteString("π")
		case "inf":
			b.WriteString("∞")
		default:
			b.WriteString(n.s)
		}
	case nAdd:
		bin(" + ", 1, 1)
	case nSub:
		bin(" - ", 1, 2)
	case nPM:
		if n.kids[0] == nil {
			b.WriteString("±")
			writeNode(b, n.kids[1], 3, depth+1)
		} else {
			bin(" ± ", 1, 2)
		}
	case nMul:
		bin("*", 2, 3)
	case nDiv:
		bin("/", 2, 3)
	case nPow:
		bin("^", 5, 4)
	case nNeg:
		b.WriteString("-")
		writeNode(b, n.kids[0], 4, depth+1)
	case nFact:
		writeNode(b, n.kids[0], 5, depth+1)
		b.WriteString("!")
	case nPercent:
		writeNode(b, n.kids[0], 5, depth+1)
		b.WriteString("%")
	case nDegree:
		writeNode(b, n.kids[0], 5, depth+1)
		b.WriteString("°")
	case nQty:
		writeNode(b, n.kids[0], 2, depth+1)
		if n.s != "" {
			b.WriteByte(' ')
			b.WriteString(n.s)
		}
	case nFunc, nBinom:
		name := n.s
		if n.op == nBinom {
			name = "binom"
		}
		b.WriteString(name)
		b.WriteByte('(')
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNode(b, k, 0, depth+1)
		}
		b.WriteString(")")
	case nTuple, nSet, nList, nMatrix, nUnion, nInter, nRel:
		open, cl := "(", ")"
		switch n.op {
		case nSet:
			open, cl = "{", "}"
		case nTuple:
			if len(n.s) == 2 {
				open, cl = n.s[:1], n.s[1:]
			}
		case nMatrix:
			open, cl = "[", "]"
		}
		sep := ", "
		if n.op == nUnion {
			sep = " ∪ "
		}
		if n.op == nInter {
			sep = " ∩ "
		}
		b.WriteString(open)
		for i, k := range n.kids {
			if i > 0 {
				if ops := n.relOps(); n.op == nRel && i-1 < len(ops) {
					b.WriteByte(' ')
					b.WriteString(relSym(ops[i-1]))
					b.WriteByte(' ')
				} else {
					b.WriteString(sep)
				}
			}
			writeNode(b, k, 0, depth+1)
		}
		b.WriteString(cl)
	}
	if paren {
		b.WriteByte(')')
	}
}
