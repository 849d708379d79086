package sample

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

func TestSamplerDistribution(t *testing.T) {
	logits := []float32{0, 1, 2, 3}
	soft := make([]float64, 4)
	z := 0.0
	for i, v := range logits {
		soft[i] = math.Exp(float64(v))
		z += soft[i]
	}
	for i := range soft {
		soft[i] /= z
	}
	tests := []struct {
		name string
		opt  Options
		want []float64
	}{
		{"temperature 1", Options{Temperature: 1}, soft},
		{"top-k 2", Options{Temperature: 1, TopK: 2}, []float64{0, 0, soft[2] / (soft[2] + soft[3]), soft[3] / (soft[2] + soft[3])}},
		{"top-p 0.5", Options{Temperature: 1, TopP: 0.5}, []float64{0, 0, 0, 1}},
		{"top-p 0.7", Options{Temperature: 1, TopP: 0.7}, []float64{0, 0, soft[2] / (soft[2] + soft[3]), soft[3] / (soft[2] + soft[3])}},
		{"temperature 2", Options{Temperature: 2}, func() []float64 {
			w := []float64{1, math.Exp(0.5), math.E, math.Exp(1.5)}
			s := w[0] + w[1] + w[2] + w[3]
			for i := range w {
				w[i] /= s
			}
			return w
		}()},
	}
	const n = 40000
	for _, tt := range tests {
		s := NewSampler(tt.opt)
		rng := rand.New(rand.NewPCG(1, 2))
		count := make([]float64, 4)
		for i := 0; i < n; i++ {
			id, lp := s.Sample(logits, rng)
			count[id]++
			if d := math.Abs(float64(lp) - math.Log(tt.want[id])); d > 1e-5 {
				t.Errorf("%s: logprob of %d = %v, want %v", tt.name, id, lp, math.Log(tt.want[id]))
			}
		}
		for i := range count {
			if f := count[i] / n; math.Abs(f-tt.want[i]) > 0.01 {
				t.Errorf("%s: frequency of %d = %.4f, want %.4f", tt.name, i, f, tt.want[i])
			}
		}
	}
	if id, lp := NewSampler(Options{}).Sample([]float32{1, 5, 2}, nil); id != 1 || lp != 0 {
		t.Errorf("greedy = %d %v", id, lp)
	}
}

