package compiler

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/lang"
)

// vkind is the kind of an evaluated value.
type vkind int

const (
	vNum vkind = iota
	vStr
	vBool
	vList
	vSet
	vTuple
	vInterval
)

func (k vkind) String() string {
	return [...]string{"number", "string", "bool", "list", "set", "tuple", "interval"}[k]
}

// value is an evaluated expression.
type value struct {
	kind   vkind
	q      Q
	s      string
	b      bool
	elems  []value
	loOpen bool // interval ends
	hiOpen bool
}

func numValue(q Q) value { return value{kind: vNum, q: q} }

// evalError is an evaluation failure at a range. A silent error has
// already been reported (or is a consequence of one) and is not reported
// again.
type evalError struct {
	r      lang.Range
	msg    string
	detail string
	silent bool
}

func errAt(r lang.Range, format string, args ...any) *evalError {
	return &evalError{r: r, msg: fmt.Sprintf(format, args...)}
}

var errSilent = &evalError{silent: true}

// slot holds the evaluation state of a binding.
type slot struct {
	state int // 0 new, 1 evaluating, 2 done, 3 failed
	v     value
}

// evaluator evaluates the bindings of one sample (or one generated
// family problem) lazily, with cycle detection and a step budget.
type evaluator struct {
	steps, max int
	exhausted  bool
	slots      map[*binding]*slot
	fixed      map[*binding]value // vary bindings of a family problem
	stack      []*binding
	diags      *lang.Diagnostics
}

func newEvaluator(maxSteps int, diags *lang.Diagnostics) *evaluator {
	if maxSteps <= 0 {
		maxSteps = DefaultMaxSteps
	}
	return &evaluator{max: maxSteps, slots: map[*binding]*slot{}, diags: diags}
}

// report adds err as a diagnostic unless it is silent.
func (e *evaluator) report(err *evalError) {
	if err == nil || err.silent {
		return
	}
	d := lang.Errorf(err.r, "%s", err.msg)
	d.Detail = err.detail
	e.diags.Add(d)
}

// step charges n steps of the budget.
func (e *evaluator) step(r lang.Range, n int) *evalError {
	if e.exhausted {
		return errSilent
	}
	e.steps += n
	if e.steps > e.max {
		e.exhausted = true
		return errAt(r, "evaluation budget exceeded (%d steps)", e.max)
	}
	return nil
}

// get returns the value of b, evaluating it on first use.
func (e *evaluator) get(b *binding, use lang.Range) (value, *evalError) {
	if v, ok := e.fixed[b]; ok {
		return v, nil
	}
	s := e.slots[b]
	if s == nil {
		s = &slot{}
		e.slots[b] = s
	}
	switch s.state {
	case 2:
		return s.v, nil
	case 3:
		return value{}, errSilent
	case 1:
		// A cycle: report it once at the definition of b, naming the path.
		var chain []string
		start := 0
		for i, x := range e.stack {
			if x == b {
				start = i
			}
		}
		for _, x := range e.stack[start:] {
			chain = append(chain, x.name)
			if ss := e.slots[x]; ss != nil {
				ss.state = 3
			}
		}
		chain = append(chain, b.name)
		if len(chain) == 2 {
			e.report(errAt(b.nameR, "`%s` is defined in terms of itself", b.name))
		} else {
			e.report(errAt(b.nameR, "cycle in definitions: %s", strings.Join(chain, " -> ")))
		}
		return value{}, errSilent
	}
	if b.kind == "vary" {
		// Outside a generated problem a vary stands for its first value.
		s.state = 3
		return value{}, errAt(use, "`%s` varies per problem and has no single value here", b.name)
	}
	s.state = 1
	e.stack = append(e.stack, b)
	v, err := e.eval(b.value, b.sc, b.prefix)
	e.stack = e.stack[:len(e.stack)-1]
	if s.state == 3 { // part of a reported cycle
		return value{}, errSilent
	}
	if err != nil {
		s.state = 3
		e.report(err)
		return value{}, errSilent
	}
	s.state = 2
	s.v = v
	return v, nil
}

// builtinConsts are names that evaluate to constants when no binding of
// the same name exists.
var builtinConsts = map[string]func() value{
	"pi":  func() value { return numValue(qScalar(units.Pi)) },
	"inf": func() value { return numValue(qScalar(units.Float(math.Inf(1)))) },
}

