package grade

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// The grade benchmarks read their corpus from the JSONL file named by the
// environment variable POLY_GRADE_CORPUS (lines with "gold" and "pred"
// fields, as testdata/cases.jsonl), or from testdata/cases.jsonl when it is
// unset, e.g.
//
//	POLY_GRADE_CORPUS=/path/to/cases.jsonl go test -run '^$' -bench GradeCold ./grade
func benchCases(b *testing.B) []gradeCase {
	path := os.Getenv("POLY_GRADE_CORPUS")
	if path == "" {
		return loadCases(b)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []gradeCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c gradeCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			b.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if len(out) == 0 {
		b.Fatalf("%s: no cases", path)
	}
	return out
}

// BenchmarkGrade grades the mixed corpus of testdata/cases.jsonl (every
// answer kind, bare answers and whole completions), or POLY_GRADE_CORPUS,
// and reports checks/s.
func BenchmarkGrade(b *testing.B) {
	cases := benchCases(b)
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
	cases := benchCases(b)
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
	cases := benchCases(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		CheckStrings(c.Gold, c.Pred, Options{NoCache: true})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}
