package compiler

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/lang"
)

// buildAnswer evaluates an answer statement into the gold Answer.
func (c *compilation) buildAnswer(ev *evaluator, b *block, a *lang.Answer) (Answer, *evalError) {
	ans := Answer{}
	// Tolerances.
	var tolAbs *Q
	for _, t := range a.Tolerances {
		v, err := ev.eval(t.Value, b.sc, "")
		if err != nil {
			return ans, err
		}
		if v.kind != vNum {
			return ans, errAt(t.Value.Span(), "a tolerance must be a number")
		}
		if ans.Tolerance.Kind != "" {
			return ans, errAt(t.Range, "only one tolerance per answer (abs, rel or sig)")
		}
		switch t.Kind {
		case lang.TolAbs:
			q := v.q
			tolAbs = &q
			ans.Tolerance = Tolerance{Kind: "abs"}
		case lang.TolRel:
			n, err := qToScalar(v.q)
			if err != nil {
				return ans, errAt(t.Value.Span(), "a relative tolerance must be dimensionless, got unit %s", qUnitText(v.q))
			}
			f := n.Float64()
			if !(f > 0 && f < 1) {
				return ans, errAt(t.Value.Span(), "a relative tolerance must be between 0 and 1, got %s", defaultNumber(n))
			}
			ans.Tolerance = Tolerance{Kind: "rel", Value: f}
		case lang.TolSig:
			n, err := qToScalar(v.q)
			k, ok := n.Int64()
			if err != nil || !ok || k < 1 || k > 15 {
				return ans, errAt(t.Value.Span(), "sig needs a whole number of significant figures from 1 to 15")
			}
			ans.Tolerance = Tolerance{Kind: "sig", Value: float64(k)}
		}
	}
	for _, o := range a.Options {
		if o.Name == nil {
			continue
		}
		switch o.Name.Name {
		case "vars":
			if a.Kind != lang.KindExpr {
				return ans, errAt(o.Range, "vars applies to expr answers only")
			}
			if o.Value == nil {
				return ans, errAt(o.Range, "vars needs variable names, like vars [x, y]")
			}
			names, err := varNames(o.Value)
			if err != nil {
				return ans, err
			}
			ans.Variables = append(ans.Variables, names...)
		default:
			return ans, errAt(o.Name.Range, "unknown answer option `%s`%s", o.Name.Name, lang.DidYouMean(o.Name.Name, []string{"abs", "rel", "sig", "vars"}))
		}
	}
	switch a.Kind {
	case lang.KindChoice:
		return c.choiceAnswer(ev, b, a, ans)
	case lang.KindExpr:
		return c.exprAnswer(ev, b, a, ans)
	}
	v, err := ev.eval(a.Value, b.sc, "")
	if err != nil {
		return ans, err
	}
	valR := a.Value.Span()
	// Convert to the answer unit.
	var unit units.Unit
	convert := func(q Q) (Q, *evalError) {
		if a.Unit == nil {
			return q, nil
		}
		out, cerr := q.To(unit)
		if cerr != nil {
			return Q{}, errAt(a.Unit.Range, "%s", cerr.Error())
		}
		return out, nil
	}
	if a.Unit != nil {
		u, uerr := parseUnit(a.Unit.Text)
		if uerr != nil {
			return ans, unitErrAt(a.Unit.Range, uerr)
		}
		unit = u
		ans.Unit = u.String()
		if u.IsOne() {
			ans.Unit = ""
		}
	}
	kind := a.Kind
	if kind == lang.KindAuto {
		switch v.kind {
		case vSet:
			kind = lang.KindSet
		case vTuple, vList:
			kind = lang.KindTuple
		case vInterval:
			kind = lang.KindInterval
		case vStr:
			ans.Kind, ans.Text, ans.LaTeX = KindText, v.s, `\text{`+v.s+`}`
			return ans, nil
		case vBool:
			return ans, errAt(valR, "an answer cannot be a bool")
		default:
			kind = lang.KindNumber
			if ans.Tolerance.Kind == "" && a.Unit == nil {
				if qMag(v.q).IsExact() && v.q.Unit.IsOne() {
					kind = lang.KindExact
				}
			}
		}
	}
	switch kind {
	case lang.KindNumber, lang.KindExact, lang.KindFraction, lang.KindInteger:
		if v.kind != vNum {
			return ans, errAt(valR, "a %s answer needs a number, got a %s", kindWord(kind), v.kind)
		}
		q, err := convert(v.q)
		if err != nil {
			return ans, err
		}
		if a.Unit == nil {
			ans.Unit = qUnitString(q)
		}
		n := qMag(q)
		ans.Kind = KindNumber
		if kind != lang.KindNumber {
			ans.Kind = KindExact
			if !n.IsExact() {
				return ans, errAt(valR, "the answer is not exact (its value %s comes from inexact arithmetic); use a number answer with a tolerance", defaultNumber(n))
			}
			if kind == lang.KindInteger && !n.IsInt() {
				return ans, errAt(valR, "the answer is not an integer: %s", n.FracString())
			}
			if ans.Tolerance.Kind != "" {
				return ans, errAt(a.Range, "an exact answer cannot have a tolerance")
			}
		}
		if err := checkFinite(n, valR); err != nil {
			return ans, err
		}
		if ans.Kind == KindNumber && ans.Tolerance.Kind == "" && !n.IsExact() && !c.warnedTol[a] {
			c.warnedTol[a] = true
			c.diags.Add(lang.Warningf(a.Range, "inexact answer without a tolerance: only answers within a relative 1e-8 pass; add rel, abs or sig"))
		}
		ans.Float = n.Float64()
		if r, ok := n.Rat(); ok {
			ans.Exact = r.RatString()
		}
		ans.Text, ans.LaTeX = numberTexts(n, ans.Kind, ans.Tolerance)
		if tolAbs != nil {
			tq := *tolAbs
			if !tq.Unit.IsOne() || a.Unit != nil {
				ref := q
				if tq.Unit.IsOne() {
					tq = units.Q(tq.Value, ref.Unit)
				}
				// A difference: convert by scale (no temperature offset).
				conv, cerr := tq.To(ref.Unit.Delta())
				if cerr != nil {
					conv, cerr = tq.To(ref.Unit)
				}
				if cerr != nil {
					return ans, errAt(a.Range, "abs tolerance: %s", cerr.Error())
				}
				tq = conv
			}
			ans.Tolerance.Value = math.Abs(qMag(tq).Float64())
			if !(ans.Tolerance.Value > 0) {
				return ans, errAt(a.Range, "an abs tolerance must be positive")
			}
		}
	case lang.KindSet, lang.KindTuple:
		if v.kind != vSet && v.kind != vTuple && v.kind != vList {
			return ans, errAt(valR, "a %s answer needs a set or tuple of numbers, got a %s", kindWord(kind), v.kind)
		}
		ans.Kind = KindSet
		if kind == lang.KindTuple {
			ans.Kind = KindTuple
		}
		var texts, latex []string
		for _, el := range v.elems {
			if el.kind != vNum {
				return ans, errAt(valR, "%s elements must be numbers, got a %s", kindWord(kind), el.kind)
			}
			q, err := convert(el.q)
			if err != nil {
				return ans, err
			}
			if a.Unit == nil && ans.Unit == "" {
				ans.Unit = qUnitString(q)
			}
			n := qMag(q)
			if err := checkFinite(n, valR); err != nil {
				return ans, err
			}
			ans.Elements = append(ans.Elements, n.Float64())
			ans.exacts = append(ans.exacts, exactString(n))
			t, l := numberTexts(n, exactOrNumber(n, ans.Tolerance), ans.Tolerance)
			texts, latex = append(texts, t), append(latex, l)
		}
		if ans.Kind == KindSet {
			// Canonical order, duplicates removed.
			idx := make([]int, len(texts))
			for i := range idx {
				idx[i] = i
			}
			sort.SliceStable(idx, func(i, j int) bool { return ans.Elements[idx[i]] < ans.Elements[idx[j]] })
			var el []float64
			var t2, l2, x2 []string
			for k, i := range idx {
				if k > 0 && ans.Elements[i] == el[len(el)-1] {
					continue
				}
				el, t2, l2, x2 = append(el, ans.Elements[i]), append(t2, texts[i]), append(l2, latex[i]), append(x2, ans.exacts[i])
			}
			ans.Elements, texts, latex, ans.exacts = el, t2, l2, x2
			ans.Text = "{" + strings.Join(texts, ", ") + "}"
			ans.LaTeX = `\{` + strings.Join(latex, ", ") + `\}`
		} else {
			ans.Text = "(" + strings.Join(texts, ", ") + ")"
			ans.LaTeX = "(" + strings.Join(latex, ", ") + ")"
		}
		if len(v.elems) == 0 {
			return ans, errAt(valR, "an empty %s cannot be an answer", kindWord(kind))
		}
	case lang.KindInterval:
		if v.kind != vInterval && !(v.kind == vTuple || v.kind == vList) || len(v.elems) != 2 {
			return ans, errAt(valR, "an interval answer needs two ends, like (a, b] or [a, inf)")
		}
		ans.Kind = KindInterval
		ans.LeftOpen, ans.RightOpen = v.loOpen, v.hiOpen
		if v.kind == vTuple {
			ans.LeftOpen, ans.RightOpen = true, true
		}
		var texts, latex []string
		for _, el := range v.elems {
			if el.kind != vNum {
				return ans, errAt(valR, "interval ends must be numbers")
			}
			q, err := convert(el.q)
			if err != nil {
				return ans, err
			}
			n := qMag(q)
			f := n.Float64()
			if math.IsNaN(f) {
				return ans, errAt(valR, "an interval end is not a number")
			}
			ans.Elements = append(ans.Elements, f)
			ans.exacts = append(ans.exacts, exactString(n))
			if math.IsInf(f, 0) {
				t := "inf"
				l := `\infty`
				if f < 0 {
					t, l = "-inf", `-\infty`
				}
				texts, latex = append(texts, t), append(latex, l)
				continue
			}
			t, l := numberTexts(n, exactOrNumber(n, ans.Tolerance), ans.Tolerance)
			texts, latex = append(texts, t), append(latex, l)
		}
		if ans.Elements[0] > ans.Elements[1] {
			return ans, errAt(valR, "empty interval: %s is greater than %s", texts[0], texts[1])
		}
		lb, rb := "[", "]"
		if ans.LeftOpen {
			lb = "("
		}
		if ans.RightOpen {
			rb = ")"
		}
		ans.Text = lb + texts[0] + ", " + texts[1] + rb
		ans.LaTeX = lb + latex[0] + ", " + latex[1] + rb
	default:
		return ans, errAt(a.Range, "unsupported answer kind")
	}
	return ans, nil
}

