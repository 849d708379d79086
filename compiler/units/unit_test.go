package units

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseUnit(t *testing.T) {
	tests := []struct {
		in, canon, pretty, latex string
		scale                    string // exact scale to SI, FracString; "" to skip
		dim                      string
	}{
		{"m/s^2", "m/s^2", "m/s²", `\mathrm{m/s^{2}}`, "1", "m/s^2"},
		{"m s^-2", "m/s^2", "m/s²", `\mathrm{m/s^{2}}`, "1", "m/s^2"},
		{"m*s**-2", "m/s^2", "m/s²", `\mathrm{m/s^{2}}`, "1", "m/s^2"},
		{"m/s/s", "m/s^2", "m/s²", `\mathrm{m/s^{2}}`, "1", "m/s^2"},
		{"kg*m/s^2", "kg*m/s^2", "kg·m/s²", `\mathrm{kg\cdot m/s^{2}}`, "1", "kg*m/s^2"},
		{"kg·m²/s²", "kg*m^2/s^2", "kg·m²/s²", `\mathrm{kg\cdot m^{2}/s^{2}}`, "1", "kg*m^2/s^2"},
		{"kg⋅m^2⋅s^-2", "kg*m^2/s^2", "kg·m²/s²", `\mathrm{kg\cdot m^{2}/s^{2}}`, "1", "kg*m^2/s^2"},
		{"J/(mol*K)", "J/(mol*K)", "J/(mol·K)", `\mathrm{J/(mol\cdot K)}`, "1", "kg*m^2/(s^2*K*mol)"},
		{"J/(mol K)", "J/(mol*K)", "J/(mol·K)", `\mathrm{J/(mol\cdot K)}`, "1", "kg*m^2/(s^2*K*mol)"},
		{"J/mol K", "J/(mol*K)", "J/(mol·K)", `\mathrm{J/(mol\cdot K)}`, "1", "kg*m^2/(s^2*K*mol)"},
		{"J mol^-1 K^-1", "J/(mol*K)", "J/(mol·K)", `\mathrm{J/(mol\cdot K)}`, "1", "kg*m^2/(s^2*K*mol)"},
		{"mol/L", "mol/L", "mol/L", `\mathrm{mol/L}`, "1000", "mol/m^3"},
		{"g/mol", "g/mol", "g/mol", `\mathrm{g/mol}`, "1/1000", "kg/mol"},
		{"uF", "uF", "μF", `\mathrm{\mu{}F}`, "1/1000000", "s^4*A^2/(kg*m^2)"},
		{"μF", "uF", "μF", `\mathrm{\mu{}F}`, "1/1000000", "s^4*A^2/(kg*m^2)"}, // Greek mu
		{"µF", "uF", "μF", `\mathrm{\mu{}F}`, "1/1000000", "s^4*A^2/(kg*m^2)"}, // micro sign
		{"kohm", "kohm", "kΩ", `\mathrm{k\Omega}`, "1000", "kg*m^2/(s^3*A^2)"},
		{"kΩ", "kohm", "kΩ", `\mathrm{k\Omega}`, "1000", "kg*m^2/(s^3*A^2)"},
		{"MΩ", "Mohm", "MΩ", `\mathrm{M\Omega}`, "1000000", "kg*m^2/(s^3*A^2)"}, // ohm sign U+2126
		{"°C", "degC", "°C", `\mathrm{^{\circ}C}`, "1", "K"},
		{"℃", "degC", "°C", `\mathrm{^{\circ}C}`, "1", "K"},
		{"degF", "degF", "°F", `\mathrm{^{\circ}F}`, "5/9", "K"},
		{"%", "%", "%", `\mathrm{\%}`, "1/100", "1"},
		{"1/s", "1/s", "1/s", `\mathrm{1/s}`, "1", "1/s"},
		{"s^-1", "1/s", "1/s", `\mathrm{1/s}`, "1", "1/s"},
		{"s^(-1)", "1/s", "1/s", `\mathrm{1/s}`, "1", "1/s"},
		{"s⁻¹", "1/s", "1/s", `\mathrm{1/s}`, "1", "1/s"},
		{"m^3", "m^3", "m³", `\mathrm{m^{3}}`, "1", "m^3"},
		{"cm³", "cm^3", "cm³", `\mathrm{cm^{3}}`, "1/1000000", "m^3"},
		{"km", "km", "km", `\mathrm{km}`, "1000", "m"},
		{"mL", "mL", "mL", `\mathrm{mL}`, "1/1000000", "m^3"},
		{"ml", "mL", "mL", `\mathrm{mL}`, "1/1000000", "m^3"},
		{"kPa", "kPa", "kPa", `\mathrm{kPa}`, "1000", "kg/(m*s^2)"},
		{"hPa", "hPa", "hPa", `\mathrm{hPa}`, "100", "kg/(m*s^2)"},
		{"MeV", "MeV", "MeV", `\mathrm{MeV}`, "801088317/5000000000000000000000", "kg*m^2/s^2"},
		{"dam", "dam", "dam", `\mathrm{dam}`, "10", "m"},
		{"kWh", "kWh", "kWh", `\mathrm{kWh}`, "3600000", "kg*m^2/s^2"},
		{"mAh", "mAh", "mAh", `\mathrm{mAh}`, "18/5", "s*A"},
		{"km/h", "km/h", "km/h", `\mathrm{km/h}`, "5/18", "m/s"},
		{"M", "M", "M", `\mathrm{M}`, "1000", "mol/m^3"},
		{"mM", "mM", "mM", `\mathrm{mM}`, "1", "mol/m^3"},
		{"uM", "uM", "μM", `\mathrm{\mu{}M}`, "1/1000", "mol/m^3"},
		{"Mm", "Mm", "Mm", `\mathrm{Mm}`, "1000000", "m"},
		{"MJ", "MJ", "MJ", `\mathrm{MJ}`, "1000000", "kg*m^2/s^2"},
		{"u", "u", "u", `\mathrm{u}`, "", "kg"},
		{"ug", "ug", "μg", `\mathrm{\mu{}g}`, "1/1000000000", "kg"},
		{"kbp", "kbp", "kbp", `\mathrm{kbp}`, "1000", "1"},
		{"U/mL", "U/mL", "U/mL", `\mathrm{U/mL}`, "1/60", "mol/(m^3*s)"},
		{"N.m", "N*m", "N·m", `\mathrm{N\cdot m}`, "1", "kg*m^2/s^2"},
		{"kg.m/s^2", "kg*m/s^2", "kg·m/s²", `\mathrm{kg\cdot m/s^{2}}`, "1", "kg*m/s^2"},
		{"‰", "permille", "‰", `\mathrm{\text{‰}}`, "1/1000", "1"},
		{"min", "min", "min", `\mathrm{min}`, "60", "s"},
		{"ms", "ms", "ms", `\mathrm{ms}`, "1/1000", "s"},
		{"Pa", "Pa", "Pa", `\mathrm{Pa}`, "1", "kg/(m*s^2)"},
		{"cd", "cd", "cd", `\mathrm{cd}`, "1", "cd"},
		{"ft", "ft", "ft", `\mathrm{ft}`, "381/1250", "m"},
		{"in", "in", "in", `\mathrm{in}`, "127/5000", "m"},
		{"lb", "lb", "lb", `\mathrm{lb}`, "45359237/100000000", "kg"},
		{"atm", "atm", "atm", `\mathrm{atm}`, "101325", "kg/(m*s^2)"},
		{"torr", "torr", "torr", `\mathrm{torr}`, "20265/152", "kg/(m*s^2)"},
		{"mmHg", "mmHg", "mmHg", `\mathrm{mmHg}`, "26664477483/200000000", "kg/(m*s^2)"},
		{"kcal", "kcal", "kcal", `\mathrm{kcal}`, "4184", "kg*m^2/s^2"},
		{"Cal", "Cal", "Cal", `\mathrm{Cal}`, "4184", "kg*m^2/s^2"},
		{"Å", "angstrom", "Å", `\mathrm{\text{Å}}`, "1/10000000000", "m"},
		{"t", "t", "t", `\mathrm{t}`, "1000", "kg"},
		{"kDa", "kDa", "kDa", `\mathrm{kDa}`, "", "kg"},
		{"cells", "cells", "cells", `\mathrm{cells}`, "1", "1"},
		{"cell/mL", "cell/mL", "cell/mL", `\mathrm{cell/mL}`, "1000000", "1/m^3"},
		{"ppm", "ppm", "ppm", `\mathrm{ppm}`, "1/1000000", "1"},
		{"rpm", "rpm", "rpm", `\mathrm{rpm}`, "", "1/s"},
		{"mph", "mph", "mph", `\mathrm{mph}`, "1397/3125", "m/s"},
		{"W/(m^2 K)", "W/(m^2*K)", "W/(m²·K)", `\mathrm{W/(m^{2}\cdot K)}`, "1", "kg/(s^3*K)"},
		{"N m", "N*m", "N·m", `\mathrm{N\cdot m}`, "1", "kg*m^2/s^2"},
		{"m/m", "1", "1", ``, "1", "1"},
		{"J/K*K", "J", "J", `\mathrm{J}`, "1", "kg*m^2/s^2"},
		{"(m/s)^2", "m^2/s^2", "m²/s²", `\mathrm{m^{2}/s^{2}}`, "1", "m^2/s^2"},
		{"  kg  *  m ", "kg*m", "kg·m", `\mathrm{kg\cdot m}`, "1", "kg*m"},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.canon {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.canon)
		}
		if got := u.Pretty(); got != tt.pretty {
			t.Errorf("Parse(%q).Pretty() = %q, want %q", tt.in, got, tt.pretty)
		}
		if got := u.LaTeX(); got != tt.latex {
			t.Errorf("Parse(%q).LaTeX() = %q, want %q", tt.in, got, tt.latex)
		}
		if tt.scale != "" {
			if got := u.Scale().FracString(); got != tt.scale || !u.Scale().IsExact() {
				t.Errorf("Parse(%q).Scale() = %s (exact %v), want %s", tt.in, got, u.Scale().IsExact(), tt.scale)
			}
		}
		if got := u.Dim().String(); got != tt.dim {
			t.Errorf("Parse(%q).Dim() = %s, want %s", tt.in, got, tt.dim)
		}
	}
}

func TestParseUnitErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty unit at col 1"},
		{"J/kmol2", 2, `unknown unit "kmol2" (did you mean kmol^2?) at col 3`},
		{"m2", 0, `unknown unit "m2" (did you mean m^2?) at col 1`},
		{"kmin", 0, `unknown unit "kmin" (min takes no SI prefix) at col 1`},
		{"kh", 0, `unknown unit "kh" (h takes no SI prefix) at col 1`},
		{"katm", 0, `unknown unit "katm" (atm takes no SI prefix) at col 1`},
		{"kkg", 0, `unknown unit "kkg" at col 1`},
		{"furlong", 0, `unknown unit "furlong" at col 1`},
		{"m/", 2, "expected a unit at end of text at col 3"},
		{"m^", 2, "expected an integer exponent at col 3"},
		{"m^x", 2, "expected an integer exponent at col 3"},
		{"m^(1/2)", 4, "unit exponents must be integers at col 5"},
		{"m^1/2", 3, "unit exponents must be integers"},
		{"m^999", 2, "unit exponent 999 out of range at col 3"},
		{"(m", 0, `unclosed "(" at col 1`},
		{"m)", 1, `unmatched ")" at col 2`},
		{"m,s", 1, `unexpected "," in unit at col 2`},
		{"2 m", 0, `unexpected number "2" in unit at col 1`},
		{"m 3", 2, `unexpected number "3" in unit (write exponents as ^3) at col 3`},
		{"°C/μx", 4, `unknown unit "μx" at col 4`}, // byte offset 4, rune column 4
		{"m\ns", 1, "unexpected newline in unit at col 2"},
		{"m^2^2^2", 3, `unexpected "^" in unit`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) err = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Offset != tt.offset || !contains(err.Error(), tt.msg) {
			t.Errorf("Parse(%q) err = %q (offset %d), want %q at offset %d", tt.in, err, pe.Offset, tt.msg, tt.offset)
		}
	}
}

