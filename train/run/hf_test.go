package run

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/train/ckpt"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// hfCheckpointScript loads a checkpoint directory with transformers
// (model and tokenizer) and prints the tokenizer's ids of a text and the
// log-probabilities of each next token.
const hfCheckpointScript = `
import json, sys, torch
from transformers import AutoModelForCausalLM, AutoTokenizer
d, text = sys.argv[1], sys.argv[2]
tok = AutoTokenizer.from_pretrained(d)
m = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32)
m.eval()
ids = tok(text, add_special_tokens=False)["input_ids"]
with torch.no_grad():
    logits = m(torch.tensor([ids])).logits[0].double()
lp = torch.log_softmax(logits, -1)
print(json.dumps({"ids": ids, "logp": [lp[i, ids[i+1]].item() for i in range(len(ids)-1)]}))
`

// TestCheckpointLoadsInTransformers: a checkpoint is an HF model directory:
// transformers loads model and tokenizer, tokenizes like poly and gives the
// same next-token log-probabilities.
func TestCheckpointLoadsInTransformers(t *testing.T) {
	pyref.Python(t)
	mdir := modelDir(t)
	out := t.TempDir()
	if _, err := Run(context.Background(), opts(mdir, out, 2)); err != nil {
		t.Fatal(err)
	}
	dir := ckpt.Dir(filepath.Join(out, "checkpoints"), 2)
	text := "<|im_start|>user\nWhat is 12 + 30? Give the final answer in \\boxed{}.<|im_end|>\n<|im_start|>assistant\n42"
	var want struct {
		IDs  []int
		Logp []float64
	}
	if err := json.Unmarshal(pyref.Run(t, hfCheckpointScript, dir, text), &want); err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := tok.Encode(text)
	if len(ids) != len(want.IDs) {
		t.Fatalf("ids %v, transformers %v", ids, want.IDs)
	}
	seq := make([]int32, len(ids))
	for i, id := range ids {
		if id != want.IDs[i] {
			t.Fatalf("ids %v, transformers %v", ids, want.IDs)
		}
		seq[i] = int32(id)
	}
	m, err := model.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	logp, _, err := m.ForwardLogProbs(&model.Batch{B: 1, T: len(seq), Tokens: seq})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want.Logp {
		if d := math.Abs(float64(logp[i]) - w); d > 1e-4 {
			t.Errorf("position %d: poly logp %v, transformers %v", i, logp[i], w)
		}
	}
}

// hfQwenScript saves a tiny random Qwen2 with Qwen's vocabulary size
// (151936) as transformers writes it.
const hfQwenScript = `
import sys, torch
from transformers import Qwen2Config, Qwen2ForCausalLM
torch.manual_seed(0)
cfg = Qwen2Config(vocab_size=151936, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                  tie_word_embeddings=True, eos_token_id=151645, bos_token_id=151643)
Qwen2ForCausalLM(cfg).save_pretrained(sys.argv[1])
`

// TestTrainOnHFQwenDirectory: poly trains on a model directory as HF
// writes it for Qwen (transformers' weights, Qwen3's tokenizer.json and
// chat template): the vocabulary padding, stop tokens and template of a
// real Qwen checkpoint.
func TestTrainOnHFQwenDirectory(t *testing.T) {
	pyref.Python(t)
	qwen := filepath.Join(pyref.RepoRoot(), "train", "tokenizer", "testdata", "cache", "qwen3")
	if _, err := os.Stat(filepath.Join(qwen, "tokenizer.json")); err != nil {
		script := filepath.Join(pyref.RepoRoot(), "scripts", "fetch-qwen-tokenizer.sh")
		if out, err := exec.Command(script).CombinedOutput(); err != nil {
			t.Skipf("no Qwen3 tokenizer (%s: %v: %s)", script, err, out)
		}
	}
	dir := t.TempDir()
	pyref.Run(t, hfQwenScript, dir)
	for _, name := range []string{"tokenizer.json", "tokenizer_config.json"} {
		data, err := os.ReadFile(filepath.Join(qwen, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	out := t.TempDir()
	o := opts(dir, out, 2)
	o.Overrides["max_tokens"] = 8
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 2 {
		t.Fatalf("steps %d", res.Steps)
	}
	var run struct{ Prompt string }
	data, _ := os.ReadFile(filepath.Join(out, "run.json"))
	json.Unmarshal(data, &run)
	if run.Prompt != "<|im_start|>user\nSay an even number.<|im_end|>\n<|im_start|>assistant\n" {
		t.Errorf("prompt rendered as %q", run.Prompt)
	}
	// the checkpoint keeps Qwen's tokenizer files
	if _, err := os.Stat(filepath.Join(res.Checkpoint, "tokenizer_config.json")); err != nil {
		t.Error(err)
	}
}
