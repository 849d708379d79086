package compiler

import (
	"math/big"
	"sort"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/lang"
)

// A builtin function of quantity expressions. args are evaluated; r is
// the call's range and argR the ranges of the arguments.
type builtin struct {
	min, max int // argument count bounds (max -1: variadic)
	fn       func(e *evaluator, r lang.Range, args []value, argR []lang.Range) (value, *evalError)
}

// maxFactorial bounds factorial and comb arguments.
const maxFactorial = 2000

var builtins map[string]builtin

func init() {
	builtins = map[string]builtin{
		"sqrt": {1, 1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return numFn(r, a, ar, qSqrt)
		}},
		"exp":   {1, 1, scalarFn("exp", units.Number.Exp)},
		"ln":    {1, 1, scalarFn("ln", units.Number.Log)},
		"log":   {1, 2, logFn},
		"log10": {1, 1, scalarFn("log10", units.Number.Log10)},
		"log2":  {1, 1, scalarFn("log2", units.Number.Log2)},
		"sin":   {1, 1, scalarFn("sin", units.Number.Sin)},
		"cos":   {1, 1, scalarFn("cos", units.Number.Cos)},
		"tan":   {1, 1, scalarFn("tan", units.Number.Tan)},
		"asin":  {1, 1, scalarFn("asin", units.Number.Asin)},
		"acos":  {1, 1, scalarFn("acos", units.Number.Acos)},
		"atan":  {1, 1, scalarFn("atan", units.Number.Atan)},
		"sinh":  {1, 1, scalarFn("sinh", units.Number.Sinh)},
		"cosh":  {1, 1, scalarFn("cosh", units.Number.Cosh)},
		"tanh":  {1, 1, scalarFn("tanh", units.Number.Tanh)},
		"atan2": {2, 2, atan2Fn},
		"abs": {1, 1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return magFn(r, a, ar, func(n units.Number) (units.Number, error) { return n.Abs(), nil })
		}},
		"floor": {1, 1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return magFn(r, a, ar, units.Number.Floor)
		}},
		"ceil": {1, 1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return magFn(r, a, ar, units.Number.Ceil)
		}},
		"round": {1, 2, roundFn},
		"min": {1, -1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return extremum(r, a, ar, -1)
		}},
		"max": {1, -1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return extremum(r, a, ar, 1)
		}},
		"sum": {1, -1, sumFn},
		"len": {1, 1, lenFn},
		"gcd": {2, -1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return gcdFn(r, a, ar, false)
		}},
		"lcm": {2, -1, func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
			return gcdFn(r, a, ar, true)
		}},
		"factorial": {1, 1, factorialFn},
		"comb":      {2, 2, combFn},
	}
}

