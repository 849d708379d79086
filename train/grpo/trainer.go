package grpo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
	"github.com/polylearn/poly/train/sample"
	"github.com/polylearn/poly/train/tokenizer"
)

// RewardInfo describes how a completion was graded.
type RewardInfo struct {
	Reason    string `json:"reason,omitempty"`    // why it is wrong; "" when right
	Extracted string `json:"extracted,omitempty"` // the answer taken from the completion
	FormatOK  bool   `json:"format_ok"`           // the answer was in the expected format
}

// RewardFunc scores one completion.
type RewardFunc func(completion string) (float64, RewardInfo)

// Config holds the hyper-parameters of a GRPO run.
type Config struct {
	Rollouts     int            `json:"rollouts"`      // completions per prompt (group size); default 8
	Prompts      int            `json:"prompts"`       // copies of the sample per step; default 1
	Sampling     sample.Options `json:"sampling"`      // temperature, top-p, top-k, max tokens, stop strings
	Loss         LossConfig     `json:"loss"`          // clip, KL, entropy, aggregation
	ScaleRewards bool           `json:"scale_rewards"` // divide advantages by the group std (false: Dr. GRPO)
	Epochs       int            `json:"epochs"`        // optimisation epochs per batch; default 1
	MicroBatch   int            `json:"micro_batch"`   // sequences per forward/backward (0: all)
	RandomReward bool           `json:"random_reward"` // spurious-reward control: reward ~ Bernoulli(1/2), seeded
	Seed         uint64         `json:"seed"`
	LR           float64        `json:"lr"`           // peak learning rate
	Warmup       int            `json:"warmup_steps"` // warm-up steps
	Schedule     string         `json:"lr_schedule"`  // "constant" or "cosine"
	MinLRRatio   float64        `json:"min_lr_ratio"` // cosine floor as a fraction of LR
	TotalSteps   int            `json:"total_steps"`  // for the cosine schedule
	WeightDecay  float64        `json:"weight_decay"`
	GradClip     float64        `json:"grad_clip"` // max global gradient norm (0: none)
}

