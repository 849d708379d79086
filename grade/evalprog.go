package grade

import "math"

// A prog is an expression tree compiled for symbolic comparison, which
// evaluates both sides at every sample point: a flat postfix program over
// a float64 stack, with variables resolved to indices into the point, in
// place of a walk of the tree per point. It computes what evaluator.evalF
// computes (the same float64 operations in the same order) and counts the
// same steps; only the common operations are compiled, a tree with any
// other node is evaluated by evalF (compileProg says no).
type prog struct {
	ins   []progIns
	nodes int // the steps evalF counts for one evaluation
	depth int // the most values on the stack
}

type progOp uint8

const (
	pNum progOp = iota
	pVar
	pAdd
	pSub
	pMul
	pDiv
	pPow
	pNeg
	pPercent
	pDegree
	pFunc  // a function of one argument (fn)
	pSqrtK // \sqrt[k]{x}: x, k on the stack
	pLogK  // \log_b x: x, b on the stack
)

type progIns struct {
	op  progOp
	fn  uint8   // pFunc: which function
	idx int32   // pVar: the variable's index
	f   float64 // pNum: the value
	odd uint8   // pPow: the exponent's exact value is p/q with q odd (1), and p odd (2)
}

// the functions of pFunc, as evalF computes them
const (
	fnSqrt uint8 = iota
	fnAbs
	fnFloor
	fnCeil
	fnLog
	fnLn
	fnLg
	fnExp
	fnGamma
	fnSin
	fnCos
	fnTan
	fnSec
	fnCsc
	fnCot
	fnArcsin
	fnArccos
	fnArctan
	fnArcsec
	fnArccsc
	fnArccot
	fnSinh
	fnCosh
	fnTanh
)

var progFuncs = map[string]uint8{
	"sqrt": fnSqrt, "abs": fnAbs, "floor": fnFloor, "ceil": fnCeil, "log": fnLog, "ln": fnLn,
	"lg": fnLg, "exp": fnExp, "gamma": fnGamma, "sin": fnSin, "cos": fnCos, "tan": fnTan,
	"sec": fnSec, "csc": fnCsc, "cot": fnCot, "arcsin": fnArcsin, "arccos": fnArccos,
	"arctan": fnArctan, "arcsec": fnArcsec, "arccsc": fnArccsc, "arccot": fnArccot,
	"sinh": fnSinh, "cosh": fnCosh, "tanh": fnTanh,
}

// maxProg bounds the nodes of the trees compiled (larger ones are walked),
// and so the depth of compileProg's recursion.
const maxProg = 256

// compileProg compiles n into p (reusing its memory) with the variables
// vars; false when n has a node it does not compile.
func compileProg(p *prog, n *node, vars []string) bool {
	p.ins, p.nodes, p.depth = p.ins[:0], 0, 0
	return p.emit(n, vars, 0) && p.depth <= maxProgStack
}

// maxProgStack bounds the stack of a program (deeper ones are walked).
const maxProgStack = 64

// evalProgs are the two sides of a symbolic comparison, compiled, and
// the stack they run on: memory a pooled ctx keeps.
type evalProgs struct {
	a, b  prog
	stack []float64
}

// numPoints is len(points), the sample points of symbolic comparison.
const numPoints = 12

// compile compiles a and b with the variables vars (each takes its value
// from its place in a point); false when either has a node that is not
// compiled, or there are more variables than a point has values (or the
// fast paths are off: the tests that compare Results with and without
// them then also compare programs with evalF).
func (e *evalProgs) compile(a, b *node, vars []string) bool {
	return !fastPathsOff && len(points) == numPoints && len(vars) <= len(points[0]) && compileProg(&e.a, a, vars) && compileProg(&e.b, b, vars)
}

// run evaluates both programs at every sample point into xs and ys.
func (e *evalProgs) run(xs, ys *[numPoints]float64) {
	if n := max(e.a.depth, e.b.depth) * numPoints; len(e.stack) < n {
		e.stack = make([]float64, n)
	}
	e.a.runAll(points, e.stack, xs[:])
	e.b.runAll(points, e.stack, ys[:])
}

