package units

import "testing"

var benchUnits = []string{"m/s^2", "kg·m²/s²", "J/(mol K)", "kΩ", "uF", "mol/L", "km/h", "°C", "W/(m^2 K)", "cell/mL"}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Parse(benchUnits[i%len(benchUnits)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parses/s")
}

func BenchmarkParseQuantity(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseQuantity("9.81 m/s^2"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	cases := []struct {
		q  Quantity
		to Unit
	}{
		{qty(b, "72 km/h"), MustParse("m/s")},
		{qty(b, "20 degC"), MustParse("K")},
		{qty(b, "1 atm"), MustParse("kPa")},
		{qty(b, "3.5 kWh"), MustParse("MJ")},
		{qty(b, "1.5 mi"), MustParse("km")},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		if _, err := c.q.To(c.to); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conversions/s")
}

func BenchmarkConvertFloat(b *testing.B) {
	q := Q(Float(72.5), MustParse("km/h"))
	to := MustParse("m/s")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.To(to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseUncached measures the parser itself, without the cache.
func BenchmarkParseUncached(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := parse(benchUnits[i%len(benchUnits)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parses/s")
}