// DefaultConfig returns the one-shot RLVR recipe's settings, scaled to a
// CPU run.
func DefaultConfig() Config {
	return Config{
		Rollouts: 8, Prompts: 1,
		Sampling:     sample.Options{Temperature: 1, TopP: 1, MaxTokens: 128},
		Loss:         LossConfig{EpsLow: 0.2, EpsHigh: 0.2, Beta: 0.001, EntropyCoef: 0, Agg: AggTokenMean, MaxTokens: 128},
		ScaleRewards: true, Epochs: 1, Seed: 1,
		LR: 1e-5, Schedule: "constant", WeightDecay: 0.01, GradClip: 1.0, TotalSteps: 100,
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.Rollouts < 1 {
		errs = append(errs, fmt.Errorf("rollouts %d: want at least 1", c.Rollouts))
	}
	if c.Prompts < 1 {
		errs = append(errs, fmt.Errorf("prompts per step %d: want at least 1", c.Prompts))
	}
	if c.Epochs < 1 {
		errs = append(errs, fmt.Errorf("epochs %d: want at least 1", c.Epochs))
	}
	if c.Sampling.MaxTokens < 1 {
		errs = append(errs, fmt.Errorf("max tokens %d: want at least 1", c.Sampling.MaxTokens))
	}
	if c.Sampling.Temperature < 0 {
		errs = append(errs, fmt.Errorf("temperature %v is negative", c.Sampling.Temperature))
	}
	if c.Sampling.TopP < 0 || c.Sampling.TopP > 1 {
		errs = append(errs, fmt.Errorf("top-p %v: want 0..1", c.Sampling.TopP))
	}
	if !(c.LR >= 0) || math.IsInf(c.LR, 0) {
		errs = append(errs, fmt.Errorf("learning rate %v: want a finite value >= 0", c.LR))
	}
	if c.Schedule != "constant" && c.Schedule != "cosine" {
		errs = append(errs, fmt.Errorf("lr schedule %q: want constant or cosine", c.Schedule))
	}
	if c.Loss.Agg == AggSeqMeanTokenSumNorm && c.Loss.MaxTokens == 0 {
		c.Loss.MaxTokens = c.Sampling.MaxTokens
	}
	if err := c.Loss.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Trainer runs GRPO steps on a policy model.
type Trainer struct {
	Cfg    Config
	Policy *model.Model
	Ref    *model.Model // frozen reference; nil when Loss.Beta is 0
	Tok    *tokenizer.Tokenizer
	Opt    *optim.AdamW
	RNG    *rand.PCG // sampling generator (saved in checkpoints)
	Reward RewardFunc
	Step   int // completed steps

	// observe, when set (tests), sees every micro-batch of every epoch
	// after its policy forward, with the policy log-probabilities.
	observe func(epoch int, u *microBatch, logp []float32)
}

// microBatch is one forward/backward unit of a step: sequences lo..hi-1
// of the step's rollouts, the reference and "old" log-probabilities of its
// positions, and the sampler's log-probability of each completion token.
type microBatch struct {
	lo, hi  int
	batch   model.Batch
	ref     []float32
	old     []float32
	sampled [][]float32
}

// New returns a trainer. ref is the frozen reference model for the KL
// term: nil means a copy of policy made now; it is dropped when Beta is 0.
// reward may be nil only with RandomReward; with RandomReward a non-nil
// reward is still computed and logged (rewards/spec/mean), not trained on.
func New(cfg Config, policy, ref *model.Model, tok *tokenizer.Tokenizer, reward RewardFunc) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if reward == nil && !cfg.RandomReward {
		return nil, errors.New("grpo: no reward function")
	}
	t := &Trainer{Cfg: cfg, Policy: policy, Tok: tok, Reward: reward,
		RNG: rand.NewPCG(cfg.Seed, 0x5eed_0f_9a3e)}
	t.Opt = NewAdamW(policy, cfg.WeightDecay)
	if cfg.Loss.Beta != 0 {
		if ref == nil {
			var err error
			if ref, err = Clone(policy); err != nil {
				return nil, err
			}
		}
		t.Ref = ref
	}
	return t, nil
}

// Clone returns an independent copy of m's weights.
func Clone(m *model.Model) (*model.Model, error) {
	c, err := model.New(m.Config, 0)
	if err != nil {
		return nil, err
	}
	copy(c.Params, m.Params)
	return c, nil
}

// Rollout is one graded completion of a step.
type Rollout struct {
	Text      string     `json:"completion"`
	Reward    float64    `json:"reward"`
	Advantage float64    `json:"advantage"`
	Tokens    int        `json:"tokens"`
	Finish    string     `json:"finish"`
	Info      RewardInfo `json:"info"`
}

// Metrics are one step's log line, with TRL's names.
type Metrics struct {
	Step              int     `json:"step"`
	Reward            float64 `json:"reward"`
	RewardStd         float64 `json:"reward_std"`
	FracRewardZeroStd float64 `json:"frac_reward_zero_std"`
	ZeroStdGroups     int     `json:"zero_std_groups"`
	SpecReward        float64 `json:"rewards/spec/mean"` // the checker's reward, also under the random-reward control
	FormatOK          float64 `json:"rewards/format_ok/mean"`
	MeanLength        float64 `json:"completions/mean_length"`
	MinLength         float64 `json:"completions/min_length"`
	MaxLength         float64 `json:"completions/max_length"`
	ClippedRatio      float64 `json:"completions/clipped_ratio"`
	Loss              float64 `json:"loss"`
	KL                float64 `json:"kl"`
	Entropy           float64 `json:"entropy"`
	ClipRatio         float64 `json:"clip_ratio"`
	ClipLow           float64 `json:"clip_ratio/low_mean"`
	ClipHigh          float64 `json:"clip_ratio/high_mean"`
	// |old - sampler| log-probability of the completion tokens (first
	// epoch), TRL's names: the two forwards (KV cache and training) agree
	// to float rounding at the same temperature; with top-p < 1 or
	// top-k > 0 the sampler renormalises over the kept tokens, so the
	// difference is then expected. Zero under greedy sampling.
	SamplingLogpDiffMean float64 `json:"sampling/sampling_logp_difference/mean"`
	SamplingLogpDiffMax  float64 `json:"sampling/sampling_logp_difference/max"`
	GradNorm             float64 `json:"grad_norm"`
	LR                   float64 `json:"lr"`
	Tokens               int     `json:"num_tokens"`
	TokensPerSec         float64 `json:"tokens_per_second"`
	TimeRollout          float64 `json:"time/rollout"`
	TimeReward           float64 `json:"time/reward"`
	TimeRef              float64 `json:"time/ref"`
	TimeUpdate           float64 `json:"time/update"`
	TimeStep             float64 `json:"time/step"`
}

// NonFiniteError reports NaN or Inf in the loss or the gradients.
type NonFiniteError struct {
	Step int
	What string
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("step %d: %s (training stopped; the last checkpoint is intact)", e.Step, e.What)
}

// randomReward is the spurious-reward control: a fair coin per rollout,
// a pure function of (seed, step, index) so that it needs no saved state.
func randomReward(seed uint64, step, i int) float64 {
	r := rand.New(rand.NewPCG(seed^0x7a4d0_5eed, uint64(step)<<20|uint64(i)))
	if r.IntN(2) == 1 {
		return 1
	}
	return 0
}

// TrainStep runs one GRPO step on prompt (token ids of the rendered chat
// prompt): rollouts, rewards, advantages, Epochs updates. On a non-finite
// loss or gradient it returns a *NonFiniteError before the weights change.
func (t *Trainer) TrainStep(prompt []int32) (Metrics, []Rollout, error) {
	cfg := &t.Cfg
	step := t.Step + 1
	met := Metrics{Step: step}
	tStep := time.Now()
	P := cfg.Prompts * cfg.Rollouts
	prompts := make([][]int32, P)
	for i := range prompts {
		prompts[i] = prompt
	}
	opt := cfg.Sampling
	opt.StopIDs = t.Tok.StopIDs()
	t0 := time.Now()
	comps, err := sample.Generate(t.Policy, t.Tok, prompts, opt, rand.New(t.RNG))
	if err != nil {
		var nf *sample.NonFiniteError
		if errors.As(err, &nf) {
			return met, nil, &NonFiniteError{step, err.Error()}
		}
		return met, nil, fmt.Errorf("step %d: sampling: %w", step, err)
	}
	met.TimeRollout = time.Since(t0).Seconds()

	t0 = time.Now()
	rewards := make([]float64, P)
	rolls := make([]Rollout, P)
	for i, c := range comps {
		var info RewardInfo
		var spec float64
		if t.Reward != nil {
			spec, info = t.Reward(c.Text)
		}
		if cfg.RandomReward {
			rewards[i] = randomReward(cfg.Seed, step, i)
		} else {
			rewards[i] = spec
		}
		met.SpecReward += spec / float64(P)
		if bad := rewards[i] + spec; math.IsNaN(bad) || math.IsInf(bad, 0) {
			return met, nil, &NonFiniteError{step, fmt.Sprintf("reward of rollout %d is %v", i, spec)}
		}
		rolls[i] = Rollout{Text: c.Text, Reward: rewards[i], Tokens: len(c.Tokens), Finish: c.Finish, Info: info}
		if info.FormatOK {
			met.FormatOK++
		}
	}
	met.FormatOK /= float64(P)
	met.TimeReward = time.Since(t0).Seconds()
	adv, st := Advantages(rewards, cfg.Rollouts, cfg.ScaleRewards)
	met.Reward, met.RewardStd = st.Mean, st.MeanGroupStd
	met.ZeroStdGroups = st.ZeroStdGroups
	met.FracRewardZeroStd = float64(st.ZeroStdGroups) / float64(st.Groups)

	// The training batch: prompt + completion, right-padded.
	L := len(prompt)
	lens := make([]int, P)
	maxLen := 0
	met.MinLength = math.Inf(1)
	for i, c := range comps {
		rolls[i].Advantage = adv[i]
		lens[i] = len(c.Tokens)
		maxLen = max(maxLen, lens[i])
		met.Tokens += lens[i]
		met.MinLength = math.Min(met.MinLength, float64(lens[i]))
		met.MaxLength = math.Max(met.MaxLength, float64(lens[i]))
		if c.Finish == sample.FinishLength {
			met.ClippedRatio++
		}
	}
	met.MeanLength = float64(met.Tokens) / float64(P)
	met.ClippedRatio /= float64(P)
	T := L + maxLen
	weights := cfg.Loss.SeqWeights(lens)
	mb := cfg.MicroBatch
	if mb <= 0 || mb > P {
		mb = P
	}
	// The policy, old and reference log-probabilities are all of the
	// distribution sampled from: the logits divided by the sampling
	// temperature (TRL's GRPOTrainer installs its fused LM head with
	// temperature=self.temperature for the policy and the reference model,
	// trl/trainer/utils.py selective_log_softmax; verl's dp_actor divides
	// with logits.div_(temperature) in _forward_micro_batch, used for the
	// actor, old and ref log-probs). Greedy sampling (0) trains at 1.
	temp := float32(cfg.Sampling.Temperature)
	var mbs []*microBatch
	for lo := 0; lo < P; lo += mb {
		hi := min(P, lo+mb)
		B := hi - lo
		u := &microBatch{lo: lo, hi: hi, batch: model.Batch{B: B, T: T, Tokens: make([]int32, B*T), Mask: make([]bool, B*T), Temperature: temp}}
		for b := 0; b < B; b++ {
			u.sampled = append(u.sampled, comps[lo+b].Logprobs)
			row := u.batch.Tokens[b*T : (b+1)*T]
			copy(row, prompt)
			copy(row[L:], comps[lo+b].Tokens)
			for k := L + lens[lo+b]; k < T; k++ {
				row[k] = prompt[0] // padding: any valid id
			}
			for k := 0; k < lens[lo+b]; k++ {
				u.batch.Mask[b*T+L-1+k] = true
			}
		}
		mbs = append(mbs, u)
	}
	if t.Ref != nil {
		t0 = time.Now()
		for _, u := range mbs {
			lp, _, err := t.Ref.ForwardLogProbs(&u.batch)
			if err != nil {
				return met, nil, fmt.Errorf("step %d: reference forward: %w", step, err)
			}
			u.ref = append([]float32(nil), lp...)
		}
		met.TimeRef = time.Since(t0).Seconds()
	}

	t0 = time.Now()
	lr := LR(cfg.LR, step-1, cfg.TotalSteps, cfg.Warmup, cfg.Schedule, cfg.MinLRRatio)
	met.LR = lr
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		t.Policy.ZeroGrad()
		var loss, kl, ent, clipLow, clipHigh, lpDiff, lpDiffMax float64
		ntok := 0
		for _, u := range mbs {
			logp, entropy, err := t.Policy.ForwardLogProbs(&u.batch)
			if err != nil {
				return met, nil, fmt.Errorf("step %d: forward: %w", step, err)
			}
			if epoch == 0 && cfg.Epochs > 1 {
				u.old = append([]float32(nil), logp...)
			}
			if t.observe != nil {
				t.observe(epoch, u, logp)
			}
			dLogp := make([]float32, len(logp))
			dEnt := make([]float32, len(logp))
			for b := 0; b < u.hi-u.lo; b++ {
				w := weights[u.lo+b]
				a := adv[u.lo+b]
				for k := 0; k < lens[u.lo+b]; k++ {
					n := b*T + L - 1 + k
					old := float64(logp[n])
					if u.old != nil {
						old = float64(u.old[n])
					}
					if epoch == 0 && cfg.Sampling.Temperature > 0 {
						d := math.Abs(old - float64(u.sampled[b][k]))
						lpDiff += d
						lpDiffMax = math.Max(lpDiffMax, d)
					}
					ref := 0.0
					if u.ref != nil {
						ref = float64(u.ref[n])
					}
					tt := cfg.Loss.Token(float64(logp[n]), old, ref, float64(entropy[n]), a)
					dLogp[n] = float32(w * tt.DLogp)
					dEnt[n] = float32(w * tt.DEntropy)
					loss += w * tt.Loss
					kl += tt.KL
					ent += float64(entropy[n])
					if tt.LowClipped {
						clipLow++
					}
					if tt.HiClipped {
						clipHigh++
					}
					ntok++
				}
			}
			if err := t.Policy.Backward(dLogp, dEnt); err != nil {
				return met, nil, fmt.Errorf("step %d: backward: %w", step, err)
			}
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return met, nil, &NonFiniteError{step, fmt.Sprintf("loss is %v", loss)}
		}
		// A NaN or Inf anywhere in the gradients makes the norm non-finite;
		// only then is the tensor looked for, to name it.
		gn := optim.ClipGradNorm(t.Policy.Grads, cfg.GradClip)
		if math.IsNaN(gn) || math.IsInf(gn, 0) {
			what := fmt.Sprintf("gradient norm is %v", gn)
			if err := t.Policy.CheckFinite(true); err != nil {
				what = err.Error()
			}
			return met, nil, &NonFiniteError{step, what}
		}
		if err := t.Opt.Update(t.Policy.Params, t.Policy.Grads, lr); err != nil {
			return met, nil, fmt.Errorf("step %d: %w", step, err)
		}
		e := float64(cfg.Epochs)
		nt := math.Max(1, float64(ntok))
		met.Loss += loss / e
		met.KL += kl / nt / e
		met.Entropy += ent / nt / e
		met.ClipLow += clipLow / nt / e
		met.ClipHigh += clipHigh / nt / e
		met.GradNorm += gn / e
		if epoch == 0 {
			met.SamplingLogpDiffMean = lpDiff / nt
			met.SamplingLogpDiffMax = lpDiffMax
		}
	}
	met.ClipRatio = met.ClipLow + met.ClipHigh
	met.TimeUpdate = time.Since(t0).Seconds()
	met.TimeStep = time.Since(tStep).Seconds()
	met.TokensPerSec = float64(met.Tokens) / math.Max(met.TimeStep, 1e-9)
	t.Step = step
	return met, rolls, nil
}
