package grade

import (
	"math"
	"math/big"
	"time"
)

// evaluator computes node values under a step budget. With vars == nil
// arithmetic is exact where it can be; variables then evaluate to NaN.
type evaluator struct {
	vars     *varEnv
	sc       *scratch // where small exact results are made (nil: the heap)
	steps    int
	maxSteps int
	deadline time.Time
	over     bool
	why      string // which budget ended it: BudgetSteps or BudgetTime
}

// varEnv holds the values of the variables of a symbolic comparison: a
// few names, looked up by a scan (faster than a map for so few).
type varEnv struct {
	names []string
	vals  []float64
}

// get returns the value of the variable name (false: none, or e is nil).
func (e *varEnv) get(name string) (float64, bool) {
	if e == nil {
		return 0, false
	}
	for i, n := range e.names {
		if n == name {
			return e.vals[i], true
		}
	}
	return 0, false
}

// set gives the variable name the value v.
func (e *varEnv) set(name string, v float64) {
	for i, n := range e.names {
		if n == name {
			e.vals[i] = v
			return
		}
	}
	e.names = append(e.names, name)
	e.vals = append(e.vals, v)
}

// reset empties e, dropping the names.
func (e *varEnv) reset() {
	clear(e.names)
	e.names, e.vals = e.names[:0], e.vals[:0]
}

func (e *evaluator) tick() bool {
	e.steps++
	return e.checkSteps()
}

// checkSteps is tick after counting the step.
func (e *evaluator) checkSteps() bool {
	if e.steps > e.maxSteps {
		if !e.over {
			e.why = BudgetSteps
		}
		e.over = true
	}
	if e.steps&1023 == 0 && !e.deadline.IsZero() && time.Now().After(e.deadline) {
		if !e.over {
			e.why = BudgetTime
		}
		e.over = true
	}
	return !e.over
}

var nan = fnum(math.NaN())

var ratPi = num{f: math.Pi}

// numHalf is 1/2, shared (pow never modifies its arguments).
var numHalf = num{r: big.NewRat(1, 2)}

