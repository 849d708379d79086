package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/watch"
	"github.com/polylearn/poly/train/grpo"
	"github.com/polylearn/poly/train/run"
)

// TrainCmd is `poly train`: GRPO on one sample of a spec. Hyper-parameters
// come from the defaults, then the spec's train {} block (same names with
// underscores: max_tokens, kl_coef, ...), then the flags given.
//
// Exit codes: 0 done; 1 bad spec, flags or a training error (NaN/Inf
// stops the run naming the step, the last checkpoint intact); 2 the tool
// failed; 130 after SIGINT and 143 after SIGTERM, once the step in flight
// has finished and a checkpoint has been written (a second signal quits
// at once, without a checkpoint).
type TrainCmd struct {
	Spec   string `arg:"" help:"The .poly spec to train on." type:"path"`
	Sample string `help:"Which sample of the spec (default: the first)." placeholder:"ID"`
	Model  string `help:"HF model directory (config.json, *.safetensors, tokenizer.json) or 'default' (the embedded tiny model). Default: default, or the run's model on --resume." placeholder:"DIR|default"`
	Out    string `help:"Run folder (metrics.jsonl, samples.jsonl, checkpoints/). Default: runs/<spec name>." placeholder:"DIR"`
	Resume bool   `help:"Continue from the newest complete checkpoint in --out (hyper-parameters are the run's; --steps may extend it)."`

	Steps       *int     `help:"GRPO steps (default 20)."`
	Rollouts    *int     `help:"Completions per prompt, the group size (default 8)."`
	Prompts     *int     `help:"Copies of the sample per step (default 1)."`
	LR          *float64 `name:"lr" help:"Peak learning rate (default 1e-5)."`
	Seed        *int     `help:"Seed of sampling and of the random reward (default 1)."`
	Reward      *string  `help:"spec (the spec's checker) or random (the spurious-reward control)."`
	Temperature *float64 `help:"Sampling temperature (default 1)."`
	TopP        *float64 `name:"top-p" help:"Nucleus sampling threshold (default 1: off)."`
	TopK        *int     `name:"top-k" help:"Top-k sampling (default 0: off)."`
	MaxTokens   *int     `help:"Completion length budget in tokens (default 128)."`
	KLCoef      *float64 `name:"kl-coef" help:"KL coefficient, k3 estimator (default 0.001; 0 frees the reference model)."`
	EntropyCoef *float64 `help:"Entropy bonus coefficient (default 0)."`
	EpsilonLow  *float64 `help:"Clip range below 1 (default 0.2)."`
	EpsilonHigh *float64 `help:"Clip range above 1 (default 0.2; 0.28 is DAPO's clip-higher)."`
	LossAgg     *string  `help:"token-mean | seq-mean-token-mean | seq-mean-token-sum | seq-mean-token-sum-norm (default token-mean)."`
	NoScale     bool     `name:"no-scale-rewards" help:"Do not divide advantages by the group std (Dr. GRPO)."`
	Epochs      *int     `help:"Optimisation epochs per batch (default 1)."`
	MicroBatch  *int     `help:"Sequences per forward/backward (default 0: all)."`
	WarmupSteps *int     `help:"Linear learning-rate warm-up steps (default 0)."`
	LRSchedule  *string  `name:"lr-schedule" help:"constant | cosine (default constant)."`
	WeightDecay *float64 `help:"AdamW weight decay (default 0.01)."`
	GradClip    *float64 `help:"Max global gradient norm (default 1.0; 0: off)."`
	SaveEvery   *int     `help:"Checkpoint every N steps (default 1: a kill loses at most one step)."`
	Keep        *int     `help:"Checkpoints kept (default 3)."`
	SampleEvery *int     `help:"Log completions to samples.jsonl every N steps (default 5)."`
	NoProgress  bool     `help:"Plain progress lines even on a terminal."`
	Watch       bool     `help:"Recompile the spec when a .poly file in its directory is saved and swap the sample between steps, keeping the model; a broken save prints its diagnostics and training continues on the last good sample."`
}

// overrides collects the flags that were given, by setting name.
func (c *TrainCmd) overrides() map[string]any {
	o := map[string]any{}
	put := func(name string, v any) {
		switch x := v.(type) {
		case *int:
			if x != nil {
				o[name] = *x
			}
		case *float64:
			if x != nil {
				o[name] = *x
			}
		case *string:
			if x != nil && *x != "" {
				o[name] = *x
			}
		}
	}
	put("steps", c.Steps)
	put("rollouts", c.Rollouts)
	put("prompts", c.Prompts)
	put("lr", c.LR)
	put("seed", c.Seed)
	put("reward", c.Reward)
	put("temperature", c.Temperature)
	put("top_p", c.TopP)
	put("top_k", c.TopK)
	put("max_tokens", c.MaxTokens)
	put("kl_coef", c.KLCoef)
	put("entropy_coef", c.EntropyCoef)
	put("epsilon_low", c.EpsilonLow)
	put("epsilon_high", c.EpsilonHigh)
	put("loss_agg", c.LossAgg)
	put("epochs", c.Epochs)
	put("micro_batch", c.MicroBatch)
	put("warmup_steps", c.WarmupSteps)
	put("lr_schedule", c.LRSchedule)
	put("weight_decay", c.WeightDecay)
	put("grad_clip", c.GradClip)
	put("save_every", c.SaveEvery)
	put("keep", c.Keep)
	put("sample_every", c.SampleEvery)
	if c.NoScale {
		o["scale_rewards"] = false
	}
	return o
}