func exactOrNumber(n units.Number, t Tolerance) AnswerKind {
	if n.IsExact() && t.Kind == "" {
		return KindExact
	}
	return KindNumber
}

func kindWord(k lang.AnswerKind) string {
	if s := k.String(); s != "" {
		return s
	}
	return "number"
}

func checkFinite(n units.Number, r lang.Range) *evalError {
	f := n.Float64()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return errAt(r, "the answer is not a finite number")
	}
	return nil
}

// numberTexts renders a gold number as plain text and LaTeX: exact
// values exactly (a fraction stays a fraction), sig answers with that
// many significant figures, other floats with up to 10 significant
// digits.
func numberTexts(n units.Number, kind AnswerKind, t Tolerance) (string, string) {
	if kind == KindExact {
		if n.IsInt() {
			s := n.FracString()
			return s, s
		}
		return n.FracString(), n.FracLaTeX()
	}
	if t.Kind == "sig" {
		return cleanExp(n.SigString(int(t.Value))), n.SigLaTeX(int(t.Value))
	}
	if n.IsExact() {
		s := n.String()
		if !strings.Contains(s, "/") && len(strings.Trim(strings.ReplaceAll(strings.TrimPrefix(s, "-"), ".", ""), "0")) <= 12 {
			return s, n.LaTeX()
		}
	}
	f := n.Float64()
	s := cleanExp(strconv.FormatFloat(f, 'g', 10, 64))
	return s, latexNumber(s)
}

