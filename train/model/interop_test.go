package model

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// hfScript runs jobs (argv[1], JSON [[mode, dir, dtype], ...]) with
// transformers: mode "make" builds a random Qwen2ForCausalLM, saves it to dir
// in dtype and reloads it; mode "eval" loads dir. For each job it prints the
// fp32 logits of the token rows in argv[2]; all jobs' logits form one JSON list.
const hfScript = `
import sys, json, torch
from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM, LlamaConfig, LlamaForCausalLM
jobs, toks = json.loads(sys.argv[1]), torch.tensor(json.loads(sys.argv[2]))
res = []
for mode, path, dtype in jobs:
    torch.manual_seed(len(res))
    if mode == "make":
        cfg = Qwen2Config(vocab_size=96, hidden_size=64, intermediate_size=88, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-6, rope_theta=5000.0,
            tie_word_embeddings=(dtype != "float32"), max_position_embeddings=128, bos_token_id=1, eos_token_id=2)
        m = Qwen2ForCausalLM(cfg).float().eval()
    if mode == "make-llama":  # q/k/v/o biases, 8-wide heads, untied
        cfg = LlamaConfig(vocab_size=96, hidden_size=64, intermediate_size=88, num_hidden_layers=2,
            num_attention_heads=8, num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=20000.0, attention_bias=True,
            tie_word_embeddings=False, max_position_embeddings=128, bos_token_id=1, eos_token_id=[2, 3])
        m = LlamaForCausalLM(cfg).float().eval()
    if mode.startswith("make"):
        with torch.no_grad():
            for n, p in m.named_parameters():
                if n.endswith("bias") or "norm" in n:
                    p.add_(torch.randn_like(p) * 0.3)
                else:
                    p.normal_(0, 0.08)
        m.to({"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]).save_pretrained(path)
    m = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32).eval()
    with torch.no_grad():
        res.append(m(toks).logits.tolist())
print(json.dumps(res))
`

func hfLogits(t *testing.T, jobs [][3]string, toks [][]int32) [][][][]float64 {
	t.Helper()
	jj, _ := json.Marshal(jobs)
	tj, _ := json.Marshal(toks)
	out := pyref.Run(t, hfScript, string(jj), string(tj))
	var logits [][][][]float64
	if err := json.Unmarshal(out, &logits); err != nil || len(logits) != len(jobs) {
		t.Fatalf("python output: %v\n%s", err, out)
	}
	return logits
}

var interopTokens = [][]int32{
	{1, 5, 17, 33, 90, 2, 44, 44, 7, 60, 61, 62, 3, 9, 95, 0},
	{1, 80, 12, 12, 12, 51, 23, 4, 8, 15, 16, 23, 42, 77, 31, 30},
}

