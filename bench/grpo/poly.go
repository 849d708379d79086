package main

import (
	"fmt"
	"time"

	"github.com/polylearn/poly/train/grpo"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// settings are the hyper-parameters both trainers run with.
type settings struct {
	Rollouts    int     `json:"rollouts"`
	MaxTokens   int     `json:"max_tokens"`
	Temperature float64 `json:"temperature"`
	LR          float64 `json:"lr"`
	Beta        float64 `json:"beta"`
	Epsilon     float64 `json:"epsilon"`
	WeightDecay float64 `json:"weight_decay"`
	GradClip    float64 `json:"grad_clip"`
	Warmup      int     `json:"warmup_steps"` // untimed steps first
	Steps       int     `json:"steps"`        // timed steps
	Seed        uint64  `json:"seed"`
}

// stepTime is one timed GRPO step of either side.
type stepTime struct {
	Step    float64 `json:"step"`    // the whole step, seconds
	CPU     float64 `json:"cpu"`     // CPU seconds (user + system, all threads) of the step
	Rollout float64 `json:"rollout"` // generation, reward and reference log-probabilities
	Update  float64 `json:"update"`  // policy forward, backward, clipping, AdamW
	Tokens  int     `json:"tokens"`  // completion tokens generated
	MinLen  int     `json:"min_len"` // shortest completion
	MaxLen  int     `json:"max_len"` // longest completion
	Reward  float64 `json:"reward"`  // mean reward
	Loss    float64 `json:"loss"`
}

// polyConfig is grpo's configuration for s: TRL's GRPO loss defaults
// (token-mean aggregation, which TRL calls "dapo"; group-scaled
// advantages; ε 0.2 both sides; one iteration), constant learning rate.
func polyConfig(s settings) grpo.Config {
	c := grpo.DefaultConfig()
	c.Rollouts, c.Prompts = s.Rollouts, 1
	c.Sampling.Temperature, c.Sampling.TopP, c.Sampling.TopK = s.Temperature, 1, 0
	c.Sampling.MaxTokens = s.MaxTokens
	c.Loss.Beta = s.Beta
	c.Loss.EpsLow, c.Loss.EpsHigh = s.Epsilon, s.Epsilon
	c.Loss.EntropyCoef = 0
	c.Loss.Agg = grpo.AggTokenMean
	c.Loss.MaxTokens = s.MaxTokens
	c.ScaleRewards = true
	c.Epochs, c.MicroBatch = 1, 0
	c.LR, c.Warmup, c.Schedule = s.LR, 0, "constant"
	c.WeightDecay, c.GradClip = s.WeightDecay, s.GradClip
	c.Seed = s.Seed
	c.TotalSteps = s.Warmup + s.Steps
	return c
}

// polyRunner is poly's GRPO trainer on the benchmark checkpoint.
type polyRunner struct {
	tr  *grpo.Trainer
	ids []int32
}

// newPoly loads the checkpoint in dir (the files TRL loads too) into a
// poly GRPO trainer for the prompt ids.
func newPoly(dir string, ids []int32, s settings) (*polyRunner, error) {
	m, err := model.Load(dir)
	if err != nil {
		return nil, err
	}
	tok, err := tokenizer.Load(dir)
	if err != nil {
		return nil, err
	}
	reward := func(c string) (float64, grpo.RewardInfo) { return digitReward(c), grpo.RewardInfo{FormatOK: true} }
	tr, err := grpo.New(polyConfig(s), m, nil, tok, reward)
	if err != nil {
		return nil, err
	}
	return &polyRunner{tr: tr, ids: ids}, nil
}

// run runs warmup untimed then n timed GRPO steps.
func (p *polyRunner) run(warmup, n int) ([]stepTime, error) {
	var out []stepTime
	for i := 0; i < warmup+n; i++ {
		t0, c0 := time.Now(), cpuSeconds()
		met, _, err := p.tr.TrainStep(p.ids)
		wall, cpu := time.Since(t0).Seconds(), cpuSeconds()-c0
		if err != nil {
			return nil, fmt.Errorf("poly step %d: %w", p.tr.Step+1, err)
		}
		if i < warmup {
			continue
		}
		out = append(out, stepTime{Step: wall, CPU: cpu, Rollout: met.TimeRollout + met.TimeReward + met.TimeRef, Update: met.TimeUpdate,
			Tokens: met.Tokens, MinLen: int(met.MinLength), MaxLen: int(met.MaxLength), Reward: met.Reward, Loss: met.Loss})
	}
	return out, nil
}
