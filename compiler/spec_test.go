package compiler

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/polylearn/poly/lang"
)

// specFiles lists the .poly files of the spec library.
func specFiles(t testing.TB) []string {
	var out []string
	filepath.WalkDir("../specs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".poly") {
			out = append(out, p)
		}
		return nil
	})
	if len(out) == 0 {
		t.Skip("no specs")
	}
	return out
}

// TestSpecLibrary: every spec of ../specs checks clean (expects run), and
// every sample and generated problem accepts its own ground truth, plain
// and boxed as LaTeX.
func TestSpecLibrary(t *testing.T) {
	res := CheckFiles(specFiles(t))
	if res.Diagnostics.HasErrors() {
		var b strings.Builder
		res.Diagnostics.Render(&b, res.Files)
		t.Fatalf("spec library has errors:\n%s", b.String())
	}
	for _, spec := range res.Specs {
		samples := append([]*Sample(nil), spec.Samples...)
		for _, f := range spec.Families {
			gen, err := f.Generate(1, min(5, f.Size()))
			if err != nil {
				t.Errorf("%s: %v", f.ID, err)
				continue
			}
			samples = append(samples, gen...)
		}
		for _, s := range samples {
			if s.Prompt == "" || s.GroundTruth == "" {
				t.Errorf("%s: empty prompt or ground truth", s.ID)
			}
			for _, c := range []string{s.Answer.Text, s.GroundTruth, `The answer is \boxed{` + s.GroundTruthLaTeX + `}.`} {
				if r := s.Grade(c); r.Reward != 1 {
					t.Errorf("%s: own ground truth %q rejected: %s", s.ID, c, r.Reason)
				}
			}
		}
	}
}

func TestGradeNumber(t *testing.T) {
	spec := mustCompile(t, `
sample volts {
  given v = 0.15904 V
  prompt "p"
  answer v in mV, rel 1e-3
}
sample absmv {
  given v = 159.04 mV
  prompt "p"
  answer v in mV, abs 0.2
}
sample rate {
  let r = 50 umol/min / 11
  prompt "p"
  answer r in umol/min, sig 3
}
sample frac {
  let x = (1 - 5/12) * (1 - 1/3)
  prompt "p"
  answer exact x
}
`)
	v, fr, am, rt := spec.Sample("volts"), spec.Sample("frac"), spec.Sample("absmv"), spec.Sample("rate")
	if v.Answer.Unit != "mV" || v.Answer.Float != 159.04 {
		t.Fatalf("gold = %v %q", v.Answer.Float, v.Answer.Unit)
	}
	tests := []struct {
		s          *Sample
		completion string
		reward     float64
		reason     string
	}{
		{v, `so \boxed{159.0}`, 1, ""},
		{v, `\boxed{159.04 \text{ mV}}`, 1, ""},
		{v, `\boxed{0.15904\,\mathrm{V}}`, 1, ""},
		{v, `\boxed{1.5904 \times 10^{2}}`, 1, ""},
		{v, `\boxed{160}`, 0, "off by"},
		{v, `\boxed{0.159}`, 0, "off by"},
		{v, `\boxed{159 s}`, 0, "unit mismatch"},
		{v, `no idea`, 0, ""},
		{am, `\boxed{159.1 mV}`, 1, ""},
		{am, `\boxed{0.15915 V}`, 1, ""},
		{am, `\boxed{165 mV}`, 0, "off by"},
		{am, `\boxed{0.16 V}`, 0, "off by"},
		{am, `\boxed{165}`, 0, "off by"},
		{rt, `\boxed{4.55}`, 1, ""},
		{rt, `\boxed{4.55\,\mathrm{\mu mol/min}}`, 1, ""},
		{rt, `\boxed{4.549}`, 1, ""},
		{rt, `\boxed{4.552}`, 0, "off by"},
		{rt, `\boxed{4.55\,\mathrm{\mu{}mol/min}}`, 1, ""},
		{rt, `\boxed{4.56\,\mathrm{\mu mol/min}}`, 0, "off by"},
		{rt, `\boxed{4.55 mol/min}`, 0, ""},
		{fr, `\boxed{\frac{7}{18}}`, 1, ""},
		{fr, `\boxed{\dfrac{14}{36}}`, 1, ""},
		{fr, `7/18`, 1, ""},
		{fr, `\boxed{0.3889}`, 0, "off by"},
	}
	for _, tt := range tests {
		r := tt.s.Grade(tt.completion)
		if r.Reward != tt.reward || !strings.Contains(r.Reason, tt.reason) {
			t.Errorf("%s: Grade(%q) = %v %q, want %v %q", tt.s.ID, tt.completion, r.Reward, r.Reason, tt.reward, tt.reason)
		}
	}
	if fr.Answer.Kind != KindExact || fr.Answer.Exact != "7/18" || fr.GroundTruthLaTeX != `\frac{7}{18}` {
		t.Errorf("fraction answer = %+v", fr.Answer)
	}
}

