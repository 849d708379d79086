// Package sample generates completions from a model with its KV cache:
// batched decoding with temperature, top-k and top-p (nucleus) sampling,
// a seeded generator (same seed, same completions), and stopping on stop
// tokens (EOS), stop strings or a token budget.
//
// The log-probabilities returned per sampled token are those of the
// distribution actually sampled from (after temperature, top-k and top-p).
// GRPO does not use them as its "old" log-probabilities: the trainer takes
// those from a ForwardLogProbs pass of the policy (package grpo), so that
// the importance ratio is exactly 1 before the first update.
package sample

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// Options control generation.
type Options struct {
	// Temperature divides the logits; 0 means greedy (argmax).
	Temperature float64 `json:"temperature"` // TopK keeps the K most likely tokens (0: all).
	TopK        int     `json:"top_k"`       // TopP keeps the smallest set of most likely tokens whose probability
	// reaches TopP (1 or 0: all).
	TopP      float64 `json:"top_p"`      // MaxTokens is the most tokens generated per sequence (required > 0).
	MaxTokens int     `json:"max_tokens"` // StopIDs end a sequence when sampled (the token is kept in Tokens,
	// as GRPO trains the model to stop; it is not in Text).
	StopIDs []int `json:"stop_ids,omitempty"` // StopStrings end a sequence when its text contains one; Text is cut
	// before it.
	StopStrings []string `json:"stop_strings,omitempty"`
}

// Finish reasons.
const (
	FinishStop       = "stop"        // a stop token was sampled
	FinishStopString = "stop_string" // the text reached a stop string
	FinishLength     = "length"      // MaxTokens were generated
)

// Completion is one generated sequence.
type Completion struct {
	Tokens   []int32   // generated ids (a final stop token included)
	Logprobs []float32 // log-probability of each sampled token under the sampled distribution
	Text     string    // decoded text (stop token and stop string excluded)
	Finish   string    // FinishStop, FinishStopString or FinishLength
}

// Sampler holds reusable buffers for sampling from logits.
type Sampler struct {
	opt   Options
	idx   []int
	probs []float64
}

// NewSampler returns a sampler for opt.
func NewSampler(opt Options) *Sampler { return &Sampler{opt: opt} }

// Sample draws a token from logits and returns it with its log-probability
// under the distribution sampled from; -1 when the logits hold NaN or
// +Inf (a diverged model).
func (s *Sampler) Sample(logits []float32, rng *rand.Rand) (int, float32) {
	o := &s.opt
	best := 0
	for i, v := range logits {
		if v != v || v > math.MaxFloat32 {
			return -1, 0
		}
		if v > logits[best] {
			best = i
		}
	}
	if o.Temperature <= 0 {
		return best, 0
	}
	V := len(logits)
	inv := 1 / o.Temperature
	mx := float64(logits[best])
	if cap(s.probs) < V {
		s.probs, s.idx = make([]float64, V), make([]int, V)
	}
	p := s.probs[:V]
	for i, v := range logits {
		p[i] = math.Exp((float64(v) - mx) * inv)
	}
	keep := s.idx[:0]
	if (o.TopK > 0 && o.TopK < V) || (o.TopP > 0 && o.TopP < 1) {
		keep = s.idx[:V]
		for i := range keep {
			keep[i] = i
		}
		// descending probability, ties by id: deterministic
		sort.Slice(keep, func(a, b int) bool {
			pa, pb := p[keep[a]], p[keep[b]]
			return pa > pb || (pa == pb && keep[a] < keep[b])
		})
		if o.TopK > 0 && o.TopK < len(keep) {
			keep = keep[:o.TopK]
		}
		if o.TopP > 0 && o.TopP < 1 {
			total := 0.0
			for _, i := range keep {
				total += p[i]
			}
			cum := 0.0
			for k, i := range keep {
				cum += p[i]
				if cum >= o.TopP*total {
					keep = keep[:k+1]
					break
				}
			}
		}
	}
	total := 0.0
	if len(keep) > 0 {
		for _, i := range keep {
			total += p[i]
		}
	} else {
		for _, v := range p {
			total += v
		}
	}
	u := rng.Float64() * total
	pick := -1
	if len(keep) > 0 {
		for _, i := range keep {
			u -= p[i]
			if u < 0 {
				pick = i
				break
			}
		}
		if pick < 0 {
			pick = keep[len(keep)-1]
		}
	} else {
		for i, v := range p {
			u -= v
			if u < 0 {
				pick = i
				break
			}
		}
		if pick < 0 { // rounding: the last token with non-zero mass
			for i := V - 1; i >= 0; i-- {
				if p[i] > 0 {
					pick = i
					break
				}
			}
		}
	}
	return pick, float32(math.Log(p[pick] / total))
}

