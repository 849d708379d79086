// Command gen writes the default model's weights into ../assets:
// config.json and model.safetensors of a tiny Qwen2-style decoder
// (vocabulary 1024, hidden 128, 4 layers, 4 heads, 2 KV heads, MLP 384,
// tied embeddings), initialised with a fixed seed and then pre-trained
// with a short SFT on generated arithmetic in the chat format
// ("What is a + b? ..." -> "a + b = c. The answer is \boxed{c}."), so that
// it answers in \boxed{} and rewards can be non-zero. Deterministic for a
// given -steps and -seed. Run from the repository root:
//
//	go run ./train/defaultmodel/gen -steps 3000
//
// The tokenizer is made separately by tokenizer.py.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"time"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/grpo"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
	"github.com/polylearn/poly/train/tokenizer"
)

// Config is the default model's architecture.
const Config = `{
  "architectures": ["Qwen2ForCausalLM"],
  "model_type": "qwen2",
  "vocab_size": 1024,
  "hidden_size": 128,
  "intermediate_size": 384,
  "num_hidden_layers": 4,
  "num_attention_heads": 4,
  "num_key_value_heads": 2,
  "max_position_embeddings": 1024,
  "rms_norm_eps": 1e-6,
  "rope_theta": 10000.0,
  "tie_word_embeddings": true,
  "hidden_act": "silu",
  "initializer_range": 0.02,
  "bos_token_id": 0,
  "eos_token_id": 2,
  "torch_dtype": "float32"
}`

// example returns one SFT example: the chat prompt and the answer.
func example(r *rand.Rand) (string, string) {
	a, b := r.IntN(100), r.IntN(100)
	ops := []string{"+", "-", "*"}
	op := ops[r.IntN(3)]
	v := map[string]int{"+": a + b, "-": a - b, "*": a * b}[op]
	q := fmt.Sprintf("What is %d %s %d? Give the final answer in \\boxed{}.", a, op, b)
	ans := fmt.Sprintf("%d %s %d = %d. The answer is \\boxed{%d}.", a, op, b, v, v)
	return q, ans
}

func main() {
	steps := flag.Int("steps", 1500, "SFT steps (0: random init only)")
	batch := flag.Int("batch", 16, "sequences per step")
	lr := flag.Float64("lr", 3e-3, "peak learning rate")
	seed := flag.Uint64("seed", 20261125, "seed of the init and the data")
	out := flag.String("out", "train/defaultmodel/assets", "output directory")
	flag.Parse()
	tok, err := defaultmodel.Tokenizer()
	if err != nil {
		log.Fatal(err)
	}
	cfg, err := model.ParseConfig([]byte(Config))
	if err != nil {
		log.Fatal(err)
	}
	m, err := model.New(cfg, *seed)
	if err != nil {
		log.Fatal(err)
	}
	if err := sft(m, tok, *steps, *batch, *lr, *seed); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	if err := m.Save(*out); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d parameters)", *out, m.NumParams())
}

func sft(m *model.Model, tok *tokenizer.Tokenizer, steps, B int, lr float64, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 1))
	opt := grpo.NewAdamW(m, 0.01)
	start := time.Now()
	for step := 0; step < steps; step++ {
		var seqs [][]int32
		var promptLens []int
		T := 0
		for b := 0; b < B; b++ {
			q, a := example(r)
			p, err := tok.ChatPrompt(q)
			if err != nil {
				return err
			}
			pids := tok.Encode(p)
			ids := append(append([]int{}, pids...), tok.Encode(a+"<|im_end|>")...)
			s := make([]int32, len(ids))
			for i, id := range ids {
				s[i] = int32(id)
			}
			seqs = append(seqs, s)
			promptLens = append(promptLens, len(pids))
			T = max(T, len(s))
		}
		batch := &model.Batch{B: B, T: T, Tokens: make([]int32, B*T), Mask: make([]bool, B*T)}
		count := 0
		for b, s := range seqs {
			copy(batch.Tokens[b*T:], s)
			for k := promptLens[b] - 1; k < len(s)-1; k++ {
				batch.Mask[b*T+k] = true
				count++
			}
		}
		logp, _, err := m.ForwardLogProbs(batch)
		if err != nil {
			return err
		}
		loss := 0.0
		d := make([]float32, len(logp))
		for n, ok := range batch.Mask {
			if ok {
				loss -= float64(logp[n])
				d[n] = -1 / float32(count)
			}
		}
		m.ZeroGrad()
		if err := m.Backward(d, nil); err != nil {
			return err
		}
		optim.ClipGradNorm(m.Grads, 1)
		if err := opt.Update(m.Params, m.Grads, grpo.LR(lr, step, steps, steps/20, "cosine", 0.1)); err != nil {
			return err
		}
		if step%50 == 0 || step == steps-1 {
			log.Printf("step %d loss %.4f (%.0fs)", step, loss/float64(count), time.Since(start).Seconds())
		}
	}
	return nil
}