func TestGradeCheckProgram(t *testing.T) {
	spec := mustCompile(t, `
sample even {
  element box math {
    given n = 12
  }
  prompt "Name an even number larger than {box.n}."
  answer box.n + 2
  check pred > box.n && int(pred) % 2 == 0 && pred_text != ""
}
sample crash {
  prompt "p"
  answer 3
  check int(pred_text + "x") > 0
}
sample memory {
  prompt "p"
  answer 3
  check len(map(1..1000000, # * 2)) > 0
}
`)
	even := spec.Sample("even")
	for c, want := range map[string]float64{`\boxed{14}`: 1, `\boxed{100}`: 1, `\boxed{13}`: 0, `\boxed{10}`: 0, "": 0} {
		if r := even.Grade(c); r.Reward != want {
			t.Errorf("even.Grade(%q) = %v (%s), want %v", c, r.Reward, r.Reason, want)
		}
	}
	if r := spec.Sample("crash").Grade(`\boxed{3}`); r.Reward != 0 || !strings.Contains(r.Reason, "check program failed") {
		t.Errorf("crashing program: %v %q", r.Reward, r.Reason)
	}
	if r := spec.Sample("memory").Grade(`\boxed{3}`); r.Reward != 0 || !strings.Contains(r.Reason, "memory budget exceeded") {
		t.Errorf("memory-hungry program: %v %q", r.Reward, r.Reason)
	}
}

func TestFamilyGenerate(t *testing.T) {
	spec := mustCompile(t, `
family proj physics {
  vary v0    in 5..40 step 5 m/s
  vary theta in {30, 45, 60} deg
  let  range = v0^2 * sin(2*theta) / (9.81 m/s^2)
  prompt "{v0} at {theta}"
  answer range in m, sig 3
}
`)
	f := spec.Family("proj")
	if f.Size() != 24 {
		t.Fatalf("size = %d, want 24", f.Size())
	}
	a, err := f.Generate(42, 10)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := f.Generate(42, 10)
	c, _ := f.Generate(43, 10)
	ids := func(ss []*Sample) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ID+"|"+s.Prompt+"|"+s.GroundTruth)
		}
		return out
	}
	if !reflect.DeepEqual(ids(a), ids(b)) {
		t.Error("same seed, different problems")
	}
	if reflect.DeepEqual(ids(a), ids(c)) {
		t.Error("different seeds, same problems")
	}
	seen := map[string]bool{}
	for _, s := range a {
		if seen[s.Prompt] {
			t.Errorf("duplicate problem %q", s.Prompt)
		}
		seen[s.Prompt] = true
		if s.Family != "proj" || !strings.HasPrefix(s.ID, "proj#") {
			t.Errorf("id %q family %q", s.ID, s.Family)
		}
	}
	all, err := f.Generate(1, 24)
	if err != nil || len(all) != 24 {
		t.Fatalf("all problems: %d %v", len(all), err)
	}
	if _, err := f.Generate(1, 25); err == nil {
		t.Error("asking for more problems than the family has is not an error")
	}
	p, err := f.Problem(0)
	if err != nil || p.Prompt != "5 m/s at 30°" || p.GroundTruth != "2.21 m" {
		t.Errorf("problem 0 = %q %q %v", p.Prompt, p.GroundTruth, err)
	}
}