// Generate continues each prompt with one completion, all in one batch on
// the model's KV cache, drawing from rng (nil: a generator with seed 0).
// The same model, prompts, options and rng state give the same
// completions.
func Generate(m *model.Model, tok *tokenizer.Tokenizer, prompts [][]int32, opt Options, rng *rand.Rand) ([]Completion, error) {
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
	}
	B := len(prompts)
	if B == 0 {
		return nil, nil
	}
	if opt.MaxTokens <= 0 {
		return nil, errors.New("sample: MaxTokens must be positive")
	}
	maxPrompt := 0
	for b, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("sample: prompt %d is empty", b)
		}
		maxPrompt = max(maxPrompt, len(p))
	}
	maxLen := maxPrompt + opt.MaxTokens
	if limit := m.Config.MaxPositionEmbeddings; maxLen > limit {
		return nil, fmt.Errorf("sample: prompt (%d tokens) + max tokens (%d) exceed the model's max_position_embeddings %d", maxPrompt, opt.MaxTokens, limit)
	}
	stop := map[int32]bool{}
	for _, id := range opt.StopIDs {
		stop[int32(id)] = true
	}
	kc := m.NewCache(B, maxLen)
	// A prompt repeated in the batch (a GRPO group) is prefilled once and
	// its keys and values copied to the other sequences.
	first := make([]int, B) // index of the first sequence with the same prompt
	unique := make([][]int32, B)
	for b := range prompts {
		first[b] = b
		for a := 0; a < b; a++ {
			if first[a] == a && sameIDs(prompts[a], prompts[b]) {
				first[b] = a
				break
			}
		}
		if first[b] == b {
			unique[b] = prompts[b]
		}
	}
	logits, err := m.Prefill(kc, unique)
	if err != nil {
		return nil, err
	}
	logits = append([][]float32(nil), logits...)
	for b, a := range first {
		if a != b {
			if err := kc.CopySeq(b, a, len(prompts[a])); err != nil {
				return nil, err
			}
			logits[b] = logits[a]
		}
	}
	out := make([]Completion, B)
	texts := make([]strings.Builder, B)
	decs := make([]*tokenizer.StreamDecoder, B)
	for b := range decs {
		decs[b] = tok.NewStreamDecoder(true)
	}
	done := make([]bool, B)
	next := make([]int32, B)
	pos := make([]int32, B)
	s := NewSampler(opt)
	V := tok.VocabSize()
	for step := 0; ; step++ {
		active := 0
		for b := 0; b < B; b++ {
			next[b] = -1
			if done[b] {
				continue
			}
			row := logits[b]
			if V < len(row) && V > 0 {
				// ids past the tokenizer's vocabulary (padding rows of the
				// embedding) are never sampled
				row = row[:V]
			}
			id, lp := s.Sample(row, rng)
			if id < 0 {
				return nil, &NonFiniteError{Seq: b, Token: len(out[b].Tokens)}
			}
			c := &out[b]
			c.Tokens = append(c.Tokens, int32(id))
			c.Logprobs = append(c.Logprobs, lp)
			if stop[int32(id)] {
				done[b], c.Finish = true, FinishStop
				texts[b].WriteString(decs[b].Flush())
				continue
			}
			texts[b].WriteString(decs[b].Add(id))
			if k := stopStringCut(texts[b].String(), opt.StopStrings); k >= 0 {
				done[b], c.Finish = true, FinishStopString
				t := texts[b].String()[:k]
				texts[b].Reset()
				texts[b].WriteString(t)
				continue
			}
			if len(c.Tokens) >= opt.MaxTokens {
				done[b], c.Finish = true, FinishLength
				texts[b].WriteString(decs[b].Flush())
				continue
			}
			next[b] = int32(id)
			pos[b] = int32(len(prompts[b]) + len(c.Tokens) - 1)
			active++
		}
		if active == 0 {
			break
		}
		if logits, err = m.Decode(kc, next, pos); err != nil {
			return nil, err
		}
	}
	for b := range out {
		out[b].Text = texts[b].String()
	}
	return out, nil
}

// sameIDs reports whether two prompts are equal.
func sameIDs(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// NonFiniteError reports NaN or +Inf logits: the model has diverged.
type NonFiniteError struct{ Seq, Token int }

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("sample: non-finite logits (sequence %d, token %d): the model has diverged", e.Seq, e.Token)
}

// stopStringCut returns the index of the earliest stop string in text, or
// -1.
func stopStringCut(text string, stops []string) int {
	cut := -1
	for _, s := range stops {
		if s == "" {
			continue
		}
		if k := strings.Index(text, s); k >= 0 && (cut < 0 || k < cut) {
			cut = k
		}
	}
	return cut
}
