package grade

import (
	"testing"
)

// BenchmarkGrade grades the mixed corpus of testdata/cases.jsonl (every
// answer kind, bare answers and whole completions) and reports checks/s.
func BenchmarkGrade(b *testing.B) {
	cases := loadCases(b)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		CheckStrings(c.Gold, c.Pred, Options{})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "checks/s")
}

// BenchmarkGradeCompiledGold grades with a gold answer parsed once, as a
// trainer does (the compiler builds the Gold; only completions vary).
func BenchmarkGradeCompiledGold(b *testing.B) {
	cases := loadCases(b)
	golds := make([]Gold, len(cases))
	for i, c := range cases {
		golds[i], _ = ParseGold(c.Gold)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(cases)
		Check(golds[k], cases[k].Pred, Options{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

// BenchmarkGradeCold is BenchmarkGrade with the answer caches off: every
// gold answer and every extracted answer is parsed again.
func BenchmarkGradeCold(b *testing.B) {
	cases := loadCases(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		CheckStrings(c.Gold, c.Pred, Options{NoCache: true})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}
