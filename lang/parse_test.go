package lang

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseExpr(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1", "1"},
		{"3.0e3 cell", "3.0e3[cell^1]"},
		{"47 uF", "47[uF^1]"},
		{"10 kohm", "10[kohm^1]"},
		{"9.81 m/s^2", "9.81[m^1 s^-2]"},
		{"8.314 J/(mol*K)", "8.314[J^1 mol^-1 K^-1]"},
		{"6.02e23 1/mol", "6.02e23[mol^-1]"},
		{"1 kg.m/s^2", "1[kg^1 m^1 s^-2]"},
		{"1 kg·m²", "1[kg^1 m^2]"},
		{"2 s⁻¹", "2[s^-1]"},
		{"37 °C", "37[°C^1]"},
		{"37 degC", "37[degC^1]"},
		{"50%", "50[%^1]"},
		{"50 %", "50[%^1]"},
		{"7 % 3", "(% 7 3)"},
		{"x % y", "(% x y)"},
		{"5% and x", "(and 5[%^1] x)"},
		{"5 % not x", "(% 5 (unot x))"},
		{"20 min", "20[min^1]"},
		{"min(a, b)", "(call min a b)"},
		// A unit is only read right after a number: sin is a call here.
		{"v0^2 * sin(2*theta) / g", "(/ (* (^ v0 2) (call sin (* 2 theta))) g)"},
		{"colony.n0 * 2 ** (t / colony.doubling)", "(* colony.n0 (** 2 (/ t colony.doubling)))"},
		// Spaces end a unit: `m / t` divides by t.
		{"3 m / t", "(/ 3[m^1] t)"},
		{"3 m/t", "3[m^1 t^-1]"},
		{"1 - 2 - 3", "(- (- 1 2) 3)"},
		{"2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"},
		{"-x^2", "(u- (^ x 2))"},
		{"2^-1", "(^ 2 (u- 1))"},
		{"a < b and not c or d", "(or (and (< a b) (unot c)) d)"},
		{"a && b || !c", "(or (and a b) (unot c))"},
		{"a == b", "(== a b)"},
		{"(a, b)", "(tuple a b)"},
		{"(a,)", "(tuple a)"},
		{"[1, 2, 3]", "(list 1 2 3)"},
		{"{1, 2}", "(setlit 1 2)"},
		{"[1, 2)", "(interval false true 1 2)"},
		{"(1, 2]", "(interval true false 1 2)"},
		{"true", "true"},
		{`"a {x} b"`, `(str "a " {x} " b")`},
		{"-log10(conc / (1 mol/L))", "(u- (call log10 (/ conc 1[mol^1 L^-1])))"},
		{"f()", "(call f)"},
	}
	for _, tt := range tests {
		e, ds := ParseExpr("t.poly", []byte(tt.src))
		if ds.HasErrors() {
			t.Errorf("%q: %v", tt.src, ds.Err())
			continue
		}
		if got := sexpr(e); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestParseStatements(t *testing.T) {
	tests := []struct{ src, want string }{
		{"given n0 = 3.0e3 cell", "(given n0 3.0e3[cell^1])"},
		{"let t = 2 h", "(let t 2[h^1])"},
		{"disciplines biology, chemistry", "(disciplines biology chemistry)"},
		{"skills a, b", "(skills a b)"},
		{"vary v0 in 5..40 step 5 m/s", "(vary v0 (range 5 40 5 m^1 s^-1))"},
		{"vary n in 1..10", "(vary n (range 1 10 nil nil))"},
		{"vary x in 1 m..5 m step 1 m", "(vary x (range 1[m^1] 5[m^1] 1[m^1] nil))"},
		{"vary theta in {30, 45, 60} deg", "(vary theta (set 30 45 60 deg^1))"},
		{"vary rate in {2, 5} %", "(vary rate (set 2 5 %^1))"},
		{"vary k in {2, 3}", "(vary k (set 2 3))"},
		{"vary n in lo..hi step 1", "(vary n (range lo hi 1 nil))"},
		{"vary b in -8..8 m", "(vary b (range (u- 8) 8 nil m^1))"},
		{"vary b in -8 m..8 m", "(vary b (range (u- 8[m^1]) 8[m^1] nil nil))"},
		{"answer n in cell, rel 1e-3", "(answer  n in cell^1 (rel 1e-3))"},
		{"answer range in m, sig 3", "(answer  range in m^1 (sig 3))"},
		{"answer x, abs 0.5 cell", "(answer  x (abs 0.5[cell^1]))"},
		{"answer density in 1/mL, rel 1e-3", "(answer  density in mL^-1 (rel 1e-3))"},
		{"answer exact neither", "(answer exact neither)"},
		{"answer integer n + 1", "(answer integer (+ n 1))"},
		{"answer set {1, 2}", "(answer set (setlit 1 2))"},
		{"answer interval [a, b)", "(answer interval (interval false true a b))"},
		{"answer interval [a, b]", "(answer interval (interval false false a b))"},
		{"answer interval (a, b)", "(answer interval (interval true true a b))"},
		{`answer expr "{c}*x", vars [x]`, `(answer expr (str {c} "*x") (opt vars (list x)))`},
		{"answer choice b {\n a \"12 m\"\n b \"24 m\"\n}", `(answer choice b (choice a (str "12 m")) (choice b (str "24 m")))`},
		{`prompt "How far?"`, `(prompt (str "How far?"))`},
		{`expect pass "1.92 \times 10^{5}"`, `(expect true (str "1.92 \\times 10^{5}"))`},
		{`expect fail "192"`, `(expect false (str "192"))`},
		{"check abs(pred - gold) <= 1e-3 * abs(gold) // tol", `(check "abs(pred - gold) <= 1e-3 * abs(gold)")`},
		{`check pred == "a//b" // c`, `(check "pred == \"a//b\"")`},
		{"check \"\"\"\n  let d = pred - gold;\n  abs(d) < 1\n\"\"\"", `(check "let d = pred - gold;\nabs(d) < 1")`},
		{"train { rollouts = 8  lr = 1e-6 }", "(train (rollouts 8) (lr 1e-6))"},
		{"meta {\n ability = \"physics\"\n}", `(meta (ability (str "physics")))`},
		{`system "You are a tutor."`, `(system (str "You are a tutor."))`},
		{`solution """ worked """`, `(solution (str "worked"))`},
		{"element cap physics {\n given c = 47 uF\n}", "(element cap physics (given c 47[uF^1]))"},
	}
	for _, tt := range tests {
		src := "sample s {\n" + tt.src + "\n}\n"
		f, ds := ParseFile("t.poly", []byte(src))
		if ds.HasErrors() {
			t.Errorf("%q: %v", tt.src, ds.Err())
			continue
		}
		s := f.Samples()[0]
		if len(s.Body) != 1 {
			t.Errorf("%q: %d statements", tt.src, len(s.Body))
			continue
		}
		if got := sexpr(s.Body[0]); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestParseDecls(t *testing.T) {
	src := `// header
import "common/constants.poly"
import consts "../x.poly"

element const physics {
  given g = 9.81 m/s^2
}

sample colony "Bacteria" {
  let t = 2 h
}

family projectile physics "Projectiles" {
  vary v0 in 5..40 step 5 m/s
}
`
	f, ds := ParseFile("d.poly", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	want := `(file (import "common/constants.poly") (import consts "../x.poly") (element const physics (given g 9.81[m^1 s^-2])) (sample colony (str "Bacteria") (let t 2[h^1])) (family projectile physics (str "Projectiles") (vary v0 (range 5 40 5 m^1 s^-1))))`
	if got := sexpr(f); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if len(f.Comments) != 1 || f.Comments[0].Text != "// header" {
		t.Errorf("comments: %+v", f.Comments)
	}
	if n := len(f.Samples()) + len(f.Families()) + len(f.Elements()); n != 3 {
		t.Errorf("decl helpers found %d", n)
	}
}

func TestRanges(t *testing.T) {
	src := "sample s {\n  let n = colony.n0 * 2 ** x\n  prompt \"\"\"\n    A {colony.n0} b\n      {t in km:.2f}\n  \"\"\"\n}\n"
	f, ds := ParseFile("r.poly", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	body := f.Samples()[0].Body
	let := body[0].(*Let)
	if got := let.Range.String(); got != "r.poly:2:3" {
		t.Errorf("let at %s", got)
	}
	bin := let.Value.(*Binary)
	if got := bin.OpPos.Start.String(); got != "r.poly:2:21" {
		t.Errorf("* at %s", got)
	}
	if end := let.Range.End; end.Line != 2 || end.Col != 29 {
		t.Errorf("let ends at %v", end)
	}
	name := bin.X.(*Name)
	if got := name.PartRanges[1].Start.String(); got != "r.poly:2:18" {
		t.Errorf("n0 at %s", got)
	}
	pr := body[1].(*Prompt)
	if pr.Text.Value != "A {colony.n0} b\n  {t in km:.2f}" {
		t.Errorf("prompt value %q", pr.Text.Value)
	}
	var holes []*Hole
	for _, p := range pr.Text.Parts {
		if h, ok := p.(*Hole); ok {
			holes = append(holes, h)
		}
	}
	if len(holes) != 2 {
		t.Fatalf("%d holes", len(holes))
	}
	if got := holes[0].Range.Start.String(); got != "r.poly:4:7" {
		t.Errorf("hole 1 at %s", got)
	}
	if got := holes[0].Expr.Span().Start.String(); got != "r.poly:4:8" {
		t.Errorf("hole 1 expr at %s", got)
	}
	if got := holes[1].Expr.Span().Start.String(); got != "r.poly:5:8" {
		t.Errorf("hole 2 expr at %s", got)
	}
	if holes[1].Format != ".2f" || holes[1].Unit == nil || holes[1].Unit.Text != "km" {
		t.Errorf("hole 2 = %+v", holes[1])
	}
	if got := holes[1].Unit.Range.Start.String(); got != "r.poly:5:13" {
		t.Errorf("hole 2 unit at %s", got)
	}
}

func TestCheckPos(t *testing.T) {
	src := "sample s {\n  check abs(pred) < 1\n  check \"\"\"\n    a +\n      b\n  \"\"\"\n}\n"
	f, ds := ParseFile("c.poly", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	c1 := f.Samples()[0].Body[0].(*Check)
	if got := c1.Pos(1, 5).String(); got != "c.poly:2:13" {
		t.Errorf("line check 1:5 -> %s", got)
	}
	c2 := f.Samples()[0].Body[1].(*Check)
	if c2.Src != "a +\n  b" {
		t.Errorf("src %q", c2.Src)
	}
	if got := c2.Pos(2, 3).String(); got != "c.poly:5:7" {
		t.Errorf("block check 2:3 -> %s", got)
	}
}

func TestStringHoles(t *testing.T) {
	tests := []struct{ src, want string }{
		{`"plain"`, `(str "plain")`},
		{`"{x}"`, `(str {x})`},
		{`"{x:.3g} and {y in km}"`, `(str {x :.3g} " and " {y in km^1})`},
		{`"{x in km:.1f}"`, `(str {x in km^1 :.1f})`},
		{`"\boxed{}"`, `(str "\\boxed{}")`},
		{`"\frac{1}{2}"`, `(str "\\frac{1}{2}")`},
		{`"\frac{a+b}{ {n} }"`, `(str "\\frac{a+b}{ " {n} " }")`},
		{`"10^{5}"`, `(str "10^{5}")`},
		{`"x_{i} and {{literal}}"`, `(str "x_{i} and {literal}")`},
		{`"\{1, 2\}"`, `(str "\\{1, 2\\}")`},
		{`"\sqrt[3]{8}"`, `(str "\\sqrt[3]{8}")`},
		{`"{a}{b}"`, `(str {a} {b})`},
		{`"say \"hi\""`, `(str "say \"hi\"")`},
		{`"\times \theta \n"`, `(str "\\times \\theta \\n")`},
		{`"{colony.n0 * 2}"`, `(str {(* colony.n0 2)})`},
	}
	for _, tt := range tests {
		e, ds := ParseExpr("s.poly", []byte(tt.src))
		if ds.HasErrors() {
			t.Errorf("%s: %v", tt.src, ds.Err())
			continue
		}
		if got := sexpr(e); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestDedent(t *testing.T) {
	tests := []struct{ src, want string }{
		{"\"\"\"\n    a\n      b\n\n    c\n  \"\"\"", "a\n  b\n\nc"},
		{`""" one line """`, "one line"},
		{"\"\"\"first\n  second\n  \"\"\"", "first\nsecond"},
		{"\"\"\"\n\ta\n\tb\"\"\"", "a\nb"},
		{"\"\"\"\n\"\"\"", ""},
		{"\"\"\"\n  \\frac{1}{2} \\n raw\n\"\"\"", "\\frac{1}{2} \\n raw"},
	}
	for _, tt := range tests {
		e, ds := ParseExpr("s.poly", []byte(tt.src))
		if ds.HasErrors() {
			t.Errorf("%q: %v", tt.src, ds.Err())
			continue
		}
		if got := e.(*String).Value; got != tt.want {
			t.Errorf("%q: got %q want %q", tt.src, got, tt.want)
		}
	}
}

func TestInspect(t *testing.T) {
	f, ds := ParseFile("i.poly", []byte("sample s {\n element e x {\n  given a = 1 m\n }\n let b = e.a * 2\n prompt \"{b}\"\n}\n"))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	var names []string
	Inspect(f, func(n Node) bool {
		if nm, ok := n.(*Name); ok {
			names = append(names, nm.String())
		}
		return true
	})
	if got := strings.Join(names, ","); got != "e.a,b" {
		t.Errorf("names %s", got)
	}
}

func TestParseNeverNilAndRecovers(t *testing.T) {
	src := "sample a {\n  let x = \n  given y = 2 m\n  let z = (1 +\n  answer y\n}\nsample b {\n  let q = 1\n}\n"
	f, ds := ParseFile("e.poly", []byte(src))
	if ds.Count(Error) != 2 {
		t.Fatalf("want 2 errors, got %d:\n%v", ds.Count(Error), ds.Err())
	}
	if len(f.Decls) != 2 {
		t.Fatalf("want both samples kept, got %d decls", len(f.Decls))
	}
	if got := sexpr(f.Decls[0]); got != "(sample a nil (given y 2[m^1]) (answer  y))" {
		t.Errorf("partial sample: %s", got)
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	for _, src := range []string{
		"sample s { let x = " + strings.Repeat("(", 100000) + "1 }",
		"sample s { let x = " + strings.Repeat("-", 100000) + "1 }",
		"sample s { let x = 2" + strings.Repeat("^2", 100000) + " }",
		"sample s { prompt \"{" + strings.Repeat("[", 100000) + "}\" }",
	} {
		_, ds := ParseFile("deep.poly", []byte(src))
		if !ds.HasErrors() || !strings.Contains(ds[0].Summary, "nested too deeply") {
			t.Errorf("%.30q...: %v", src, ds.Err())
		}
	}
	// 50 levels are fine.
	src := "sample s { let x = " + strings.Repeat("(", 50) + "1" + strings.Repeat(")", 50) + " }"
	if _, ds := ParseFile("ok.poly", []byte(src)); ds.HasErrors() {
		t.Error(ds.Err())
	}
}

func TestLongLinesAreLinear(t *testing.T) {
	// 40k tokens on one line with a non-ASCII rune: positions must not
	// be recomputed from the line start each time.
	src := "sample s { let µ = 1" + strings.Repeat(" + 1", 10000) + " }"
	_, ds := ParseFile("long.poly", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
}

func TestPosColumns(t *testing.T) {
	f := NewFile("p", []byte("ab\nµx y\n"))
	for _, tt := range []struct{ off, line, col int }{{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {5, 2, 2}, {7, 2, 4}, {6, 2, 3}, {5, 2, 2}, {9, 3, 1}} {
		p := f.Pos(tt.off)
		if p.Line != tt.line || p.Col != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, p.Line, p.Col, tt.line, tt.col)
		}
	}
}

func TestPosLongNonASCIILine(t *testing.T) {
	line := strings.Repeat("aµ\xffé", 100)
	src := []byte(line + "\nz")
	f := NewFile("p", src)
	for off := 0; off <= len(line); off++ {
		want := 1 + utf8.RuneCount(src[:off])
		if p := f.Pos(off); p.Line != 1 || p.Col != want {
			t.Fatalf("Pos(%d) = %d:%d, want 1:%d", off, p.Line, p.Col, want)
		}
	}
}

func TestCheckOneLineBlock(t *testing.T) {
	f, ds := ParseFile("c.poly", []byte(`sample s { check pred > {"a": 1}.a && (x) }`))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	if got := f.Samples()[0].Body[0].(*Check).Src; got != `pred > {"a": 1}.a && (x)` {
		t.Errorf("src %q", got)
	}
}

func TestManyPowersAreNotDeep(t *testing.T) {
	src := "sample s { let x = a^2" + strings.Repeat(" + a^2", 300) + " }"
	if _, ds := ParseFile("p.poly", []byte(src)); ds.HasErrors() {
		t.Fatal(ds.Err())
	}
}

func TestByteOrderMark(t *testing.T) {
	f, ds := ParseFile("bom.poly", []byte("\uFEFFsample s {\n  let x = 1\n}\n"))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	if got := string(Format(f)); got != "sample s {\n  let x = 1\n}\n" {
		t.Errorf("format: %q", got)
	}
}
