package eval

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polylearn/poly/compiler"
)

func TestWilson(t *testing.T) {
	// Values worked by hand from the score-interval formula
	// (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96.
	for _, c := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.2775},      // centre 0.13876, half 0.13876
		{5, 10, 0.2366, 0.7634}, // centre 0.5, half 0.26341
		{8, 10, 0.4902, 0.9433}, // centre 0.71675, half 0.22653
		{10, 10, 0.7225, 1},
		{1, 1, 0.2065, 1},
		{0, 1, 0, 0.7935},
		{50, 100, 0.4038, 0.5962},
		{0, 0, 0, 1}, // no trials: no information
	} {
		lo, hi := Wilson(c.k, c.n, Z95)
		if math.Abs(lo-c.lo) > 5e-5 || math.Abs(hi-c.hi) > 5e-5 {
			t.Errorf("Wilson(%d, %d) = [%.5f, %.5f], want [%.4f, %.4f]", c.k, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

func TestSummarize(t *testing.T) {
	rs := []Result{
		{Spec: "a.poly", Group: "f", Kind: "family", Disciplines: []string{"math"}, Tokens: 10, Correct: true, Boxed: true},
		{Spec: "a.poly", Group: "f", Kind: "family", Disciplines: []string{"math"}, Tokens: 20},
		{Spec: "a.poly", Group: "s", Kind: "sample", Disciplines: []string{"physics", "math"}, Tokens: 6, Correct: true, Boxed: true},
		{Spec: "b.poly", Group: "f", Kind: "family", Disciplines: []string{"biology"}, Tokens: 4, Boxed: true},
	}
	total, disc, groups := Summarize(rs)
	if total.N != 4 || total.Correct != 2 || total.Acc != 0.5 || total.MeanLength != 10 || total.FormatRate != 0.75 {
		t.Errorf("total %+v", total)
	}
	var names []string
	for _, d := range disc {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "biology,math,physics" {
		t.Errorf("disciplines %v", names)
	}
	if m := disc[1]; m.N != 3 || m.Correct != 2 || m.MeanLength != 12 {
		t.Errorf("math %+v (a sample of two disciplines counts in both)", m)
	}
	// the same family id in two files is two groups
	if len(groups) != 3 || groups[0].N != 2 || groups[0].Correct != 1 || groups[2].Spec != "b.poly" {
		t.Errorf("groups %+v", groups)
	}
	if lo, hi := Wilson(1, 2, Z95); groups[0].CILow != lo || groups[0].CIHigh != hi {
		t.Errorf("group interval [%v, %v]", groups[0].CILow, groups[0].CIHigh)
	}
}

// testSpecs is a small spec directory: two families and a sample the
// default model (trained on arithmetic) sometimes gets right.
var testSpecs = map[string]string{
	"add.poly": `family add_two math {
  skills arithmetic
  vary a in 10..49
  vary b in 10..49
  prompt """
    What is {a} + {b}? Give the final answer in \boxed{}.
  """
  answer exact a + b
  expect pass "{a + b}"
}

sample add_fixed "Two-digit addition" {
  disciplines math, chemistry
  let a = 23
  let b = 14
  prompt "What is {a} + {b}? Give the final answer in \boxed{}."
  answer exact a + b
  expect pass "37"
}
`,
	"sub.poly": `family sub_two physics {
  vary a in 50..99
  vary b in 10..40
  prompt "What is {a} - {b}? Give the final answer in \boxed{}."
  answer exact a - b
  expect pass "{a - b}"
}
`,
}

func compileSpecs(t *testing.T, files map[string]string) []*compiler.Spec {
	t.Helper()
	dir := t.TempDir()
	var specs []*compiler.Spec
	for _, name := range []string{"add.poly", "sub.poly"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		s, diags := compiler.CompileFile(p)
		if diags.HasErrors() {
			var b bytes.Buffer
			diags.Render(&b, s.Files)
			t.Fatal(b.String())
		}
		specs = append(specs, s)
	}
	return specs
}

func TestEvalDefaultModel(t *testing.T) {
	specs := compileSpecs(t, testSpecs)
	o := Options{Model: "default", PerFamily: 6, Seed: 7, MaxTokens: 24, Batch: 5}
	var progress bytes.Buffer
	o.Progress = &progress
	a, err := Run(context.Background(), specs, o)
	if err != nil {
		t.Fatal(err)
	}
	if a.Total.N != 13 || len(a.Problems) != 13 || len(a.Groups) != 3 {
		t.Fatalf("%d problems in %d groups, want 13 in 3", a.Total.N, len(a.Groups))
	}
	t.Logf("greedy: %d of %d correct, format rate %.2f", a.Total.Correct, a.Total.N, a.Total.FormatRate)
	if !strings.Contains(progress.String(), "eval 13/13 problems") {
		t.Errorf("progress:\n%s", progress.String())
	}

	// Deterministic for a seed, whatever the batch size (greedy).
	o.Progress, o.Batch = nil, 13
	b, err := Run(context.Background(), specs, o)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	if !bytes.Equal(ja, jb) {
		t.Errorf("two greedy runs with seed 7 differ")
	}
	// Another seed draws other problems.
	o.Seed = 8
	c, err := Run(context.Background(), specs, o)
	if err != nil {
		t.Fatal(err)
	}
	if c.Problems[1].ID == a.Problems[1].ID && c.Problems[2].ID == a.Problems[2].ID {
		t.Errorf("seeds 7 and 8 drew the same problems")
	}

	// The figures agree with re-grading every completion with its
	// problem's checker.
	probs, err := Problems(specs, 6, 7)
	if err != nil {
		t.Fatal(err)
	}
	regraded := make([]Result, len(probs))
	for i, p := range probs {
		r := a.Problems[i]
		if r.ID != p.Sample.ID {
			t.Fatalf("problem %d is %s, want %s", i, r.ID, p.Sample.ID)
		}
		g := p.Sample.Grade(r.Completion)
		if g.Correct() != r.Correct || g.Reward != r.Reward {
			t.Errorf("%s: report says correct=%v, re-grading %v (%s)", r.ID, r.Correct, g.Correct(), g.Reason)
		}
		if r.Tokens < 1 || r.Tokens > 24 || r.Finish == "" {
			t.Errorf("%s: %d tokens, finish %q", r.ID, r.Tokens, r.Finish)
		}
		regraded[i] = r
		regraded[i].Correct = g.Correct()
		regraded[i].Boxed = g.Method == "boxed" || g.Method == "fbox"
	}
	total, disc, groups := Summarize(regraded)
	if !equalStats(total, a.Total) {
		t.Errorf("total %+v, re-graded %+v", a.Total, total)
	}
	for i := range disc {
		if !equalStats(disc[i], a.Disciplines[i]) {
			t.Errorf("discipline %+v, re-graded %+v", a.Disciplines[i], disc[i])
		}
	}
	for i := range groups {
		if !equalStats(groups[i], a.Groups[i]) {
			t.Errorf("family %+v, re-graded %+v", a.Groups[i], groups[i])
		}
	}
	if len(a.Disciplines) != 3 || a.Disciplines[0].Name != "chemistry" || a.Disciplines[1].N != 7 {
		t.Errorf("disciplines %+v", a.Disciplines)
	}

	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"model default, 13 problems from 2 specs (6 per family), seed 7, greedy, max 24 tokens", "95% CI", "add_two ", "add_fixed (sample)", "math,chemistry"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
}

func equalStats(a, b Stats) bool {
	return a.Name == b.Name && a.N == b.N && a.Correct == b.Correct && a.Acc == b.Acc &&
		a.CILow == b.CILow && a.CIHigh == b.CIHigh && a.MeanLength == b.MeanLength && a.FormatRate == b.FormatRate
}

func TestEvalSamplingDeterministic(t *testing.T) {
	specs := compileSpecs(t, testSpecs)
	o := Options{PerFamily: 4, Seed: 3, Temperature: 1, TopP: 0.9, MaxTokens: 16}
	a, err := Run(context.Background(), specs, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), specs, o)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := a.JSON()
	jb, _ := b.JSON()
	if !bytes.Equal(ja, jb) {
		t.Errorf("two sampled runs with seed 3 differ")
	}
}

func TestEvalErrors(t *testing.T) {
	specs := compileSpecs(t, testSpecs)
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{PerFamily: 0, MaxTokens: 8}, "per-family"},
		{Options{PerFamily: 1, MaxTokens: 0}, "max tokens"},
		{Options{PerFamily: 1, MaxTokens: 8, Temperature: -1}, "temperature"},
		{Options{PerFamily: 1, MaxTokens: 5000}, "context of 1024"},
		{Options{PerFamily: 1, MaxTokens: 8, Model: filepath.Join(t.TempDir(), "nope")}, "nope"},
	} {
		_, err := Run(context.Background(), specs, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err %v, want %q", c.o, err, c.want)
		}
	}
	if _, err := Run(context.Background(), nil, Options{PerFamily: 1, MaxTokens: 8}); err == nil {
		t.Error("no specs: no error")
	}
}