// eval evaluates x, resolving names in sc (siblings of element prefix
// first).
func (e *evaluator) eval(x lang.Expr, sc *scope, prefix string) (value, *evalError) {
	if x == nil {
		return value{}, errSilent
	}
	if err := e.step(x.Span(), 1); err != nil {
		return value{}, err
	}
	switch x := x.(type) {
	case *lang.Number:
		return e.evalNumber(x)
	case *lang.Name:
		name := x.String()
		b := resolveName(sc, prefix, name)
		if b == nil {
			if c, ok := builtinConsts[name]; ok {
				return c(), nil
			}
			if sc.isPrefix(name) {
				return value{}, errAt(x.Range, "`%s` is an element, not a value; write %s.<name>", name, name)
			}
			return value{}, errAt(x.Range, "unknown name `%s`%s", name, lang.DidYouMean(name, sc.visible()))
		}
		if len(e.stack) > 0 {
			// Definitions read top to bottom: a given or let may use the
			// names defined above it in the same block or file.
			cur := e.stack[len(e.stack)-1]
			if b != cur && b.sc == cur.sc && b.file == cur.file && b.nameR.Start.Offset > cur.nameR.Start.Offset {
				return value{}, errAt(x.Range, "`%s` is used before its definition (line %d)", name, b.nameR.Start.Line)
			}
		}
		return e.get(b, x.Range)
	case *lang.Paren:
		return e.eval(x.X, sc, prefix)
	case *lang.Bool:
		return value{kind: vBool, b: x.Value}, nil
	case *lang.String:
		s, err := e.interpolate(x, sc, prefix)
		if err != nil {
			return value{}, err
		}
		return value{kind: vStr, s: s}, nil
	case *lang.Unary:
		return e.evalUnary(x, sc, prefix)
	case *lang.Binary:
		return e.evalBinary(x, sc, prefix)
	case *lang.Call:
		return e.evalCall(x, sc, prefix)
	case *lang.List:
		return e.evalSeq(vList, x.Elems, sc, prefix)
	case *lang.Set:
		return e.evalSeq(vSet, x.Elems, sc, prefix)
	case *lang.Tuple:
		return e.evalSeq(vTuple, x.Elems, sc, prefix)
	case *lang.Interval:
		v, err := e.evalSeq(vInterval, []lang.Expr{x.Lo, x.Hi}, sc, prefix)
		if err != nil {
			return v, err
		}
		v.loOpen, v.hiOpen = x.LoOpen, x.HiOpen
		if err := sameDim(v.elems[0], v.elems[1], x.Range); err != nil {
			return value{}, err
		}
		return v, nil
	}
	return value{}, errAt(x.Span(), "unsupported expression")
}

func (e *evaluator) evalNumber(x *lang.Number) (value, *evalError) {
	n, err := units.ParseNumber(x.Text)
	if err != nil {
		return value{}, errAt(x.Range, "bad number %q: %s", x.Text, numErrText(err))
	}
	if x.Unit == nil {
		return numValue(qScalar(n)), nil
	}
	q, uerr := qWithUnit(n, x.Unit.Text)
	if uerr != nil {
		return value{}, unitErrAt(x.Unit.Range, uerr)
	}
	return numValue(q), nil
}

func numErrText(err error) string {
	var pe *units.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	if errors.Is(err, units.ErrOverflow) {
		return "overflow"
	}
	return err.Error()
}

func (e *evaluator) evalSeq(k vkind, elems []lang.Expr, sc *scope, prefix string) (value, *evalError) {
	if len(elems) > maxSeqLen {
		return value{}, errAt(elems[0].Span(), "too many elements (%d, at most %d)", len(elems), maxSeqLen)
	}
	v := value{kind: k, elems: make([]value, 0, len(elems))}
	for _, el := range elems {
		ev, err := e.eval(el, sc, prefix)
		if err != nil {
			return value{}, err
		}
		v.elems = append(v.elems, ev)
	}
	return v, nil
}

// maxSeqLen bounds lists, sets and tuples.
const maxSeqLen = 10000

