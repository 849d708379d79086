package run

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/train/ckpt"
	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/grpo"
	"github.com/polylearn/poly/train/model"
)

// modelDir writes a tiny random model with the default tokenizer.
func modelDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	cfg, err := model.ParseConfig([]byte(`{"model_type":"qwen2","vocab_size":1024,"hidden_size":32,"intermediate_size":64,
"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":256,"tie_word_embeddings":true,"eos_token_id":2}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(cfg, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	for name, data := range defaultmodel.TokenizerFiles() {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func digitReward(s string) (float64, grpo.RewardInfo) {
	if strings.ContainsAny(s, "02468") {
		return 1, grpo.RewardInfo{FormatOK: true}
	}
	return 0, grpo.RewardInfo{Reason: "no even digit"}
}

func opts(mdir, out string, steps int) Options {
	return Options{
		Prompt: "Say an even number.", Reward: digitReward, SpecPath: "toy.poly", SpecHash: "h1", SampleID: "toy",
		Model: mdir, Out: out,
		Overrides: map[string]any{"steps": steps, "rollouts": 4, "max_tokens": 6, "lr": 1e-3, "seed": 3, "epochs": 2, "kl_coef": 0.01},
	}
}

// metricLines returns the metrics lines without the timing fields.
func metricLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("metrics line %q: %v", l, err)
		}
		for k := range m {
			if strings.HasPrefix(k, "time/") || k == "tokens_per_second" {
				delete(m, k)
			}
		}
		lines = append(lines, m)
	}
	return lines
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestResumeBitIdentical(t *testing.T) {
	mdir := modelDir(t)
	outA, outB := t.TempDir(), t.TempDir()
	if _, err := Run(context.Background(), opts(mdir, outA, 6)); err != nil {
		t.Fatal(err)
	}
	// B: stopped after 3 steps (as a kill after the step-3 checkpoint
	// would leave it, plus a torn metrics line), then resumed to 6.
	if _, err := Run(context.Background(), opts(mdir, outB, 3)); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(filepath.Join(outB, "metrics.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"step":4,"reward":0.5}` + "\n" + `{"step":5,"rew`)
	f.Close()
	o := opts(mdir, outB, 6)
	o.Resume = true
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 6 {
		t.Fatalf("resumed run ended at step %d", res.Steps)
	}
	a, b := metricLines(t, outA), metricLines(t, outB)
	if len(a) != 6 || len(b) != 6 {
		t.Fatalf("metrics lines: %d and %d, want 6", len(a), len(b))
	}
	for i := range a {
		if !equalJSON(a[i], b[i]) {
			t.Errorf("step %d differs after resume:\n%v\n%v", i+1, a[i], b[i])
		}
	}
	for _, name := range []string{"model.safetensors", "optimizer.bin", "rng.bin"} {
		x, _ := os.ReadFile(filepath.Join(ckpt.Dir(filepath.Join(outA, "checkpoints"), 6), name))
		y, _ := os.ReadFile(filepath.Join(ckpt.Dir(filepath.Join(outB, "checkpoints"), 6), name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s of step 6 differs between the uninterrupted and the resumed run", name)
		}
	}
	// keep-last-3
	steps, _ := ckpt.List(filepath.Join(outA, "checkpoints"))
	if len(steps) != 3 || steps[2] != 6 {
		t.Errorf("checkpoints kept: %v", steps)
	}
	// a checkpoint is an HF model directory poly loads back
	m, err := model.Load(ckpt.Dir(filepath.Join(outA, "checkpoints"), 6))
	if err != nil || m.NumParams() == 0 {
		t.Errorf("checkpoint does not load: %v", err)
	}
}

func TestRefuseExistingAndCorrupt(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	if _, err := Run(context.Background(), opts(mdir, out, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), opts(mdir, out, 2)); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Errorf("rerun into a run folder: %v", err)
	}
	p := filepath.Join(ckpt.Dir(filepath.Join(out, "checkpoints"), 2), "model.safetensors")
	data, _ := os.ReadFile(p)
	data[len(data)-1] ^= 0xff
	os.WriteFile(p, data, 0o644)
	o := opts(mdir, out, 4)
	o.Resume = true
	_, err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "model.safetensors") || !strings.Contains(err.Error(), "corrupted") {
		t.Errorf("corrupted checkpoint: %v", err)
	}
}

func TestInterrupt(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	o := opts(mdir, out, 10)
	o.Overrides["save_every"] = 100
	o.Reward = func(s string) (float64, grpo.RewardInfo) {
		if calls.Add(1) == 4*2+1 { // during step 3
			cancel()
		}
		return digitReward(s)
	}
	res, err := Run(ctx, o)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if res.Steps != 3 {
		t.Errorf("stopped after step %d, want 3 (the step in flight finishes)", res.Steps)
	}
	dir, m, err := ckpt.Latest(filepath.Join(out, "checkpoints"))
	if err != nil || m.Step != 3 {
		t.Errorf("checkpoint after interrupt: %s %v %v", dir, m, err)
	}
}