// emit appends the code of n, whose value lands at stack height sp; it
// returns false for a node it does not compile.
func (p *prog) emit(n *node, vars []string, sp int) bool {
	if n == nil || p.nodes >= maxProg {
		return false
	}
	p.nodes++
	p.depth = max(p.depth, sp+1)
	in := progIns{}
	two := false
	switch n.op {
	case nNum:
		p.ins = append(p.ins, progIns{op: pNum, f: n.fv})
		return true
	case nVar:
		for i, v := range vars {
			if v == n.s {
				p.ins = append(p.ins, progIns{op: pVar, idx: int32(i)})
				return true
			}
		}
		return false
	case nConst:
		f := 0.0
		switch n.s {
		case "pi":
			f = math.Pi
		case "e":
			f = math.E
		case "inf":
			f = math.Inf(1)
		default:
			return false
		}
		p.ins = append(p.ins, progIns{op: pNum, f: f})
		return true
	case nAdd, nSub, nMul, nDiv, nPow:
		if len(n.kids) < 2 {
			return false
		}
		switch n.op {
		case nAdd:
			in.op = pAdd
		case nSub:
			in.op = pSub
		case nMul:
			in.op = pMul
		case nDiv:
			in.op = pDiv
		case nPow:
			in.op = pPow
			// what evalF asks of an exponent of a negative base
			if r, ok := ratioOf(n.kids[1]); ok && r.Denom().Bit(0) == 1 {
				in.odd = 1 + uint8(r.Num().Bit(0))
			}
		}
		two = true
	case nNeg, nPercent, nDegree, nQty:
		if len(n.kids) < 1 {
			return false
		}
		switch n.op {
		case nNeg:
			in.op = pNeg
		case nPercent:
			in.op = pPercent
		case nDegree:
			in.op = pDegree
		case nQty:
			// evalF passes the quantity's value through: no instruction
			return p.emit(n.kids[0], vars, sp)
		}
	case nFunc:
		fn, known := progFuncs[n.s]
		switch {
		case !known:
			return false
		case len(n.kids) == 1:
			in.op, in.fn = pFunc, fn
		case len(n.kids) == 2 && fn == fnSqrt:
			in.op = pSqrtK
			two = true
		case len(n.kids) == 2 && fn == fnLog:
			in.op = pLogK
			two = true
		default:
			return false
		}
	default:
		return false
	}
	if !p.emit(n.kids[0], vars, sp) || two && !p.emit(n.kids[1], vars, sp+1) {
		return false
	}
	p.ins = append(p.ins, in)
	return true
}

// progOK reports whether programs of n steps in all can run in place of
// evalF, and if so counts the steps: evalF would visit as many nodes
// without running out of steps, and no deadline is set (evalF looks at the
// clock every 1024 steps).
func (e *evaluator) progOK(n int) bool {
	if e.over || !e.deadline.IsZero() || e.steps+n > e.maxSteps {
		return false
	}
	e.steps += n
	return true
}

// runAll evaluates p at every point of pts, all points one instruction at
// a time, into out (len(pts) long); st is the stack, at least
// p.depth*len(pts) long. The values are evalF's; the caller counts the
// steps of the points it uses (progOK).
func (p *prog) runAll(pts [][]float64, st, out []float64) {
	np := len(pts)
	sp := 0
	for i := range p.ins {
		in := &p.ins[i]
		switch in.op {
		case pNum:
			dst := st[sp*np : (sp+1)*np]
			for k := range dst {
				dst[k] = in.f
			}
			sp++
			continue
		case pVar:
			dst := st[sp*np : (sp+1)*np]
			for k := range dst {
				dst[k] = pts[k][in.idx]
			}
			sp++
			continue
		}
		a := st[(sp-1)*np : sp*np]
		switch in.op {
		case pNeg:
			for k := range a {
				a[k] = -a[k]
			}
			continue
		case pPercent:
			for k := range a {
				a[k] /= 100
			}
			continue
		case pDegree:
			for k := range a {
				a[k] = a[k] * math.Pi / 180
			}
			continue
		case pFunc:
			for k := range a {
				a[k] = funcF(in.fn, a[k])
			}
			continue
		}
		// an operation of two values
		sp--
		a = st[(sp-1)*np : sp*np]
		b := st[sp*np : (sp+1)*np]
		b = b[:len(a)]
		switch in.op {
		case pAdd:
			for k := range a {
				a[k] += b[k]
			}
		case pSub:
			for k := range a {
				a[k] -= b[k]
			}
		case pMul:
			for k := range a {
				a[k] *= b[k]
			}
		case pDiv:
			for k := range a {
				a[k] /= b[k]
			}
		case pPow:
			for k := range a {
				a[k] = powOdd(in.odd, a[k], b[k])
			}
		case pSqrtK:
			for k := range a {
				x, r := a[k], b[k]
				if x < 0 && r == math.Trunc(r) && int64(r)%2 == 1 {
					a[k] = -math.Pow(-x, 1/r)
				} else {
					a[k] = math.Pow(x, 1/r)
				}
			}
		case pLogK:
			for k := range a {
				a[k] = math.Log(a[k]) / math.Log(b[k])
			}
		}
	}
	copy(out, st[:np])
}

