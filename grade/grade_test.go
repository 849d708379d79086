package grade

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/polylearn/poly/compiler/units"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		in, want, method string
		ok               bool
	}{
		{"so $\\boxed{\\frac{1}{2}}$.", "\\frac{1}{2}", "boxed", true},
		{"\\fbox{7}", "7", "fbox", true},
		{"\\boxed{a{b}c} then \\boxed{\\{1\\}}", "\\{1\\}", "boxed", true},
		{"\\boxed{1} and \\boxed{2}", "1, 2", "boxed", true},
		{"The final answer is 42. I hope it is correct.", "42", "answer_line", true},
		{"Answer: $x = 3$", "x = 3", "answer_line", true},
		{"We get $y = 2$ and so $y^2 = 4$ holds", "y^2 = 4", "last_math", true},
		{"it was 3, then 4.5 apples", "4.5", "last_number", true},
		{"it costs -12 dollars", "-12", "last_number", true},
		{"nothing here", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		got, m, ok := Extract(tt.in)
		if got != tt.want || m != tt.method || ok != tt.ok {
			t.Errorf("Extract(%q) = %q, %q, %v; want %q, %q, %v", tt.in, got, m, ok, tt.want, tt.method, tt.ok)
		}
	}
}

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\\frac{6}{8}", "3/4"},
		{"1.2 \\times 10^{3}", "1200"},
		{"50\\%", "50%"},
		{"\\{3, 1\\}", "{3, 1}"},
		{"[0, 1)", "[0, 1)"},
		{"(1, 2)", "(1, 2)"},
		{"x^2 + 1", "x^2 + 1"},
		{"5\\,\\mathrm{km}", "5 km"},
		{"x = 3", "x = 3"},
		{"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "[[1, 2], [3, 4]]"},
		{"\\sqrt{4}", "2"},
		{"\\sqrt{2}", "sqrt(2) ≈ 1.41421356237"},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if v.String() != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, v.String(), tt.want)
		}
	}
	for _, bad := range []string{"", "\\frac{1}{", "(1, 2", "1 +", "\\begin{pmatrix}1"} {
		if v, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", bad, v)
		}
	}
}