func TestNonFiniteStops(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	var calls atomic.Int32
	o := opts(mdir, out, 10)
	o.Reward = func(s string) (float64, grpo.RewardInfo) {
		if calls.Add(1) > 4*2 { // step 3
			return math.NaN(), grpo.RewardInfo{}
		}
		return digitReward(s)
	}
	_, err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "step 3") || !strings.Contains(err.Error(), "step-00000002") {
		t.Fatalf("err = %v, want step 3 and the last good checkpoint", err)
	}
	if _, m, err := ckpt.Latest(filepath.Join(out, "checkpoints")); err != nil || m.Step != 2 {
		t.Errorf("last checkpoint: %v %v", m, err)
	}
}

func TestConfigPrecedence(t *testing.T) {
	c, s, err := Config(map[string]any{"rollouts": 4.0, "lr": 1e-4, "steps": 7.0, "reward": "random"}, map[string]any{"lr": 2e-4, "loss_agg": "seq-mean-token-sum-norm", "scale_rewards": false})
	if err != nil {
		t.Fatal(err)
	}
	if c.Rollouts != 4 || c.LR != 2e-4 || s.Steps != 7 || c.TotalSteps != 7 || !c.RandomReward || c.Loss.Agg != grpo.AggSeqMeanTokenSumNorm || c.ScaleRewards || c.Loss.Beta != 0.001 {
		t.Errorf("config %+v settings %+v", c, s)
	}
	for _, bad := range []map[string]any{{"rolouts": 4.0}, {"rollouts": 2.5}, {"lr": "high"}, {"reward": "maybe"}, {"loss_agg": "mean"}, {"steps": 0.0}} {
		if _, _, err := Config(bad, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestMetricsParseWithPandas(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	o := opts(mdir, out, 3)
	o.Overrides["reward"] = "random"
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	script := `
import sys, json, pandas as pd
df = pd.read_json(sys.argv[1], lines=True)
s = pd.read_json(sys.argv[2], lines=True)
print(json.dumps({"rows": len(df), "cols": list(df.columns), "steps": df["step"].tolist(), "samples": len(s)}))
`
	var got struct {
		Rows    int
		Cols    []string
		Steps   []int
		Samples int
	}
	if err := json.Unmarshal(pyref.Run(t, script, filepath.Join(out, "metrics.jsonl"), filepath.Join(out, "samples.jsonl")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Rows != 3 || !equalJSON(got.Steps, []int{1, 2, 3}) || got.Samples < 1 {
		t.Errorf("pandas read %+v", got)
	}
	for _, c := range []string{"reward", "reward_std", "frac_reward_zero_std", "completions/mean_length", "kl", "entropy", "clip_ratio", "grad_norm", "lr", "time/rollout", "time/update"} {
		found := false
		for _, x := range got.Cols {
			found = found || x == c
		}
		if !found {
			t.Errorf("metrics lack column %q", c)
		}
	}
}

func TestWatchSwap(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	updates := make(chan Update, 1)
	var calls atomic.Int32
	o := opts(mdir, out, 4)
	o.Updates = updates
	o.Reward = func(s string) (float64, grpo.RewardInfo) {
		if calls.Add(1) == 4*2 { // end of step 2: the spec is saved
			updates <- Update{Prompt: "Say 7.", SpecHash: "h2", SampleID: "seven",
				Reward: func(string) (float64, grpo.RewardInfo) { return 1, grpo.RewardInfo{} }}
		}
		return 0, grpo.RewardInfo{}
	}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	lines := metricLines(t, out)
	for i, l := range lines {
		want := 0.0
		if i >= 2 {
			want = 1 // steps 3 and 4 use the new sample's reward
		}
		if l["reward"] != want {
			t.Errorf("step %d reward %v, want %v", i+1, l["reward"], want)
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "events.jsonl"))
	var ev map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(data), &ev); err != nil || ev["step"] != 2.0 || ev["spec_hash"] != "h2" || !strings.Contains(ev["prompt"].(string), "Say 7.") {
		t.Errorf("events.jsonl: %s (%v)", data, err)
	}
	st, _ := os.ReadFile(filepath.Join(ckpt.Dir(filepath.Join(out, "checkpoints"), 4), "trainer_state.json"))
	if !strings.Contains(string(st), `"spec_hash": "h2"`) {
		t.Errorf("checkpoint does not record the new spec hash:\n%s", st)
	}
}
