package compiler

import (
	"strings"
	"testing"

	"github.com/polylearn/poly/lang"
)

// compileOne compiles src (a single sample or family) from memory.
func compileOne(t *testing.T, src string) (*Spec, lang.Diagnostics) {
	t.Helper()
	return Compile("test.poly", []byte(src), &Options{ReadFile: func(string) ([]byte, error) {
		return nil, errNoFS
	}})
}

var errNoFS = &lang.Diagnostic{Summary: "no file system in tests"}

func mustCompile(t *testing.T, src string) *Spec {
	t.Helper()
	spec, diags := compileOne(t, src)
	if diags.HasErrors() {
		var b strings.Builder
		diags.Render(&b, spec.Files)
		t.Fatalf("unexpected errors:\n%s", b.String())
	}
	return spec
}

// TestEvalPrompt evaluates `let x = EXPR` and renders "{x...}" into the
// prompt, comparing the text.
func TestEvalPrompt(t *testing.T) {
	tests := []struct {
		expr, hole, want string
	}{
		{"1 + 2", "{x}", "3"},
		{"5/12", "{x}", "5/12"},
		{"1/4", "{x}", "0.25"},
		{"(1 - 5/12) * (1 - 1/3)", "{x}", "7/18"},
		{"2 ** 10", "{x}", "1024"},
		{"2 ^ -2", "{x}", "0.25"},
		{"3.0e3 cell", "{x}", "3000 cell"},
		{"20 min", "{x in h:.4g}", "0.3333 h"},
		{"1500 m", "{x in km}", "1.5 km"},
		{"1500 m", "{x:.2f}", "1500.00 m"},
		{"192000", "{x:.3g}", "1.92e5"},
		{"2.5e-12 mol", "{x}", "2.5e-12 mol"},
		{"2 h / (20 min)", "{x}", "6"},
		{"3000 cell * 2 ** (2 h / (20 min))", "{x}", "192000 cell"},
		{"10 kohm * 47 uF", "{x in s}", "0.47 s"},
		{"sqrt(9/4)", "{x}", "1.5"},
		{"sqrt(2)", "{x:.6f}", "1.414214"},
		{"sqrt(16 m^2)", "{x}", "4 m"},
		{"sin(30 deg)", "{x:.6f}", "0.500000"},
		{"asin(1/2)", "{x in deg:.4g}", "30°"},
		{"cos(0)", "{x}", "1"},
		{"log10(1000)", "{x}", "3"},
		{"log2(1/8)", "{x}", "-3"},
		{"ln(1)", "{x}", "0"},
		{"log(8, 2)", "{x:.6g}", "3"},
		{"exp(0)", "{x}", "1"},
		{"abs(-3 m)", "{x}", "3 m"},
		{"min(3 m, 200 cm, 4 m)", "{x}", "200 cm"},
		{"max(1, 5, 2)", "{x}", "5"},
		{"round(2.5)", "{x}", "3"},
		{"round(3.14159, 2)", "{x}", "3.14"},
		{"floor(-2.5)", "{x}", "-3"},
		{"ceil(2.1)", "{x}", "3"},
		{"gcd(12, 18)", "{x}", "6"},
		{"lcm(4, 6)", "{x}", "12"},
		{"comb(10, 3)", "{x}", "120"},
		{"factorial(20)", "{x}", "2.43290200817664e18"},
		{"factorial(10)", "{x}", "3628800"},
		{"6.02214076e23", "{x}", "6.02214076e23"},
		{"7 % 3", "{x}", "1"},
		{"sum([1, 2, 3])", "{x}", "6"},
		{"len({1, 2, 3})", "{x}", "3"},
		{"[1, 2] ", "{x}", "[1, 2]"},
		{"(1 m, 2 m)", "{x}", "(1 m, 2 m)"},
		{"37 degC", "{x in K}", "310.15 K"},
		{"8.314 J/(mol*K) * 37 degC", "{x:.5g}", "2578.6 J/mol"},
		{"50 %", "{x}", "50%"},
		{"1/4", "{x in %}", "25%"},
		{"pi", "{x:.5f}", "3.14159"},
		{"1 < 2 and 2 < 3", "{x}", "true"},
		{"\"text\"", "{x}", "text"},
	}
	for _, tt := range tests {
		src := "sample s {\n  let x = " + tt.expr + "\n  prompt \"" + strings.ReplaceAll(tt.hole, `"`, `\"`) + "\"\n  answer 1\n}\n"
		spec, diags := compileOne(t, src)
		if diags.HasErrors() {
			var b strings.Builder
			diags.Render(&b, spec.Files)
			t.Errorf("%s: errors:\n%s", tt.expr, b.String())
			continue
		}
		if got := spec.Samples[0].Prompt; got != tt.want {
			t.Errorf("let x = %s; %s = %q, want %q", tt.expr, tt.hole, got, tt.want)
		}
	}
}

