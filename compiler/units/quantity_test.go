package units

import (
	"errors"
	"math"
	"testing"
)

func qty(t testing.TB, s string) Quantity {
	t.Helper()
	q, err := ParseQuantity(s)
	if err != nil {
		t.Fatalf("ParseQuantity(%q): %v", s, err)
	}
	return q
}

func TestParseQuantity(t *testing.T) {
	tests := []struct{ in, str, pretty, latex string }{
		{"3.0e3 cell", "3000 cell", "3000 cell", `3000\,\mathrm{cell}`},
		{"20 min", "20 min", "20 min", `20\,\mathrm{min}`},
		{"47 uF", "47 uF", "47 μF", `47\,\mathrm{\mu{}F}`},
		{"47uF", "47 uF", "47 μF", `47\,\mathrm{\mu{}F}`},
		{"9.81 m/s^2", "9.81 m/s^2", "9.81 m/s²", `9.81\,\mathrm{m/s^{2}}`},
		{"20 °C", "20 degC", "20 °C", `20\,\mathrm{^{\circ}C}`},
		{"50 %", "50 %", "50%", `50\,\mathrm{\%}`},
		{"5 ‰", "5 permille", "5‰", `5\,\mathrm{\text{‰}}`},
		{"30 deg", "30 deg", "30°", `30\,\mathrm{^{\circ}}`},
		{"1/3", "1/3", "1/3", `\frac{1}{3}`},
		{"-2.5e-3 mol/L", "-0.0025 mol/L", "-0.0025 mol/L", `-0.0025\,\mathrm{mol/L}`},
	}
	for _, tt := range tests {
		q := qty(t, tt.in)
		if q.String() != tt.str || q.Pretty() != tt.pretty || q.LaTeX() != tt.latex {
			t.Errorf("%q: String %q Pretty %q LaTeX %q; want %q %q %q", tt.in, q.String(), q.Pretty(), q.LaTeX(), tt.str, tt.pretty, tt.latex)
		}
		if !q.Value.IsExact() {
			t.Errorf("%q: value not exact", tt.in)
		}
	}
	_, err := ParseQuantity("5 J/kmol2")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Offset != 4 || pe.Col() != 5 {
		t.Errorf("ParseQuantity(5 J/kmol2) err = %v", err)
	}
}

func TestTemperature(t *testing.T) {
	K, C, F := MustParse("K"), MustParse("degC"), MustParse("degF")
	conv := []struct {
		from string
		to   Unit
		want string
	}{
		{"20 degC", K, "293.15"},
		{"0 K", C, "-273.15"},
		{"300 K", C, "26.85"},
		{"100 degC", F, "212"},
		{"32 degF", C, "0"},
		{"-40 degF", C, "-40"},
		{"98.6 °F", C, "37"},
		{"0 °F", K, "45967/180"}, // 255.3722...
		{"10 delta_degC", K, "10"},
		{"18 delta_degF", K, "10"},
		{"10 K", MustParse("delta_degC"), "10"},
	}
	for _, tt := range conv {
		got, err := qty(t, tt.from).To(tt.to)
		if err != nil || !got.Value.IsExact() || !got.Value.Equal(num(t, tt.want)) {
			t.Errorf("%s -> %s = %v (exact %v), %v; want %s", tt.from, tt.to, got.Value.FracString(), got.Value.IsExact(), err, tt.want)
		}
	}
	// Differences: 30 degC - 20 degC is 10 delta_degC = 10 K, not 283.15 K.
	d, err := qty(t, "30 degC").Sub(qty(t, "20 degC"))
	if err != nil || d.String() != "10 delta_degC" {
		t.Fatalf("30 degC - 20 degC = %v, %v", d, err)
	}
	if k, _ := d.To(K); k.Value.String() != "10" {
		t.Errorf("(30 degC - 20 degC) in K = %v", k)
	}
	// Kelvin minus an absolute Celsius temperature converts with the offset.
	d2, _ := qty(t, "300 K").Sub(qty(t, "20 degC"))
	if d2.String() != "6.85 K" {
		t.Errorf("300 K - 20 degC = %v", d2)
	}
	// Absolute minus a difference stays absolute.
	d3, _ := qty(t, "30 degC").Sub(qty(t, "10 K"))
	if d3.String() != "20 degC" {
		t.Errorf("30 degC - 10 K = %v", d3)
	}
	// Adding: the right operand is a difference.
	s, _ := qty(t, "20 degC").Add(qty(t, "5 K"))
	if s.String() != "25 degC" {
		t.Errorf("20 degC + 5 K = %v", s)
	}
	s2, _ := qty(t, "20 degC").Add(qty(t, "9 degF"))
	if s2.String() != "25 degC" {
		t.Errorf("20 degC + 9 degF = %v", s2)
	}
	s3, _ := qty(t, "5 delta_degC").Add(qty(t, "20 degC"))
	if s3.String() != "25 degC" {
		t.Errorf("5 delta_degC + 20 degC = %v", s3)
	}
	// Heat: q = m c dT with c in J/(g*degC): scale only.
	m, c := qty(t, "100 g"), qty(t, "4.18 J/(g*degC)")
	mc, _ := m.Mul(c)
	heat, err := mc.Mul(d)
	if err != nil {
		t.Fatal(err)
	}
	if heat.Unit.String() != "J" || heat.Value.String() != "4180" {
		t.Errorf("100 g * 4.18 J/(g degC) * 10 delta_degC = %v", heat)
	}
	// The same with a temperature difference in K.
	heatK, _ := mc.Mul(qty(t, "10 K"))
	if j, err := heatK.To(MustParse("J")); err != nil || j.Value.String() != "4180" {
		t.Errorf("100 g * 4.18 J/(g degC) * 10 K = %v, %v", j, err)
	}
	// Comparisons of absolute temperatures use offsets.
	if c, _ := qty(t, "300 K").Cmp(qty(t, "20 degC")); c != 1 {
		t.Errorf("300 K vs 20 degC: %d", c)
	}
	if c, _ := qty(t, "212 degF").Cmp(qty(t, "100 degC")); c != 0 {
		t.Errorf("212 degF vs 100 degC: %d", c)
	}
	// SI value of an absolute temperature.
	if si, _ := qty(t, "25 degC").SI(); si.String() != "298.15 K" {
		t.Errorf("SI(25 degC) = %v", si)
	}
}

