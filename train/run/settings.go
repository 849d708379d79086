package run

import (
	"fmt"
	"sort"
	"strings"

	"github.com/polylearn/poly/train/grpo"
)

// Settings are the run's hyper-parameters beyond grpo.Config.
type Settings struct {
	Steps       int  `json:"steps"`         // total GRPO steps
	SaveEvery   int  `json:"save_every"`    // checkpoint every N steps (and at the end)
	Keep        int  `json:"keep"`          // checkpoints kept
	SampleEvery int  `json:"sample_every"`  // completions logged to samples.jsonl every N steps
	Random      bool `json:"random_reward"` // spurious-reward control
}

// DefaultSettings returns the defaults: 20 steps, a checkpoint every step
// (so a kill loses at most one step), the last 3 kept, samples every 5.
func DefaultSettings() Settings {
	return Settings{Steps: 20, SaveEvery: 1, Keep: 3, SampleEvery: 5}
}

// keyKind is the value type of a setting.
type keyKind int

const (
	kInt keyKind = iota
	kFloat
	kString
	kBool
)

// setter applies one setting.
type setter struct {
	kind keyKind
	doc  string
	set  func(c *grpo.Config, s *Settings, v any) error
}

func intv(v any) int       { return v.(int) }
func floatv(v any) float64 { return v.(float64) }

// Keys are the names shared by `train {}` blocks and the poly train flags
// (flags use dashes: max_tokens is --max-tokens).
var Keys = map[string]setter{
	"steps":       {kInt, "GRPO steps", func(c *grpo.Config, s *Settings, v any) error { s.Steps = intv(v); c.TotalSteps = s.Steps; return nil }},
	"rollouts":    {kInt, "completions per prompt (group size)", func(c *grpo.Config, s *Settings, v any) error { c.Rollouts = intv(v); return nil }},
	"prompts":     {kInt, "copies of the sample per step", func(c *grpo.Config, s *Settings, v any) error { c.Prompts = intv(v); return nil }},
	"lr":          {kFloat, "peak learning rate", func(c *grpo.Config, s *Settings, v any) error { c.LR = floatv(v); return nil }},
	"temperature": {kFloat, "sampling temperature", func(c *grpo.Config, s *Settings, v any) error { c.Sampling.Temperature = floatv(v); return nil }},
	"top_p":       {kFloat, "nucleus sampling threshold", func(c *grpo.Config, s *Settings, v any) error { c.Sampling.TopP = floatv(v); return nil }},
	"top_k":       {kInt, "top-k sampling (0: off)", func(c *grpo.Config, s *Settings, v any) error { c.Sampling.TopK = intv(v); return nil }},
	"max_tokens": {kInt, "completion length budget", func(c *grpo.Config, s *Settings, v any) error {
		c.Sampling.MaxTokens = intv(v)
		c.Loss.MaxTokens = intv(v)
		return nil
	}},
	"kl_coef":      {kFloat, "KL coefficient (k3); 0 disables the reference", func(c *grpo.Config, s *Settings, v any) error { c.Loss.Beta = floatv(v); return nil }},
	"entropy_coef": {kFloat, "entropy bonus coefficient", func(c *grpo.Config, s *Settings, v any) error { c.Loss.EntropyCoef = floatv(v); return nil }},
	"epsilon": {kFloat, "clip range (low and high)", func(c *grpo.Config, s *Settings, v any) error {
		c.Loss.EpsLow, c.Loss.EpsHigh = floatv(v), floatv(v)
		return nil
	}},
	"epsilon_low":   {kFloat, "clip range below 1", func(c *grpo.Config, s *Settings, v any) error { c.Loss.EpsLow = floatv(v); return nil }},
	"epsilon_high":  {kFloat, "clip range above 1 (0.28: DAPO clip-higher)", func(c *grpo.Config, s *Settings, v any) error { c.Loss.EpsHigh = floatv(v); return nil }},
	"loss_agg":      {kString, "token-mean | seq-mean-token-mean | seq-mean-token-sum | seq-mean-token-sum-norm", func(c *grpo.Config, s *Settings, v any) error { c.Loss.Agg = v.(string); return nil }},
	"scale_rewards": {kBool, "divide advantages by the group std (false: Dr. GRPO)", func(c *grpo.Config, s *Settings, v any) error { c.ScaleRewards = v.(bool); return nil }},
	"epochs":        {kInt, "optimisation epochs per batch", func(c *grpo.Config, s *Settings, v any) error { c.Epochs = intv(v); return nil }},
	"micro_batch":   {kInt, "sequences per forward/backward (0: all)", func(c *grpo.Config, s *Settings, v any) error { c.MicroBatch = intv(v); return nil }},
	"warmup_steps":  {kInt, "linear lr warm-up steps", func(c *grpo.Config, s *Settings, v any) error { c.Warmup = intv(v); return nil }},
	"lr_schedule":   {kString, "constant | cosine", func(c *grpo.Config, s *Settings, v any) error { c.Schedule = v.(string); return nil }},
	"min_lr_ratio":  {kFloat, "cosine floor as a fraction of lr", func(c *grpo.Config, s *Settings, v any) error { c.MinLRRatio = floatv(v); return nil }},
	"weight_decay":  {kFloat, "AdamW weight decay", func(c *grpo.Config, s *Settings, v any) error { c.WeightDecay = floatv(v); return nil }},
	"grad_clip":     {kFloat, "max gradient norm (0: off)", func(c *grpo.Config, s *Settings, v any) error { c.GradClip = floatv(v); return nil }},
	"seed":          {kInt, "seed of sampling and the random reward", func(c *grpo.Config, s *Settings, v any) error { c.Seed = uint64(intv(v)); return nil }},
	"reward": {kString, "spec | random", func(c *grpo.Config, s *Settings, v any) error {
		switch v.(string) {
		case "spec":
			s.Random = false
		case "random":
			s.Random = true
		default:
			return fmt.Errorf("want spec or random, got %q", v)
		}
		c.RandomReward = s.Random
		return nil
	}},
	"save_every":   {kInt, "checkpoint every N steps", func(c *grpo.Config, s *Settings, v any) error { s.SaveEvery = intv(v); return nil }},
	"keep":         {kInt, "checkpoints kept", func(c *grpo.Config, s *Settings, v any) error { s.Keep = intv(v); return nil }},
	"sample_every": {kInt, "log completions every N steps", func(c *grpo.Config, s *Settings, v any) error { s.SampleEvery = intv(v); return nil }},
}

