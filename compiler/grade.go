package compiler

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/grade"
)

// Grade scores a completion against the sample's gold answer: it applies
// the answer kind, tolerance and unit conversion, then the custom check
// program when there is one. It never panics; a failing or panicking
// check program gives reward 0 with the reason.
func (s *Sample) Grade(completion string) grade.Result {
	return s.GradeWith(completion, grade.Options{})
}

// GradeWith is Grade with grader options (format reward, strict
// extraction, budget).
func (s *Sample) GradeWith(completion string, opts grade.Options) (res grade.Result) {
	defer func() {
		if v := recover(); v != nil {
			res = grade.Result{Reward: 0, Gold: s.GroundTruth, Reason: fmt.Sprintf("internal grader error: %v", v)}
		}
	}()
	a := &s.Answer
	res, pred, predOK := gradeAnswer(a, completion, opts)
	if a.Check == nil {
		return res
	}
	// The custom check program decides.
	env := CheckEnv{
		Pred: math.NaN(), Gold: a.Float, PredText: res.Extracted, GoldText: a.Text,
		Tol: a.Tolerance.Value, Values: s.checkEnv,
	}
	if predOK {
		env.Pred = pred
	}
	ok, err := a.Check.Run(env)
	switch {
	case err != nil:
		res.Reward, res.Reason = 0, err.Error()
	case ok:
		res.Reward, res.Reason = 1, ""
	default:
		res.Reward, res.Reason = 0, "the check program returned false"
		if opts.FormatReward > 0 && res.FormatOK {
			res.Reward = opts.FormatReward
		}
	}
	return res
}

// gradeAnswer compares a completion with the gold answer. It returns the
// result and, for numeric answers, the prediction in the answer unit.
//
// This is the compiler's adapter to the grader: extraction comes from
// grade.Extract; the comparison below covers the answer kinds the
// compiler produces until the grader exposes its own equivalence.
func gradeAnswer(a *Answer, completion string, opts grade.Options) (grade.Result, float64, bool) {
	res := grade.Result{Gold: a.Text}
	budget := opts.Budget.MaxInput
	if budget <= 0 {
		budget = grade.DefaultBudget.MaxInput
	}
	if len(completion) > budget {
		completion = completion[len(completion)-budget:]
	}
	text, method, ok := grade.Extract(completion)
	if whole := strings.TrimSpace(completion); (!ok || method == "last_number" || method == "last_math") && len(whole) <= 200 {
		// A bare answer ("2192 mg", "\frac{7}{18}"): the whole text is the
		// answer when it parses as one.
		if _, err := parseAnswerQuantity(whole); err == nil || a.Kind == KindChoice || a.Kind == KindSet || a.Kind == KindTuple || a.Kind == KindInterval {
			if err == nil || len(whole) <= 40 {
				text, method, ok = whole, "whole", true
			}
		}
	}
	if !ok {
		res.Reason = "no final answer found"
		return res, 0, false
	}
	res.Extracted, res.Method = text, method
	res.FormatOK = method == "boxed" || method == "fbox" || method == "answer_line"
	if len(text) > 4096 {
		res.Reason = "answer too long"
		return res, 0, false
	}
	fail := func(format string, args ...any) (grade.Result, float64, bool) {
		res.Reason = fmt.Sprintf(format, args...)
		if opts.FormatReward > 0 && res.FormatOK {
			res.Reward = opts.FormatReward
		}
		return res, 0, false
	}
	switch a.Kind {
	case KindChoice:
		l := normChoice(text)
		res.Parsed = l
		for _, ch := range a.Choices {
			if strings.EqualFold(ch.Label, l) {
				if strings.EqualFold(l, a.Text) {
					res.Reward = 1
					return res, 0, false
				}
				return fail("chose %s, the answer is %s", l, a.Text)
			}
		}
		return fail("%q is not one of the choices", text)
	case KindNumber, KindExact:
		q, err := parseAnswerQuantity(text)
		if err != nil {
			return fail("cannot parse %q as a number: %v", text, err)
		}
		v, err := toAnswerUnit(q, a.Unit)
		if err != nil {
			return fail("%v", err)
		}
		res.Parsed = v.Value.String()
		f := v.Value.Float64()
		if a.Kind == KindExact {
			gold, _ := units.ParseNumber(a.Exact)
			if v.Value.IsExact() && v.Value.Equal(gold) {
				res.Reward = 1
				return res, f, true
			}
			r, _, _ := fail("expected the exact value %s, got %s", a.Text, v.Value.FracString())
			return r, f, true
		}
		if numClose(f, a.Float, a.Tolerance) {
			res.Reward = 1
			return res, f, true
		}
		r, _, _ := fail("%s", offBy(f, a.Float))
		return r, f, true
	case KindSet, KindTuple, KindInterval:
		return gradeSeq(a, text, res, fail)
	case KindText:
		if strings.EqualFold(strings.TrimSpace(stripText(text)), strings.TrimSpace(a.Text)) {
			res.Reward = 1
			return res, 0, false
		}
		return fail("expected %q", a.Text)
	}
	return fail("answer kind %s is not supported by this grader yet", a.Kind)
}

