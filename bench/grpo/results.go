package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// writeResults writes the run's figures and conditions to path (Markdown).
func writeResults(path string, start time.Time, p *promptInfo, s settings, gap float64, nparams int, spec, table, verdict, versions, load0, load1, note string, sides []side) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# GRPO step: poly vs TRL GRPOTrainer (CPU)\n\n")
	fmt.Fprintf(&b, "Written by `go run ./bench/grpo` on %s UTC. Regenerate with the same command;\n", start.Format("2006-01-02 15:04"))
	fmt.Fprintf(&b, "bench/README.md describes the method.\n\n")
	fmt.Fprintf(&b, "## Conditions\n\n")
	fmt.Fprintf(&b, "- Model: random-initialised Qwen2, d %d, %d layers, %d heads, %d kv heads, mlp %d, tied embeddings, vocab %d (the default tokenizer's), %.2fM params, fp32; one HF checkpoint directory loaded by both sides.\n",
		tinyShape.D, tinyShape.Layers, tinyShape.Heads, tinyShape.KVHeads, tinyShape.FFN, p.vocab, float64(nparams)/1e6)
	fmt.Fprintf(&b, "- Sample: `%s` (%s), chat template applied, %d prompt tokens (TRL's ids checked equal to poly's).\n", filepath.Base(spec), p.SampleID, len(p.IDs))
	fmt.Fprintf(&b, "- Step: %d rollouts x %d new tokens (stop tokens %.0f nats below the rest, so every rollout is full length on both sides), temperature %g, top-p 1; reward: share of digits in the completion (same function both sides); beta %g (TRL's default: no reference model), epsilon %g, token-mean loss (TRL `dapo`), group-scaled advantages, 1 iteration, AdamW lr %g constant, weight decay %g, grad clip %g.\n",
		s.Rollouts, s.MaxTokens, gap, s.Temperature, s.Beta, s.Epsilon, s.LR, s.WeightDecay, s.GradClip)
	fmt.Fprintf(&b, "- Timing: %d untimed warm-up step(s), then the median of %d steps per side (poly's split: half before the TRL runs, half after); CPU s = user + system time of the process, all threads; rollout = generation + reward (+ reference log-probs when beta > 0), update = the rest of the step (policy forward, backward, clip, AdamW).\n", s.Warmup, s.Steps)
	fmt.Fprintf(&b, "- Machine: load average %s before, %s after.\n", load0, load1)
	if note != "" {
		fmt.Fprintf(&b, "- Note: %s\n", note)
	}
	fmt.Fprintf(&b, "- %s\n\n", versions)
	fmt.Fprintf(&b, "## Figures\n\n%s\n**%s**\n\n", table, verdict)
	for _, sd := range sides {
		if sd.Err != nil {
			fmt.Fprintf(&b, "- %s failed: `%v`\n", sd.Name, sd.Err)
		}
		if sd.Note != "" {
			fmt.Fprintf(&b, "- %s: %s\n", sd.Name, sd.Note)
		}
	}
	return writeFileAtomic(path, []byte(b.String()))
}