func TestPrefixConsistency(t *testing.T) {
	// Every prefix on every prefixable unit resolves, with the right scale;
	// no prefix on an unprefixable unit does (unless the spelling is itself
	// a table entry, like "min" or "ft").
	for _, p := range prefixes {
		for _, d := range unitDefs {
			sym := p.name + d.name
			pre, got, ok := lookupSymbol(sym)
			if d.prefix {
				if _, exact := unitTable[sym]; exact {
					continue // "ft" is the foot, not a femto-tonne
				}
				if !ok || got != d || pre != p {
					t.Errorf("%s (%s + %s) does not resolve", sym, p.name, d.name)
				}
				continue
			}
			if _, exact := unitTable[sym]; !exact && ok && got == d {
				t.Errorf("%s resolves although %s takes no prefix", sym, d.name)
			}
		}
	}
	// Scale of a prefixed unit is prefix * unit.
	for _, c := range []struct {
		sym   string
		scale string
	}{{"qm", "1e-30"}, {"Qm", "1e30"}, {"ym", "1e-24"}, {"Ym", "1e24"}, {"nm", "1e-9"}, {"GHz", "1e9"}, {"mg", "1e-6"}, {"kg", "1"}, {"Gyr", "3.15576e16"}, {"dL", "1e-4"}} {
		u, ok := Lookup(c.sym)
		if !ok || !u.Scale().Equal(num(t, c.scale)) {
			t.Errorf("%s scale = %v, want %s", c.sym, u.Scale(), c.scale)
		}
	}
}

