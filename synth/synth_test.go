package synth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/pyref"
)

// specsDir is the shipped spec library.
var specsDir = filepath.Join(pyref.RepoRoot(), "specs")

// compile compiles path and fails the test on any error diagnostic.
func compile(t testing.TB, path string) *compiler.Spec {
	t.Helper()
	spec, diags := compiler.CompileFile(path)
	if diags.HasErrors() {
		var b strings.Builder
		diags.Render(&b, spec.Files)
		t.Fatalf("%s does not compile:\n%s", path, b.String())
	}
	return spec
}

// shipped returns every .poly file under specs/ below dir.
func shipped(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(specsDir, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".poly") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no specs under specs/%s", dir)
	}
	return files
}

func boxed(s string) string { return "The answer is \\boxed{" + s + "}." }

func TestRenderSuffix(t *testing.T) {
	spec := compile(t, filepath.Join(specsDir, "natural", "prealgebra_fractions.poly"))
	if len(spec.Samples) != 1 {
		t.Fatalf("got %d samples, want 1", len(spec.Samples))
	}
	tests := []struct {
		name string
		o    Options
		want string // the prompt's ending
	}{
		{"default", Options{}, "fraction. " + DefaultSuffix},
		{"custom", Options{Suffix: "Answer in \\boxed{}."}, "fraction. Answer in \\boxed{}."},
		{"none", Options{NoSuffix: true}, "common fraction."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := Render(spec, spec.Samples[0], tc.o)
			if !strings.HasSuffix(it.Prompt, tc.want) {
				t.Errorf("prompt ends %q, want suffix %q", tail(it.Prompt, 60), tc.want)
			}
			if !strings.HasPrefix(it.Prompt, it.Question) {
				t.Errorf("prompt does not start with the question")
			}
			if strings.Contains(it.Question, DefaultSuffix) {
				t.Errorf("question holds the suffix")
			}
		})
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// TestSamples renders every shipped sample: metadata carried through, the
// exact gold in both forms passes the sample's own checker, a plainly wrong
// answer fails it.
func TestSamples(t *testing.T) {
	var files []string
	files = append(files, shipped(t, "engineered")...)
	files = append(files, shipped(t, "natural")...)
	for _, f := range files {
		spec := compile(t, f)
		for _, it := range Samples(spec, Options{}) {
			t.Run(it.ID, func(t *testing.T) {
				s := it.Sample()
				if it.SpecHash == "" || it.SpecHash != spec.Hash {
					t.Errorf("spec hash %q, want %q", it.SpecHash, spec.Hash)
				}
				if it.Source != spec.Path {
					t.Errorf("source %q, want %q", it.Source, spec.Path)
				}
				if !reflect.DeepEqual(it.Disciplines, s.Disciplines) || len(it.Disciplines) == 0 {
					t.Errorf("disciplines %v, sample has %v", it.Disciplines, s.Disciplines)
				}
				if !reflect.DeepEqual(it.Skills, s.Skills) || len(it.Skills) == 0 {
					t.Errorf("skills %v, sample has %v", it.Skills, s.Skills)
				}
				if it.Solution == "" {
					t.Errorf("shipped sample has no worked solution")
				}
				if strings.Contains(it.Question, "{") && !strings.Contains(it.Question, "\\") {
					t.Errorf("question has an uninterpolated brace: %q", it.Question)
				}
				checkGold(t, it)
			})
		}
	}
}

// goldProblems lists what is wrong with an item's gold answer: it must pass
// its own checker in LaTeX and in plain form, and a wrong number or no
// answer must not.
// gradeOpts give the grader a generous wall-clock budget: these tests ask
// whether an answer is right, not how fast the grader is on a loaded CI
// machine (the budget's other limits stay the defaults).
var gradeOpts = grade.Options{Budget: grade.Budget{Timeout: 10 * time.Second}}

func goldProblems(it *Item) []string {
	var out []string
	if it.GroundTruthLaTeX == "" || it.GroundTruth == "" {
		return []string{fmt.Sprintf("empty ground truth (latex %q, plain %q)", it.GroundTruthLaTeX, it.GroundTruth)}
	}
	for _, g := range []string{it.GroundTruthLaTeX, it.GroundTruth} {
		if r := it.GradeWith(boxed(g), gradeOpts); r.Reward != 1 {
			out = append(out, fmt.Sprintf("gold %q fails its own checker: %s", g, r.Reason))
		}
	}
	if r := it.GradeWith(boxed("-123456.789"), gradeOpts); r.Reward != 0 {
		out = append(out, fmt.Sprintf("a wrong answer passes (gold %q)", it.GroundTruth))
	}
	if r := it.GradeWith("I do not know.", gradeOpts); r.Reward != 0 {
		out = append(out, "a completion without an answer passes")
	}
	return out
}

// checkGold fails the test with the problems goldProblems finds.
func checkGold(t *testing.T, it *Item) {
	t.Helper()
	for _, p := range goldProblems(it) {
		t.Errorf("%s: %s", it.ID, p)
	}
}

// TestFamilies generates 100 problems from every shipped evaluation family:
// distinct, deterministic for a seed, each gold passing its own checker.
func TestFamilies(t *testing.T) {
	perDiscipline := map[string]int{}
	attempted, executed := 0, 0
	for _, f := range shipped(t, "eval") {
		spec := compile(t, f)
		if len(spec.Families) == 0 {
			t.Errorf("%s: no family", f)
		}
		for _, fam := range spec.Families {
			attempted++
			t.Run(fam.ID, func(t *testing.T) {
				executed++
				if fam.Size() < 100 {
					t.Fatalf("size %d, want >= 100", fam.Size())
				}
				a, err := Generate(spec, fam, 7, 100, Options{})
				if err != nil {
					t.Fatal(err)
				}
				b, err := Generate(spec, fam, 7, 100, Options{})
				if err != nil {
					t.Fatal(err)
				}
				c, err := Generate(spec, fam, 8, 100, Options{})
				if err != nil {
					t.Fatal(err)
				}
				seen := map[string]bool{}
				sameAsOtherSeed, bad := 0, 0
				for i := range a {
					if a[i].Prompt != b[i].Prompt || a[i].GroundTruthLaTeX != b[i].GroundTruthLaTeX {
						t.Fatalf("seed 7 is not deterministic at %d:\n%q\n%q", i, a[i].Prompt, b[i].Prompt)
					}
					if a[i].Prompt == c[i].Prompt {
						sameAsOtherSeed++
					}
					if seen[a[i].Question] {
						t.Fatalf("problem %d repeats: %q", i, a[i].Question)
					}
					seen[a[i].Question] = true
					if a[i].Index != i || a[i].Family != fam.ID || a[i].SpecHash != spec.Hash {
						t.Errorf("problem %d: index %d family %q hash %q", i, a[i].Index, a[i].Family, a[i].SpecHash)
					}
					if len(a[i].Skills) == 0 || a[i].Discipline() == "" {
						t.Errorf("problem %d: skills %v disciplines %v", i, a[i].Skills, a[i].Disciplines)
					}
					if ps := goldProblems(a[i]); len(ps) > 0 {
						bad++
						if bad <= 3 {
							t.Errorf("%s: %s", a[i].ID, strings.Join(ps, "; "))
						}
					}
				}
				if bad > 3 {
					t.Errorf("... %d of %d problems have a gold that fails its checker", bad, len(a))
				}
				if sameAsOtherSeed == len(a) {
					t.Errorf("seeds 7 and 8 give the same problems in the same order")
				}
				if !t.Failed() {
					perDiscipline[a[0].Discipline()]++
				}
			})
		}
	}
	if executed < attempted {
		return // some families filtered out by -run
	}
	for _, d := range []string{"math", "physics", "chemistry", "biology"} {
		if perDiscipline[d] < 5 {
			t.Errorf("%s: %d families pass, want >= 5", d, perDiscipline[d])
		}
	}
}

func TestGenerateTooMany(t *testing.T) {
	spec := compile(t, filepath.Join(specsDir, "eval", "physics", "photon_energy.poly"))
	fam := spec.Families[0]
	_, err := Generate(spec, fam, 1, fam.Size()+1, Options{})
	var fe *FamilyError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a *FamilyError", err)
	}
	if fe.Size != fam.Size() || fe.Asked != fam.Size()+1 || !strings.Contains(err.Error(), "distinct problems") {
		t.Errorf("error %q (%+v)", err, fe)
	}
	all, err := Generate(spec, fam, 1, fam.Size(), Options{})
	if err != nil {
		t.Fatalf("asking for exactly Size(): %v", err)
	}
	if len(all) != fam.Size() {
		t.Errorf("got %d problems, want %d", len(all), fam.Size())
	}
	if _, err := Generate(spec, fam, 1, -1, Options{}); err == nil {
		t.Errorf("n = -1 accepted")
	}
}

