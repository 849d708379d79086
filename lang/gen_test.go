package lang

import (
	"flag"
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// specGen writes random but valid specs with irregular spacing, line
// breaks and comments, for round-trip tests of the formatter.
type specGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *specGen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

// sp is irregular space: nothing, spaces, or a comment.
func (g *specGen) sp() string {
	switch g.r.Intn(12) {
	case 0:
		return "  "
	case 1:
		return " /* c */ "
	case 2:
		return "\n    "
	case 3:
		return " // line comment\n  "
	default:
		return " "
	}
}

func (g *specGen) unit() string {
	return g.pick("m", "m/s^2", "kohm", "uF", "J/(mol*K)", "1/mol", "°C", "degC", "min", "kg.m/s^2", "s⁻¹", "%", "cell")
}

func (g *specGen) expr(depth int) string {
	if depth <= 0 || g.r.Intn(3) == 0 {
		switch g.r.Intn(8) {
		case 0:
			return g.pick("1", "2.5", "6.02e23", "0", "12")
		case 1:
			return g.pick("1", "47", "9.81", "3.0e3") + g.pick(" ", "") + g.unit()
		case 2:
			return g.pick("x", "t", "colony.n0", "const.R", "µ")
		case 3:
			return g.pick("true", "false")
		case 4:
			return `"` + g.pick("a {x}", `\frac{1}{2}`, "{y:.3g} in {z in km}", "plain", `10^{ {n} }`) + `"`
		default:
			return g.pick("x", "y", "2")
		}
	}
	d := depth - 1
	switch g.r.Intn(9) {
	case 0:
		op := g.pick("+", "-", "*", "/", "**", "==", "<=", "and", "or", "%")
		y := g.expr(d)
		if op == "%" {
			y = "(" + y + ")" // `2 % "s"` would read as 2 percent
		}
		sp := g.sp()
		if op == "%" {
			sp = " " // the operand of modulo stays on its line
		}
		s := g.expr(d) + g.sp() + op + sp + y
		if op == "==" || op == "<=" {
			s = "(" + s + ")" // comparisons do not chain
		}
		return s
	case 1:
		if g.r.Intn(2) == 0 {
			return g.pick("x", "v0", "(a + b)") + "^" + g.pick("2", "-1", "n", "(1 / 2)")
		}
		return g.expr(d) + " ^ " + g.expr(d)
	case 2:
		return g.pick("-", "+", "not ", "!") + g.expr(d)
	case 3:
		return "(" + g.expr(d) + ")"
	case 4:
		return g.pick("sin", "min", "log10") + "(" + g.expr(d) + g.pick("", ", "+g.expr(d)) + ")"
	case 5:
		return "[" + g.expr(d) + "," + g.sp() + g.expr(d) + "]"
	case 6:
		return "{" + g.expr(d) + ", " + g.expr(d) + "}"
	case 7:
		return "(" + g.expr(d) + ", " + g.expr(d) + g.pick(")", "]")
	default:
		return g.expr(d) + " " + g.pick("+", "*") + " " + g.expr(d)
	}
}

func (g *specGen) stmt(depth int) string {
	e := func() string { return g.expr(3) }
	switch g.r.Intn(14) {
	case 0:
		return "given " + g.pick("a", "bb", "ccc") + g.pick(" = ", "=", "   =  ") + e()
	case 1:
		return "let " + g.pick("n", "tau", "long_name") + " = " + e()
	case 2:
		return "vary " + g.pick("v", "theta") + " in " + g.pick("5..40 step 5 m/s", "{30, 45, 60} deg", "-8..8", "1 m..5 m", "{1,2} %")
	case 3:
		return "prompt " + g.pick(`"How far? {x}"`, "\"\"\"\n      text {x}\n        indented\n\n      end\n    \"\"\"", `""" one """`)
	case 4:
		return "answer " + g.pick("", "exact ", "number ") + e() + g.pick("", " in m", " in 1/s") + g.pick("", ", rel 1e-3", ", sig 3, abs 0.5 m", ", vars [x]")
	case 5:
		return "answer choice b {" + g.sp() + "a \"x\"" + g.pick("\n", " ") + "b \"{y} m\" // ok\n}"
	case 6:
		return "check abs(pred - gold) <= 1e-3 * abs(gold)" + g.pick("", " // c") + "\n"
	case 7:
		return "expect " + g.pick("pass", "fail") + ` "1.92 \times 10^{5}"`
	case 8:
		return "solution \"\"\"\n  worked\n    out\n  \"\"\""
	case 9:
		return "train {" + g.pick(" rollouts = 8  lr = 1e-6 ", "\n  steps = 10 // n\n  lr=2\n") + "}"
	case 10:
		if depth > 0 {
			return "element " + g.pick("e", "colony") + g.pick("", " biology") + " {" + g.body(depth-1) + "}"
		}
		return "skills a, b"
	case 11:
		return g.pick("disciplines biology, physics", "skills  x,y")
	case 12:
		return "// standalone comment\n"
	default:
		return "answer interval " + g.pick("[a, b)", "(0, 1]", "[a, b]")
	}
}

func (g *specGen) body(depth int) string {
	var b strings.Builder
	n := g.r.Intn(6)
	for i := 0; i < n; i++ {
		b.WriteString(g.pick("\n  ", "\n\n  ", "\n\n\n    ", "\n", " "))
		b.WriteString(g.stmt(depth))
		b.WriteString(g.pick("", " // trailing\n", "  /* t */"))
	}
	b.WriteString(g.pick("\n", " ", "\n  // before close\n"))
	return b.String()
}

func (g *specGen) file() string {
	var b strings.Builder
	if g.r.Intn(2) == 0 {
		b.WriteString("// header\n" + g.pick("", "\n") + "import \"x.poly\"" + g.pick("", " // imp") + "\n")
	}
	for i := 0; i < 1+g.r.Intn(2); i++ {
		b.WriteString(g.pick("\n", "\n\n", ""))
		switch g.r.Intn(3) {
		case 0:
			fmt.Fprintf(&b, "sample s%d %s{%s}", i, g.pick("", `"Title" `), g.body(2))
		case 1:
			fmt.Fprintf(&b, "family f%d physics {%s}", i, g.body(2))
		default:
			fmt.Fprintf(&b, "element e%d x {%s}", i, g.body(1))
		}
		b.WriteString(g.pick("", " // after\n", "\n// trailing file comment\n"))
	}
	return b.String()
}

var (
	genSeed = flag.Int64("gen.seed", 1, "seed of TestFormatRoundTripGenerated")
	genN    = flag.Int("gen.n", 1500, "number of specs TestFormatRoundTripGenerated writes")
)

// TestFormatRoundTripGenerated formats random valid specs and checks the
// round trip: same tree, same comments, idempotent output.
func TestFormatRoundTripGenerated(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	g := &specGen{r: rand.New(rand.NewSource(1))}
	parsed := 0
	for i := 0; i < n; i++ {
		src := g.file()
		if _, ds := ParseFile("gen.poly", []byte(src)); ds.HasErrors() {
			t.Fatalf("generated spec does not parse: %v\n%s", ds.Err(), src)
		}
		parsed++
		if !t.Run(fmt.Sprint(i), func(t *testing.T) { checkRoundTrip(t, []byte(src)) }) {
			t.Fatalf("failed on:\n%s", src)
		}
	}
}
