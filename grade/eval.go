package grade

import (
	"math"
	"math/big"
	"time"
)

// evaluator computes node values under a step budget. With vars == nil
// arithmetic is exact where it can be; variables then evaluate to NaN.
type evaluator struct {
	vars     map[string]float64
	steps    int
	maxSteps int
	deadline time.Time
	over     bool
}

func (e *evaluator) tick() bool {
	e.steps++
	if e.steps > e.maxSteps {
		e.over = true
	}
	if e.steps&1023 == 0 && !e.deadline.IsZero() && time.Now().After(e.deadline) {
		e.over = true
	}
	return !e.over
}

var nan = fnum(math.NaN())

var ratPi = num{f: math.Pi}

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
		if v, ok := e.vars[n.s]; ok {
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
		return add(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nSub:
		return sub(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nMul:
		return mul(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nDiv:
		return quo(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nPow:
		b := e.eval(n.kids[0])
		x := e.eval(n.kids[1])
		return pow(b, x)
	case nNeg:
		return e.eval(n.kids[0]).neg()
	case nFact:
		return factorial(e.eval(n.kids[0]))
	case nBinom:
		return binom(e.eval(n.kids[0]), e.eval(n.kids[1]))
	case nPercent:
		return quo(e.eval(n.kids[0]), intNum(100))
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
		return pow(a, num{r: big.NewRat(1, 2)})
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