// compareLogits checks poly's logits (via the KV-cache decode path and the
// training path's log-probs and entropies) against HF's.
func compareLogits(t *testing.T, m *Model, want [][][]float64, tol float64) {
	t.Helper()
	B, T := len(interopTokens), len(interopTokens[0])
	kc := m.NewCache(B, T)
	var worst float64
	for p := 0; p < T; p++ {
		toks, pos := make([]int32, B), make([]int32, B)
		for b := range toks {
			toks[b], pos[b] = interopTokens[b][p], int32(p)
		}
		rows, err := m.Decode(kc, toks, pos)
		if err != nil {
			t.Fatal(err)
		}
		for b, row := range rows {
			for v, x := range row {
				worst = math.Max(worst, math.Abs(float64(x)-want[b][p][v]))
			}
		}
	}
	if worst > tol {
		t.Errorf("decode logits: max abs diff %g > %g", worst, tol)
	}
	t.Logf("decode logits: max abs diff %.3g", worst)
	// prefill of prompts of different lengths, then one decode step
	kc = m.NewCache(B, T)
	rows, err := m.Prefill(kc, [][]int32{interopTokens[0][:5], interopTokens[1][:9]})
	if err != nil {
		t.Fatal(err)
	}
	worst = 0
	for b, p := range []int{4, 8} {
		for v, x := range rows[b] {
			worst = math.Max(worst, math.Abs(float64(x)-want[b][p][v]))
		}
	}
	rows, err = m.Decode(kc, []int32{interopTokens[0][5], interopTokens[1][9]}, []int32{5, 9})
	if err != nil {
		t.Fatal(err)
	}
	for b, p := range []int{5, 9} {
		for v, x := range rows[b] {
			worst = math.Max(worst, math.Abs(float64(x)-want[b][p][v]))
		}
	}
	if worst > tol {
		t.Errorf("prefill+decode logits: max abs diff %g > %g", worst, tol)
	}
	// training path, at temperature 1 and at a sampling temperature (HF's
	// logits divided by it, as TRL's selective_log_softmax does)
	flat := append(append([]int32{}, interopTokens[0]...), interopTokens[1]...)
	for _, temp := range []float64{1, 0.6} {
		logp, ent, err := m.ForwardLogProbs(&Batch{B: B, T: T, Tokens: flat, Temperature: float32(temp)})
		if err != nil {
			t.Fatal(err)
		}
		worst = 0
		for b := 0; b < B; b++ {
			for p := 0; p < T-1; p++ {
				z := make([]float64, len(want[b][p]))
				mx := math.Inf(-1)
				for v, x := range want[b][p] {
					z[v] = x / temp
					mx = math.Max(mx, z[v])
				}
				var s float64
				for _, v := range z {
					s += math.Exp(v - mx)
				}
				lse := mx + math.Log(s)
				var h float64
				for _, v := range z {
					h -= math.Exp(v-lse) * (v - lse)
				}
				worst = math.Max(worst, math.Abs(float64(logp[b*T+p])-(z[interopTokens[b][p+1]]-lse)))
				worst = math.Max(worst, math.Abs(float64(ent[b*T+p])-h))
			}
		}
		if worst > tol/temp {
			t.Errorf("training log-probs/entropy at T=%v: max abs diff %g > %g", temp, worst, tol/temp)
		}
	}
}

// TestInteropHF: Qwen2 models made and saved by transformers (fp32, bf16,
// f16 files; tied and untied heads) and a Llama with q/k/v/o biases load in poly with the same logits
// (within 1e-4: bf16/f16 weights are read as the same rounded values on
// both sides); models poly saves load in transformers with the same logits.
func TestInteropHF(t *testing.T) {
	tmp := t.TempDir()
	dtypes := []string{"float32", "bfloat16", "float16"}
	var jobs [][3]string
	for _, dt := range dtypes {
		jobs = append(jobs, [3]string{"make", filepath.Join(tmp, "hf-"+dt), dt})
	}
	jobs = append(jobs, [3]string{"make-llama", filepath.Join(tmp, "hf-llama"), "float32"})
	dtypes = append(dtypes, "llama")
	wants := hfLogits(t, jobs, interopTokens)
	var back [][3]string
	var saved []*Model
	for i, dt := range dtypes {
		m, err := Load(jobs[i][1])
		if err != nil {
			t.Fatal(err)
		}
		if dt == "llama" {
			if m.Config.TieWordEmbeddings || !m.Config.OBias || m.Config.RopeTheta != 20000 || m.Config.HeadDim != 8 || len(m.Config.EOSTokenIDs) != 2 {
				t.Fatalf("%s: config read wrong: %+v", dt, m.Config)
			}
		} else if m.Config.TieWordEmbeddings != (dt != "float32") || !m.Config.QKVBias || m.Config.RopeTheta != 5000 {
			t.Fatalf("%s: config read wrong: %+v", dt, m.Config)
		}
		t.Run("hf-to-poly/"+dt, func(t *testing.T) { compareLogits(t, m, wants[i], 1e-4) })
		if dt == "bfloat16" {
			continue
		}
		for j := range m.Params { // make sure HF sees poly's weights, not its own
			m.Params[j] *= 1.01
		}
		out := filepath.Join(tmp, "poly-"+dt)
		if err := m.Save(out); err != nil {
			t.Fatal(err)
		}
		m2, err := Load(out)
		if err != nil {
			t.Fatal(err)
		}
		for j := range m.Params {
			if m.Params[j] != m2.Params[j] {
				t.Fatalf("save/load round trip changed parameter %d", j)
			}
		}
		back = append(back, [3]string{"eval", out, "float32"})
		saved = append(saved, m)
	}
	wants = hfLogits(t, back, interopTokens)
	for i, m := range saved {
		t.Run("poly-to-hf/"+filepath.Base(back[i][1]), func(t *testing.T) { compareLogits(t, m, wants[i], 1e-4) })
	}
}