func TestFamilyBadCombination(t *testing.T) {
	spec, diags := compileOne(t, `
family inv math {
  vary a in -2..2
  let x = 1 / a
  prompt "1/{a}"
  answer x
}
`)
	if !diags.HasErrors() || !strings.Contains(diags[0].Summary, "division by zero") || !strings.Contains(diags[0].Detail, "a = 0") {
		t.Fatalf("want a division by zero naming a = 0, got %v (%s)", diags.Err(), diags[0].Detail)
	}
	_ = spec
}

// memFS is an in-memory ReadFile.
func memFS(files map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if s, ok := files[filepath.ToSlash(filepath.Clean(p))]; ok {
			return []byte(s), nil
		}
		return nil, fs.ErrNotExist
	}
}

func TestImportsAndHash(t *testing.T) {
	files := map[string]string{
		"lib/const.poly": "element const physics {\n  given g = 9.81 m/s^2\n}\n",
		"a.poly":         "import \"lib/const.poly\"\nsample a {\n  let w = 2 kg * const.g\n  prompt \"{w}\"\n  answer w in N, rel 1e-3\n}\n",
		"b.poly":         "import k \"lib/const.poly\"\nsample b {\n  prompt \"{k.const.g}\"\n  answer k.const.g in m/s^2, rel 1e-3\n}\n",
	}
	compile := func(name string) (*Spec, lang.Diagnostics) {
		return Compile(name, []byte(files[name]), &Options{ReadFile: memFS(files)})
	}
	a, diags := compile("a.poly")
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if got := a.Samples[0].Prompt; got != "19.62 kg*m/s^2" && got != "19.62 kg·m/s²" {
		t.Errorf("prompt %q", got)
	}
	b, diags := compile("b.poly")
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if b.Samples[0].Answer.Float != 9.81 {
		t.Errorf("aliased import value %v", b.Samples[0].Answer.Float)
	}
	a2, _ := compile("a.poly")
	if a.Hash != a2.Hash || len(a.Hash) != 64 {
		t.Errorf("hash not stable: %s vs %s", a.Hash, a2.Hash)
	}
	files["lib/const.poly"] = strings.Replace(files["lib/const.poly"], "9.81", "9.80665", 1)
	a3, _ := compile("a.poly")
	if a3.Hash == a.Hash {
		t.Error("hash ignores a change in an imported file")
	}
}

func TestSharedImportErrorsOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := writeFileForTest(p, src); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("shared.poly", "element s math {\n  given x = 1 / 0\n}\n")
	var paths []string
	for i := range 3 {
		paths = append(paths, write(fmt.Sprintf("use%d.poly", i), "import \"shared.poly\"\nsample u {\n  prompt \"p\"\n  answer 1\n}\n"))
	}
	res := CheckFiles(paths)
	if n := res.Diagnostics.Count(lang.Error); n != 1 {
		var b strings.Builder
		res.Diagnostics.Render(&b, res.Files)
		t.Fatalf("want the shared file's error once, got %d:\n%s", n, b.String())
	}
	if d := res.Diagnostics[0]; !strings.HasSuffix(d.Range.Start.File, "shared.poly") || d.Range.Start.Line != 2 {
		t.Errorf("error at %s", d.Range.Start)
	}
}

func TestCompileNeverPanics(t *testing.T) {
	inputs := []string{
		"", "sample", "sample {", "sample s { answer }", "\x00\xff\xfe",
		"sample s { prompt \"{\" answer 1 }",
		"family f { vary x in 1..1000000000 prompt \"{x}\" answer x }",
		"family f { vary x in {} prompt \"{x}\" answer x }",
		"sample s { let x = 1e999999 prompt \"{x}\" answer x }",
		"sample s { let x = 10 ** 10 ** 10 prompt \"{x}\" answer x }",
		"sample s { let x = factorial(2000) * factorial(2000) prompt \"{x}\" answer x }",
		"sample s { prompt \"p\" answer 1 check " + strings.Repeat("(", 5000) + " }",
		strings.Repeat("element e math { given x = 1 }\n", 200),
	}
	for _, in := range inputs {
		spec, diags := Compile("x.poly", []byte(in), nil)
		if spec == nil {
			t.Fatalf("nil spec for %q", in)
		}
		for _, d := range diags {
			if strings.Contains(d.Summary, "internal") {
				t.Errorf("%q: %s", in, d.Summary)
			}
		}
	}
}