func TestScanUnit(t *testing.T) {
	stop := func(w string) bool { return w == "in" || w == "step" || w == "rel" }
	tests := []struct {
		in   string
		unit string
		n    int
	}{
		{"m in km", "m", 1},
		{"m/s step 5", "m/s", 3},
		{"cell, rel 1e-3", "cell", 4},
		{"J/(mol K)\nlet x", "J/(mol*K)", 9},
		{"kg m/s^2 + 3", "kg*m/s^2", 8},
		{"m/in", "m/in", 4}, // after an operator "in" is the inch
		{"uF }", "uF", 2},
	}
	for _, tt := range tests {
		u, n, err := ScanUnit(tt.in, stop)
		if err != nil || u.String() != tt.unit || n != tt.n {
			t.Errorf("ScanUnit(%q) = %v, %d, %v; want %s, %d", tt.in, u, n, err, tt.unit, tt.n)
		}
	}
	if _, _, err := ScanUnit(", x", stop); err == nil {
		t.Errorf("ScanUnit(\", x\") accepted")
	}
	if _, _, err := ScanUnit("m/ ,", stop); err == nil {
		t.Errorf("ScanUnit(\"m/ ,\") accepted")
	}
}

func TestConversions(t *testing.T) {
	tests := []struct {
		from, to string
		want     string // exact (FracString) when exact is true
		exact    bool
		approx   float64
	}{
		{"1 km", "m", "1000", true, 0},
		{"2 h", "min", "120", true, 0},
		{"20 min", "s", "1200", true, 0},
		{"1 yr", "d", "1461/4", true, 0},
		{"72 km/h", "m/s", "20", true, 0},
		{"1 mi", "km", "201168/125000", true, 0},
		{"1 ft", "in", "12", true, 0},
		{"1 lb", "g", "45359237/100000", true, 0},
		{"1 atm", "kPa", "4053/40", true, 0},
		{"760 torr", "atm", "1", true, 0},
		{"760 mmHg", "kPa", "", false, 101.3250144354}, // mmHg is not torr,
		{"1 bar", "Pa", "100000", true, 0},
		{"1 kcal", "J", "4184", true, 0},
		{"1 Cal", "kcal", "1", true, 0},
		{"1 eV", "J", "801088317/5000000000000000000000000000", true, 0},
		{"1 kWh", "MJ", "18/5", true, 0},
		{"2500 mAh", "C", "9000", true, 0},
		{"1 L", "cm^3", "1000", true, 0},
		{"250 mL", "L", "1/4", true, 0},
		{"0.1 M", "mol/L", "1/10", true, 0},
		{"1 M", "mM", "1000", true, 0},
		{"5 mM", "mol/m^3", "5", true, 0},
		{"47 uF", "F", "47/1000000", true, 0},
		{"10 kohm", "ohm", "10000", true, 0},
		{"10 kohm * 47 uF", "s", "47/100", true, 0},
		{"1 N*m", "J", "1", true, 0},
		{"1 J/s", "W", "1", true, 0},
		{"1 V*A", "W", "1", true, 0},
		{"1 C/V", "F", "1", true, 0},
		{"1 Wb/A", "H", "1", true, 0},
		{"1 T*m^2", "Wb", "1", true, 0},
		{"1 Gy", "J/kg", "1", true, 0},
		{"3 A*s", "C", "3", true, 0},
		{"2 kat", "mol/s", "2", true, 0},
		{"1 lx", "lm/m^2", "1", true, 0},
		{"1 Hz", "1/s", "1", true, 0},
		{"1 S", "1/ohm", "1", true, 0},
		{"1 Da", "kg", "166053906660/100000000000000000000000000000000000000", true, 0},
		{"1 u", "Da", "1", true, 0},
		{"1 Å", "nm", "1/10", true, 0},
		{"1 t", "kg", "1000", true, 0},
		{"50 %", "1", "1/2", true, 0},
		{"0.25", "%", "25", true, 0},
		{"3 ppm", "ppb", "3000", true, 0},
		{"3000 cell", "cells", "3000", true, 0},
		{"180 deg", "rad", "", false, math.Pi},
		{"1 rad", "deg", "", false, 180 / math.Pi},
		{"60 rpm", "rad/s", "", false, 2 * math.Pi},
		{"1 rev", "deg", "", false, 360},
		{"60 mph", "km/h", "", false, 96.56064},
		{"1 g/cm^3", "kg/m^3", "1000", true, 0},
		{"1 cal/(g*degC)", "J/(kg*K)", "4184", true, 0},
		{"1 J/(g*degC)", "J/(g*K)", "1", true, 0},
		{"9 J/(g*degF)", "J/(g*K)", "81/5", true, 0},
		{"1 psi", "Pa", "", false, 6894.757293168361},
	}
	for _, tt := range tests {
		q, err := parseExpr(tt.from)
		if err != nil {
			t.Errorf("%s: %v", tt.from, err)
			continue
		}
		u := One
		if tt.to != "1" {
			u = MustParse(tt.to)
		}
		got, err := q.To(u)
		if err != nil {
			t.Errorf("%s -> %s: %v", tt.from, tt.to, err)
			continue
		}
		if tt.exact {
			if !got.Value.IsExact() || !got.Value.Equal(num(t, tt.want)) {
				t.Errorf("%s -> %s = %s (exact %v), want exactly %s", tt.from, tt.to, got.Value.FracString(), got.Value.IsExact(), tt.want)
			}
		} else if math.Abs(got.Value.Float64()-tt.approx) > 1e-9*math.Abs(tt.approx) {
			t.Errorf("%s -> %s = %v, want %v", tt.from, tt.to, got.Value, tt.approx)
		}
	}
}