func TestRecords(t *testing.T) {
	spec := compile(t, filepath.Join(specsDir, "engineered", "colony_electrode.poly"))
	fam := compile(t, filepath.Join(specsDir, "eval", "chemistry", "buffer_ph.poly"))
	items := Samples(spec, Options{})
	probs, err := Generate(fam, fam.Families[0], 3, 2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, probs...)
	recs := Records(items, "test")
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	r := recs[0]
	s := spec.Samples[0]
	if r.DataSource != "poly/colony_electrode" || r.Ability != "biology" {
		t.Errorf("data_source %q ability %q", r.DataSource, r.Ability)
	}
	if len(r.Prompt) != 1 || r.Prompt[0].Role != "user" || !strings.HasSuffix(r.Prompt[0].Content, DefaultSuffix) {
		t.Errorf("prompt %+v", r.Prompt)
	}
	if r.RewardModel.Style != "rule" || r.RewardModel.GroundTruth != s.GroundTruthLaTeX {
		t.Errorf("reward_model %+v, want the LaTeX gold %q", r.RewardModel, s.GroundTruthLaTeX)
	}
	x := r.ExtraInfo
	if x.Index != 0 || x.Split != "test" || x.Fields["spec_hash"] != spec.Hash || x.Fields["sample_id"] != "colony_electrode" {
		t.Errorf("extra_info %+v", x)
	}
	if !reflect.DeepEqual(x.Fields["skills"], s.Skills) || !reflect.DeepEqual(x.Fields["disciplines"], s.Disciplines) {
		t.Errorf("skills/disciplines %v %v", x.Fields["skills"], x.Fields["disciplines"])
	}
	if x.Fields["solution"] != items[0].Solution || items[0].Solution == "" {
		t.Errorf("solution %q", x.Fields["solution"])
	}
	if _, ok := x.Fields["family"]; ok {
		t.Errorf("a sample record has a family field")
	}
	p := recs[2]
	if p.DataSource != "poly/buffer_ph" || p.Ability != "chemistry" || p.ExtraInfo.Index != 2 ||
		p.ExtraInfo.Fields["family"] != "buffer_ph" || p.ExtraInfo.Fields["sample_id"] != probs[1].ID {
		t.Errorf("family record %+v", p)
	}
	if !strings.HasPrefix(probs[1].ID, "buffer_ph#") {
		t.Errorf("family problem id %q", probs[1].ID)
	}
}

