package lang

import (
	"os"
	"testing"
)

func benchSource(b *testing.B) []byte {
	src, err := os.ReadFile("../specs/engineered/colony_electrode.poly")
	if err != nil {
		src, err = os.ReadFile("testdata/fmt/messy.poly")
		if err != nil {
			b.Skip("no source to benchmark")
		}
	}
	return src
}

func BenchmarkParseFile(b *testing.B) {
	src := benchSource(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := ParseFile("bench.poly", src); ds.HasErrors() {
			b.Fatal(ds.Err())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

func BenchmarkFormat(b *testing.B) {
	src := benchSource(b)
	f, ds := ParseFile("bench.poly", src)
	if ds.HasErrors() {
		b.Fatal(ds.Err())
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Format(f)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