func writeFileForTest(p, src string) error { return os.WriteFile(p, []byte(src), 0o644) }

func TestGradeKinds(t *testing.T) {
	spec, diags := CompileFile("testdata/compile/answers.poly")
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	tests := []struct {
		id, completion string
		reward         float64
	}{
		{"fraction", `\boxed{\frac{7}{18}}`, 1},
		{"fraction", `\boxed{0.3889}`, 0},
		{"integer", `The sum is \boxed{258}.`, 1},
		{"integer", `\boxed{257}`, 0},
		{"choice", `\boxed{B}`, 1},
		{"choice", `The answer is (B).`, 1},
		{"choice", `\boxed{A}`, 0},
		{"roots", `\boxed{\{3, 2\}}`, 1},
		{"roots", `\boxed{\{2, 4\}}`, 0},
		{"point", `\boxed{(1, 1)}`, 1},
		{"point", `\boxed{(1, 2)}`, 0},
		{"solution_set", `\boxed{(\frac{7}{2}, \infty)}`, 1},
		{"solution_set", `\boxed{[3.5, \infty)}`, 0},
		{"derivative", `\boxed{6x}`, 1},
		{"derivative", `\boxed{2 \cdot 3 x}`, 1},
		{"derivative", `\boxed{3x}`, 0},
		{"angle", `\boxed{\frac{1}{2}}`, 1},
	}
	for _, tt := range tests {
		s := spec.Sample(tt.id)
		if s == nil {
			t.Fatalf("no sample %s", tt.id)
		}
		if r := s.Grade(tt.completion); r.Reward != tt.reward {
			t.Errorf("%s: Grade(%q) = %v (%s), want %v", tt.id, tt.completion, r.Reward, r.Reason, tt.reward)
		}
	}
}

// TestGradeConcurrent grades one sample from many goroutines (run with
// -race): trainers and the reward server share compiled samples.
func TestGradeConcurrent(t *testing.T) {
	spec := mustCompile(t, `
sample even {
  given n = 12
  let next = n + 2
  prompt "Name an even number larger than {n}."
  answer next
  check pred > n && int(pred) % 2 == 0
}
`)
	s := spec.Samples[0]
	done := make(chan bool)
	for g := range 8 {
		go func() {
			ok := true
			for i := range 50 {
				want := float64((i + g) % 2)
				if r := s.Grade(fmt.Sprintf(`\boxed{%d}`, 14+i+g)); r.Reward != 1-want {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Error("wrong reward under concurrency")
		}
	}
}

func TestFamilySizeDistinct(t *testing.T) {
	spec, _ := CompileFile("testdata/errors/vary_duplicate.poly")
	if len(spec.Families) != 1 || spec.Families[0].Size() != 3 {
		t.Fatalf("families %d, want one of size 3", len(spec.Families))
	}
	got, err := spec.Families[0].Generate(5, 3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range got {
		seen[s.Prompt] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d distinct prompts, want 3", len(seen))
	}
}

func TestCheckSeesUnusedImports(t *testing.T) {
	files := map[string]string{
		"lib.poly": "element k physics {\n  given g = 9.81 m/s^2\n  given unused = 42\n}\n",
		"a.poly":   "import \"lib.poly\"\nsample a {\n  prompt \"p\"\n  answer 42\n  check pred == k.unused && k.g > 9\n}\n",
	}
	spec, diags := Compile("a.poly", []byte(files["a.poly"]), &Options{ReadFile: memFS(files)})
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if r := spec.Samples[0].Grade(`\boxed{42}`); r.Reward != 1 {
		t.Errorf("reward %v: %s", r.Reward, r.Reason)
	}
}
