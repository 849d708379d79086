package main

import (
	"fmt"
	"strconv"
	"strings"
)

// genSeed is the seed of the generated corpus (-corpus gen:N): the same N
// gives the same lines on every machine and Go version.
const genSeed = 0x9e3779b97f4a7c15

// rng is splitmix64: small, and its sequence is fixed by this code rather
// than by a library whose algorithms may change between Go releases.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be > 0.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *rng) pick(xs []string) string { return xs[r.intn(len(xs))] }

// genAnswer is one gold answer with renderings of the same value (any of
// them is a correct final answer) and of different values (wrong ones).
type genAnswer struct {
	kind  string
	gold  string
	same  []string
	wrong []string
}

// answerKinds are the kinds of gold answer, each with its generator; a
// kind appears in proportion to its weight.
var answerKinds = []struct {
	name   string
	weight int
	make   func(r *rng) genAnswer
}{
	{"int", 20, genInt},
	{"frac", 12, genFrac},
	{"decimal", 8, genDecimal},
	{"sqrt", 7, genSqrt},
	{"pi", 5, genPi},
	{"unit", 8, genUnit},
	{"percent", 5, genPercent},
	{"sci", 4, genSci},
	{"set", 6, genSet},
	{"interval", 6, genInterval},
	{"tuple", 6, genTuple},
	{"expr", 8, genExpr},
	{"choice", 5, genChoice},
}

func itoa(n int) string { return strconv.Itoa(n) }