// TestEvalErrors checks messages and carets of evaluation errors.
func TestEvalErrors(t *testing.T) {
	tests := []struct {
		expr, msg, caret string
	}{
		{"1 m + 2 s", "unit mismatch: m vs s", "1 m + 2 s"},
		{"1 / 0", "division by zero", "1 / 0"},
		{"exp(1000)", "overflow", "exp(1000)"},
		{"sqrt(-1)", "not a number", "sqrt(-1)"},
		{"log10(-1)", "not a number", "log10(-1)"},
		{"2 ** (3 m)", "the exponent must be dimensionless, but it has unit m", "(3 m)"},
		{"exp(2 s)", "exp needs a dimensionless argument, got unit s", "2 s"},
		{"factorial(5000)", "factorial needs a whole number from 0 to 2000", "5000"},
		{"factorial(2.5)", "factorial needs whole numbers without units", "2.5"},
		{"gcd(1.5, 2)", "gcd needs whole numbers without units", "1.5"},
		{"sqrt(1, 2)", "sqrt takes 1 argument, got 2", "sqrt(1, 2)"},
		{"nope(1)", "unknown function `nope`", "nope"},
		{"y + 1", "unknown name `y`", "y"},
		{"1 < 2 m", "unit mismatch", "1 < 2 m"},
		{"\"a\" + 1", "operator + needs numbers, got a string", `"a" + 1`},
		{"min(1 m, 2 s)", "unit mismatch", "2 s"},
		{"2.5 ** 100000", "overflow", "2.5 ** 100000"},
	}
	for _, tt := range tests {
		src := "sample s {\n  let x = " + tt.expr + "\n  prompt \"p\"\n  answer 1\n}\n"
		spec, diags := compileOne(t, src)
		if len(diags) != 1 {
			t.Errorf("%s: want 1 diagnostic, got %d: %v", tt.expr, len(diags), diags.Err())
			continue
		}
		d := diags[0]
		if !strings.Contains(d.Summary, tt.msg) {
			t.Errorf("%s: message %q does not contain %q", tt.expr, d.Summary, tt.msg)
		}
		line, _ := spec.Files.File("test.poly").Line(d.Range.Start.Line)
		r := []rune(line)
		from, to := d.Range.Start.Col-1, d.Range.End.Col-1
		if d.Range.Start.Line != 2 || from < 0 || to > len(r) || from >= to {
			t.Errorf("%s: bad range %v-%v", tt.expr, d.Range.Start, d.Range.End)
			continue
		}
		if got := string(r[from:to]); got != tt.caret {
			t.Errorf("%s: caret under %q, want %q", tt.expr, got, tt.caret)
		}
	}
}

// TestBudgetExceeded: a long expression under a small step budget gives a
// positioned error, not a hang.
func TestBudgetExceeded(t *testing.T) {
	expr := strings.Repeat("1 + ", 500) + "1"
	src := "sample s {\n  let x = " + expr + "\n  prompt \"{x}\"\n  answer x\n}\n"
	spec, diags := Compile("budget.poly", []byte(src), &Options{MaxSteps: 100})
	if !diags.HasErrors() {
		t.Fatal("no error")
	}
	found := false
	for _, d := range diags {
		if strings.Contains(d.Summary, "evaluation budget exceeded (100 steps)") && d.Range.Start.Line == 2 {
			found = true
		}
	}
	if !found {
		var b strings.Builder
		diags.Render(&b, spec.Files)
		t.Fatalf("no budget error on line 2:\n%s", b.String())
	}
	if len(spec.Samples) != 0 {
		t.Error("a sample over budget was kept")
	}
}