// parseExpr parses "a unit * b unit" products used by the tables.
func parseExpr(s string) (Quantity, error) {
	parts := splitTop(s, " * ")
	q, err := ParseQuantity(parts[0])
	if err != nil {
		return q, err
	}
	for _, p := range parts[1:] {
		r, err := ParseQuantity(p)
		if err != nil {
			return q, err
		}
		if q, err = q.Mul(r); err != nil {
			return q, err
		}
	}
	return q, nil
}

func splitTop(s, sep string) []string {
	var out []string
	for {
		i := indexOf(s, sep)
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+len(sep):]
	}
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestConversionErrors(t *testing.T) {
	q, _ := ParseQuantity("3 m")
	_, err := q.To(MustParse("s"))
	var me *MismatchError
	if !errors.As(err, &me) || err.Error() != "cannot convert m to s: dimensions m vs s" {
		t.Errorf("3 m -> s: %v", err)
	}
	_, err = q.To(MustParse("J"))
	if err == nil || err.Error() != "cannot convert m to J: dimensions m vs kg*m^2/s^2" {
		t.Errorf("3 m -> J: %v", err)
	}
}

func TestDeltaAndAbsolute(t *testing.T) {
	c := MustParse("degC")
	if !c.IsAbsoluteTemperature() || c.IsDelta() {
		t.Errorf("degC abs=%v delta=%v", c.IsAbsoluteTemperature(), c.IsDelta())
	}
	d := c.Delta()
	if d.String() != "delta_degC" || !d.IsDelta() || d.IsAbsoluteTemperature() || d.Pretty() != "Δ°C" {
		t.Errorf("degC.Delta() = %s (%s)", d, d.Pretty())
	}
	if d.Absolute().String() != "degC" {
		t.Errorf("delta_degC.Absolute() = %s", d.Absolute())
	}
	if u := MustParse("Δ°F"); u.String() != "delta_degF" {
		t.Errorf("Δ°F = %s", u)
	}
	// In products the offset plays no part.
	if !MustParse("J/(g*degC)").Offset().IsZero() || !MustParse("degC^2").Offset().IsZero() {
		t.Errorf("compound unit with an offset")
	}
	// degC and delta_degC cancel.
	u, _ := MustParse("J/degC").Mul(d)
	if u.String() != "J" {
		t.Errorf("J/degC * delta_degC = %s", u)
	}
}

