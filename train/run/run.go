// Package run is the training loop behind `poly train`: it loads the base
// model, renders the sample's prompt with the chat template, runs GRPO
// steps, logs one JSON line of metrics per step (TRL's names) to
// <out>/metrics.jsonl and sample completions to <out>/samples.jsonl
// (each log is replaced atomically after every step: temp file, fsync,
// rename, so a crash never leaves a partial line),
// shows progress (a bar on a terminal, plain lines otherwise), writes
// checkpoints (package ckpt) and resumes from the newest one.
//
// Interrupts: when ctx is cancelled (poly train cancels it on SIGINT or
// SIGTERM) the loop finishes the step in flight, writes a checkpoint and
// returns ErrInterrupted. A NaN or Inf in the reward, loss or gradients
// stops the run with an error naming the step; no checkpoint is written
// after it, so the last one on disk is the last good state.
//
// Resume is bit-for-bit: weights (float32 safetensors), AdamW moments,
// the sampling generator and the step are restored, the reference model
// is reloaded from the base model and checked against the hash recorded
// at the start, the random reward is a pure function of (seed, step,
// rollout), and the metrics and samples logs are cut back to the
// checkpoint's step. The same seed then gives the same next steps as an
// uninterrupted run (timings aside).
package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/polylearn/poly/train/ckpt"
	"github.com/polylearn/poly/train/grpo"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// Options describe a run.
type Options struct {
	// The sample: its prompt (and optional system message), its reward,
	// and where it came from.
	Prompt, System string
	Reward         grpo.RewardFunc
	SpecPath       string
	SpecHash       string
	SampleID       string

	// Model is "default" or an HF model directory; "" means default for a
	// new run and the checkpoint's base model on resume.
	Model string
	// Out is the run folder.
	Out    string
	Resume bool

	// Train is the spec's train {} block; Overrides are the flags the
	// user set (same names); both over the defaults, flags last.
	Train     map[string]any
	Overrides map[string]any

	// Log receives progress (a bar when TTY, else one line per step).
	Log io.Writer
	TTY bool
	// Version is poly's version, recorded in run.json.
	Version string

	// Updates delivers new versions of the sample (watch mode); the loop
	// swaps to the latest one between steps, keeping the model, and logs
	// the swap to <out>/events.jsonl.
	Updates <-chan Update
}

// Update is a recompiled sample for watch mode.
type Update struct {
	Prompt, System string
	Reward         grpo.RewardFunc
	SpecHash       string
	SampleID       string
}

// ErrInterrupted is returned after an interrupt was handled: the step in
// flight finished and a checkpoint was written.
var ErrInterrupted = errors.New("interrupted")

// Result summarises a run.
type Result struct {
	Steps      int    // steps completed (in total, across resumes)
	Checkpoint string // the last checkpoint written or resumed from
	Out        string
	Last       grpo.Metrics
}

// state is trainer_state.json inside a checkpoint.
type state struct {
	Step       int         `json:"step"`
	SpecPath   string      `json:"spec_path"`
	SpecHash   string      `json:"spec_hash"`
	SampleID   string      `json:"sample_id"`
	BaseModel  string      `json:"base_model"`
	BaseHash   string      `json:"base_params_sha256"`
	Config     grpo.Config `json:"grpo"`
	Settings   Settings    `json:"settings"`
	PolyVer    string      `json:"poly_version"`
	PromptText string      `json:"prompt"`
}

// Config computes the hyper-parameters of a run from the defaults, the
// spec's train {} block and the flags (in that order).
func Config(train, overrides map[string]any) (grpo.Config, Settings, error) {
	c := grpo.DefaultConfig()
	s := DefaultSettings()
	c.TotalSteps = s.Steps
	if err := Apply(&c, &s, train, "spec train block"); err != nil {
		return c, s, err
	}
	if err := Apply(&c, &s, overrides, "flags"); err != nil {
		return c, s, err
	}
	if s.Steps < 1 {
		return c, s, fmt.Errorf("steps %d: want at least 1", s.Steps)
	}
	if s.SaveEvery < 1 || s.SampleEvery < 1 || s.Keep < 1 {
		return c, s, errors.New("save_every, sample_every and keep must be at least 1")
	}
	c.Loss.MaxTokens = c.Sampling.MaxTokens
	return c, s, c.Validate()
}