func (e *evaluator) evalUnary(x *lang.Unary, sc *scope, prefix string) (value, *evalError) {
	v, err := e.eval(x.X, sc, prefix)
	if err != nil {
		return v, err
	}
	switch x.Op {
	case "-", "+":
		if v.kind != vNum {
			return value{}, errAt(x.Range, "operator %s needs a number, got a %s", x.Op, v.kind)
		}
		if x.Op == "-" {
			v.q = qNeg(v.q)
		}
		return v, nil
	case "not", "!":
		if v.kind != vBool {
			return value{}, errAt(x.Range, "operator not needs a bool, got a %s", v.kind)
		}
		return value{kind: vBool, b: !v.b}, nil
	}
	return value{}, errAt(x.Range, "unknown operator %s", x.Op)
}

func (e *evaluator) evalBinary(x *lang.Binary, sc *scope, prefix string) (value, *evalError) {
	a, err := e.eval(x.X, sc, prefix)
	if err != nil {
		return a, err
	}
	if x.Op == "and" || x.Op == "or" || x.Op == "&&" || x.Op == "||" {
		if a.kind != vBool {
			return value{}, errAt(x.X.Span(), "operator %s needs bools, got a %s", x.Op, a.kind)
		}
		if (x.Op == "and" || x.Op == "&&") && !a.b {
			return a, nil
		}
		if (x.Op == "or" || x.Op == "||") && a.b {
			return a, nil
		}
		b, err := e.eval(x.Y, sc, prefix)
		if err != nil {
			return b, err
		}
		if b.kind != vBool {
			return value{}, errAt(x.Y.Span(), "operator %s needs bools, got a %s", x.Op, b.kind)
		}
		return b, nil
	}
	b, err := e.eval(x.Y, sc, prefix)
	if err != nil {
		return b, err
	}
	opR := x.OpPos
	if !opR.Start.IsValid() {
		opR = x.Range
	}
	if (x.Op == "==" || x.Op == "!=") && a.kind == vStr && b.kind == vStr {
		return value{kind: vBool, b: (a.s == b.s) == (x.Op == "==")}, nil
	}
	if a.kind != vNum || b.kind != vNum {
		k := a.kind
		if k == vNum {
			k = b.kind
		}
		return value{}, errAt(x.Range, "operator %s needs numbers, got a %s", x.Op, k)
	}
	// Big exact numbers cost more than one step.
	if err := e.step(x.Range, qCost(a.q)+qCost(b.q)); err != nil {
		return value{}, err
	}
	var q Q
	var qerr error
	switch x.Op {
	case "+":
		q, qerr = qAdd(a.q, b.q)
	case "-":
		q, qerr = qSub(a.q, b.q)
	case "*":
		q, qerr = qMul(a.q, b.q)
	case "/":
		q, qerr = qDiv(a.q, b.q)
	case "%":
		q, qerr = qMod(a.q, b.q)
	case "^", "**":
		ex, derr := qToScalar(b.q)
		if derr != nil {
			return value{}, errAt(x.Y.Span(), "the exponent must be dimensionless, but it has unit %s", qUnitText(b.q))
		}
		q, qerr = qPow(a.q, ex)
	case "==", "!=", "<", "<=", ">", ">=":
		c, cerr := qCmp(a.q, b.q)
		if cerr != nil {
			return value{}, qErr(x.Range, cerr)
		}
		var r bool
		switch x.Op {
		case "==":
			r = c == 0
		case "!=":
			r = c != 0
		case "<":
			r = c < 0
		case "<=":
			r = c <= 0
		case ">":
			r = c > 0
		case ">=":
			r = c >= 0
		}
		return value{kind: vBool, b: r}, nil
	default:
		return value{}, errAt(opR, "unknown operator %s", x.Op)
	}
	if qerr != nil {
		return value{}, qErr(x.Range, qerr)
	}
	return numValue(q), nil
}

// qErr turns an arithmetic error into a positioned one.
func qErr(r lang.Range, err error) *evalError {
	switch {
	case errors.Is(err, units.ErrDivByZero):
		return errAt(r, "division by zero")
	case errors.Is(err, units.ErrOverflow):
		return errAt(r, "overflow: the result does not fit a 64-bit float")
	case errors.Is(err, units.ErrNaN):
		return errAt(r, "not a number: %s", err.Error())
	}
	return errAt(r, "%s", err.Error())
}

// sameDim reports whether two numbers have the same dimension.
func sameDim(a, b value, r lang.Range) *evalError {
	if a.kind != vNum || b.kind != vNum {
		return errAt(r, "interval ends must be numbers")
	}
	if _, err := qCmp(a.q, b.q); err != nil {
		return qErr(r, err)
	}
	return nil
}