// KeyNames returns the known setting names, sorted.
func KeyNames() []string {
	var out []string
	for k := range Keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Apply sets the named values (from a train {} block, whose numbers are
// float64, or from flags) on c and s. Unknown names and values of the
// wrong type are errors naming the key; from names where they came from.
func Apply(c *grpo.Config, s *Settings, values map[string]any, from string) error {
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := values[k]
		st, ok := Keys[k]
		if !ok {
			return fmt.Errorf("%s: unknown setting %q (known: %s)", from, k, strings.Join(KeyNames(), ", "))
		}
		var err error
		switch st.kind {
		case kInt:
			switch x := v.(type) {
			case int:
			case float64:
				if x != float64(int(x)) {
					err = fmt.Errorf("want a whole number, got %v", x)
				}
				v = int(x)
			default:
				err = fmt.Errorf("want a number, got %v", v)
			}
		case kFloat:
			switch x := v.(type) {
			case int:
				v = float64(x)
			case float64:
			default:
				err = fmt.Errorf("want a number, got %v", v)
			}
		case kString:
			if _, ok := v.(string); !ok {
				err = fmt.Errorf("want a string, got %v", v)
			}
		case kBool:
			if _, ok := v.(bool); !ok {
				err = fmt.Errorf("want true or false, got %v", v)
			}
		}
		if err == nil {
			err = st.set(c, s, v)
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %v", from, k, err)
		}
	}
	return nil
}
