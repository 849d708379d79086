package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/run"
	"github.com/polylearn/poly/train/sample"
	"github.com/polylearn/poly/train/tokenizer"
)

// Options describe an evaluation.
type Options struct {
	// Model is "default" (the embedded tiny model) or an HF model
	// directory; "" means default.
	Model string
	// PerFamily is the number of problems drawn from each family.
	PerFamily int
	// Seed chooses the family problems and seeds sampling.
	Seed int64
	// Temperature 0 is greedy decoding; TopP and TopK apply when it is
	// positive (0: off).
	Temperature, TopP float64
	TopK              int
	// MaxTokens is the completion budget per problem.
	MaxTokens int
	// Batch is the number of problems generated together (default 16).
	Batch int

	// Progress receives progress (a bar when TTY, else plain lines);
	// nil: none.
	Progress io.Writer
	TTY      bool
}

// Run evaluates the model on the problems of specs.
func Run(ctx context.Context, specs []*compiler.Spec, o Options) (*Report, error) {
	if o.Model == "" {
		o.Model = "default"
	}
	if o.Batch <= 0 {
		o.Batch = 16
	}
	if o.MaxTokens < 1 {
		return nil, fmt.Errorf("max tokens %d: want at least 1", o.MaxTokens)
	}
	if o.Temperature < 0 || o.TopP < 0 || o.TopP > 1 || o.TopK < 0 {
		return nil, errors.New("temperature must be >= 0, top-p in 0..1, top-k >= 0")
	}
	probs, err := Problems(specs, o.PerFamily, o.Seed)
	if err != nil {
		return nil, err
	}
	if len(probs) == 0 {
		return nil, errors.New("no samples or families to evaluate")
	}
	src, err := run.OpenSource(o.Model)
	if err != nil {
		return nil, err
	}
	m, err := src.Load()
	if err != nil {
		return nil, err
	}
	results, err := Generate(ctx, m, src.Tok, probs, o)
	if err != nil {
		return nil, err
	}
	rep := newReport(src.Name, o, specs, results)
	return rep, nil
}

// Generate renders, generates and grades every problem, in order.
func Generate(ctx context.Context, m *model.Model, tok *tokenizer.Tokenizer, probs []Problem, o Options) ([]Result, error) {
	prompts := make([][]int32, len(probs))
	for i, p := range probs {
		_, ids, err := run.RenderPrompt(tok, p.Sample.System, p.Sample.Prompt)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p.Spec, p.Sample.ID, err)
		}
		if limit := m.Config.MaxPositionEmbeddings; len(ids)+o.MaxTokens > limit {
			return nil, fmt.Errorf("%s: %s: the prompt has %d tokens; with max tokens %d it exceeds the model's context of %d", p.Spec, p.Sample.ID, len(ids), o.MaxTokens, limit)
		}
		prompts[i] = ids
	}
	opt := sample.Options{Temperature: o.Temperature, TopP: o.TopP, TopK: o.TopK, MaxTokens: o.MaxTokens, StopIDs: tok.StopIDs()}
	if opt.TopP == 0 {
		opt.TopP = 1
	}
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x6576616c)) // "eval"
	prog := newProgress(o.Progress, o.TTY, len(probs))
	defer prog.finish()
	out := make([]Result, len(probs))
	correct := 0
	for start := 0; start < len(probs); start += o.Batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+o.Batch, len(probs))
		comps, err := sample.Generate(m, tok, prompts[start:end], opt, rng)
		if err != nil {
			return nil, fmt.Errorf("problems %d..%d: %w", start+1, end, err)
		}
		for j, c := range comps {
			p := probs[start+j]
			g := p.Sample.Grade(c.Text)
			r := Result{
				Spec: p.Spec, Group: p.Group, Kind: p.Kind, ID: p.Sample.ID,
				Disciplines: p.Sample.Disciplines, PromptTokens: len(prompts[start+j]),
				Completion: c.Text, Tokens: len(c.Tokens), Finish: c.Finish,
				Reward: g.Reward, Correct: g.Correct(), Boxed: g.Method == "boxed" || g.Method == "fbox",
				Extracted: g.Extracted, Gold: p.Sample.GroundTruth, Reason: g.Reason,
			}
			if r.Correct {
				correct++
			}
			out[start+j] = r
		}
		prog.update(end, correct)
	}
	return out, nil
}

// Result is one graded problem.
type Result struct {
	Spec         string   `json:"spec"`
	Group        string   `json:"group"`
	Kind         string   `json:"kind"`
	ID           string   `json:"id"`
	Disciplines  []string `json:"disciplines"`
	PromptTokens int      `json:"prompt_tokens"`
	Completion   string   `json:"completion"`
	Tokens       int      `json:"tokens"`
	Finish       string   `json:"finish"`
	Reward       float64  `json:"reward"`
	Correct      bool     `json:"correct"`
	Boxed        bool     `json:"boxed"`
	Extracted    string   `json:"extracted"`
	Gold         string   `json:"gold"`
	Reason       string   `json:"reason,omitempty"`
}

// now is time.Now (a variable for tests).
var now = time.Now