func offBy(pred, gold float64) string {
	if gold == 0 {
		return fmt.Sprintf("expected %s, got %s", formatFloat(gold), formatFloat(pred))
	}
	return fmt.Sprintf("expected %s, got %s (off by %.3g%%)", formatFloat(gold), formatFloat(pred), 100*math.Abs(pred-gold)/math.Abs(gold))
}

// numClose compares with a tolerance; the zero tolerance is the grader's
// default relative one.
func numClose(pred, gold float64, t Tolerance) bool {
	if math.IsNaN(pred) || math.IsNaN(gold) {
		return false
	}
	switch t.Kind {
	case "abs":
		return math.Abs(pred-gold) <= t.Value*(1+1e-12)
	case "rel":
		return math.Abs(pred-gold) <= t.Value*math.Abs(gold)*(1+1e-12)
	case "sig":
		n := int(t.Value)
		return strconv.FormatFloat(pred, 'e', n-1, 64) == strconv.FormatFloat(gold, 'e', n-1, 64)
	}
	return pred == gold || math.Abs(pred-gold) <= grade.DefaultRel*math.Max(math.Abs(pred), math.Abs(gold))
}

func toAnswerUnit(q Q, unit string) (Q, error) {
	if unit == "" {
		if !q.Unit.IsOne() {
			if q.Unit.IsDimensionless() {
				n, err := q.Number()
				return units.Scalar(n), err
			}
			return Q{}, fmt.Errorf("unit mismatch: %s vs a plain number", q.Unit)
		}
		return q, nil
	}
	u, err := parseUnit(unit)
	if err != nil {
		return Q{}, err
	}
	if q.Unit.IsOne() {
		return units.Q(q.Value, u), nil // a bare number is in the answer unit
	}
	out, err := q.To(u)
	if err != nil {
		return Q{}, fmt.Errorf("unit mismatch: %s vs %s", q.Unit, u)
	}
	return out, nil
}

var (
	reFrac    = regexp.MustCompile(`\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}`)
	reFracS   = regexp.MustCompile(`\\[dt]?frac\s*(\d)\s*(\d)`)
	reTimes10 = regexp.MustCompile(`\s*(?:\\times|\\cdot|×|\*)\s*10\s*\^\s*\{?\s*([+-−]?\s*\d+)\s*\}?`)
	reText    = regexp.MustCompile(`\\(?:text|mathrm|textrm|operatorname|mbox)\s*\{([^{}]*)\}`)
	reThin    = regexp.MustCompile(`\\[,;:! ]|~`)
	reMu      = regexp.MustCompile(`(?:\\mu|μ|µ)\s*`)
	reThous   = regexp.MustCompile(`(\d),(\d{3})\b`)
)

func stripText(s string) string { return reText.ReplaceAllString(s, "$1") }

