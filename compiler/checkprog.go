package compiler

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"

	"github.com/polylearn/poly/lang"
)

// Budgets for custom check programs.
const (
	// CheckMaxNodes bounds the size of a check program's syntax tree.
	CheckMaxNodes = 2000
	// CheckMemoryBudget bounds what one run may allocate (expr's own
	// accounting: array elements, range sizes, ...).
	CheckMemoryBudget = 200_000
	// CheckTimeout is a wall-clock backstop for one run. The node and
	// memory budgets bound a program deterministically; this limit exists
	// only so that no run can hang, and is far above what a program within
	// those budgets takes, so a reward does not depend on machine load.
	CheckTimeout = 2 * time.Second
	// maxCheckSource bounds the length of a check program's text.
	maxCheckSource = 8 << 10
)

// Names the check environment always defines. A quantity of the same name
// is hidden behind them (and gets a warning).
var checkReserved = map[string]bool{
	"pred": true, "gold": true, "pred_text": true, "gold_text": true,
	"pi": true, "tol": true,
}

// CheckProgram is a custom `check` program: an expr-lang boolean
// expression compiled once against a typed environment. The environment
// holds pred (the prediction converted to the answer unit), gold (the gold
// value in the answer unit), pred_text and gold_text (strings), tol (the
// answer's tolerance, 0 when none), pi, and every named quantity of the
// sample as a float64 in its display unit (dotted names such as
// colony.n0 are nested maps). Helper functions: rel_err, within, approx,
// is_int, sqrt, exp, ln, log, log10, log2, sin, cos, tan, asin, acos,
// atan, atan2, pow, hypot, plus expr's builtins (abs, min, max, round,
// floor, ceil, ...).
type CheckProgram struct {
	// Source is the program text as written in the spec.
	Source string
	// Range is where Source sits in the .poly file.
	Range lang.Range

	prog  *vm.Program
	names []string // dotted quantity names in the environment
}

// checkFuncs are the helper functions of the check environment.
var checkFuncs = []expr.Option{
	fn2("rel_err", func(a, b float64) float64 {
		d := math.Abs(a - b)
		if b == 0 {
			return d
		}
		return d / math.Abs(b)
	}),
	expr.Function("within", func(p ...any) (any, error) {
		x, y, tol := p[0].(float64), p[1].(float64), p[2].(float64)
		return math.Abs(x-y) <= tol, nil
	}, new(func(float64, float64, float64) bool)),
	expr.Function("approx", func(p ...any) (any, error) {
		x, y := p[0].(float64), p[1].(float64)
		return approxEqual(x, y, 1e-6), nil
	}, new(func(float64, float64) bool)),
	expr.Function("is_int", func(p ...any) (any, error) {
		x := p[0].(float64)
		return !math.IsInf(x, 0) && x == math.Trunc(x), nil
	}, new(func(float64) bool)),
	fn1("sqrt", math.Sqrt), fn1("exp", math.Exp), fn1("ln", math.Log),
	fn1("log", math.Log), fn1("log10", math.Log10), fn1("log2", math.Log2),
	fn1("sin", math.Sin), fn1("cos", math.Cos), fn1("tan", math.Tan),
	fn1("asin", math.Asin), fn1("acos", math.Acos), fn1("atan", math.Atan),
	fn2("atan2", math.Atan2), fn2("pow", math.Pow), fn2("hypot", math.Hypot),
	// Builtins that could allocate without bound or read the clock.
	expr.DisableBuiltin("repeat"), expr.DisableBuiltin("now"),
	expr.DisableBuiltin("date"), expr.DisableBuiltin("duration"),
	expr.DisableBuiltin("timezone"),
}

func fn1(name string, f func(float64) float64) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		return f(p[0].(float64)), nil
	}, new(func(float64) float64))
}

func fn2(name string, f func(float64, float64) float64) expr.Option {
	return expr.Function(name, func(p ...any) (any, error) {
		return f(p[0].(float64), p[1].(float64)), nil
	}, new(func(float64, float64) float64))
}

// approxEqual reports whether x and y agree to relative tolerance rel
// (absolute near zero).
func approxEqual(x, y, rel float64) bool {
	if x == y {
		return true
	}
	return math.Abs(x-y) <= rel*math.Max(math.Abs(x), math.Abs(y))
}

// checkEnvType builds the static type of the environment for names.
func checkEnvType(names []string) types.Map {
	num := types.TypeOf(0.0)
	env := types.Map{
		"pred": num, "gold": num, "tol": num, "pi": num,
		"pred_text": types.TypeOf(""), "gold_text": types.TypeOf(""),
	}
	for _, n := range names {
		parts := strings.Split(n, ".")
		if checkReserved[parts[0]] {
			continue
		}
		m := env
		for _, p := range parts[:len(parts)-1] {
			sub, ok := m[p].(types.Map)
			if !ok {
				sub = types.Map{}
				m[p] = sub
			}
			m = sub
		}
		if _, isMap := m[parts[len(parts)-1]].(types.Map); !isMap {
			m[parts[len(parts)-1]] = num
		}
	}
	return env
}