// eval returns the value of n; NaN when it has no real value (a
// structure, an unknown variable, a domain error or an exhausted budget).
func (e *evaluator) eval(n *node) num {
	if n == nil || !e.tick() {
		return nan
	}
	switch n.op {
	case nNum:
		return n.v
	case nVar:
		if v, ok := e.vars.get(n.s); ok {
			return fnum(v)
		}
		return nan
	case nConst:
		switch n.s {
		case "pi":
			return ratPi
		case "e":
			return fnum(math.E)
		case "inf":
			return fnum(math.Inf(1))
		}
		return nan
	case nAdd:
		return addIn(e.sc, e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nSub:
		return subIn(e.sc, e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nMul:
		return mulIn(e.sc, e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nDiv:
		return quoIn(e.sc, e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nPow:
		b := e.eval(n.kids[0])
		x := e.eval(n.kids[1])
		return pow(b, x)
	case nNeg:
		return negIn(e.sc, e.eval(n.kids[0]))
	case nFact:
		return factorial(e.eval(n.kids[0]))
	case nBinom:
		return binom(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nPercent:
		return quoIn(e.sc, e.eval(n.kids[0]), intNum(100))
	case nDegree:
		return mul(e.eval(n.kids[0]), fnum(math.Pi/180))
	case nQty:
		return e.eval(n.kids[0])
	case nFunc:
		return e.fn(n)
	}
	return nan
}

func (e *evaluator) fn(n *node) num {
	if len(n.kids) == 0 {
		return nan
	}
	a := e.eval(n.kids[0])
	switch n.s {
	case "sqrt":
		if len(n.kids) > 1 {
			k := e.eval(n.kids[1])
			if k.sign() == 0 {
				return nan
			}
			return pow(a, quo(intNum(1), k))
		}
		if a.sign() < 0 {
			return nan
		}
		return pow(a, numHalf)
	case "abs":
		if a.sign() < 0 {
			return a.neg()
		}
		return a
	case "floor", "ceil":
		if a.r != nil {
			q := new(big.Int).Quo(a.r.Num(), a.r.Denom())
			r := new(big.Rat).SetInt(q)
			if n.s == "floor" && r.Cmp(a.r) > 0 {
				r.Sub(r, big.NewRat(1, 1))
			}
			if n.s == "ceil" && r.Cmp(a.r) < 0 {
				r.Add(r, big.NewRat(1, 1))
			}
			return exact(r)
		}
		if n.s == "floor" {
			return fnum(math.Floor(a.f))
		}
		return fnum(math.Ceil(a.f))
	case "log":
		if len(n.kids) > 1 {
			b := e.eval(n.kids[1])
			return fnum(math.Log(a.float()) / math.Log(b.float()))
		}
		return fnum(math.Log(a.float()))
	case "ln":
		return fnum(math.Log(a.float()))
	case "lg":
		return fnum(math.Log10(a.float()))
	case "exp":
		return fnum(math.Exp(a.float()))
	case "gamma":
		if a.isInt() && a.sign() > 0 {
			return factorial(sub(a, intNum(1)))
		}
		return fnum(math.Gamma(a.float()))
	}
	x := a.float()
	var r float64
	switch n.s {
	case "sin":
		r = math.Sin(x)
	case "cos":
		r = math.Cos(x)
	case "tan":
		r = math.Tan(x)
	case "sec":
		r = 1 / math.Cos(x)
	case "csc":
		r = 1 / math.Sin(x)
	case "cot":
		r = 1 / math.Tan(x)
	case "arcsin":
		r = math.Asin(x)
	case "arccos":
		r = math.Acos(x)
	case "arctan":
		r = math.Atan(x)
	case "arcsec":
		r = math.Acos(1 / x)
	case "arccsc":
		r = math.Asin(1 / x)
	case "arccot":
		r = math.Atan(1 / x)
	case "sinh":
		r = math.Sinh(x)
	case "cosh":
		r = math.Cosh(x)
	case "tanh":
		r = math.Tanh(x)
	default:
		return nan
	}
	return fnum(r)
}

// isNaN reports whether a is not a number.
func (a num) isNaN() bool { return a.r == nil && math.IsNaN(a.f) }

// freeVars lists the variables of n in first-seen order (at most 16).
func freeVars(n *node, out []string) []string {
	if n == nil || len(out) > 16 {
		return out
	}
	if n.op == nVar {
		for _, v := range out {
			if v == n.s {
				return out
			}
		}
		return append(out, n.s)
	}
	for _, k := range n.kids {
		out = freeVars(k, out)
	}
	return out
}

// evalF is eval in float64 only, without allocations: the hot loop of
// symbolic comparison (every point, both sides).
func (e *evaluator) evalF(n *node) float64 {
	if n == nil {
		return math.NaN()
	}
	// tick, inlined: checkSteps only when it can say something new
	if e.steps++; e.steps > e.maxSteps || e.steps&1023 == 0 || e.over {
		if !e.checkSteps() {
			return math.NaN()
		}
	}
	switch n.op {
	case nNum:
		return n.fv
	case nVar:
		if v, ok := e.vars.get(n.s); ok {
			return v
		}
		return math.NaN()
	case nConst:
		switch n.s {
		case "pi":
			return math.Pi
		case "e":
			return math.E
		case "inf":
			return math.Inf(1)
		}
		return math.NaN()
	case nAdd:
		return e.evalF(n.kids[0]) + e.evalF(n.kids[1])
	case nSub:
		return e.evalF(n.kids[0]) - e.evalF(n.kids[1])
	case nMul:
		return e.evalF(n.kids[0]) * e.evalF(n.kids[1])
	case nDiv:
		return e.evalF(n.kids[0]) / e.evalF(n.kids[1])
	case nPow:
		b, x := e.evalF(n.kids[0]), e.evalF(n.kids[1])
		if b < 0 && x != math.Trunc(x) {
			// odd roots of negatives: x = p/q with q odd
			if r, ok := ratioOf(n.kids[1]); ok && r.Denom().Bit(0) == 1 {
				v := math.Pow(-b, x)
				if r.Num().Bit(0) == 1 {
					v = -v
				}
				return v
			}
		}
		return math.Pow(b, x)
	case nNeg:
		return -e.evalF(n.kids[0])
	case nPercent:
		return e.evalF(n.kids[0]) / 100
	case nDegree:
		return e.evalF(n.kids[0]) * math.Pi / 180
	case nQty:
		return e.evalF(n.kids[0])
	case nFact:
		x := e.evalF(n.kids[0])
		return math.Gamma(x + 1)
	case nBinom:
		// Γ(n+1) / (Γ(k+1) Γ(n-k+1)): also for symbolic \binom{n+1}{2}
		a, k := e.evalF(n.kids[0]), e.evalF(n.kids[1])
		la, s1 := math.Lgamma(a + 1)
		lk, s2 := math.Lgamma(k + 1)
		lr, s3 := math.Lgamma(a - k + 1)
		return float64(s1*s2*s3) * math.Exp(la-lk-lr)
	case nFunc:
		if len(n.kids) == 0 {
			return math.NaN()
		}
		x := e.evalF(n.kids[0])
		switch n.s {
		case "sqrt":
			if len(n.kids) > 1 {
				k := e.evalF(n.kids[1])
				if x < 0 && k == math.Trunc(k) && int64(k)%2 == 1 {
					return -math.Pow(-x, 1/k)
				}
				return math.Pow(x, 1/k)
			}
			return math.Sqrt(x)
		case "abs":
			return math.Abs(x)
		case "floor":
			return math.Floor(x)
		case "ceil":
			return math.Ceil(x)
		case "log":
			if len(n.kids) > 1 {
				return math.Log(x) / math.Log(e.evalF(n.kids[1]))
			}
			return math.Log(x)
		case "ln":
			return math.Log(x)
		case "lg":
			return math.Log10(x)
		case "exp":
			return math.Exp(x)
		case "gamma":
			return math.Gamma(x)
		case "sin":
			return math.Sin(x)
		case "cos":
			return math.Cos(x)
		case "tan":
			return math.Tan(x)
		case "sec":
			return 1 / math.Cos(x)
		case "csc":
			return 1 / math.Sin(x)
		case "cot":
			return 1 / math.Tan(x)
		case "arcsin":
			return math.Asin(x)
		case "arccos":
			return math.Acos(x)
		case "arctan":
			return math.Atan(x)
		case "arcsec":
			return math.Acos(1 / x)
		case "arccsc":
			return math.Asin(1 / x)
		case "arccot":
			return math.Atan(1 / x)
		case "sinh":
			return math.Sinh(x)
		case "cosh":
			return math.Cosh(x)
		case "tanh":
			return math.Tanh(x)
		}
	}
	return math.NaN()
}

// ratioOf returns the exact value of a constant exponent such as 1/3 or
// 2/3 written with literals.
func ratioOf(n *node) (*big.Rat, bool) {
	switch n.op {
	case nNum:
		if n.v.r != nil {
			return n.v.r, true
		}
	case nDiv:
		a, ok1 := ratioOf(n.kids[0])
		b, ok2 := ratioOf(n.kids[1])
		if ok1 && ok2 && b.Sign() != 0 {
			return new(big.Rat).Quo(a, b), true
		}
	case nNeg:
		if a, ok := ratioOf(n.kids[0]); ok {
			return new(big.Rat).Neg(a), true
		}
	}
	return nil, false
}