func gcd(a, b int) int {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// thousands writes n with comma separators ("12,345").
func thousands(n int) string {
	s := itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func genInt(r *rng) genAnswer {
	v := r.between(-60, 2400)
	if r.intn(6) == 0 {
		v = r.between(10000, 999999)
	}
	a := genAnswer{kind: "int", gold: itoa(v), same: []string{itoa(v), itoa(v), "x = " + itoa(v)}}
	if v >= 1000 {
		a.same = append(a.same, thousands(v))
	}
	a.wrong = []string{itoa(v + 1), itoa(v - 1), itoa(v + 10)}
	if v != 0 {
		a.wrong = append(a.wrong, itoa(-v), itoa(2*v))
	}
	return a
}

func genFrac(r *rng) genAnswer {
	q := r.between(2, 12)
	p := r.between(1, 3*q)
	for gcd(p, q) != 1 || p == q {
		p = r.between(1, 3*q)
	}
	sign := ""
	if r.intn(5) == 0 {
		sign = "-"
	}
	P, Q := itoa(p), itoa(q)
	a := genAnswer{kind: "frac", gold: sign + `\frac{` + P + `}{` + Q + `}`}
	a.same = []string{a.gold, sign + `\dfrac{` + P + `}{` + Q + `}`, sign + P + "/" + Q, sign + `\frac{` + itoa(2*p) + `}{` + itoa(2*q) + `}`}
	if d, ok := terminating(p, q); ok {
		a.same = append(a.same, sign+d)
	}
	a.wrong = []string{sign + `\frac{` + Q + `}{` + P + `}`, sign + `\frac{` + itoa(p+1) + `}{` + Q + `}`}
	if sign == "" {
		a.wrong = append(a.wrong, `-\frac{`+P+`}{`+Q+`}`)
	}
	return a
}

// terminating returns p/q as a decimal when its expansion ends (q has no
// prime factors but 2 and 5).
func terminating(p, q int) (string, bool) {
	m := q
	for m%2 == 0 {
		m /= 2
	}
	for m%5 == 0 {
		m /= 5
	}
	if m != 1 {
		return "", false
	}
	s := strconv.FormatFloat(float64(p)/float64(q), 'f', -1, 64)
	return s, true
}

func genDecimal(r *rng) genAnswer {
	c := r.between(101, 9999) // hundredths
	for c%10 == 0 {
		c = r.between(101, 9999)
	}
	s := fmt.Sprintf("%d.%02d", c/100, c%100)
	g := gcd(c, 100)
	a := genAnswer{kind: "decimal", gold: s}
	a.same = []string{s, s, s + "0", `\frac{` + itoa(c/g) + `}{` + itoa(100/g) + `}`}
	a.wrong = []string{fmt.Sprintf("%d.%02d", (c+1)/100, (c+1)%100), fmt.Sprintf("%d.%d", c/100, (c%100)/10), fmt.Sprintf("%d.%d", c/10, c%10)}
	return a
}

func genSqrt(r *rng) genAnswer {
	k := r.between(2, 7)
	m := []int{2, 3, 5, 6, 7, 10, 11}[r.intn(7)]
	K, M := itoa(k), itoa(m)
	a := genAnswer{kind: "sqrt", gold: K + `\sqrt{` + M + `}`}
	a.same = []string{a.gold, `\sqrt{` + itoa(k*k*m) + `}`, K + ` \sqrt{` + M + `}`}
	if m < 10 {
		a.same = append(a.same, K+`\sqrt`+M) // \sqrt3 is \sqrt{3}; \sqrt10 would be \sqrt{1}0
	}
	a.wrong = []string{itoa(k+1) + `\sqrt{` + M + `}`, `\sqrt{` + itoa(k*m) + `}`, K + `\sqrt{` + itoa(m+k*k) + `}`}
	return a
}

func genPi(r *rng) genAnswer {
	q := []int{2, 3, 4, 6, 12}[r.intn(5)]
	p := r.between(1, 11)
	for gcd(p, q) != 1 {
		p = r.between(1, 11)
	}
	P, Q := itoa(p), itoa(q)
	num := P + `\pi`
	if p == 1 {
		P, num = "", `\pi`
	}
	a := genAnswer{kind: "pi", gold: `\frac{` + num + `}{` + Q + `}`}
	a.same = []string{a.gold, `\dfrac{` + num + `}{` + Q + `}`, num + "/" + Q}
	if p > 1 {
		a.same = append(a.same, `\frac{`+P+`}{`+Q+`}\pi`)
	}
	other := q * 2
	a.wrong = []string{`\frac{` + num + `}{` + itoa(other) + `}`, `\frac{` + itoa(p+q) + `\pi}{` + Q + `}`, `\frac{` + itoa(p) + `}{` + Q + `}`}
	return a
}

// genUnit: a quantity with a unit; the same quantity in a smaller unit is
// the same answer, another unit of a different dimension is not.
func genUnit(r *rng) genAnswer {
	type unit struct{ name, small, other string }
	units := []unit{{"cm", "mm", "s"}, {"m", "cm", "kg"}, {"kg", "g", "m"}, {"km", "m", "h"}, {"L", "mL", "cm"}, {"J", "", "W"}, {"W", "", "J"}}
	u := units[r.intn(len(units))]
	v := r.between(2, 480)
	V := itoa(v)
	a := genAnswer{kind: "unit", gold: V + `\text{ ` + u.name + `}`}
	a.same = []string{a.gold, V + ` \mathrm{` + u.name + `}`, V + " " + u.name, V + `\,\text{` + u.name + `}`}
	switch u.small {
	case "mm", "cm", "":
		if u.small == "mm" {
			a.same = append(a.same, itoa(10*v)+`\text{ mm}`)
		} else if u.small == "cm" {
			a.same = append(a.same, itoa(100*v)+`\text{ cm}`)
		}
	default:
		a.same = append(a.same, itoa(1000*v)+`\text{ `+u.small+`}`)
	}
	a.wrong = []string{V + `\text{ ` + u.other + `}`, itoa(v+2) + `\text{ ` + u.name + `}`}
	return a
}

func genPercent(r *rng) genAnswer {
	v := r.between(1, 99)
	V := itoa(v)
	a := genAnswer{kind: "percent", gold: V + `\%`}
	a.same = []string{a.gold, V + "%", V + `\,\%`}
	a.wrong = []string{itoa(v+5) + `\%`, itoa(100-v) + `\%`}
	if v == 50 {
		a.wrong = a.wrong[:1]
	}
	return a
}

func genSci(r *rng) genAnswer {
	m := r.between(11, 99) // mantissa m/10
	e := r.between(3, 8)
	M := fmt.Sprintf("%d.%d", m/10, m%10)
	if m%10 == 0 {
		M = itoa(m / 10)
	}
	E := itoa(e)
	a := genAnswer{kind: "sci", gold: M + ` \times 10^{` + E + `}`}
	a.same = []string{a.gold, M + `\times10^` + E, M + ` \cdot 10^{` + E + `}`, strconv.Itoa(m) + strings.Repeat("0", e-1)}
	a.wrong = []string{M + ` \times 10^{` + itoa(e+1) + `}`, M + ` \times 10^{-` + E + `}`}
	return a
}

// distinct returns n distinct numbers in [lo, hi].
func distinct(r *rng, n, lo, hi int) []int {
	var out []int
	for len(out) < n {
		v := r.between(lo, hi)
		dup := false
		for _, w := range out {
			dup = dup || w == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

func joinInts(xs []int, sep string) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = itoa(x)
	}
	return strings.Join(s, sep)
}

func genSet(r *rng) genAnswer {
	xs := distinct(r, r.between(2, 4), -9, 20)
	a := genAnswer{kind: "set", gold: `\{` + joinInts(xs, ", ") + `\}`}
	rev := make([]int, len(xs))
	for i, x := range xs {
		rev[len(xs)-1-i] = x
	}
	a.same = []string{a.gold, `\{` + joinInts(rev, ", ") + `\}`, `\left\{` + joinInts(rev, ",") + `\right\}`}
	changed := append([]int(nil), xs...)
	changed[0] = 21 + r.intn(5) // outside the range the elements are drawn from
	a.wrong = []string{`\{` + joinInts(xs[1:], ", ") + `\}`, `\{` + joinInts(changed, ", ") + `\}`}
	return a
}

func genInterval(r *rng) genAnswer {
	ends := distinct(r, 2, -12, 15)
	lo, hi := min(ends[0], ends[1]), max(ends[0], ends[1])
	L, H := itoa(lo), itoa(hi)
	var a genAnswer
	a.kind = "interval"
	switch r.intn(3) {
	case 0: // half-open, finite
		a.gold = "(" + L + ", " + H + "]"
		a.same = []string{a.gold, "(" + L + "," + H + "]", `\left(` + L + `, ` + H + `\right]`}
		a.wrong = []string{"[" + L + ", " + H + "]", "(" + L + ", " + H + ")", "(" + L + ", " + itoa(hi+1) + "]"}
	case 1:
		a.gold = "[" + L + `, \infty)`
		a.same = []string{a.gold, "[" + L + `,\infty)`, `\left[` + L + `, \infty\right)`, "[" + L + `, +\infty)`}
		a.wrong = []string{"(" + L + `, \infty)`, "[" + H + `, \infty)`, `(-\infty, ` + L + "]"}
	default:
		a.gold = `(-\infty, ` + H + ")"
		a.same = []string{a.gold, `(-\infty,` + H + ")", `\left(-\infty, ` + H + `\right)`}
		a.wrong = []string{`(-\infty, ` + H + "]", `(-\infty, ` + L + ")", "(" + H + `, \infty)`}
	}
	return a
}

func genTuple(r *rng) genAnswer {
	xs := distinct(r, 2, -9, 12)
	X, Y := itoa(xs[0]), itoa(xs[1])
	a := genAnswer{kind: "tuple", gold: "(" + X + ", " + Y + ")"}
	a.same = []string{a.gold, "(" + X + "," + Y + ")", `\left(` + X + `, ` + Y + `\right)`}
	a.wrong = []string{"(" + Y + ", " + X + ")", "(" + X + ", " + itoa(xs[1]+1) + ")"}
	return a
}

// genExpr: a quadratic (x+p)(x+q), expanded or not.
func genExpr(r *rng) genAnswer {
	p, q := r.between(1, 9), r.between(1, 9)
	v := []string{"x", "t", "n"}[r.intn(3)]
	s, pr := itoa(p+q), itoa(p*q)
	a := genAnswer{kind: "expr", gold: v + "^2 + " + s + v + " + " + pr}
	a.same = []string{a.gold, "(" + v + " + " + itoa(p) + ")(" + v + " + " + itoa(q) + ")", pr + " + " + s + v + " + " + v + "^{2}", v + "^2+" + s + v + "+" + pr}
	a.wrong = []string{v + "^2 + " + s + v + " - " + pr, v + "^2 + " + itoa(p*q+1) + v + " + " + s, "(" + v + " - " + itoa(p) + ")(" + v + " + " + itoa(q) + ")"}
	return a
}

func genChoice(r *rng) genAnswer {
	letters := "ABCDE"
	i := r.intn(5)
	L := letters[i : i+1]
	j := (i + 1 + r.intn(4)) % 5
	o := letters[j : j+1]
	a := genAnswer{kind: "choice", gold: L, same: []string{L, "(" + L + ")", `\text{(` + L + `)}`, `\textbf{(` + L + `)}`}}
	a.wrong = []string{o, "(" + o + ")"}
	return a
}

func pickAnswer(r *rng) genAnswer {
	k := answerKinds[pickWeighted(r, len(answerKinds), func(i int) int { return answerKinds[i].weight })]
	return k.make(r)
}

// pickWeighted returns an index below n drawn with the given weights.
func pickWeighted(r *rng, n int, weight func(int) int) int {
	total := 0
	for i := range n {
		total += weight(i)
	}
	x := r.intn(total)
	for i := range n {
		if x < weight(i) {
			return i
		}
		x -= weight(i)
	}
	return 0
}