// groundTruth is the plain-text gold answer with its unit.
func (a Answer) groundTruth() string {
	if a.Unit != "" && (a.Kind == KindNumber || a.Kind == KindExact) {
		return a.Text + " " + plainUnit(a.Unit)
	}
	return a.Text
}

// plainUnit spells a unit for plain text so that it cannot be read as
// part of the number: "1/mL" becomes "mL^-1".
func plainUnit(u string) string {
	rest, ok := strings.CutPrefix(u, "1/")
	if !ok || strings.ContainsAny(rest, "/*() ") {
		return u
	}
	if base, exp, found := strings.Cut(rest, "^"); found {
		return base + "^-" + exp
	}
	return rest + "^-1"
}

// groundTruthLaTeX is the LaTeX gold answer with its unit.
func (a Answer) groundTruthLaTeX() string {
	if a.Unit != "" && (a.Kind == KindNumber || a.Kind == KindExact) {
		if u, err := parseUnit(a.Unit); err == nil {
			return a.LaTeX + `\,` + u.LaTeX()
		}
	}
	return a.LaTeX
}

// choiceAnswer builds a multiple-choice answer: the value names one of
// the labels.
func (c *compilation) choiceAnswer(ev *evaluator, b *block, a *lang.Answer, ans Answer) (Answer, *evalError) {
	ans.Kind = KindChoice
	if len(a.Choices) < 2 {
		return ans, errAt(a.Range, "a choice answer needs at least two options")
	}
	labels := map[string]bool{}
	var names []string
	for _, ch := range a.Choices {
		if ch.Label == nil {
			continue
		}
		l := ch.Label.Name
		if labels[strings.ToUpper(l)] {
			return ans, errAt(ch.Label.Range, "duplicate choice label `%s`", l)
		}
		labels[strings.ToUpper(l)] = true
		names = append(names, l)
		text := ""
		if ch.Text != nil {
			t, err := ev.interpolate(ch.Text, b.sc, "")
			if err != nil {
				return ans, err
			}
			text = t
		}
		ans.Choices = append(ans.Choices, Choice{Label: l, Text: text})
	}
	var label string
	if n, ok := a.Value.(*lang.Name); ok && len(n.Parts) == 1 && labels[strings.ToUpper(n.Parts[0])] {
		label = n.Parts[0]
	} else {
		v, err := ev.eval(a.Value, b.sc, "")
		if err != nil {
			if n, ok := a.Value.(*lang.Name); ok {
				return ans, errAt(n.Range, "`%s` is not one of the choices (%s)%s", n.String(), strings.Join(names, ", "), lang.DidYouMean(n.String(), names))
			}
			return ans, err
		}
		if v.kind != vStr || !labels[strings.ToUpper(v.s)] {
			return ans, errAt(a.Value.Span(), "the answer must name one of the choices (%s)", strings.Join(names, ", "))
		}
		label = v.s
	}
	for _, ch := range ans.Choices {
		if strings.EqualFold(ch.Label, label) {
			label = ch.Label
		}
	}
	ans.Text, ans.LaTeX = label, label
	if a.Unit != nil {
		return ans, errAt(a.Unit.Range, "a choice answer has no unit")
	}
	return ans, nil
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z_0-9]*`)

// knownMathNames are names an expression answer may use that are not
// variables.
var knownMathNames = map[string]bool{
	"sin": true, "cos": true, "tan": true, "asin": true, "acos": true, "atan": true,
	"sinh": true, "cosh": true, "tanh": true, "exp": true, "log": true, "ln": true,
	"sqrt": true, "abs": true, "pi": true, "e": true, "frac": true, "cdot": true,
	"log10": true, "log2": true,
}

// exprAnswer builds a symbolic expression answer: the value is a string
// (interpolated) holding the expression; variables come from `in x`,
// `vars [x, y]`, or the identifiers of the expression.
func (c *compilation) exprAnswer(ev *evaluator, b *block, a *lang.Answer, ans Answer) (Answer, *evalError) {
	ans.Kind = KindExpression
	v, err := ev.eval(a.Value, b.sc, "")
	if err != nil {
		return ans, err
	}
	if v.kind != vStr {
		return ans, errAt(a.Value.Span(), "an expr answer needs the expression as a string, like \"2*x + 1\"")
	}
	text := strings.TrimSpace(v.s)
	if text == "" {
		return ans, errAt(a.Value.Span(), "empty expression")
	}
	if a.Unit != nil {
		for _, f := range a.Unit.Factors {
			if f.Exp != 1 {
				return ans, errAt(a.Unit.Range, "`in` names the variables of an expr answer")
			}
			ans.Variables = append(ans.Variables, f.Name)
		}
		if len(a.Unit.Factors) == 0 {
			ans.Variables = append(ans.Variables, strings.TrimSpace(a.Unit.Text))
		}
	}
	if len(ans.Variables) == 0 {
		seen := map[string]bool{}
		for _, id := range identRE.FindAllString(text, -1) {
			if !knownMathNames[id] && !seen[id] {
				seen[id] = true
				ans.Variables = append(ans.Variables, id)
			}
		}
		sort.Strings(ans.Variables)
	}
	ans.Text, ans.LaTeX = text, text
	return ans, nil
}

// varNames reads `vars [x, y]` / `vars x`.
func varNames(x lang.Expr) ([]string, *evalError) {
	switch x := x.(type) {
	case *lang.Name:
		return []string{x.String()}, nil
	case *lang.List:
		return namesOf(x.Elems)
	case *lang.Tuple:
		return namesOf(x.Elems)
	case *lang.Set:
		return namesOf(x.Elems)
	case *lang.Paren:
		return varNames(x.X)
	}
	return nil, errAt(x.Span(), "vars needs variable names, like vars [x, y]")
}

func namesOf(es []lang.Expr) ([]string, *evalError) {
	var out []string
	for _, e := range es {
		n, ok := e.(*lang.Name)
		if !ok {
			return nil, errAt(e.Span(), "expected a variable name")
		}
		out = append(out, n.String())
	}
	return out, nil
}

// exactString is the exact rational text of n, or "".
func exactString(n units.Number) string {
	if r, ok := n.Rat(); ok {
		return r.RatString()
	}
	return ""
}
