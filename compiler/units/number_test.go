package units

import (
	"errors"
	"math"
	"testing"
)

func num(t testing.TB, s string) Number {
	t.Helper()
	n, err := ParseNumber(s)
	if err != nil {
		t.Fatalf("ParseNumber(%q): %v", s, err)
	}
	return n
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in    string
		str   string // String()
		frac  string // FracString()
		exact bool
	}{
		{"12", "12", "12", true},
		{"-12", "-12", "-12", true},
		{"+7", "7", "7", true},
		{"12.70", "12.7", "127/10", true},
		{".5", "0.5", "1/2", true},
		{"3.0e3", "3000", "3000", true},
		{"1E-9", "0.000000001", "1/1000000000", true},
		{"1/3", "1/3", "1/3", true},
		{"-2/4", "-0.5", "-1/2", true},
		{"0.1", "0.1", "1/10", true},
		{"2.5e-1", "0.25", "1/4", true},
		{"1e500", "", "", false}, // beyond the exact exponent range: a float, which overflows
	}
	for _, tt := range tests {
		n, err := ParseNumber(tt.in)
		if tt.in == "1e500" {
			if !errors.Is(errUnwrap(err), ErrOverflow) {
				t.Errorf("ParseNumber(1e500) err = %v, want overflow", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.str {
			t.Errorf("ParseNumber(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
		if got := n.FracString(); got != tt.frac {
			t.Errorf("ParseNumber(%q).FracString() = %q, want %q", tt.in, got, tt.frac)
		}
		if n.IsExact() != tt.exact {
			t.Errorf("ParseNumber(%q).IsExact() = %v", tt.in, n.IsExact())
		}
	}
}

// errUnwrap maps a *ParseError about an arithmetic error back to it.
func errUnwrap(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		switch {
		case pe.Msg == "division by zero":
			return ErrDivByZero
		case len(pe.Msg) > 0 && contains(pe.Msg, "overflow"):
			return ErrOverflow
		}
	}
	return err
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestParseNumberErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "expected a number"},
		{"abc", 0, `expected a number, found "a" at col 1`},
		{"1.2.3", 3, `unexpected ".3" after number at col 4`},
		{"1/0", 2, "division by zero at col 3"},
		{"12x", 2, `unexpected "x" after number at col 3`},
		{"1/2.5", 3, "a fraction needs an integer denominator at col 4"},
		{"0x10", 1, `unexpected "x10" after number at col 2`},
		{"-", 1, "expected a number at col 2"},
	}
	for _, tt := range tests {
		_, err := ParseNumber(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("ParseNumber(%q) err = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Offset != tt.offset || !contains(err.Error(), tt.msg) {
			t.Errorf("ParseNumber(%q) err = %q (offset %d), want %q at offset %d", tt.in, err, pe.Offset, tt.msg, tt.offset)
		}
	}
}

func TestArithmeticExact(t *testing.T) {
	a, b := num(t, "1/3"), num(t, "1/6")
	s, _ := a.Add(b)
	if !s.IsExact() || s.FracString() != "1/2" {
		t.Errorf("1/3+1/6 = %v", s.FracString())
	}
	d, _ := a.Sub(b)
	if d.FracString() != "1/6" {
		t.Errorf("1/3-1/6 = %v", d.FracString())
	}
	p, _ := a.Mul(b)
	if p.FracString() != "1/18" {
		t.Errorf("1/3*1/6 = %v", p.FracString())
	}
	q, _ := a.Div(b)
	if q.FracString() != "2" || !q.IsInt() {
		t.Errorf("(1/3)/(1/6) = %v", q.FracString())
	}
	// 0.1 + 0.2 is exactly 0.3 here, unlike float64.
	x, _ := num(t, "0.1").Add(num(t, "0.2"))
	if !x.Equal(num(t, "0.3")) || x.String() != "0.3" {
		t.Errorf("0.1+0.2 = %v", x)
	}
	// Mixing with a float gives a float.
	y, _ := num(t, "1/3").Add(Float(0.5))
	if y.IsExact() || math.Abs(y.Float64()-(1.0/3+0.5)) > 1e-15 {
		t.Errorf("1/3 + 0.5(float) = %v exact=%v", y, y.IsExact())
	}
	if _, err := Int(1).Div(Int(0)); !errors.Is(err, ErrDivByZero) {
		t.Errorf("1/0 err = %v", err)
	}
	if _, err := Float(1).Div(Float(0)); !errors.Is(err, ErrDivByZero) {
		t.Errorf("1.0/0.0 err = %v", err)
	}
	if _, err := Float(1e308).Mul(Float(1e308)); !errors.Is(err, ErrOverflow) {
		t.Errorf("1e308*1e308 err = %v", err)
	}
}

func TestPow(t *testing.T) {
	tests := []struct {
		base, exp string
		want      string // FracString
		exact     bool
	}{
		{"2", "10", "1024", true},
		{"2/3", "-2", "9/4", true},
		{"9/4", "1/2", "3/2", true},
		{"27", "2/3", "9", true},
		{"-8", "1/3", "-2", true},
		{"0.01", "1/2", "1/10", true},
		{"2", "1/2", "1.4142135623730951", false},
		{"2", "0.5", "1.4142135623730951", true}, // 0.5 is the exact 1/2
		{"10", "-3", "1/1000", true},
		{"0", "0", "1", true},
		{"7", "0", "1", true},
	}
	for _, tt := range tests {
		got, err := num(t, tt.base).Pow(num(t, tt.exp))
		if err != nil {
			t.Errorf("%s^%s: %v", tt.base, tt.exp, err)
			continue
		}
		if got.FracString() != tt.want {
			t.Errorf("%s^%s = %s, want %s", tt.base, tt.exp, got.FracString(), tt.want)
		}
		if tt.want != "1.4142135623730951" && got.IsExact() != tt.exact {
			t.Errorf("%s^%s exact = %v", tt.base, tt.exp, got.IsExact())
		}
	}
	if _, err := Int(0).Pow(Int(-1)); !errors.Is(err, ErrDivByZero) {
		t.Errorf("0^-1 err = %v", err)
	}
	if _, err := Int(-4).Pow(Frac(1, 2)); !errors.Is(err, ErrNaN) {
		t.Errorf("(-4)^(1/2) err = %v", err)
	}
	if _, err := Float(-2).Pow(Float(0.3)); !errors.Is(err, ErrNaN) {
		t.Errorf("(-2)^0.3 err = %v", err)
	}
	// Over the bit budget: 3^10000 falls back to a float and overflows.
	if _, err := Int(3).Pow(Int(10000)); !errors.Is(err, ErrOverflow) {
		t.Errorf("3^10000 err = %v", err)
	}
	// Within it but large: 2^1000 stays exact.
	p, err := Int(2).Pow(Int(1000))
	if err != nil || !p.IsExact() {
		t.Errorf("2^1000 = %v exact=%v err=%v", p, p.IsExact(), err)
	}
	// 2^5000 is over the 4096-bit budget but fits a float? No (max ~1.8e308 = 2^1024).
	if _, err := Int(2).Pow(Int(5000)); !errors.Is(err, ErrOverflow) {
		t.Errorf("2^5000 err = %v", err)
	}
	// 1/3^3000 is over the budget and underflows to a float 0, not an error.
	u, err := Frac(1, 3).Pow(Int(3000))
	if err != nil || u.IsExact() || u.Float64() != 0 {
		t.Errorf("(1/3)^3000 = %v exact=%v err=%v", u, u.IsExact(), err)
	}
}

func TestBudget(t *testing.T) {
	// Repeated exact products that outgrow MaxRatBits become floats with
	// the right value.
	x, f := Int(1), Frac(1000001, 1000000)
	var err error
	steps := 0
	for ; x.IsExact(); steps++ {
		if x, err = x.Mul(f); err != nil {
			t.Fatal(err)
		}
	}
	if steps < 50 || steps > 200 {
		t.Errorf("fell back to float after %d steps, want ~100 (4096 bits / 40 bits per step)", steps)
	}
	want := math.Pow(1.000001, float64(steps))
	if math.Abs(x.Float64()-want) > 1e-12 {
		t.Errorf("after %d steps: %v, want %v", steps, x, want)
	}
	// (7/3)^3000 is over the budget and too big for a float: overflow.
	if _, err := Frac(7, 3).Pow(Int(3000)); !errors.Is(err, ErrOverflow) {
		t.Errorf("(7/3)^3000 err = %v", err)
	}
	// 1e400 is exact (1330 bits), although no float64 holds it.
	n := num(t, "1e400")
	if !n.IsExact() || !math.IsInf(n.Float64(), 1) {
		t.Errorf("1e400 exact=%v float=%v", n.IsExact(), n.Float64())
	}
}

func TestFunctions(t *testing.T) {
	exact := []struct {
		name string
		f    func(Number) (Number, error)
		in   Number
		want string
	}{
		{"exp(0)", Number.Exp, Int(0), "1"},
		{"log(1)", Number.Log, Int(1), "0"},
		{"log10(1000)", Number.Log10, Int(1000), "3"},
		{"log10(1/100)", Number.Log10, Frac(1, 100), "-2"},
		{"log2(1024)", Number.Log2, Int(1024), "10"},
		{"sin(0)", Number.Sin, Int(0), "0"},
		{"cos(0)", Number.Cos, Int(0), "1"},
	}
	for _, tt := range exact {
		got, err := tt.f(tt.in)
		if err != nil || !got.IsExact() || got.FracString() != tt.want {
			t.Errorf("%s = %v (exact %v, err %v), want exact %s", tt.name, got, got.IsExact(), err, tt.want)
		}
	}
	approx := []struct {
		name string
		f    func(Number) (Number, error)
		in   Number
		want float64
	}{
		{"exp(1)", Number.Exp, Int(1), math.E},
		{"log(10)", Number.Log, Int(10), math.Ln10},
		{"log10(2)", Number.Log10, Int(2), math.Log10(2)},
		{"sin(pi/6)", Number.Sin, Float(math.Pi / 6), 0.5},
		{"sqrt(2)", Number.Sqrt, Int(2), math.Sqrt2},
		{"atan(1)", Number.Atan, Int(1), math.Pi / 4},
	}
	for _, tt := range approx {
		got, err := tt.f(tt.in)
		if err != nil || got.IsExact() || math.Abs(got.Float64()-tt.want) > 1e-12 {
			t.Errorf("%s = %v (exact %v, err %v), want %v", tt.name, got, got.IsExact(), err, tt.want)
		}
	}
	if _, err := Int(0).Log(); !errors.Is(err, ErrNaN) {
		t.Errorf("log(0) err = %v", err)
	}
	if _, err := Int(2).Asin(); !errors.Is(err, ErrNaN) {
		t.Errorf("asin(2) err = %v", err)
	}
	if _, err := Int(1000).Exp(); !errors.Is(err, ErrOverflow) {
		t.Errorf("exp(1000) err = %v", err)
	}
	// log of an exact value beyond float64's range stays finite.
	big, _ := Int(10).Pow(Int(1000))
	l, err := big.Log10()
	if err != nil || l.Float64() != 1000 {
		t.Errorf("log10(10^1000) = %v, %v", l, err)
	}
	big7, _ := Int(7).Pow(Int(1000))
	l, err = big7.Log()
	if err != nil || math.Abs(l.Float64()-1000*math.Log(7)) > 1e-9 {
		t.Errorf("log(7^1000) = %v, %v", l, err)
	}
}

func TestRounding(t *testing.T) {
	tests := []struct {
		in               string
		floor, ceil, rnd string
	}{
		{"7/2", "3", "4", "4"},
		{"-7/2", "-4", "-3", "-4"},
		{"5", "5", "5", "5"},
		{"-1/3", "-1", "0", "0"},
	}
	for _, tt := range tests {
		n := num(t, tt.in)
		f, _ := n.Floor()
		c, _ := n.Ceil()
		r, _ := n.Round()
		if f.String() != tt.floor || c.String() != tt.ceil || r.String() != tt.rnd {
			t.Errorf("%s: floor %v ceil %v round %v, want %s %s %s", tt.in, f, c, r, tt.floor, tt.ceil, tt.rnd)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		n    Number
		spec string
		want string
	}{
		{Int(192000), ".3g", "1.92e+05"},
		{Int(192000), "", "192000"},
		{Frac(1, 3), ".4f", "0.3333"},
		{num(t, "2.675"), ".2f", "2.68"}, // exact: halves away from zero (a float64 gives 2.67)
		{Float(2.675), ".2f", "2.67"},
		{Frac(1, 3), ".3e", "3.333e-01"},
		{Int(1), ".3s", "1.00"},
		{num(t, "0.00012345"), ".3s", "0.000123"},
		{Int(192000), ".3s", "1.92e+05"},
		{Frac(1, 4), ".1%", "25.0%"},
		{Frac(1, 8), "%", "13%"},
		{Float(0.1), "g", "0.1"},
		{Int(1234), ".2f", "1234.00"},
	}
	for _, tt := range tests {
		got, err := tt.n.Format(tt.spec)
		if err != nil || got != tt.want {
			t.Errorf("Format(%v, %q) = %q, %v; want %q", tt.n, tt.spec, got, err, tt.want)
		}
	}
	for _, bad := range []string{"x", "3g", ".g.", ".-1f", ".999f"} {
		if _, err := Int(1).Format(bad); err == nil {
			t.Errorf("Format(%q) accepted", bad)
		}
	}
}

func TestLaTeX(t *testing.T) {
	tests := []struct {
		n             Number
		latex, frac   string
		sig3, sig3TeX string
	}{
		{Frac(1, 3), `\frac{1}{3}`, `\frac{1}{3}`, "0.333", "0.333"},
		{Frac(-2, 3), `-\frac{2}{3}`, `-\frac{2}{3}`, "-0.667", "-0.667"},
		{Frac(1, 2), "0.5", `\frac{1}{2}`, "0.500", "0.500"},
		{Int(192000), "192000", "192000", "1.92e+05", `1.92 \times 10^{5}`},
		{Float(1.5e20), `1.5 \times 10^{20}`, `1.5 \times 10^{20}`, "1.50e+20", `1.50 \times 10^{20}`},
		{Float(1e-9), `10^{-9}`, `10^{-9}`, "1.00e-09", `1.00 \times 10^{-9}`},
		{Float(9.996), "9.996", "9.996", "10.0", "10.0"},
	}
	for _, tt := range tests {
		if got := tt.n.LaTeX(); got != tt.latex {
			t.Errorf("LaTeX(%v) = %q, want %q", tt.n, got, tt.latex)
		}
		if got := tt.n.FracLaTeX(); got != tt.frac {
			t.Errorf("FracLaTeX(%v) = %q, want %q", tt.n, got, tt.frac)
		}
		if got := tt.n.SigString(3); got != tt.sig3 {
			t.Errorf("SigString(%v, 3) = %q, want %q", tt.n, got, tt.sig3)
		}
		if got := tt.n.SigLaTeX(3); got != tt.sig3TeX {
			t.Errorf("SigLaTeX(%v, 3) = %q, want %q", tt.n, got, tt.sig3TeX)
		}
	}
}

func TestZeroValue(t *testing.T) {
	var n Number
	if !n.IsExact() || !n.IsZero() || n.String() != "0" {
		t.Errorf("zero Number = %v exact=%v", n, n.IsExact())
	}
	var u Unit
	if !u.IsOne() || u.String() != "1" || !u.Scale().Equal(Int(1)) {
		t.Errorf("zero Unit = %v scale %v", u, u.Scale())
	}
}