func tinyModel(t testing.TB) (*model.Model, *tokenizer.Tokenizer) {
	t.Helper()
	tok, err := defaultmodel.Tokenizer()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := model.ParseConfig([]byte(`{"model_type":"qwen2","vocab_size":1024,"hidden_size":32,"intermediate_size":64,
"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":256,"tie_word_embeddings":true,"initializer_range":0.5}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok
}

func prompts(tok *tokenizer.Tokenizer, n int) [][]int32 {
	var out [][]int32
	for i := 0; i < n; i++ {
		s, _ := tok.ChatPrompt(strings.Repeat("What is 2 + 2? ", 1+i%2))
		var p []int32
		for _, id := range tok.Encode(s) {
			p = append(p, int32(id))
		}
		out = append(out, p)
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	m, tok := tinyModel(t)
	opt := Options{Temperature: 1, TopP: 0.95, TopK: 50, MaxTokens: 12}
	gen := func(seed uint64) []Completion {
		c, err := Generate(m, tok, prompts(tok, 4), opt, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b, c := gen(1), gen(1), gen(2)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed gave different completions")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds gave the same completions")
	}
	for _, x := range a {
		if x.Finish != FinishLength || len(x.Tokens) != 12 || len(x.Logprobs) != 12 {
			t.Errorf("completion %+v: want 12 tokens, finish length", x)
		}
		if x.Text != tok.Decode(toInts(x.Tokens), true) {
			t.Errorf("Text %q != decode of tokens", x.Text)
		}
	}
}

func toInts(a []int32) []int {
	out := make([]int, len(a))
	for i, v := range a {
		out[i] = int(v)
	}
	return out
}

// The sampler's log-probabilities at temperature 1 come from the KV-cache
// path; they must equal those of a full forward pass over prompt and
// completion.
func TestLogprobsMatchForward(t *testing.T) {
	m, tok := tinyModel(t)
	ps := prompts(tok, 3)
	cs, err := Generate(m, tok, ps, Options{Temperature: 1, MaxTokens: 10}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	for b, c := range cs {
		seq := append(append([]int32{}, ps[b]...), c.Tokens...)
		logp, _, err := m.ForwardLogProbs(&model.Batch{B: 1, T: len(seq), Tokens: seq})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.Tokens {
			want := logp[len(ps[b])-1+i]
			if d := math.Abs(float64(c.Logprobs[i] - want)); d > 2e-4 {
				t.Errorf("seq %d token %d: sampler logprob %v, forward %v", b, i, c.Logprobs[i], want)
			}
		}
	}
}

func TestStops(t *testing.T) {
	m, tok := tinyModel(t)
	ps := prompts(tok, 1)
	greedy := func(opt Options) Completion {
		opt.MaxTokens = 16
		c, err := Generate(m, tok, ps, opt, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return c[0]
	}
	full := greedy(Options{})
	if full.Finish != FinishLength || len(full.Tokens) != 16 {
		t.Fatalf("greedy run: %+v", full)
	}
	// stop token: the third greedy token
	k := 2
	for k < len(full.Tokens) && (full.Tokens[k] == full.Tokens[0] || full.Tokens[k] == full.Tokens[1]) {
		k++
	}
	c := greedy(Options{StopIDs: []int{int(full.Tokens[k])}})
	if c.Finish != FinishStop || !reflect.DeepEqual(c.Tokens, full.Tokens[:k+1]) {
		t.Errorf("stop id: got %v (%s), want %v", c.Tokens, c.Finish, full.Tokens[:k+1])
	}
	if c.Text != tok.Decode(toInts(full.Tokens[:k]), true) {
		t.Errorf("stop id: text %q includes the stop token", c.Text)
	}
	// stop string: a piece of the greedy text
	r := []rune(full.Text)
	if len(r) < 4 {
		t.Skipf("greedy text too short: %q", full.Text)
	}
	stopStr := string(r[len(r)/2 : len(r)/2+2])
	c = greedy(Options{StopStrings: []string{stopStr}})
	want := full.Text[:strings.Index(full.Text, stopStr)]
	if c.Finish != FinishStopString || c.Text != want {
		t.Errorf("stop string %q: text %q (%s), want %q", stopStr, c.Text, c.Finish, want)
	}
}

func TestGenerateErrors(t *testing.T) {
	m, tok := tinyModel(t)
	if _, err := Generate(m, tok, prompts(tok, 1), Options{}, nil); err == nil {
		t.Error("MaxTokens 0 accepted")
	}
	if _, err := Generate(m, tok, [][]int32{{}}, Options{MaxTokens: 1}, nil); err == nil {
		t.Error("empty prompt accepted")
	}
	if _, err := Generate(m, tok, prompts(tok, 1), Options{MaxTokens: 1000}, nil); err == nil {
		t.Error("over max_position_embeddings accepted")
	}
}

func BenchmarkGenerate(b *testing.B) {
	m, tok := tinyModel(b)
	ps := prompts(tok, 8)
	opt := Options{Temperature: 1, MaxTokens: 64}
	n := 0
	for b.Loop() {
		cs, err := Generate(m, tok, ps, opt, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cs {
			n += len(c.Tokens)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tokens/s")
}

// A repeated prompt is prefilled once and fanned out: the completions are
// those of separately prefilled prompts (same logprobs within float
// tolerance, same tokens for greedy decoding).
func TestRepeatedPromptFanOut(t *testing.T) {
	m, tok := tinyModel(t)
	p := prompts(tok, 2)
	same := [][]int32{p[0], p[0], p[1], append([]int32(nil), p[0]...), p[1]}
	got, err := Generate(m, tok, same, Options{MaxTokens: 10}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range same {
		want, err := Generate(m, tok, [][]int32{q}, Options{MaxTokens: 10}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i].Tokens, want[0].Tokens) {
			t.Errorf("sequence %d: %v, alone %v", i, got[i].Tokens, want[0].Tokens)
		}
	}
}
