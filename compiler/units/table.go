package units

import (
	"math"
	"math/big"
	"sort"
	"unicode/utf8"
)

// unitDef is one named unit of the table.
type unitDef struct {
	name   string // canonical ASCII symbol, e.g. "ohm", "degC"
	pretty string // display symbol, e.g. "Ω", "°C"
	latex  string // LaTeX for inside \mathrm{}, e.g. `\Omega`
	scale  Number // value of 1 unit in coherent SI
	dim    Dim
	offset Number // absolute temperatures: SI = v*scale + offset
	prefix bool   // accepts SI prefixes
	family string // merge key for delta units (delta_degC -> degC)
	delta  *unitDef
	kind   string // table section, for docs/units.md
}

// prefixDef is an SI prefix.
type prefixDef struct {
	name   string // canonical ASCII: "u" for micro
	pretty string
	latex  string
	exp    int // power of ten
	scale  Number
}

// dims used by the table.
var (
	dLen   = Dim{Length: 1}
	dMass  = Dim{Mass: 1}
	dTime  = Dim{Time: 1}
	dCur   = Dim{Current: 1}
	dTemp  = Dim{Temperature: 1}
	dAmt   = Dim{Amount: 1}
	dLum   = Dim{LuminousIntensity: 1}
	dNone  = Dim{}
	dFreq  = Dim{Time: -1}
	dArea  = Dim{Length: 2}
	dVol   = Dim{Length: 3}
	dForce = Dim{Mass: 1, Length: 1, Time: -2}
	dEnerg = Dim{Mass: 1, Length: 2, Time: -2}
	dPower = Dim{Mass: 1, Length: 2, Time: -3}
	dPress = Dim{Mass: 1, Length: -1, Time: -2}
	dCharg = Dim{Current: 1, Time: 1}
	dVolt  = Dim{Mass: 1, Length: 2, Time: -3, Current: -1}
	dOhm   = Dim{Mass: 1, Length: 2, Time: -3, Current: -2}
	dFarad = Dim{Mass: -1, Length: -2, Time: 4, Current: 2}
	dHenry = Dim{Mass: 1, Length: 2, Time: -2, Current: -2}
	dTesla = Dim{Mass: 1, Time: -2, Current: -1}
	dWeber = Dim{Mass: 1, Length: 2, Time: -2, Current: -1}
	dSiem  = Dim{Mass: -1, Length: -2, Time: 3, Current: 2}
	dDose  = Dim{Length: 2, Time: -2}
	dKatal = Dim{Amount: 1, Time: -1}
	dLux   = Dim{LuminousIntensity: 1, Length: -2}
	dConc  = Dim{Amount: 1, Length: -3}
	dSpeed = Dim{Length: 1, Time: -1}
)

func dec(s string) Number {
	n, err := ParseNumber(s)
	if err != nil {
		panic("units: bad table number " + s)
	}
	return n
}

var (
	unitTable   = map[string]*unitDef{} // every accepted spelling
	unitDefs    []*unitDef              // canonical defs, table order
	prefixTable = map[string]*prefixDef{}
	prefixes    []*prefixDef // canonical, for docs
	prefixNames []string     // accepted spellings, longest first
)

// def adds a unit under its canonical name and aliases.
func def(kind, name, pretty, latex string, scale Number, dim Dim, prefix bool, aliases ...string) *unitDef {
	d := &unitDef{name: name, pretty: pretty, latex: latex, scale: scale, dim: dim, prefix: prefix, family: name, kind: kind}
	if d.pretty == "" {
		d.pretty = name
	}
	if d.latex == "" {
		d.latex = name
	}
	add := func(s string) {
		if _, dup := unitTable[s]; dup {
			panic("units: duplicate unit " + s)
		}
		unitTable[s] = d
	}
	add(name)
	for _, a := range aliases {
		add(a)
	}
	unitDefs = append(unitDefs, d)
	return d
}

