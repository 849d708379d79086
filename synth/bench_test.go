package synth

import (
	"path/filepath"
	"testing"
)

// BenchmarkGenerate draws 100 problems from a family and renders them
// (compile once, generate per iteration); reports problems/s.
func BenchmarkGenerate(b *testing.B) {
	spec := compile(b, filepath.Join(specsDir, "eval", "physics", "gas_pressure.poly"))
	fam := spec.Families[0]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(spec, fam, int64(i), 100, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "problems/s")
}

// BenchmarkGradeItem grades a correct boxed answer with an engineered
// sample's compiled checker; reports checks/s.
func BenchmarkGradeItem(b *testing.B) {
	spec := compile(b, filepath.Join(specsDir, "engineered", "colony_electrode.poly"))
	it := Samples(spec, Options{})[0]
	completion := "... so the pair reads \\boxed{202.1\\,\\text{mV}}"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := it.Grade(completion); r.Reward != 1 {
			b.Fatalf("reward %v: %s", r.Reward, r.Reason)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}
