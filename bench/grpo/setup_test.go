package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// toyShape keeps the tests fast.
var toyShape = shape{D: 32, Layers: 1, Heads: 2, KVHeads: 1, FFN: 48}

func toySettings() settings {
	return settings{Rollouts: 2, MaxTokens: 8, Temperature: 1, LR: 1e-6, Epsilon: 0.2, GradClip: 1, Warmup: 0, Steps: 1, Seed: 1}
}

func toySetup(t *testing.T) (string, *promptInfo) {
	t.Helper()
	dir := t.TempDir()
	spec := filepath.Join(pyref.RepoRoot(), "specs", "natural", "prealgebra_fractions.poly")
	p, gap, n, err := setup(dir, spec, toyShape, 7)
	if err != nil {
		t.Fatal(err)
	}
	if gap < 20 {
		t.Errorf("stop tokens only %.1f nats below the rest: rollouts could end early", gap)
	}
	if n <= 0 || p.vocab != 1024 {
		t.Errorf("params %d, vocab %d", n, p.vocab)
	}
	return dir, p
}

func TestCheckpointRoundTrip(t *testing.T) {
	dir, p := toySetup(t)
	for _, f := range []string{"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("checkpoint lacks %s: %v", f, err)
		}
	}
	tok, err := tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.HiddenSize != toyShape.D || m.Config.NumLayers != toyShape.Layers || !m.Config.TieWordEmbeddings {
		t.Errorf("loaded config %+v", m.Config)
	}
	// The same seed gives the same weights as those saved.
	want, err := buildModel(toyShape, tok, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Params) != len(m.Params) {
		t.Fatalf("%d params saved, %d built", len(m.Params), len(want.Params))
	}
	for i := range want.Params {
		if want.Params[i] != m.Params[i] {
			t.Fatalf("param %d: saved %v, built %v", i, m.Params[i], want.Params[i])
		}
	}
	// The prompt is the spec's sample in the chat template.
	if len(p.Messages) == 0 || p.Messages[len(p.Messages)-1].Role != "user" {
		t.Fatalf("messages %+v", p.Messages)
	}
	ids := make([]int, len(p.IDs))
	for i, id := range p.IDs {
		ids[i] = int(id)
	}
	if got := tok.Decode(ids, false); got != p.Text {
		t.Errorf("prompt ids decode to %q, want %q", got, p.Text)
	}
}

func TestPolyStepFullLength(t *testing.T) {
	dir, p := toySetup(t)
	s := toySettings()
	pr, err := newPoly(dir, p.IDs, s)
	if err != nil {
		t.Fatal(err)
	}
	st, err := pr.run(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 {
		t.Fatalf("%d timed steps, want 2", len(st))
	}
	for i, x := range st {
		if x.Tokens != s.Rollouts*s.MaxTokens || x.MinLen != s.MaxTokens {
			t.Errorf("step %d: %d tokens, shortest %d: want every rollout at %d tokens", i, x.Tokens, x.MinLen, s.MaxTokens)
		}
		if !(x.Step > 0) || x.Rollout+x.Update > x.Step*1.01+1e-3 {
			t.Errorf("step %d: times %+v", i, x)
		}
	}
}

func TestDigitReward(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"", 0},
		{"abc", 0},
		{"1234", 1},
		{"a1b2", 0.5},
		{"½٣", 0}, // not ASCII digits
		{"x = 7/18", 3.0 / 8},
	} {
		if got := digitReward(c.in); got != c.want {
			t.Errorf("digitReward(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestTRLSideToy runs trl_bench.py for one toy step on the same
// checkpoint: TRL must load it, tokenise the same prompt ids and generate
// full-length rollouts.
func TestTRLSideToy(t *testing.T) {
	if testing.Short() {
		t.Skip("imports TRL (slow)")
	}
	py := pyref.Python(t)
	dir, p := toySetup(t)
	work := t.TempDir()
	s := toySettings()
	if err := writeJSON(filepath.Join(work, "prompt.json"), p.prompt); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(filepath.Join(work, "settings.json"), s); err != nil {
		t.Fatal(err)
	}
	var r trlResult
	env := append(cleanEnv(), "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1")
	script := filepath.Join(pyref.RepoRoot(), "bench", "grpo", "trl_bench.py")
	if _, err := exec.LookPath(py); err != nil {
		t.Fatal(err)
	}
	if err := runTRL(&r, env, 5*time.Minute, py, script, "--model-dir", dir, "--prompt", filepath.Join(work, "prompt.json"),
		"--settings", filepath.Join(work, "settings.json"), "--threads", strconv.Itoa(1)); err != nil {
		t.Fatal(err)
	}
	if !r.PromptIDsMatch {
		t.Errorf("TRL prompt ids %v, poly's %v", r.PromptIDs, p.IDs)
	}
	if len(r.Steps) != 1 {
		t.Fatalf("%d timed TRL steps, want 1", len(r.Steps))
	}
	if x := r.Steps[0]; x.Tokens != s.Rollouts*s.MaxTokens || x.MinLen != s.MaxTokens || !(x.Step > 0) {
		t.Errorf("TRL step %+v: want %d full-length rollouts", x, s.Rollouts)
	}
	if r.Versions["trl"] == "" || r.Threads != 1 {
		t.Errorf("versions %v, threads %d", r.Versions, r.Threads)
	}
}
