package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCheckSpecs runs what `poly check ../specs` does: compile every
// spec (sharing imports), evaluate, compile check programs and run the
// expect self-tests. It reports ns per file.
func BenchmarkCheckSpecs(b *testing.B) {
	files := specFiles(b)
	b.ResetTimer()
	for b.Loop() {
		res := CheckFiles(files)
		if res.Diagnostics.HasErrors() {
			b.Fatal(res.Diagnostics.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
	b.ReportMetric(float64(len(files)), "files")
}

// BenchmarkCheckTree100 checks a generated tree of 100 spec files (50
// samples importing one shared file, 50 families), the size of a
// research group's library.
func BenchmarkCheckTree100(b *testing.B) {
	dir := b.TempDir()
	paths := genTree(b, dir, 100)
	b.ResetTimer()
	for b.Loop() {
		res := CheckFiles(paths)
		if res.Diagnostics.HasErrors() {
			b.Fatal(res.Diagnostics.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paths)), "ns/file")
}

// genTree writes n spec files under dir and returns their paths.
func genTree(tb testing.TB, dir string, n int) []string {
	tb.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "common"), 0o755); err != nil {
		tb.Fatal(err)
	}
	shared := "element const physics {\n  given R = 8.314 J/(mol*K)\n  given g = 9.81 m/s^2\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "common", "const.poly"), []byte(shared), 0o644); err != nil {
		tb.Fatal(err)
	}
	var paths []string
	for i := range n {
		var src string
		if i%2 == 0 {
			src = fmt.Sprintf(`import "common/const.poly"

sample gas%[1]d "Gas %[1]d" {
  disciplines chemistry, physics
  skills ideal_gas, unit_conversion
  element gas chemistry {
    given n = %[2]d mol
    given temp = %[3]d degC
    given volume = %[4]d L
  }
  let p = gas.n * const.R * gas.temp / gas.volume
  prompt "{gas.n} of an ideal gas at {gas.temp} fills {gas.volume}. What is its pressure in kPa?"
  answer p in kPa, rel 1e-3
  check abs(pred - gold) <= 1e-3 * abs(gold)
  expect pass "{p in kPa:.5g}"
  expect fail "{2 * p in kPa:.5g}"
}
`, i, 1+i%7, 10+i%30, 5+i%11)
		} else {
			src = fmt.Sprintf(`family proj%[1]d physics {
  skills trigonometry, kinematics
  vary v0    in 5..%[2]d step 5 m/s
  vary theta in {15, 30, 45, 60, 75} deg
  let  g     = 9.81 m/s^2
  let  range = v0^2 * sin(2*theta) / g
  prompt "A ball leaves the ground at {v0} at {theta}. How far does it land, in metres?"
  answer range in m, sig 3
  expect pass "{range:.3g}"
}
`, i, 40+5*(i%5))
		}
		p := filepath.Join(dir, fmt.Sprintf("spec%03d.poly", i))
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestGeneratedTree makes sure the benchmark's tree is valid.
func TestGeneratedTree(t *testing.T) {
	paths := genTree(t, t.TempDir(), 6)
	res := CheckFiles(paths)
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics.Err())
	}
	if res.Samples != 3 || res.Families != 3 {
		t.Errorf("samples %d families %d", res.Samples, res.Families)
	}
}
