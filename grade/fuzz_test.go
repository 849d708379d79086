package grade

import (
	"testing"
	"time"
)

// fuzzSeeds are inputs that exercise every corner of the lexer and parser;
// the corpus under testdata/fuzz adds the crashers found so far.
var fuzzSeeds = []string{
	"", "42", "-5", "1,234", "1{,}234", "10,\\!000", "0,5", "1.2e3", "\\frac12", "\\frac{1}{2}",
	"\\sqrt[3]{8}", "\\sqrt2", "2\\frac{1}{2}", "(0,1]", "[0,1)", "\\{1,2\\}", "(1,2,3)",
	"x^2+2x+1", "\\sin^2 x + \\cos^2 x", "\\log_2 8", "5\\,\\mathrm{km}", "9.8 m/s^2", "50\\%",
	"90^\\circ", "x \\in [0, 1)", "x = 3", "1 < x \\le 2", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
	"\\boxed{\\frac{1}{2}}", "The answer is 5.", "Final Answer: $\\boxed{B}$", "(B)", "\\text{Evelyn}",
	"1 \\pm \\sqrt{5}", "(-\\infty, 0) \\cup (1, \\infty)", "10^{10^{10}}", "\\frac{\\frac{\\frac{1}{2}}{3}}{4}",
	"{{{{{{{{{{", "}}}}}}", "\\left( \\frac{1}{2} \\right)", "204_5", "3!", "\\binom{5}{2}", "|x-1|",
	"\\lfloor 2.5 \\rfloor", "$$x$$", "\\(1\\)", "\\[2\\]", "e^{i\\pi}", "2e-9", "1/0", "0^0", "(-8)^{1/3}",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		v, err := ParseWith(s, Budget{Timeout: 100 * time.Millisecond})
		if err == nil && v == nil {
			t.Fatalf("Parse(%q): nil value without error", s)
		}
		if err == nil {
			_ = v.String()
			_ = v.Kind()
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("Parse(%q) took %v", s, d)
		}
	})
}

func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
		f.Add("Thus the answer is $" + s + "$.")
		f.Add("\\boxed{" + s + "}")
	}
	f.Fuzz(func(t *testing.T, s string) {
		ans, method, ok := Extract(s)
		if ok != (method != "") {
			t.Fatalf("Extract(%q): ok=%v but method %q", s, ok, method)
		}
		if !ok && ans != "" {
			t.Fatalf("Extract(%q): answer %q without ok", s, ans)
		}
	})
}

func FuzzCheckStrings(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i*7+3)%len(fuzzSeeds)])
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, gold, pred string) {
		start := time.Now()
		r := CheckStrings(gold, pred, Options{Budget: Budget{Timeout: 100 * time.Millisecond}})
		if r.Reward != 0 && r.Reward != 1 {
			t.Fatalf("binary reward expected, got %v", r.Reward)
		}
		if (r.Reward == 1) != (r.Reason == "") {
			t.Fatalf("reward %v with reason %q", r.Reward, r.Reason)
		}
		if len(r.Reason) >= 16 && r.Reason[:16] == "internal error: " {
			t.Fatalf("CheckStrings(%q, %q) recovered a panic: %s", gold, pred, r.Reason)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("CheckStrings(%q, %q) took %v", gold, pred, d)
		}
		// caches off (scratch memory), and the parser without its fast
		// paths, give the same Result (unless the clock ran out)
		opts := Options{NoCache: true, Budget: Budget{Timeout: 100 * time.Millisecond}}
		cold := CheckStrings(gold, pred, opts)
		var full Result
		withoutFastPaths(func() { full = CheckStrings(gold, pred, opts) })
		if r.Budget != BudgetTime && cold.Budget != BudgetTime && cold != r {
			t.Fatalf("CheckStrings(%q, %q): cached %+v, caches off %+v", gold, pred, r, cold)
		}
		if cold.Budget != BudgetTime && full.Budget != BudgetTime && cold != full {
			t.Fatalf("CheckStrings(%q, %q): fast paths %+v, without %+v", gold, pred, cold, full)
		}
	})
}