func init() {
	one := Int(1)
	pi := math.Pi
	// SI base units (the kilogram enters as the gram with prefix k).
	def("SI base", "m", "", "", one, dLen, true)
	def("SI base", "g", "", "", Frac(1, 1000), dMass, true)
	def("SI base", "s", "", "", one, dTime, true)
	def("SI base", "A", "", "", one, dCur, true)
	k := def("SI base", "K", "", "", one, dTemp, true)
	_ = k
	def("SI base", "mol", "", "", one, dAmt, true)
	def("SI base", "cd", "", "", one, dLum, true)
	// SI derived units with special names.
	def("SI derived", "N", "", "", one, dForce, true)
	def("SI derived", "J", "", "", one, dEnerg, true)
	def("SI derived", "W", "", "", one, dPower, true)
	def("SI derived", "Pa", "", "", one, dPress, true)
	def("SI derived", "C", "", "", one, dCharg, true)
	def("SI derived", "V", "", "", one, dVolt, true)
	def("SI derived", "ohm", "\u03a9", `\Omega`, one, dOhm, true, "\u03a9", "\u2126")
	def("SI derived", "F", "", "", one, dFarad, true)
	def("SI derived", "H", "", "", one, dHenry, true)
	def("SI derived", "T", "", "", one, dTesla, true)
	def("SI derived", "Wb", "", "", one, dWeber, true)
	def("SI derived", "Hz", "", "", one, dFreq, true)
	def("SI derived", "S", "", "", one, dSiem, true)
	def("SI derived", "Gy", "", "", one, dDose, true)
	def("SI derived", "Sv", "", "", one, dDose, true)
	def("SI derived", "Bq", "", "", one, dFreq, true)
	def("SI derived", "kat", "", "", one, dKatal, true)
	def("SI derived", "lm", "", "", one, dLum, true)
	def("SI derived", "lx", "", "", one, dLux, true)
	def("SI derived", "rad", "", "", one, dNone, true, "radian", "radians")
	def("SI derived", "sr", "", "", one, dNone, false)
	// Time.
	def("time", "min", "", "", Int(60), dTime, false, "mins", "minute", "minutes")
	def("time", "h", "", "", Int(3600), dTime, false, "hr", "hrs", "hour", "hours")
	def("time", "d", "", "", Int(86400), dTime, false, "day", "days")
	def("time", "wk", "", "", Int(604800), dTime, false, "week", "weeks")
	def("time", "yr", "", "", Int(31557600), dTime, true, "yrs", "year", "years")
	def("time", "sec", "", "", one, dTime, false, "second", "seconds")
	def("length", "angstrom", "\u00c5", `\text{Å}`, dec("1e-10"), dLen, false, "\u00c5", "\u212b")
	def("length", "in", "", "", dec("0.0254"), dLen, false, "inch", "inches")
	def("length", "ft", "", "", dec("0.3048"), dLen, false, "foot", "feet")
	def("length", "yd", "", "", dec("0.9144"), dLen, false)
	def("length", "mi", "", "", dec("1609.344"), dLen, false, "mile", "miles")
	def("length", "au", "", "", dec("149597870700"), dLen, false, "AU")
	def("length", "ly", "", "", dec("9460730472580800"), dLen, false)
	def("length", "pc", "", "", Float(149597870700*648000/pi), dLen, true)
	def("length", "meter", "", "", one, dLen, false, "meters", "metre", "metres")
	def("area", "ha", "", "", Int(10000), dArea, false)
	def("volume", "L", "", "", Frac(1, 1000), dVol, true, "l", "liter", "liters", "litre", "litres")
	def("volume", "cc", "", "", dec("1e-6"), dVol, false)
	def("volume", "gal", "", "", dec("0.003785411784"), dVol, false)
	// Mass.
	def("mass", "t", "", "", Int(1000), dMass, true, "tonne", "tonnes")
	def("mass", "Da", "", "", dec("1.66053906660e-27"), dMass, true)
	def("mass", "u", "", "", dec("1.66053906660e-27"), dMass, false, "amu")
	def("mass", "lb", "", "", dec("0.45359237"), dMass, false, "lbs", "pound", "pounds")
	def("mass", "oz", "", "", dec("0.028349523125"), dMass, false)
	def("mass", "gram", "", "", Frac(1, 1000), dMass, false, "grams")
	def("mass", "kilogram", "", "", one, dMass, false, "kilograms")
	// Speed, frequency, angle.
	def("speed", "mph", "", "", dec("0.44704"), dSpeed, false)
	def("speed", "kph", "", "", Frac(5, 18), dSpeed, false)
	def("angle", "deg", "°", `^{\circ}`, Float(pi/180), dNone, false, "°", "degree", "degrees")
	def("angle", "arcmin", "", "", Float(pi/10800), dNone, false)
	def("angle", "arcsec", "", "", Float(pi/648000), dNone, false)
	def("angle", "rev", "", "", Float(2*pi), dNone, false, "turn", "turns")
	def("angle", "rpm", "", "", Float(2*pi/60), dFreq, false)
	// Pressure.
	def("pressure", "atm", "", "", Int(101325), dPress, false)
	def("pressure", "bar", "", "", Int(100000), dPress, true)
	def("pressure", "mmHg", "", "", dec("133.322387415"), dPress, false)
	def("pressure", "torr", "", "", Frac(101325, 760), dPress, false, "Torr")
	psi, _ := dec("0.45359237").Mul(dec("9.80665"))
	psi, _ = psi.Div(dec("0.00064516"))
	def("pressure", "psi", "", "", psi, dPress, false)
	// Energy, power, charge.
	def("energy", "eV", "", "", dec("1.602176634e-19"), dEnerg, true)
	def("energy", "cal", "", "", dec("4.184"), dEnerg, true)
	def("energy", "Cal", "", "", Int(4184), dEnerg, false)
	def("energy", "Wh", "", "", Int(3600), dEnerg, true)
	def("energy", "erg", "", "", dec("1e-7"), dEnerg, false)
	def("force", "dyn", "", "", dec("1e-5"), dForce, false)
	def("charge", "Ah", "", "", Int(3600), dCharg, true)
	def("radioactivity", "Ci", "", "", dec("3.7e10"), dFreq, true)
	// Chemistry and biology.
	def("concentration", "M", "", "", Int(1000), dConc, true, "molar")
	def("enzyme activity", "U", "", "", Frac(1, 60000000), dKatal, true)
	def("count", "bp", "", "", one, dNone, true)
	def("count", "nt", "", "", one, dNone, false)
	def("count", "CFU", "", "", one, dNone, false, "cfu")
	def("frequency", "bpm", "", "", Frac(1, 60), dFreq, false)
	// Dimensionless ratios and counts.
	def("ratio", "%", "%", `\%`, Frac(1, 100), dNone, false, "percent")
	def("ratio", "permille", "‰", `\text{‰}`, Frac(1, 1000), dNone, false, "‰")
	def("ratio", "ppm", "", "", dec("1e-6"), dNone, false)
	def("ratio", "ppb", "", "", dec("1e-9"), dNone, false)
	for _, c := range []string{"cell", "cells", "count", "counts", "molecule", "molecules", "particle", "particles", "item", "items", "people", "person", "persons", "atom", "atoms", "individual", "individuals", "organism", "organisms"} {
		def("count", c, "", "", one, dNone, false)
	}
	// Temperatures with offsets, and their differences.
	degC := def("temperature", "degC", "°C", `^{\circ}C`, one, dTemp, false, "°C", "℃", "celsius", "Celsius")
	degC.offset = dec("273.15")
	fScale := Frac(5, 9)
	degF := def("temperature", "degF", "°F", `^{\circ}F`, fScale, dTemp, false, "°F", "℉", "fahrenheit", "Fahrenheit")
	degF.offset = Frac(45967, 180) // 459.67 * 5/9
	dC := def("temperature difference", "delta_degC", "Δ°C", `\Delta^{\circ}C`, one, dTemp, false, "Δ°C", "ΔdegC")
	dC.family = "degC"
	degC.delta = dC
	dF := def("temperature difference", "delta_degF", "Δ°F", `\Delta^{\circ}F`, fScale, dTemp, false, "Δ°F", "ΔdegF")
	dF.family = "degF"
	degF.delta = dF

	for _, p := range []struct {
		names  []string
		pretty string
		latex  string
		exp    int
	}{
		{[]string{"q"}, "", "", -30}, {[]string{"r"}, "", "", -27}, {[]string{"y"}, "", "", -24},
		{[]string{"z"}, "", "", -21}, {[]string{"a"}, "", "", -18}, {[]string{"f"}, "", "", -15},
		{[]string{"p"}, "", "", -12}, {[]string{"n"}, "", "", -9}, {[]string{"u", "\u00b5", "\u03bc"}, "\u03bc", `\mu{}`, -6},
		{[]string{"m"}, "", "", -3}, {[]string{"c"}, "", "", -2}, {[]string{"d"}, "", "", -1},
		{[]string{"da"}, "", "", 1}, {[]string{"h"}, "", "", 2}, {[]string{"k"}, "", "", 3},
		{[]string{"M"}, "", "", 6}, {[]string{"G"}, "", "", 9}, {[]string{"T"}, "", "", 12},
		{[]string{"P"}, "", "", 15}, {[]string{"E"}, "", "", 18}, {[]string{"Z"}, "", "", 21},
		{[]string{"Y"}, "", "", 24}, {[]string{"R"}, "", "", 27}, {[]string{"Q"}, "", "", 30},
	} {
		sc := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(p.exp))), nil))
		if p.exp < 0 {
			sc.Inv(sc)
		}
		pd := &prefixDef{name: p.names[0], pretty: p.pretty, latex: p.latex, exp: p.exp, scale: Number{r: sc}}
		if pd.pretty == "" {
			pd.pretty = pd.name
		}
		if pd.latex == "" {
			pd.latex = pd.name
		}
		prefixes = append(prefixes, pd)
		for _, n := range p.names {
			prefixTable[n] = pd
			prefixNames = append(prefixNames, n)
		}
	}
	sort.SliceStable(prefixNames, func(i, j int) bool { return len(prefixNames[i]) > len(prefixNames[j]) })
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// lookupSymbol resolves one unit symbol: a table entry first (so "min",
// "Pa", "cd", "mmHg", "M" are never split), then an SI prefix followed by a
// prefixable unit ("km", "kΩ", "mM", "MeV"). Unprefixable units refuse
// prefixes ("kmin" is unknown).
func lookupSymbol(s string) (*prefixDef, *unitDef, bool) {
	if d, ok := unitTable[s]; ok {
		return nil, d, true
	}
	for _, pn := range prefixNames {
		if len(s) > len(pn) && s[:len(pn)] == pn {
			rest := s[len(pn):]
			if d, ok := unitTable[rest]; ok && d.prefix && (rest == d.name || utf8.RuneCountInString(rest) == 1) {
				return prefixTable[pn], d, true
			}
		}
	}
	return nil, nil, false
}
