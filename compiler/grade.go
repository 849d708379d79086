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
	res = grade.Check(s.gold, completion, opts)
	if a.Check == nil {
		return res
	}
	pred, predOK := predValue(res.Extracted, a.Unit)
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

// predValue reads the extracted prediction as a number in the answer
// unit (a bare number is taken to be in the answer unit), for the check
// program's pred.
func predValue(text, unit string) (float64, bool) {
	if text == "" || len(text) > 4096 {
		return 0, false
	}
	q, err := parseAnswerQuantity(text)
	if err != nil {
		return 0, false
	}
	v, err := toAnswerUnit(q, unit)
	if err != nil {
		return 0, false
	}
	f := v.Value.Float64()
	return f, !math.IsNaN(f)
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

// parseAnswerQuantity turns an extracted answer ("1.92 \times 10^{5}",
// "\frac{7}{18}", "159.04 \text{ mV}", "50\%") into a quantity.
func parseAnswerQuantity(s string) (Q, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimSuffix(s, "$"), "$")
	if i := strings.LastIndex(s, "="); i >= 0 {
		s = s[i+1:]
	}
	s = strings.ReplaceAll(s, "{}", "")
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