// Run runs the command.
func (c *TrainCmd) Run() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var got os.Signal
	go func() {
		s, ok := <-sigs
		if !ok {
			return
		}
		got = s
		fmt.Fprintf(os.Stderr, "\npoly train: %v: finishing the current step and writing a checkpoint (again to quit now)\n", s)
		cancel()
		if s2, ok := <-sigs; ok {
			os.Exit(signalExit(s2))
		}
	}()
	err := c.run(ctx, os.Stderr, isatty.IsTerminal(os.Stderr.Fd()) && !c.NoProgress)
	if errors.Is(err, run.ErrInterrupted) {
		return exitCode(signalExit(got), nil)
	}
	return err
}

// signalExit is the conventional exit code after a signal: 128 + number.
func signalExit(s os.Signal) int {
	if s == syscall.SIGTERM {
		return 143
	}
	return 130
}

func (c *TrainCmd) run(ctx context.Context, log io.Writer, tty bool) error {
	spec, diags := compiler.CompileFile(c.Spec)
	if diags.HasErrors() {
		diags.Render(log, spec.Files)
		return exitCode(1, nil)
	}
	diags.Render(log, spec.Files)
	if len(spec.Samples) == 0 {
		return exitCode(1, fmt.Errorf("%s: no sample to train on (families are for evaluation)", c.Spec))
	}
	s := spec.Samples[0]
	if c.Sample != "" {
		if s = spec.Sample(c.Sample); s == nil {
			var ids []string
			for _, x := range spec.Samples {
				ids = append(ids, x.ID)
			}
			return exitCode(1, fmt.Errorf("%s: no sample %q (have %s)", c.Spec, c.Sample, strings.Join(ids, ", ")))
		}
	}
	var updates chan run.Update
	if c.Watch {
		updates = make(chan run.Update, 1)
		if err := c.watch(ctx, log, spec.Hash, s.ID, updates); err != nil {
			return exitCode(2, err)
		}
	}
	out := c.Out
	if out == "" {
		out = filepath.Join("runs", strings.TrimSuffix(filepath.Base(c.Spec), filepath.Ext(c.Spec)))
	}
	res, err := run.Run(ctx, run.Options{
		Prompt: s.Prompt, System: s.System, Reward: sampleReward(s),
		SpecPath: c.Spec, SpecHash: spec.Hash, SampleID: s.ID,
		Model: c.Model, Out: out, Resume: c.Resume,
		Train: spec.Train, Overrides: c.overrides(),
		Log: log, TTY: tty, Version: version, Updates: updates,
	})
	if err != nil {
		if errors.Is(err, run.ErrInterrupted) {
			return err
		}
		return exitCode(1, err)
	}
	fmt.Fprintf(log, "poly train: %d steps, last reward %.3f; metrics %s; checkpoint %s\n",
		res.Steps, res.Last.Reward, filepath.Join(out, "metrics.jsonl"), res.Checkpoint)
	return nil
}

// watch recompiles the spec whenever a .poly file in its directory
// changes and sends each new good version of the sample to updates
// (replacing one not yet taken). Diagnostics of a broken save go to log.
func (c *TrainCmd) watch(ctx context.Context, log io.Writer, hash, sampleID string, updates chan run.Update) error {
	dir := filepath.Dir(c.Spec)
	w, err := watch.New([]string{dir}, watch.Options{
		Match:   func(p string) bool { return strings.HasSuffix(p, ".poly") },
		OnError: func(err error) { fmt.Fprintln(log, "poly train: watch:", err) },
	})
	if err != nil {
		return err
	}
	go w.Run(ctx, func([]string) {
		spec, diags := compiler.CompileFile(c.Spec)
		if diags.HasErrors() {
			diags.Render(log, spec.Files)
			fmt.Fprintln(log, "poly train: the spec has errors; training continues on the last good sample")
			return
		}
		if spec.Hash == hash {
			return
		}
		s := spec.Sample(sampleID)
		if s == nil {
			fmt.Fprintf(log, "poly train: the changed spec has no sample %q; training continues on the last good sample\n", sampleID)
			return
		}
		hash = spec.Hash
		u := run.Update{Prompt: s.Prompt, System: s.System, Reward: sampleReward(s), SpecHash: spec.Hash, SampleID: s.ID}
		select {
		case <-updates: // drop the version not yet taken
		default:
		}
		updates <- u
	})
	return nil
}

// sampleReward is the compiled sample's checker as a GRPO reward.
func sampleReward(s *compiler.Sample) grpo.RewardFunc {
	return func(completion string) (float64, grpo.RewardInfo) {
		r := s.Grade(completion)
		return r.Reward, rewardInfo(r)
	}
}

func rewardInfo(r grade.Result) grpo.RewardInfo {
	return grpo.RewardInfo{Reason: r.Reason, Extracted: r.Extracted, FormatOK: r.FormatOK}
}