// parseAnswerQuantity turns an extracted answer ("1.92 \times 10^{5}",
// "\frac{7}{18}", "159.04 \text{ mV}", "50\%") into a quantity.
func parseAnswerQuantity(s string) (Q, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "$"), "$")
	if i := strings.LastIndex(s, "="); i >= 0 {
		s = s[i+1:]
	}
	s = reThin.ReplaceAllString(s, " ")
	s = reText.ReplaceAllString(s, " $1")
	s = reMu.ReplaceAllString(s, "u")
	s = strings.NewReplacer(`\left`, "", `\right`, "", `\%`, "%", `^\circ`, " deg", `^{\circ}`, " deg", "°", " deg", "−", "-", `\mu`, "u", "μ", "u", `\Omega`, "ohm", "Ω", "ohm").Replace(s)
	s = reFrac.ReplaceAllString(s, "($1)/($2)")
	s = reFracS.ReplaceAllString(s, "$1/$2")
	s = reThous.ReplaceAllString(s, "$1$2")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	mult := units.Int(1)
	if m := reTimes10.FindStringSubmatchIndex(s); m != nil {
		exp := strings.ReplaceAll(strings.ReplaceAll(s[m[2]:m[3]], " ", ""), "−", "-")
		k, err := strconv.Atoi(exp)
		if err != nil || k > 400 || k < -400 {
			return Q{}, fmt.Errorf("bad exponent")
		}
		mult, _ = units.Int(10).Pow(units.Int(int64(k)))
		s = s[:m[0]] + s[m[1]:]
	}
	// "(7)/(18)" -> "7/18"
	s = strings.NewReplacer("(", "", ")", "", "{", "", "}", "").Replace(s)
	s = strings.TrimSpace(s)
	q, err := units.ParseQuantity(s)
	if err != nil {
		// "7/18" with spaces, or a leading sign.
		return Q{}, err
	}
	v, err := q.Value.Mul(mult)
	if err != nil {
		return Q{}, err
	}
	return units.Q(v, q.Unit), nil
}

// normChoice reduces "(B)", "B)", "\text{B}", "option b" to "B".
func normChoice(s string) string {
	s = stripText(s)
	s = strings.Trim(strings.TrimSpace(s), "()[].:$ ")
	if f := strings.Fields(s); len(f) > 0 {
		s = f[len(f)-1]
		if len(f) > 1 && len(f[0]) == 1 {
			s = f[0]
		}
	}
	return strings.Trim(s, "()[].:$ ")
}

// gradeSeq compares sets, tuples and intervals element by element.
func gradeSeq(a *Answer, text string, res grade.Result, fail func(string, ...any) (grade.Result, float64, bool)) (grade.Result, float64, bool) {
	t := strings.TrimSpace(stripText(text))
	t = strings.NewReplacer(`\left`, "", `\right`, "", `\{`, "{", `\}`, "}", `\infty`, "inf", "∞", "inf").Replace(t)
	if len(t) < 2 {
		return fail("expected a %s like %s", a.Kind, a.Text)
	}
	open, close := t[0], t[len(t)-1]
	inner := t
	if strings.ContainsRune("([{", rune(open)) && strings.ContainsRune(")]}", rune(close)) {
		inner = t[1 : len(t)-1]
	} else if a.Kind == KindInterval {
		return fail("expected an interval like %s", a.Text)
	}
	parts := strings.Split(inner, ",")
	var vals []float64
	for _, p := range parts {
		p = strings.TrimSpace(p)
		switch p {
		case "inf", "+inf", `+\infty`:
			vals = append(vals, math.Inf(1))
			continue
		case "-inf":
			vals = append(vals, math.Inf(-1))
			continue
		}
		q, err := parseAnswerQuantity(p)
		if err != nil {
			return fail("cannot parse %q: %v", p, err)
		}
		v, err := toAnswerUnit(q, a.Unit)
		if err != nil {
			return fail("%v", err)
		}
		vals = append(vals, v.Value.Float64())
	}
	res.Parsed = t
	if len(vals) != len(a.Elements) {
		return fail("expected %d elements, got %d", len(a.Elements), len(vals))
	}
	eq := func(x, y float64) bool {
		if math.IsInf(x, 0) || math.IsInf(y, 0) {
			return x == y
		}
		tol := a.Tolerance
		return numClose(x, y, tol)
	}
	switch a.Kind {
	case KindInterval:
		if (open == '(') != a.LeftOpen || (close == ')') != a.RightOpen {
			return fail("wrong interval ends: expected %s", a.Text)
		}
		if !eq(vals[0], a.Elements[0]) || !eq(vals[1], a.Elements[1]) {
			return fail("expected %s", a.Text)
		}
	case KindTuple:
		for i := range vals {
			if !eq(vals[i], a.Elements[i]) {
				return fail("element %d differs: expected %s", i+1, a.Text)
			}
		}
	case KindSet:
		used := make([]bool, len(vals))
		for _, g := range a.Elements {
			found := false
			for i, v := range vals {
				if !used[i] && eq(v, g) {
					used[i], found = true, true
					break
				}
			}
			if !found {
				return fail("expected %s", a.Text)
			}
		}
	}
	res.Reward = 1
	return res, 0, false
}