// compileCheck compiles a check statement's program against an
// environment holding the dotted quantity names. Errors are positioned in
// the .poly file through lang.Check.Pos.
func compileCheck(chk *lang.Check, names []string) (*CheckProgram, lang.Diagnostics) {
	r := chk.SrcRange
	if !r.Start.IsValid() {
		r = chk.Range
	}
	return compileCheckSrc(chk.Src, r, names, chk.Pos)
}

// compileCheckSrc compiles src found at r; pos maps expr's 1-based line
// and column (runes) to the file (nil: count from r.Start).
func compileCheckSrc(src string, r lang.Range, names []string, pos func(line, col int) lang.Pos) (*CheckProgram, lang.Diagnostics) {
	var diags lang.Diagnostics
	if len(src) > maxCheckSource {
		diags.Errorf(r, "check program too long (%d bytes, at most %d)", len(src), maxCheckSource)
		return nil, diags
	}
	if strings.TrimSpace(src) == "" {
		diags.Errorf(r, "empty check program")
		return nil, diags
	}
	names = append([]string(nil), names...)
	sort.Strings(names)
	opts := append([]expr.Option{
		expr.Env(checkEnvType(names)),
		expr.AsBool(),
		expr.MaxNodes(CheckMaxNodes),
	}, checkFuncs...)
	prog, err := safeCompile(src, opts)
	if err != nil {
		d := lang.Errorf(r, "check program: %s", checkErrMessage(err))
		var fe *file.Error
		if errors.As(err, &fe) {
			d.Range = offsetRange(src, r, fe.From, fe.To)
			if pos != nil && fe.Line > 0 {
				start := pos(fe.Line, fe.Column+1)
				end := start
				end.Col += max(fe.To-fe.From, 1)
				end.Offset += max(fe.To-fe.From, 1)
				d.Range = lang.Range{Start: start, End: end}
			}
		}
		d.Detail = "the check program is an expr-lang boolean expression over pred, gold, pred_text, gold_text, tol and the named quantities"
		diags.Add(d)
		return nil, diags
	}
	return &CheckProgram{Source: src, Range: r, prog: prog, names: names}, diags
}

// safeCompile runs expr.Compile and turns a panic inside expr into an error.
func safeCompile(src string, opts []expr.Option) (p *vm.Program, err error) {
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("internal error in expr: %v", v)
		}
	}()
	return expr.Compile(src, opts...)
}

// checkErrMessage returns the message of an expr error without its
// snippet (the diagnostic renders its own caret view).
func checkErrMessage(err error) string {
	var fe *file.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

// offsetRange maps rune offsets [from, to) inside src, which starts at
// r.Start in the file, to a file range. Multi-line programs are followed
// line by line.
func offsetRange(src string, r lang.Range, from, to int) lang.Range {
	at := func(n int) lang.Pos {
		p := r.Start
		i := 0
		for off, c := range src {
			if i == n {
				break
			}
			if c == '\n' {
				p.Line++
				p.Col = 1
			} else {
				p.Col++
			}
			p.Offset = r.Start.Offset + off + len(string(c))
			i++
		}
		return p
	}
	if from < 0 {
		return r
	}
	if to <= from {
		to = from + 1
	}
	return lang.Range{Start: at(from), End: at(to)}
}

// CheckEnv holds the values a check program runs with.
type CheckEnv struct {
	Pred, Gold         float64
	PredText, GoldText string
	Tol                float64
	// Values maps dotted quantity names to their value in display unit.
	Values map[string]float64
}

func (p *CheckProgram) env(e CheckEnv) map[string]any {
	env := map[string]any{
		"pred": e.Pred, "gold": e.Gold, "tol": e.Tol, "pi": math.Pi,
		"pred_text": e.PredText, "gold_text": e.GoldText,
	}
	for _, n := range p.names {
		parts := strings.Split(n, ".")
		if checkReserved[parts[0]] {
			continue
		}
		m := env
		for _, q := range parts[:len(parts)-1] {
			sub, ok := m[q].(map[string]any)
			if !ok {
				sub = map[string]any{}
				m[q] = sub
			}
			m = sub
		}
		if _, isMap := m[parts[len(parts)-1]].(map[string]any); !isMap {
			m[parts[len(parts)-1]] = e.Values[n]
		}
	}
	return env
}

// Run runs the program under its memory and time budget. A program that
// fails, panics or runs out of budget returns false and an error saying
// why; Run itself never panics.
func (p *CheckProgram) Run(e CheckEnv) (bool, error) {
	if p == nil || p.prog == nil {
		return false, errors.New("no check program")
	}
	env := p.env(e)
	type result struct {
		ok  bool
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- result{false, fmt.Errorf("check program panicked: %v", v)}
			}
		}()
		m := vm.VM{MemoryBudget: CheckMemoryBudget}
		out, err := m.Run(p.prog, env)
		if err != nil {
			done <- result{false, fmt.Errorf("check program failed: %s", checkErrMessage(err))}
			return
		}
		b, ok := out.(bool)
		if !ok {
			done <- result{false, fmt.Errorf("check program returned %T, not bool", out)}
			return
		}
		done <- result{b, nil}
	}()
	t := time.NewTimer(CheckTimeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.ok, r.err
	case <-t.C:
		return false, fmt.Errorf("check program exceeded its time budget (%v)", CheckTimeout)
	}
}