func TestArithmeticErrors(t *testing.T) {
	_, err := qty(t, "3 m").Add(qty(t, "2 s"))
	var me *MismatchError
	if !errors.As(err, &me) || err.Error() != "unit mismatch: m vs s" {
		t.Errorf("3 m + 2 s: %v", err)
	}
	_, err = qty(t, "3 J").Sub(qty(t, "2 W"))
	if err == nil || err.Error() != "unit mismatch: J vs W" {
		t.Errorf("3 J - 2 W: %v", err)
	}
	_, err = qty(t, "3 m").Cmp(qty(t, "2 kg"))
	if !errors.As(err, &me) {
		t.Errorf("compare m kg: %v", err)
	}
	_, err = qty(t, "3 m").Div(qty(t, "0 s"))
	if !errors.Is(err, ErrDivByZero) {
		t.Errorf("3 m / 0 s: %v", err)
	}
	_, err = qty(t, "3 m").Apply("exp")
	var de *DimensionError
	if !errors.As(err, &de) || err.Error() != "exp needs a dimensionless argument, got m" {
		t.Errorf("exp(3 m): %v", err)
	}
	if _, err = qty(t, "3 m").Apply("frobnicate"); err == nil {
		t.Errorf("unknown function accepted")
	}
	_, err = qty(t, "-1").Apply("log")
	if !errors.Is(err, ErrNaN) {
		t.Errorf("log(-1): %v", err)
	}
	_, err = qty(t, "2").Pow(qty(t, "3 m"))
	if !errors.As(err, &de) || err.Error() != "exponent must be dimensionless, got m" {
		t.Errorf("2^(3 m): %v", err)
	}
	_, err = qty(t, "2 m").PowN(Frac(1, 2))
	if !errors.As(err, &de) || err.Error() != "cannot raise m to the power 0.5" {
		t.Errorf("sqrt(2 m): %v", err)
	}
	_, err = qty(t, "2 m").PowN(Int(200))
	if !errors.Is(err, ErrExponent) {
		t.Errorf("(2 m)^200: %v", err)
	}
}