func builtinNames() []string {
	out := make([]string, 0, len(builtins))
	for n := range builtins {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (e *evaluator) evalCall(x *lang.Call, sc *scope, prefix string) (value, *evalError) {
	name := ""
	var nameR lang.Range
	if x.Fun != nil {
		name, nameR = x.Fun.String(), x.Fun.Range
	}
	fn, ok := builtins[name]
	if !ok {
		return value{}, errAt(nameR, "unknown function `%s`%s", name, lang.DidYouMean(name, builtinNames()))
	}
	if len(x.Args) < fn.min || (fn.max >= 0 && len(x.Args) > fn.max) {
		want := fmtArity(fn.min, fn.max)
		return value{}, errAt(x.Range, "%s takes %s, got %d", name, want, len(x.Args))
	}
	args := make([]value, len(x.Args))
	argR := make([]lang.Range, len(x.Args))
	for i, a := range x.Args {
		v, err := e.eval(a, sc, prefix)
		if err != nil {
			return v, err
		}
		args[i], argR[i] = v, a.Span()
	}
	return fn.fn(e, x.Range, args, argR)
}

func fmtArity(lo, hi int) string {
	switch {
	case hi < 0:
		return plural(lo, "argument") + " or more"
	case lo == hi:
		return plural(lo, "argument")
	default:
		return plural(lo, "") + "to " + plural(hi, "arguments")
	}
}

func plural(n int, word string) string {
	if word == "" {
		return itoa(n) + " "
	}
	if n == 1 {
		return "1 " + word
	}
	if word[len(word)-1] != 's' {
		word += "s"
	}
	return itoa(n) + " " + word
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// needNum checks that argument i is a number.
func needNum(a []value, ar []lang.Range, i int) *evalError {
	if a[i].kind != vNum {
		return errAt(ar[i], "expected a number, got a %s", a[i].kind)
	}
	return nil
}

// scalarFn wraps a function of a dimensionless number (angles in any
// angle unit are converted to radians first).
func scalarFn(name string, f func(units.Number) (units.Number, error)) func(*evaluator, lang.Range, []value, []lang.Range) (value, *evalError) {
	return func(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
		if err := needNum(a, ar, 0); err != nil {
			return value{}, err
		}
		n, err := qToScalar(a[0].q)
		if err != nil {
			return value{}, errAt(ar[0], "%s needs a dimensionless argument, got unit %s", name, qUnitText(a[0].q))
		}
		out, err := f(n)
		if err != nil {
			return value{}, qErr(r, err)
		}
		return numValue(qScalar(out)), nil
	}
}

func numFn(r lang.Range, a []value, ar []lang.Range, f func(Q) (Q, error)) (value, *evalError) {
	if err := needNum(a, ar, 0); err != nil {
		return value{}, err
	}
	q, err := f(a[0].q)
	if err != nil {
		return value{}, qErr(r, err)
	}
	return numValue(q), nil
}

// magFn applies f to the magnitude of a quantity in its own unit.
func magFn(r lang.Range, a []value, ar []lang.Range, f func(units.Number) (units.Number, error)) (value, *evalError) {
	if err := needNum(a, ar, 0); err != nil {
		return value{}, err
	}
	n, err := f(qMag(a[0].q))
	if err != nil {
		return value{}, qErr(r, err)
	}
	return numValue(qWithMag(a[0].q, n)), nil
}

func logFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	v, err := scalarFn("log", units.Number.Log)(e, r, a[:1], ar[:1])
	if err != nil || len(a) == 1 {
		return v, err
	}
	b, err := scalarFn("log", units.Number.Log)(e, ar[1], a[1:], ar[1:])
	if err != nil {
		return v, err
	}
	q, qerr := qDiv(v.q, b.q)
	if qerr != nil {
		return value{}, qErr(r, qerr)
	}
	return numValue(q), nil
}

func atan2Fn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	for i := range a {
		if err := needNum(a, ar, i); err != nil {
			return value{}, err
		}
	}
	if _, cerr := qCmp(a[0].q, a[1].q); cerr != nil {
		return value{}, qErr(r, cerr)
	}
	y, x := qSI(a[0].q), qSI(a[1].q)
	out, aerr := units.Atan2(y, x)
	if aerr != nil {
		return value{}, qErr(r, aerr)
	}
	return numValue(qScalar(out)), nil
}

func roundFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	if len(a) == 1 {
		return magFn(r, a, ar, units.Number.Round)
	}
	if err := needNum(a, ar, 1); err != nil {
		return value{}, err
	}
	d, err := qToScalar(a[1].q)
	k, ok := d.Int64()
	if err != nil || !ok || k < -30 || k > 30 {
		return value{}, errAt(ar[1], "round's digits must be a whole number from -30 to 30")
	}
	scale, _ := units.Int(10).Pow(units.Int(k))
	return magFn(r, a[:1], ar[:1], func(n units.Number) (units.Number, error) {
		m, err := n.Mul(scale)
		if err != nil {
			return m, err
		}
		m, err = m.Round()
		if err != nil {
			return m, err
		}
		return m.Div(scale)
	})
}

// flatten returns the numbers of args, expanding lists, sets and tuples.
func flatten(a []value, ar []lang.Range) ([]value, []lang.Range, *evalError) {
	var out []value
	var outR []lang.Range
	for i, v := range a {
		switch v.kind {
		case vNum:
			out = append(out, v)
			outR = append(outR, ar[i])
		case vList, vSet, vTuple:
			for _, el := range v.elems {
				if el.kind != vNum {
					return nil, nil, errAt(ar[i], "expected numbers, found a %s inside", el.kind)
				}
				out = append(out, el)
				outR = append(outR, ar[i])
			}
		default:
			return nil, nil, errAt(ar[i], "expected a number or a list, got a %s", v.kind)
		}
	}
	return out, outR, nil
}

func extremum(r lang.Range, a []value, ar []lang.Range, sign int) (value, *evalError) {
	vs, vr, err := flatten(a, ar)
	if err != nil {
		return value{}, err
	}
	if len(vs) == 0 {
		return value{}, errAt(r, "no values")
	}
	best := vs[0]
	for i, v := range vs[1:] {
		c, cerr := qCmp(v.q, best.q)
		if cerr != nil {
			return value{}, qErr(vr[i+1], cerr)
		}
		if c*sign > 0 {
			best = v
		}
	}
	return best, nil
}

func sumFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	vs, vr, err := flatten(a, ar)
	if err != nil {
		return value{}, err
	}
	if len(vs) == 0 {
		return numValue(qScalar(units.Int(0))), nil
	}
	acc := vs[0].q
	for i, v := range vs[1:] {
		var qerr error
		acc, qerr = qAdd(acc, v.q)
		if qerr != nil {
			return value{}, qErr(vr[i+1], qerr)
		}
	}
	return numValue(acc), nil
}

func lenFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	switch a[0].kind {
	case vList, vSet, vTuple:
		return numValue(qScalar(units.Int(int64(len(a[0].elems))))), nil
	case vStr:
		return numValue(qScalar(units.Int(int64(len([]rune(a[0].s)))))), nil
	}
	return value{}, errAt(ar[0], "len needs a list, set, tuple or string, got a %s", a[0].kind)
}

// intArg returns argument i as an exact integer.
func intArg(a []value, ar []lang.Range, i int, what string) (*big.Int, *evalError) {
	if err := needNum(a, ar, i); err != nil {
		return nil, err
	}
	n, err := qToScalar(a[i].q)
	if err != nil || !n.IsInt() {
		return nil, errAt(ar[i], "%s needs whole numbers without units", what)
	}
	rat, _ := n.Rat()
	return new(big.Int).Set(rat.Num()), nil
}

func gcdFn(r lang.Range, a []value, ar []lang.Range, lcm bool) (value, *evalError) {
	name := "gcd"
	if lcm {
		name = "lcm"
	}
	acc, err := intArg(a, ar, 0, name)
	if err != nil {
		return value{}, err
	}
	acc.Abs(acc)
	for i := 1; i < len(a); i++ {
		x, err := intArg(a, ar, i, name)
		if err != nil {
			return value{}, err
		}
		x.Abs(x)
		g := new(big.Int).GCD(nil, nil, acc, x)
		if !lcm {
			acc = g
			continue
		}
		if g.Sign() == 0 {
			acc = big.NewInt(0)
			continue
		}
		acc.Mul(acc, x)
		acc.Quo(acc, g)
		if acc.BitLen() > units.MaxRatBits {
			return value{}, errAt(r, "overflow: lcm too large")
		}
	}
	return numValue(qScalar(units.Rat(new(big.Rat).SetInt(acc)))), nil
}

func factorialFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	n, err := intArg(a, ar, 0, "factorial")
	if err != nil {
		return value{}, err
	}
	if n.Sign() < 0 || n.Cmp(big.NewInt(maxFactorial)) > 0 {
		return value{}, errAt(ar[0], "factorial needs a whole number from 0 to %d", maxFactorial)
	}
	k := n.Int64()
	if err := e.step(r, int(k)); err != nil {
		return value{}, err
	}
	out := new(big.Int).MulRange(1, k)
	if k == 0 {
		out.SetInt64(1)
	}
	return bigIntValue(r, out)
}

func combFn(e *evaluator, r lang.Range, a []value, ar []lang.Range) (value, *evalError) {
	n, err := intArg(a, ar, 0, "comb")
	if err != nil {
		return value{}, err
	}
	k, err := intArg(a, ar, 1, "comb")
	if err != nil {
		return value{}, err
	}
	if n.Sign() < 0 || n.Cmp(big.NewInt(1_000_000)) > 0 {
		return value{}, errAt(ar[0], "comb needs n from 0 to 1000000")
	}
	if k.Sign() < 0 || k.Cmp(n) > 0 {
		return numValue(qScalar(units.Int(0))), nil
	}
	kk := min(k.Int64(), n.Int64()-k.Int64())
	if kk > maxFactorial {
		return value{}, errAt(ar[1], "comb: k too large (at most %d)", maxFactorial)
	}
	if err := e.step(r, int(kk)); err != nil {
		return value{}, err
	}
	out := new(big.Int).Binomial(n.Int64(), kk)
	return bigIntValue(r, out)
}

func bigIntValue(r lang.Range, x *big.Int) (value, *evalError) {
	if x.BitLen() > units.MaxRatBits {
		return value{}, errAt(r, "overflow: the result has %d bits (at most %d)", x.BitLen(), units.MaxRatBits)
	}
	return numValue(qScalar(units.Rat(new(big.Rat).SetInt(x)))), nil
}