// Run trains until the configured number of steps, an interrupt or an
// error.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Log == nil {
		o.Log = io.Discard
	}
	root := filepath.Join(o.Out, "checkpoints")
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	existing, err := ckpt.List(root)
	if err != nil {
		return nil, err
	}
	if !o.Resume && len(existing) > 0 {
		return nil, fmt.Errorf("%s already holds checkpoints: pass --resume to continue that run, or choose another --out", o.Out)
	}
	cfg, set, err := Config(o.Train, o.Overrides)
	if err != nil {
		return nil, err
	}

	var (
		st       state
		policy   *model.Model
		src      *Source
		ckptDir  string
		resumed  bool
		optState []byte
		rngState []byte
	)
	if o.Resume {
		dir, man, err := ckpt.Latest(root)
		switch {
		case errors.Is(err, ckpt.ErrNone):
			fmt.Fprintf(o.Log, "poly train: no checkpoint in %s; starting a new run\n", root)
		case err != nil:
			return nil, err
		default:
			resumed, ckptDir = true, dir
			data, err := os.ReadFile(filepath.Join(dir, "trainer_state.json"))
			if err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
			}
			if err := json.Unmarshal(data, &st); err != nil {
				return nil, fmt.Errorf("checkpoint %s: trainer_state.json: %w", dir, err)
			}
			if st.Step != man.Step {
				return nil, fmt.Errorf("checkpoint %s: trainer_state.json says step %d, the manifest %d", dir, st.Step, man.Step)
			}
			if o.Model != "" && o.Model != st.BaseModel {
				return nil, fmt.Errorf("--model %s, but the run in %s was started from %s", o.Model, o.Out, st.BaseModel)
			}
			o.Model = st.BaseModel
			if o.SpecHash != "" && st.SpecHash != "" && o.SpecHash != st.SpecHash {
				fmt.Fprintf(o.Log, "poly train: warning: the spec changed since the checkpoint (hash %.12s, now %.12s); training on the new sample\n", st.SpecHash, o.SpecHash)
			}
			// The hyper-parameters are the run's; only the number of
			// steps may grow.
			steps := max(set.Steps, st.Settings.Steps)
			if _, ok := o.Overrides["steps"]; ok {
				steps = set.Steps
			}
			cfg, set = st.Config, st.Settings
			set.Steps = steps
			var ignored []string
			for k := range o.Overrides {
				if k != "steps" {
					ignored = append(ignored, k)
				}
			}
			if len(ignored) > 0 {
				sort.Strings(ignored)
				fmt.Fprintf(o.Log, "poly train: warning: --resume keeps the run's hyper-parameters; ignoring %s\n", strings.Join(ignored, ", "))
			}
			if policy, err = model.Load(dir); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
			}
			if optState, err = os.ReadFile(filepath.Join(dir, "optimizer.bin")); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
			}
			if rngState, err = os.ReadFile(filepath.Join(dir, "rng.bin")); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
			}
		}
	}
	if o.Model == "" {
		o.Model = "default"
	}
	if src, err = OpenSource(o.Model); err != nil {
		return nil, err
	}
	base, err := src.Load()
	if err != nil {
		return nil, err
	}
	baseHash := ParamsHash(base)
	if resumed && st.BaseHash != baseHash {
		return nil, fmt.Errorf("the base model %s changed since the run started (parameter hash %.12s, recorded %.12s): the KL reference would differ", o.Model, baseHash, st.BaseHash)
	}
	if policy == nil {
		policy = base
		base = nil // New clones the policy as the reference
	}
	if base != nil && base.Config.VocabSize != policy.Config.VocabSize {
		return nil, errors.New("checkpoint and base model have different vocabularies")
	}
	if cfg.Loss.Beta == 0 {
		base = nil
	}

	promptText, promptIDs, err := RenderPrompt(src.Tok, o.System, o.Prompt)
	if err != nil {
		return nil, err
	}
	tr, err := grpo.New(cfg, policy, base, src.Tok, o.Reward)
	if err != nil {
		return nil, err
	}
	if resumed {
		if err := tr.Opt.UnmarshalBinary(optState); err != nil {
			return nil, fmt.Errorf("checkpoint %s: optimizer.bin: %w", ckptDir, err)
		}
		if err := tr.RNG.UnmarshalBinary(rngState); err != nil {
			return nil, fmt.Errorf("checkpoint %s: rng.bin: %w", ckptDir, err)
		}
		tr.Step = st.Step
	} else {
		st = state{SpecPath: o.SpecPath, SpecHash: o.SpecHash, SampleID: o.SampleID, BaseModel: src.Name, BaseHash: baseHash, PolyVer: o.Version}
	}
	st.Config, st.Settings, st.PromptText = cfg, set, promptText
	if o.SpecHash != "" {
		st.SpecHash = o.SpecHash
	}

	metrics, err := openLog(filepath.Join(o.Out, "metrics.jsonl"), tr.Step)
	if err != nil {
		return nil, err
	}
	samples, err := openLog(filepath.Join(o.Out, "samples.jsonl"), tr.Step)
	if err != nil {
		return nil, err
	}
	events, err := openLog(filepath.Join(o.Out, "events.jsonl"), tr.Step)
	if err != nil {
		return nil, err
	}
	runInfo, _ := json.MarshalIndent(map[string]any{
		"spec": o.SpecPath, "spec_hash": st.SpecHash, "sample": o.SampleID, "model": src.Name,
		"grpo": cfg, "settings": set, "poly_version": o.Version, "prompt": promptText,
		"prompt_tokens": len(promptIDs), "resumed_from": ckptDir,
	}, "", "  ")
	if err := writeAtomic(filepath.Join(o.Out, "run.json"), append(runInfo, '\n')); err != nil {
		return nil, err
	}
	res := &Result{Out: o.Out, Checkpoint: ckptDir, Steps: tr.Step}
	save := func() error {
		st.Step = tr.Step
		dir, err := ckpt.Save(root, ckpt.Manifest{Step: tr.Step, SpecHash: st.SpecHash,
			Meta: map[string]any{"base_model": src.Name, "sample": o.SampleID}}, set.Keep,
			func(dir string) error { return writeCheckpoint(dir, tr, &st, src.TokFiles) })
		if err != nil {
			return err
		}
		res.Checkpoint = dir
		return nil
	}
	prog := newProgress(o.Log, o.TTY, tr.Step, set.Steps)
	defer prog.finish()
	if resumed {
		prog.note(fmt.Sprintf("resumed from %s (step %d)", ckptDir, tr.Step))
	}
	lastSaved := tr.Step
	for tr.Step < set.Steps {
		if ctx.Err() != nil {
			break
		}
		select {
		case u := <-o.Updates:
			text, ids, err := RenderPrompt(src.Tok, u.System, u.Prompt)
			if err != nil {
				prog.note(fmt.Sprintf("poly train: cannot use the changed spec: %v; keeping the last good sample", err))
				break
			}
			promptText, promptIDs = text, ids
			if !cfg.RandomReward {
				tr.Reward = u.Reward
			}
			st.SpecHash, st.SampleID, st.PromptText = u.SpecHash, u.SampleID, text
			if err := events.write(map[string]any{"step": tr.Step, "event": "swap", "spec_hash": u.SpecHash, "sample": u.SampleID, "prompt": text}); err != nil {
				return res, err
			}
			prog.note(fmt.Sprintf("spec changed: training on sample %s (hash %.12s) from step %d", u.SampleID, u.SpecHash, tr.Step+1))
		default:
		}
		met, rolls, err := tr.TrainStep(promptIDs)
		if err != nil {
			var nf *grpo.NonFiniteError
			if errors.As(err, &nf) && res.Checkpoint != "" {
				return res, fmt.Errorf("%w; last good checkpoint: %s", err, res.Checkpoint)
			}
			return res, err
		}
		res.Last, res.Steps = met, tr.Step
		if err := metrics.write(met); err != nil {
			return res, err
		}
		if tr.Step%set.SampleEvery == 0 || tr.Step == 1 || tr.Step == set.Steps {
			if err := samples.write(map[string]any{"step": tr.Step, "spec_hash": st.SpecHash, "prompt": promptText, "rollouts": rolls}); err != nil {
				return res, err
			}
		}
		prog.step(met)
		if tr.Step%set.SaveEvery == 0 || tr.Step == set.Steps {
			if err := save(); err != nil {
				return res, err
			}
			lastSaved = tr.Step
		}
	}
	if ctx.Err() != nil {
		if lastSaved != tr.Step {
			if err := save(); err != nil {
				return res, err
			}
		}
		prog.note(fmt.Sprintf("interrupted after step %d; checkpoint %s", tr.Step, res.Checkpoint))
		return res, ErrInterrupted
	}
	return res, nil
}