func TestGoldConstructors(t *testing.T) {
	must := func(g Gold, err error) Gold {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	half := must(Fraction(1, 2))
	tests := []struct {
		name string
		gold Gold
		pred string
		want bool
	}{
		{"fraction exact", half, "\\boxed{0.5}", true},
		{"fraction wrong", half, "\\boxed{0.51}", false},
		{"integer", Integer(42), "The answer is 42.", true},
		{"float default rel", must(Number(math.Sqrt(2), "", Tolerance{})), "\\boxed{\\sqrt{2}}", true},
		{"float 1% rel", must(Number(9.81, "m/s^2", Tolerance{Rel: 0.01})), "\\boxed{9.9 m/s^2}", true},
		{"float 1% rel too far", must(Number(9.81, "m/s^2", Tolerance{Rel: 0.001})), "\\boxed{9.9 m/s^2}", false},
		{"abs tolerance", must(Number(100, "", Tolerance{Abs: 0.5})), "\\boxed{100.4}", true},
		{"sig figures", must(Number(6.674e-11, "", Tolerance{Sig: 3})), "\\boxed{6.67 \\times 10^{-11}}", true},
		{"sig figures off", must(Number(6.674e-11, "", Tolerance{Sig: 3})), "\\boxed{6.69 \\times 10^{-11}}", false},
		{"unit conversion", must(Number(5, "km", Tolerance{})), "\\boxed{5000\\,\\mathrm{m}}", true},
		{"abs tolerance in the gold unit", must(Number(159.04, "mV", Tolerance{Abs: 0.2})), "\\boxed{165 mV}", false},
		{"abs tolerance in the gold unit, converted", must(Number(159.04, "mV", Tolerance{Abs: 0.2})), "\\boxed{0.15915 V}", true},
		{"sig tolerance in the gold unit", must(Number(4.55, "umol/min", Tolerance{Sig: 3})), "\\boxed{4.554 umol/min}", true},
		{"sig tolerance in the gold unit, other unit", must(Number(4.55, "umol/min", Tolerance{Sig: 3})), "\\boxed{0.0758 umol/s}", true},
		{"unit mismatch", must(Number(5, "J", Tolerance{})), "\\boxed{5 W}", false},
		{"exact rational", must(Exact(big.NewRat(22, 7), "", Tolerance{})), "\\boxed{\\frac{44}{14}}", true},
		{"percent unit", must(Number(28, "%", Tolerance{})), "\\boxed{28\\%}", true},
		{"quantity", Quantity(units.Int(3), units.MustParse("h"), Tolerance{}), "\\boxed{180 min}", true},
		{"choice", must(Choice("B", "12", "42", "7")), "\\boxed{(B)}", true},
		{"choice by content", must(Choice("B", "12", "42", "7")), "\\boxed{42}", true},
		{"choice wrong content", must(Choice("B", "12", "42", "7")), "\\boxed{12}", false},
		{"set", Set(Integer(1), Integer(2)), "\\boxed{\\{2, 1\\}}", true},
		{"tuple", Tuple(Integer(1), Integer(2)), "\\boxed{(2, 1)}", false},
		{"interval", Interval(Integer(0), must(Number(math.Inf(1), "", Tolerance{})), false, true), "\\boxed{[0, \\infty)}", true},
		{"interval ends", Interval(Integer(0), Integer(1), false, true), "\\boxed{(0, 1)}", false},
		{"expr", must(Expr("x^2-1", "x")), "\\boxed{(x-1)(x+1)}", true},
		{"text", Text("Evelyn"), "\\boxed{\\text{evelyn}}", true},
	}
	for _, tt := range tests {
		r := Check(tt.gold, tt.pred, Options{})
		if (r.Reward == 1) != tt.want {
			t.Errorf("%s: Check(%s, %q) = %+v, want correct=%v", tt.name, tt.gold, tt.pred, r, tt.want)
		}
	}
	if _, err := Number(1, "furlongs per fortnight squared banana", Tolerance{}); err == nil {
		t.Error("unknown unit accepted")
	}
	if _, err := Choice("7"); err == nil {
		t.Error("bad choice letter accepted")
	}
	if _, err := Expr("x + y", "x"); err == nil {
		t.Error("expression with an undeclared variable accepted")
	}
	if r := Check(Gold{}, "1", Options{}); r.Reward != 0 || r.Reason == "" {
		t.Errorf("zero gold: %+v", r)
	}
}

func TestOptions(t *testing.T) {
	g, _ := ParseGold("(1, 2, 3, 4)")
	r := Check(g, "\\boxed{(1, 2, 0, 4)}", Options{Partial: true})
	if r.Reward != 0.75 {
		t.Errorf("partial credit: %+v", r)
	}
	r = Check(g, "\\boxed{(1, 2, 0, 4)}", Options{})
	if r.Reward != 0 || r.Reason == "" {
		t.Errorf("binary by default: %+v", r)
	}
	r = Check(g, "\\boxed{7}", Options{FormatReward: 0.1})
	if r.Reward != 0.1 || !r.FormatOK {
		t.Errorf("format reward: %+v", r)
	}
	r = Check(g, "it is $(1, 2, 3, 4)$", Options{FormatReward: 0.1})
	if r.Reward != 1 || r.FormatOK {
		t.Errorf("correct without format: %+v", r)
	}
	r = Check(Integer(5), "so it is 5", Options{Strict: true})
	if r.Reward != 0 || r.Reason != "no final answer found" {
		t.Errorf("strict: %+v", r)
	}
	r = Check(Integer(5), "Answer: 5", Options{Strict: true})
	if r.Reward != 1 {
		t.Errorf("strict answer line: %+v", r)
	}
	g2, _ := ParseGold("2.5")
	r = Check(g2, "\\boxed{2.6}", Options{Tolerance: Tolerance{Abs: 0.2}})
	if r.Reward != 1 {
		t.Errorf("option tolerance: %+v", r)
	}
}

func TestReasons(t *testing.T) {
	tests := []struct{ gold, pred, reason string }{
		{"12 J", "\\boxed{12 W}", "unit mismatch: W vs J"},
		{"42", "no digits here", "no final answer found"},
		{"100", "\\boxed{112}", "off by 12%"},
		{"[0,1]", "\\boxed{(0,1)}", "interval ends differ: (0, 1) vs [0, 1]"},
		{"\\{1,2\\}", "\\boxed{\\{1,3\\}}", "missing 2"},
		{"B", "\\boxed{C}", "wrong choice: C vs B"},
	}
	for _, tt := range tests {
		r := CheckStrings(tt.gold, tt.pred, Options{})
		if r.Reason != tt.reason {
			t.Errorf("CheckStrings(%q, %q).Reason = %q, want %q", tt.gold, tt.pred, r.Reason, tt.reason)
		}
	}
}

// TestHostile runs inputs built to hang or crash a grader: each must
// finish within its budget with reward 0 (or the right answer found in
// the tail).
func TestHostile(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, gold, pred string
		want             float64
	}{
		{"megabyte string", "1", big, 0},
		{"megabyte then answer", "7", big + " \\boxed{7}", 1},
		{"megabyte inside a box", "1", "\\boxed{" + big + "}", 0},
		// the depth budget rejects the parse; the last number is still 1
		{"10k nested braces", "1", strings.Repeat("{", 10000) + "1" + strings.Repeat("}", 10000), 1},
		{"10k unclosed braces", "1", "\\boxed{" + strings.Repeat("{", 10000), 0},
		{"frac chain", "1", strings.Repeat("\\frac", 5000) + "{1}{2}", 0},
		{"boxed frac chain", "1", "\\boxed{" + strings.Repeat("\\frac{1}", 3000) + "{2}}", 0},
		{"tower", "1", "\\boxed{10^{10^{10}}}", 0},
		{"tower of 40", "1", "\\boxed{" + strings.Repeat("9^{", 40) + "9" + strings.Repeat("}", 40) + "}", 0},
		{"deep parentheses", "1", strings.Repeat("(", 3000) + "1" + strings.Repeat(")", 3000), 1},
		{"deep parentheses, wrong", "2", strings.Repeat("(", 3000) + "1" + strings.Repeat(")", 3000), 0},
		{"long sum", "1", "\\boxed{" + strings.Repeat("1+", 20000) + "1}", 0},
		{"nested radicals", "1", "\\boxed{" + strings.Repeat("\\sqrt{", 500) + "1" + strings.Repeat("}", 500) + "}", 0},
		{"huge matrix", "1", "\\boxed{\\begin{pmatrix}" + strings.Repeat("1&", 3000) + "1\\end{pmatrix}}", 0},
		{"factorial tower", "1", "\\boxed{9!!!!!!!!!!!!!!!!!!!!!!!!!}", 0},
		{"huge binomial", "1", "\\boxed{\\binom{100000000}{50000000}}", 0},
		{"many boxes", "1", strings.Repeat("\\boxed{2} ", 50000), 0},
		{"many dollars", "1", strings.Repeat("$", 100000), 0},
		{"expression gold, hostile pred", "x^2", "\\boxed{" + strings.Repeat("x^", 2000) + "2}", 0},
		{"many variables", "x", "\\boxed{" + strings.Repeat("a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q+r+s+t+u+v+w+", 40) + "x}", 0},
		{"hostile gold", strings.Repeat("{", 5000), "1", 0},
		{"pm explosion", "1", "\\boxed{" + strings.Repeat("1\\pm ", 200) + "1}", 0},
		{"invalid utf8", "1", "\xff\xfe\\boxed{\xff}", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := CheckStrings(tt.gold, tt.pred, Options{})
			d := time.Since(start)
			if r.Reward != tt.want {
				t.Errorf("reward %v, want %v (%s)", r.Reward, tt.want, r.Reason)
			}
			if strings.HasPrefix(r.Reason, "internal error") {
				t.Error(r.Reason)
			}
			// the deterministic budgets stop each of these in milliseconds;
			// generous for the race detector and a loaded CI machine
			if d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestConcurrent grades the case table from several goroutines at once:
// the caches share parsed values between checks (run with -race).
func TestConcurrent(t *testing.T) {
	cases := loadCases(t)
	if testing.Short() {
		cases = cases[:60]
	}
	want := make([]float64, len(cases))
	for i, c := range cases {
		want[i] = CheckStrings(c.Gold, c.Pred, Options{}).Reward
	}
	done := make(chan string, 4)
	for w := 0; w < 4; w++ {
		go func(w int) {
			msg := ""
			for k := range cases {
				i := (k*7 + w*13) % len(cases)
				if r := CheckStrings(cases[i].Gold, cases[i].Pred, Options{}); r.Reward != want[i] && msg == "" {
					msg = cases[i].Note
				}
			}
			done <- msg
		}(w)
	}
	for w := 0; w < 4; w++ {
		if msg := <-done; msg != "" {
			t.Errorf("concurrent result differs: %s", msg)
		}
	}
}

// TestCacheBudget: a parse that fails under a small budget must not be
// served to a check under the default budget.
func TestCacheBudget(t *testing.T) {
	gold := "\\frac{1}{2} + \\frac{1}{3} + \\frac{1}{6} + 0 + 0 + 0"
	small := Options{Budget: Budget{MaxNodes: 5}}
	if r := CheckStrings(gold, "1", small); r.Reward != 0 {
		t.Fatalf("small budget: %+v", r)
	}
	if r := CheckStrings(gold, "1", Options{}); r.Reward != 1 {
		t.Fatalf("default budget after a small one: %+v", r)
	}
	if r := CheckStrings("1", gold, small); r.Reward != 0 {
		t.Fatalf("small budget, pred: %+v", r)
	}
	if r := CheckStrings("1", gold, Options{}); r.Reward != 1 {
		t.Fatalf("default budget after a small one, pred: %+v", r)
	}
}

// A gold text that does not parse as a whole must not fall back to a
// fragment of itself: "2 1/s" read as its last number 1 made every
// prediction ending in "1/s" score. Only a box or an answer phrase may
// stand for a whole-solution gold.
func TestGoldNoFragmentFallback(t *testing.T) {
	for _, tc := range []struct{ gold, pred string }{
		{"2 1/s", "3 1/s"},
		{"3000000 1/mL", "5 1/mL"},
	} {
		if _, err := ParseGold(tc.gold); err == nil {
			// If the parser learns this unit form, the values must differ.
			if r := CheckStrings(tc.gold, tc.pred, Options{}); r.Reward != 0 {
				t.Errorf("CheckStrings(%q, %q) = %v, want 0", tc.gold, tc.pred, r.Reward)
			}
			continue
		}
		if r := CheckStrings(tc.gold, tc.pred, Options{}); r.Reward != 0 {
			t.Errorf("CheckStrings(%q, %q) = %v with an unparseable gold, want 0", tc.gold, tc.pred, r.Reward)
		}
	}
	// A whole solution with an answer phrase still gives its gold.
	g, err := ParseGold("Adding the two parts gives 12 apples. The answer is 17.")
	if err != nil {
		t.Fatal(err)
	}
	if r := Check(g, `\boxed{17}`, Options{}); r.Reward != 1 {
		t.Errorf("answer-phrase gold: reward %v (%s), want 1", r.Reward, r.Reason)
	}
}

// A unit written as a reciprocal after a number ("5 1/mL") is a unit.
func TestReciprocalUnit(t *testing.T) {
	for _, tc := range []struct {
		gold, pred string
		want       float64
	}{
		{"2 1/s", `2\,\mathrm{s^{-1}}`, 1},
		{"2 1/s", "2 Hz", 1},
		{"2 1/s", "3 1/s", 0},
		{`3\times10^{6}\,\mathrm{mL^{-1}}`, "3.000e6 1/mL", 1},
		{`3\times10^{6}\,\mathrm{mL^{-1}}`, "3000 1/L", 0},
		{`3\times10^{6}\,\mathrm{mL^{-1}}`, "3e9 1/L", 1},
		{"1/2", "0.5", 1}, // a bare fraction is still a fraction
	} {
		if r := CheckStrings(tc.gold, tc.pred, Options{}); r.Reward != tc.want {
			t.Errorf("CheckStrings(%q, %q) = %v (%s, parsed %q), want %v", tc.gold, tc.pred, r.Reward, r.Reason, r.Parsed, tc.want)
		}
	}
}