// powOdd is evalF's power b^x, where odd says what the exponent's exact
// value is (see progIns).
func powOdd(odd uint8, b, x float64) float64 {
	if b < 0 && x != math.Trunc(x) && odd != 0 {
		// odd roots of negatives: x = p/q with q odd
		v := math.Pow(-b, x)
		if odd == 2 {
			v = -v
		}
		return v
	}
	return math.Pow(b, x)
}

// funcF is evalF's function fn of one argument.
func funcF(fn uint8, x float64) float64 {
	switch fn {
	case fnSqrt:
		return math.Sqrt(x)
	case fnAbs:
		return math.Abs(x)
	case fnFloor:
		return math.Floor(x)
	case fnCeil:
		return math.Ceil(x)
	case fnLog, fnLn:
		return math.Log(x)
	case fnLg:
		return math.Log10(x)
	case fnExp:
		return math.Exp(x)
	case fnGamma:
		return math.Gamma(x)
	case fnSin:
		return math.Sin(x)
	case fnCos:
		return math.Cos(x)
	case fnTan:
		return math.Tan(x)
	case fnSec:
		return 1 / math.Cos(x)
	case fnCsc:
		return 1 / math.Sin(x)
	case fnCot:
		return 1 / math.Tan(x)
	case fnArcsin:
		return math.Asin(x)
	case fnArccos:
		return math.Acos(x)
	case fnArctan:
		return math.Atan(x)
	case fnArcsec:
		return math.Acos(1 / x)
	case fnArccsc:
		return math.Asin(1 / x)
	case fnArccot:
		return math.Atan(1 / x)
	case fnSinh:
		return math.Sinh(x)
	case fnCosh:
		return math.Cosh(x)
	case fnTanh:
		return math.Tanh(x)
	}
	return math.NaN()
}

// pointPairs are two sides of a comparison at the sample points.
// It holds no nodes: relEqual's sides live on its stack.
type pointPairs struct {
	compiled bool // both sides compiled: xs and ys hold every point
	steps    int  // the steps the programs stand for (progOK)
	xs, ys   [numPoints]float64
}

// pairs prepares a and b over vars: both compiled and run at all points
// at once when they compile.
func (c *ctx) pairs(pp *pointPairs, a, b *node, vars []string) {
	if c.ep == nil {
		c.ep = new(evalProgs)
	}
	pp.compiled = c.ep.compile(a, b, vars)
	pp.steps = c.ep.a.nodes + c.ep.b.nodes
	if pp.compiled {
		c.ep.run(&pp.xs, &pp.ys)
	}
}

// pairAt returns a and b (those given to pairs) at points[j]: the
// programs' values while the step budget allows them, else the trees
// walked with c.ev.vars, which the caller has set to the point.
func (c *ctx) pairAt(pp *pointPairs, j int, a, b *node) (x, y float64) {
	if pp.compiled && c.ev.progOK(pp.steps) {
		return pp.xs[j], pp.ys[j]
	}
	return c.ev.evalF(a), c.ev.evalF(b)
}