func TestUnitEqual(t *testing.T) {
	eq := [][2]string{{"J", "N*m"}, {"km", "1000 m"}, {"W", "J/s"}, {"Hz", "1/s"}, {"L", "dm^3"}, {"mL", "cm^3"}, {"M", "mol/L"}, {"kg", "1000 g"}}
	for _, p := range eq {
		a := MustParse(p[0])
		q, err := ParseQuantity(p[1])
		if err != nil {
			b := MustParse(p[1])
			if !a.Equal(b) {
				t.Errorf("%s != %s", p[0], p[1])
			}
			continue
		}
		s, _ := q.Unit.Scale().Mul(q.Value)
		if a.Dim() != q.Unit.Dim() || !a.Scale().Equal(s) {
			t.Errorf("%s != %s", p[0], p[1])
		}
	}
	if MustParse("degC").Equal(MustParse("K")) {
		t.Errorf("degC == K (offsets differ)")
	}
	if MustParse("Gy").Equal(MustParse("Sv")) != true {
		t.Errorf("Gy and Sv are both J/kg")
	}
}

func TestSIUnit(t *testing.T) {
	for _, c := range []struct{ unit, si string }{
		{"N", "kg*m/s^2"}, {"J/(mol*K)", "kg*m^2/(s^2*K*mol)"}, {"ohm", "kg*m^2/(s^3*A^2)"}, {"%", "1"}, {"M", "mol/m^3"},
	} {
		u := MustParse(c.unit)
		if got := SI(u.Dim()); got.String() != c.si || !got.Scale().Equal(Int(1)) {
			t.Errorf("SI(%s) = %s scale %v", c.unit, got, got.Scale())
		}
		if _, err := Parse(SI(u.Dim()).String()); err != nil && c.si != "1" {
			t.Errorf("SI form %q does not parse: %v", c.si, err)
		}
	}
}

// TestLaTeXRoundTrip checks that the LaTeX spelling of a unit reads back
// as the same unit after the plain clean-up a grader applies to LaTeX
// (drop \mathrm, \text and braces; \cdot -> *, \mu -> µ, \Omega -> Ω,
// \circ -> °, \% -> %).
func TestLaTeXRoundTrip(t *testing.T) {
	clean := strings.NewReplacer(`\mathrm`, "", `\text`, "", "{", "", "}", "", `\cdot`, "*", `\mu`, "µ", `\Omega`, "Ω", `\circ`, "°", `\%`, "%")
	for _, s := range []string{"m/s^2", "kg*m^2/s^2", "J/(mol*K)", "uF", "kohm", "MΩ", "degC", "degF", "deg", "%", "‰", "Å", "1/s", "cell/mL", "umol/(L*s)", "W/(m^2*K)", "km/h", "mmHg", "uM"} {
		u := MustParse(s)
		text := clean.Replace(u.LaTeX())
		v, err := Parse(text)
		if err != nil || !v.Equal(u) || v.String() != u.String() {
			t.Errorf("%s: LaTeX %s cleans to %q, parses to %v, %v", s, u.LaTeX(), text, v, err)
		}
	}
	// A caret before the degree sign (from "25^\circ C") is ignored.
	for _, s := range []string{"^°C", "^°", "J/(g*^°C)"} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}