func TestQuantityArithmetic(t *testing.T) {
	// 1 km + 1 m keeps the left unit, exactly.
	s, _ := qty(t, "1 km").Add(qty(t, "1 m"))
	if s.String() != "1.001 km" || !s.Value.IsExact() {
		t.Errorf("1 km + 1 m = %v", s)
	}
	d, _ := qty(t, "2 h").Sub(qty(t, "30 min"))
	if d.String() != "1.5 h" {
		t.Errorf("2 h - 30 min = %v", d)
	}
	// The colony: n = n0 * 2^(t/doubling), t = 2 h, doubling = 20 min.
	ratio, _ := qty(t, "2 h").Div(qty(t, "20 min"))
	if !ratio.Unit.IsDimensionless() || ratio.Unit.String() != "h/min" {
		t.Errorf("2 h / 20 min unit = %v", ratio.Unit)
	}
	growth, err := Scalar(Int(2)).Pow(ratio)
	if err != nil || !growth.Value.IsExact() || growth.Value.String() != "64" {
		t.Fatalf("2^(2 h / 20 min) = %v, %v", growth, err)
	}
	n, _ := qty(t, "3.0e3 cell").Mul(growth)
	if n.String() != "192000 cell" {
		t.Errorf("n = %v", n)
	}
	if got, _ := n.Format(".3g"); got != "1.92e+05 cell" {
		t.Errorf("n formatted = %q", got)
	}
	// The capacitor: tau = R C = 10 kohm * 47 uF = 0.47 s.
	tau, _ := qty(t, "10 kohm").Mul(qty(t, "47 uF"))
	if s, err := tau.To(MustParse("s")); err != nil || s.String() != "0.47 s" {
		t.Errorf("tau = %v, %v", s, err)
	}
	if tau.Unit.String() != "kohm*uF" {
		t.Errorf("tau unit = %v", tau.Unit)
	}
	// Powers: (3 m)^2 = 9 m^2; sqrt(16 m^2) = 4 m; sqrt of km*m goes via SI.
	sq, _ := qty(t, "3 m").PowN(Int(2))
	if sq.String() != "9 m^2" {
		t.Errorf("(3 m)^2 = %v", sq)
	}
	r, err := qty(t, "16 m^2").Sqrt()
	if err != nil || r.String() != "4 m" || !r.Value.IsExact() {
		t.Errorf("sqrt(16 m^2) = %v, %v", r, err)
	}
	r2, err := qty(t, "1 km*m").Sqrt()
	if err != nil || r2.Unit.String() != "m" || math.Abs(r2.Value.Float64()-math.Sqrt(1000)) > 1e-12 {
		t.Errorf("sqrt(1 km*m) = %v, %v", r2, err)
	}
	r3, err := qty(t, "8 m^3/s^3").PowN(Frac(2, 3))
	if err != nil || r3.String() != "4 m^2/s^2" {
		t.Errorf("(8 m^3/s^3)^(2/3) = %v, %v", r3, err)
	}
	inv, _ := qty(t, "4 s").PowN(Int(-1))
	if inv.String() != "0.25 1/s" && inv.String() != "1/4 1/s" {
		t.Errorf("(4 s)^-1 = %v", inv)
	}
	// Dimensionless with a unit: (50 %)^(1/2) is sqrt(0.5).
	h, err := qty(t, "50 %").PowN(Frac(1, 2))
	if err != nil || math.Abs(h.Value.Float64()-math.Sqrt(0.5)) > 1e-15 || !h.Unit.IsOne() {
		t.Errorf("(50 %%)^(1/2) = %v, %v", h, err)
	}
	// Trigonometry in degrees.
	s30, _ := qty(t, "30 deg").Apply("sin")
	if math.Abs(s30.Value.Float64()-0.5) > 1e-15 {
		t.Errorf("sin(30 deg) = %v", s30)
	}
	c0, _ := qty(t, "0 rad").Apply("cos")
	if !c0.Value.IsExact() || c0.Value.String() != "1" {
		t.Errorf("cos(0 rad) = %v", c0)
	}
	e, _ := qty(t, "1 h/min").Apply("log")
	if math.Abs(e.Value.Float64()-math.Log(60)) > 1e-12 {
		t.Errorf("log(1 h/min) = %v", e)
	}
	// Neg and Abs.
	if qty(t, "-3 m").Abs().String() != "3 m" || qty(t, "3 m").Neg().String() != "-3 m" {
		t.Errorf("abs/neg")
	}
	// Number: a dimensionless quantity as a plain number.
	if n, err := qty(t, "25 %").Number(); err != nil || n.FracString() != "1/4" {
		t.Errorf("25 %% as number = %v, %v", n, err)
	}
	if _, err := qty(t, "25 m").Number(); err == nil {
		t.Errorf("25 m as number accepted")
	}
}

func TestCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1 km", "999 m", 1},
		{"1 km", "1000 m", 0},
		{"1 min", "61 s", -1},
		{"1/3", "0.3333", 1},
		{"1 L", "1000 mL", 0},
		{"1 atm", "760 torr", 0},
	}
	for _, tt := range tests {
		got, err := qty(t, tt.a).Cmp(qty(t, tt.b))
		if err != nil || got != tt.want {
			t.Errorf("cmp(%s, %s) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
}

// TestRPM pins the documented angle convention: rpm is 2π/60 rad/s, and
// dividing by rev gives turns per time.
func TestRPM(t *testing.T) {
	w, err := qty(t, "60 rpm").To(MustParse("rad/s"))
	if err != nil || math.Abs(w.Value.Float64()-2*math.Pi) > 1e-12 {
		t.Errorf("60 rpm in rad/s = %v, %v", w, err)
	}
	f, _ := qty(t, "60 rpm").Div(qty(t, "1 rev"))
	hz, err := f.To(MustParse("Hz"))
	if err != nil || math.Abs(hz.Value.Float64()-1) > 1e-12 {
		t.Errorf("60 rpm / 1 rev in Hz = %v, %v", hz, err)
	}
}