// RenderPrompt applies the tokenizer's chat template to a sample's messages
// (an optional system message, then the user prompt, then the generation
// prompt) and encodes it: the text and ids the model is prompted with in
// poly train and poly eval.
func RenderPrompt(tok *tokenizer.Tokenizer, system, prompt string) (string, []int32, error) {
	var msgs []tokenizer.Message
	if system != "" {
		msgs = append(msgs, tokenizer.Message{Role: "system", Content: system})
	}
	msgs = append(msgs, tokenizer.Message{Role: "user", Content: prompt})
	text, err := tok.Chat.Render(msgs, true)
	if err != nil {
		return "", nil, err
	}
	ids := tok.Encode(text)
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(id)
	}
	return text, out, nil
}

// writeCheckpoint writes the trainer's state into dir.
func writeCheckpoint(dir string, tr *grpo.Trainer, st *state, tokFiles map[string][]byte) error {
	if err := tr.Policy.Save(dir); err != nil {
		return err
	}
	opt, err := tr.Opt.MarshalBinary()
	if err != nil {
		return err
	}
	rng, err := tr.RNG.MarshalBinary()
	if err != nil {
		return err
	}
	sj, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{"optimizer.bin": opt, "rng.bin": rng, "trainer_state.json": append(sj, '\n')}
	for k, v := range tokFiles {
		files[k] = v
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// now is time.Now (a variable for tests).
var now = time.Now
