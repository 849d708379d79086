package run

import (
	"context"
	"testing"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/train/grpo"
)

// TestDefaultModelLearnsAddition is the whole pipeline: a compiled spec
// (with a train {} block), its grader as the reward, the embedded default
// model, GRPO. The SFT'd model rarely gets 47 + 38 right at first; within
// the spec's 100 steps the mean reward rises close to 1, while the
// random-reward control stays near 0.
func TestDefaultModelLearnsAddition(t *testing.T) {
	if testing.Short() {
		t.Skip("100 GRPO steps")
	}
	spec, diags := compiler.CompileFile("testdata/addition.poly")
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	s := spec.Samples[0]
	reward := func(c string) (float64, grpo.RewardInfo) {
		r := s.Grade(c)
		return r.Reward, grpo.RewardInfo{Reason: r.Reason, Extracted: r.Extracted, FormatOK: r.FormatOK}
	}
	train := func(rewardMode string) (first, last float64) {
		out := t.TempDir()
		res, err := Run(context.Background(), Options{Prompt: s.Prompt, Reward: reward, SpecHash: spec.Hash, SampleID: s.ID,
			Model: "default", Out: out, Train: spec.Train, Overrides: map[string]any{"save_every": 100, "reward": rewardMode}})
		if err != nil {
			t.Fatal(err)
		}
		lines := metricLines(t, out)
		if res.Steps != 100 || len(lines) != 100 {
			t.Fatalf("%d steps, %d metrics lines", res.Steps, len(lines))
		}
		mean := func(ls []map[string]any) float64 {
			x := 0.0
			for _, l := range ls {
				x += l["rewards/spec/mean"].(float64)
			}
			return x / float64(len(ls))
		}
		return mean(lines[:20]), mean(lines[80:])
	}
	first, last := train("spec")
	t.Logf("spec reward: checker's mean reward steps 1-20 %.3f, steps 81-100 %.3f", first, last)
	if first > 0.3 || last < 0.6 {
		t.Errorf("reward did not rise: first %.3f, last %.3f", first, last)
	}
	// The spurious-reward control: trained on coin flips, the checker's
	// reward does not rise.
	first, last = train("random")
	t.Logf("random reward: checker's mean reward steps 1-20 %.3f, steps 81-100 %.3f", first, last)
	if last > 0.3 {
		t.Errorf("random-reward control learned the task: first %.3f, last %.3f", first, last)
	}
}