func TestRecordMeta(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.poly")
	src := `sample m "Meta" {
  disciplines math
  skills      arithmetic
  system "Be brief."
  meta { data_source = "openai/gsm8k"  ability = "arithmetic"  level = 2 }
  let x = 6 * 7
  prompt "What is 6 times 7?"
  answer x
}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := compile(t, path)
	r := Record(Samples(spec, Options{NoSuffix: true})[0], 4, "train")
	if r.DataSource != "openai/gsm8k" || r.Ability != "arithmetic" || r.ExtraInfo.Index != 4 {
		t.Errorf("record %+v", r)
	}
	if len(r.Prompt) != 2 || r.Prompt[0].Role != "system" || r.Prompt[0].Content != "Be brief." ||
		r.Prompt[1].Role != "user" || r.Prompt[1].Content != "What is 6 times 7?" {
		t.Errorf("prompt %+v", r.Prompt)
	}
}

// TestShippedSkills keeps the shipped library on the Skills vocabulary.
func TestShippedSkills(t *testing.T) {
	for _, dir := range []string{"engineered", "natural", "eval"} {
		for _, f := range shipped(t, dir) {
			spec := compile(t, f)
			var lists [][]string
			for _, s := range spec.Samples {
				lists = append(lists, s.Skills)
			}
			for _, fam := range spec.Families {
				lists = append(lists, fam.Skills)
			}
			for _, l := range lists {
				if len(l) == 0 {
					t.Errorf("%s: no skills", f)
				}
				for _, s := range l {
					if _, ok := Skills[s]; !ok {
						t.Errorf("%s: skill %q is not in synth.Skills", f, s)
					}
				}
			}
		}
	}
}
