package grade

import (
	"math"
	"testing"
)

// TestProgMatchesEvalF compiles every expression of a table and of
// testdata/cases.jsonl and requires the program to give evalF's value, to
// the bit, and to count evalF's steps, at every sample point.
func TestProgMatchesEvalF(t *testing.T) {
	texts := []string{
		"x^2+2x+1", "(x+1)^2", "\\frac{x}{2}", "x^{1/3}", "(-x)^{1/3}", "(-x)^{2/3}", "(-x)^{0.5}",
		"\\sqrt{x}", "\\sqrt[3]{-x}", "\\sqrt[2]{x}", "\\log_2 x", "\\log x", "\\ln x", "\\lg x", "e^x",
		"\\sin^2 x+\\cos^2 x", "\\tan x", "\\sec x+\\csc x+\\cot x", "\\arcsin x+\\arccos x+\\arctan x",
		"\\sinh x \\cosh x \\tanh x", "|x-1|", "50\\% x", "90^\\circ x", "\\pi r^2", "-x/y", "x-y-z",
		"\\frac{a+b}{a-b}", "2\\pi", "x \\cdot \\infty", "\\lfloor x \\rfloor", "x!", "\\binom{x}{2}",
		"\\operatorname{arcsec} x", "\\Gamma(x)", "\\exp(x)",
	}
	for _, c := range loadCases(t) {
		texts = append(texts, c.Gold, c.Pred)
	}
	compiledAny := 0
	for _, text := range texts {
		v, err := Parse(text)
		if err != nil {
			continue
		}
		e, ok := unwrapCached(v).(*exprV)
		if !ok {
			continue
		}
		var p prog
		if !compileProg(&p, e.root, e.vars) {
			continue
		}
		compiledAny++
		env := &varEnv{}
		var vals [numPoints]float64
		p.runAll(points, make([]float64, p.depth*numPoints), vals[:])
		for j, pt := range points {
			for i, name := range e.vars {
				env.set(name, pt[i])
			}
			ev := evaluator{vars: env, maxSteps: 1 << 30}
			want := ev.evalF(e.root)
			got := vals[j]
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%q at %v: program gives %v, evalF %v", text, pt[:len(e.vars)], got, want)
				break
			}
			if ev.steps != p.nodes {
				t.Errorf("%q: program counts %d steps, evalF %d", text, p.nodes, ev.steps)
				break
			}
		}
	}
	t.Logf("%d of %d texts compiled", compiledAny, len(texts))
	if len(points) != numPoints {
		t.Errorf("%d sample points, numPoints is %d", len(points), numPoints)
	}
	if compiledAny < 20 {
		t.Errorf("only %d expressions compiled", compiledAny)
	}
}
