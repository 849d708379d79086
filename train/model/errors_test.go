package model

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfigErrors(t *testing.T) {
	good := `{"model_type":"qwen2","vocab_size":10,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1}`
	c, err := ParseConfig([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.HeadDim != 4 || !c.QKVBias || c.TieWordEmbeddings || c.RopeTheta != 10000 {
		t.Fatalf("defaults: %+v", c)
	}
	cases := []struct{ json, want string }{
		{`{`, "config:"},
		{`{"model_type":"qwen2"}`, "vocab_size: missing"},
		{strings.Replace(good, `"vocab_size":10`, `"vocab_size":"x"`, 1), "vocab_size: want a number"},
		{strings.Replace(good, `"num_key_value_heads":1`, `"num_key_value_heads":3`, 1), "not a multiple"},
		{strings.Replace(good, `"hidden_size":8`, `"hidden_size":-8`, 1), "must be positive"},
		{strings.Replace(good, `"qwen2"`, `"gpt2"`, 1), "only qwen2 and llama"},
		{strings.Replace(good, `{`, `{"rope_scaling":{"rope_type":"yarn"},`, 1), "only the default RoPE"},
		{strings.Replace(good, `{`, `{"hidden_act":"gelu",`, 1), "only silu"},
		{strings.Replace(good, `"num_hidden_layers":1`, `"num_hidden_layers":1.5`, 1), "want an integer"},
		{strings.Replace(good, `"num_hidden_layers":1`, `"num_hidden_layers":4000,"hidden_size":40000,"num_attention_heads":2,"intermediate_size":40000`, 1), "too large"},
		{`{"model_type":"qwen2","vocab_size":10,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"use_sliding_window":true}`, "sliding-window"},
	}
	for _, tc := range cases {
		if _, err := ParseConfig([]byte(tc.json)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseConfig(%s): %v, want %q", tc.json, err, tc.want)
		}
	}
}

func TestBadInputs(t *testing.T) {
	m, err := New(tinyConfig("qwen2", true), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.ForwardLogProbs(&Batch{B: 1, T: 2, Tokens: []int32{1, 99}}); err == nil || !strings.Contains(err.Error(), "outside the vocabulary") {
		t.Errorf("bad token: %v", err)
	}
	if _, _, err := m.ForwardLogProbs(&Batch{B: 2, T: 2, Tokens: []int32{1}}); err == nil {
		t.Error("short batch accepted")
	}
	for _, temp := range []float32{-1, float32(math.NaN()), float32(math.Inf(1))} {
		if _, _, err := m.ForwardLogProbs(&Batch{B: 1, T: 2, Tokens: []int32{1, 2}, Temperature: temp}); err == nil || !strings.Contains(err.Error(), "temperature") {
			t.Errorf("temperature %v: %v", temp, err)
		}
	}
	if err := (&Model{}).Backward(nil, nil); err == nil {
		t.Error("Backward before forward accepted")
	}
	kc := m.NewCache(2, 4)
	if _, err := m.Decode(kc, []int32{1, 2}, []int32{0, 4}); err == nil {
		t.Error("position past the cache accepted")
	}
	if _, err := m.Prefill(kc, [][]int32{{1, 2, 3, 4, 5}, {1}}); err == nil {
		t.Error("prompt longer than the cache accepted")
	}
	// skipped sequences get nil rows
	rows, err := m.Decode(kc, []int32{-1, 3}, []int32{0, 0})
	if err != nil || rows[0] != nil || len(rows[1]) != m.Config.VocabSize {
		t.Errorf("skip: %v %v", err, rows)
	}
}

func TestLoadErrors(t *testing.T) {
	m, err := New(tinyConfig("qwen2", false), 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	st := filepath.Join(dir, "model.safetensors")
	raw, _ := os.ReadFile(st)
	// a truncated weights file is refused with a clear error
	if err := os.WriteFile(st, raw[:len(raw)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("truncated file: %v", err)
	}
	// a config that disagrees with the weights
	os.WriteFile(st, raw, 0o644)
	cj, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(strings.Replace(string(cj), `"intermediate_size": 24`, `"intermediate_size": 26`, 1)), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("shape mismatch: %v", err)
	}
	// a missing tensor
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(strings.Replace(string(cj), `"num_hidden_layers": 2`, `"num_hidden_layers": 3`, 1)), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "missing tensors") {
		t.Errorf("missing tensor: %v", err)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("empty dir loaded")
	}
}

// TestShardedLoad: a model split over shards with an index loads the same.
func TestShardedLoad(t *testing.T) {
	m, err := New(tinyConfig("llama-bias", false), 2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	os.Rename(filepath.Join(dir, "model.safetensors"), filepath.Join(dir, "model-00001-of-00001.safetensors"))
	idx := `{"metadata":{},"weight_map":{`
	for i, p := range m.Table {
		if i > 0 {
			idx += ","
		}
		idx += `"` + p.Name + `":"model-00001-of-00001.safetensors"`
	}
	os.WriteFile(filepath.Join(dir, "model.safetensors.index.json"), []byte(idx+"}}"), 0o644)
	m2, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !m2.Config.OBias || m2.Config.ModelType != "llama" {
		t.Fatalf("config: %+v", m2.Config)
	}
	for i := range m.Params {
		if m.Params[i] != m2.Params[i] {
			t.Fatal("sharded load differs")
		}
	}
}

func TestClone(t *testing.T) {
	m, err := New(tinyConfig("qwen2", true), 3)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Clone()
	c.Params[0]++
	if m.Params[0] == c.Params[0] || len(c.Grads) != len(m.Grads) || c.Config.VocabSize != m.Config.VocabSize {
		t.Fatal("Clone shares parameters or lost its shape")
	}
	b := &Batch{B: 1, T: 4, Tokens: []int32{1, 2, 3, 4}}
	lp1, _, _ := m.ForwardLogProbs(b)
	v := lp1[0]
	c.Params[0]--
	lp2, _, _ := c.ForwardLogProbs(b)
	if lp2[0] != v {
		t.Fatalf("clone computes %v, original %v", lp2[0], v)
	}
}

// TestCopySeq: prefilling one prompt and copying it to the other sequences
// decodes exactly like prefilling every copy.
func TestCopySeq(t *testing.T) {
	m, err := New(tinyConfig("qwen2", true), 5)
	if err != nil {
		t.Fatal(err)
	}
	prompt := []int32{1, 4, 9, 16, 3}
	full := m.NewCache(3, 8)
	if _, err := m.Prefill(full, [][]int32{prompt, prompt, prompt}); err != nil {
		t.Fatal(err)
	}
	want, _ := m.Decode(full, []int32{7, 8, 9}, []int32{5, 5, 5})
	want = append([][]float32{}, want...)
	for i := range want {
		want[i] = append([]float32{}, want[i]...)
	}
	one := m.NewCache(3, 8)
	if _, err := m.Prefill(one, [][]int32{prompt, nil, nil}); err != nil {
		t.Fatal(err)
	}
	for d := 1; d < 3; d++ {
		if err := one.CopySeq(d, 0, len(prompt)); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := m.Decode(one, []int32{7, 8, 9}, []int32{5, 5, 5})
	for b := range got {
		for v := range got[b] {
			if got[b][v] != want[b][v] {
				t.Fatalf("seq %d logit %d: %v after CopySeq, %v after a full prefill", b, v, got[b][v], want[b][v])
			}
		}
	}
	if err := one.CopySeq(3, 0, 1); err == nil {
		t.Error("CopySeq outside the cache accepted")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"model_type":"qwen2","vocab_size":10,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"num_key_value_heads":1}`))
	f.Add([]byte(`{"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":12,"num_hidden_layers":1,"num_attention_heads":2,"head_dim":6,"eos_token_id":[1,2],"rope_parameters":{"rope_theta":5}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err != nil {
			return
		}
		if c.Validate() != nil || c.paramCount() <= 0 || c.paramCount() > 1<<32 {
			t.Fatalf("accepted an invalid config: %+v", c)
		}
		if _, err := c.JSON(); err != nil {
			t.Fatal(err)
		}
	})
}
