package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// shape is the architecture of the benchmark model; the vocabulary is the
// default tokenizer's.
type shape struct {
	D, Layers, Heads, KVHeads, FFN int
}

// tinyShape is DESIGN §7's tiny shape (d 256, 4 layers, 4 heads, 2 kv
// heads, mlp 688, tied), with the default tokenizer's vocabulary (1024)
// instead of 512 so that a real tokenizer fits.
var tinyShape = shape{D: 256, Layers: 4, Heads: 4, KVHeads: 2, FFN: 688}

// stopOffset is the norm of the shared offset added to every embedding
// row except the stop tokens' (see buildModel).
const stopOffset = 4.0

// buildModel returns a random-initialised Qwen2 model of shape sh with the
// default model's vocabulary, special-token ids, RoPE and norm settings
// (HF's initialisation: normal(0, 0.02), seeded).
//
// So that every rollout runs to the full token budget on both sides
// (neither trainer has an option to ignore EOS) the tied embedding gets
// one change: a shared random direction of norm stopOffset is added to
// every row except those of the stop tokens. The final hidden state then
// points along it, every ordinary token's logit gains the same large
// amount (the softmax over them is unchanged) and the stop tokens fall
// ~e^-60 behind: they are never sampled, by either trainer.
func buildModel(sh shape, tok *tokenizer.Tokenizer, seed uint64) (*model.Model, error) {
	base, err := defaultmodel.Model()
	if err != nil {
		return nil, err
	}
	cfg := base.Config
	raw := map[string]any{}
	for k, v := range cfg.Raw {
		raw[k] = v
	}
	cfg.Raw = raw
	cfg.VocabSize = tok.VocabSize()
	cfg.HiddenSize, cfg.NumLayers, cfg.NumHeads, cfg.NumKVHeads = sh.D, sh.Layers, sh.Heads, sh.KVHeads
	cfg.HeadDim, cfg.IntermediateSize = sh.D/sh.Heads, sh.FFN
	cfg.TieWordEmbeddings = true
	m, err := model.New(cfg, seed)
	if err != nil {
		return nil, err
	}
	emb, _, ok := m.Param("model.embed_tokens.weight")
	if !ok {
		return nil, fmt.Errorf("no embedding in the model")
	}
	stop := map[int]bool{}
	for _, id := range tok.StopIDs() {
		stop[id] = true
	}
	if len(stop) == 0 {
		return nil, fmt.Errorf("the tokenizer has no stop tokens")
	}
	D := cfg.HiddenSize
	r := rand.New(rand.NewPCG(seed, 0x0ff5e7))
	u := make([]float64, D)
	norm := 0.0
	for i := range u {
		u[i] = r.NormFloat64()
		norm += u[i] * u[i]
	}
	for i := range u {
		u[i] *= stopOffset / math.Sqrt(norm)
	}
	for v := 0; v < cfg.VocabSize; v++ {
		if stop[v] {
			continue
		}
		row := emb[v*D : (v+1)*D]
		for i := range row {
			row[i] += float32(u[i])
		}
	}
	return m, nil
}

// stopGap returns, after the prompt, the smallest gap between the log of
// the summed probability of the ordinary tokens and each stop token's
// log-probability, in nats: how far the stop tokens are from being
// sampled.
func stopGap(m *model.Model, tok *tokenizer.Tokenizer, prompt []int32) (float64, error) {
	kc := m.NewCache(1, len(prompt))
	logits, err := m.Prefill(kc, [][]int32{prompt})
	if err != nil {
		return 0, err
	}
	row := logits[0]
	stop := map[int]bool{}
	for _, id := range tok.StopIDs() {
		stop[id] = true
	}
	mx := math.Inf(-1)
	for v, x := range row {
		if !stop[v] {
			mx = math.Max(mx, float64(x))
		}
	}
	sum := 0.0
	for v, x := range row {
		if !stop[v] {
			sum += math.Exp(float64(x) - mx)
		}
	}
	lse := mx + math.Log(sum)
	gap := math.Inf(1)
	for id := range stop {
		gap = math.Min(gap, lse-float64(row[id]))
	}
	return gap, nil
}

// writeCheckpoint saves m with the default tokenizer's files into dir (an
// HF model directory: config.json, model.safetensors, tokenizer.json,
// tokenizer_config.json with the chat template).
func writeCheckpoint(dir string, m *model.Model) error {
	if err := m.Save(dir); err != nil {
		return err
	}
	for name, data := range defaultmodel.TokenizerFiles() {
		if err := writeFileAtomic(filepath.Join(dir, name), data); err != nil {
			return err
		}
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the
// same directory, synced and renamed into place.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// prompt is the benchmark's sample, rendered for both sides.
type prompt struct {
	Spec     string              `json:"spec"`
	SampleID string              `json:"sample_id"`
	Messages []tokenizer.Message `json:"messages"` // the chat messages (TRL's conversational prompt)
	Text     string              `json:"text"`     // the chat template applied, with the generation prompt
	IDs      []int32             `json:"ids"`      // its token ids
}

// loadPrompt compiles spec and renders its first sample's prompt with the
// tokenizer's chat template.
func loadPrompt(spec string, tok *tokenizer.Tokenizer) (*prompt, error) {
	s, diags := compiler.CompileFile(spec)
	if diags.HasErrors() {
		var b strings.Builder
		diags.Render(&b, s.Files)
		return nil, fmt.Errorf("%s does not compile:\n%s", spec, b.String())
	}
	if len(s.Samples) == 0 {
		return nil, fmt.Errorf("%s: no sample", spec)
	}
	smp := s.Samples[0]
	p := &prompt{Spec: spec, SampleID: smp.ID}
	if smp.System != "" {
		p.Messages = append(p.Messages, tokenizer.Message{Role: "system", Content: smp.System})
	}
	p.Messages = append(p.Messages, tokenizer.Message{Role: "user", Content: smp.Prompt})
	text, err := tok.Chat.Render(p.Messages, true)
	if err != nil {
		return nil, err
	}
	p.Text = text
	for _, id := range tok.Encode(text) {
		p.IDs = append(p.IDs, int32(id))
	}
	return p, nil
}

// writeJSON writes v as indented JSON to path, atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// digitReward is the benchmark's reward on both sides (trl_bench.py
// computes the same): the share of a completion's characters that are
// decimal digits. It is cheap, deterministic and varies between rollouts,
// so the advantages are not all zero and the update does real work; the
// spec's checker would give 0 to every completion of a random model.
func digitReward(completion string) float64 {
	n, d := 0, 0
	for _, r := range completion {
		n++
		if r >= '0' && r <= '9' {
			d++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(d) / float64(n)
}
