package model

import (
	"math"
	"testing"

	"github.com/polylearn/poly/train/optim"
)

// TestSFTOverfit trains a tiny model on one sequence with SFT (loss =
// -mean log p) and AdamW: the loss must fall by a large factor.
func TestSFTOverfit(t *testing.T) {
	cfg := tinyConfig("qwen2", true)
	cfg.VocabSize, cfg.HiddenSize, cfg.IntermediateSize, cfg.InitializerRange = 32, 32, 64, 0.02
	m, err := New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	seq := []int32{1, 7, 3, 3, 9, 20, 31, 5, 12, 12, 0, 4, 17, 29, 2, 8}
	batch := &Batch{B: 1, T: len(seq), Tokens: seq}
	opt := optim.NewAdamW(len(m.Params))
	opt.Decay = m.DecayRanges()
	dl := make([]float32, len(seq))
	for i := range dl[:len(seq)-1] {
		dl[i] = -1 / float32(len(seq)-1)
	}
	loss := func(logp []float32) float64 {
		var s float64
		for _, v := range logp[:len(seq)-1] {
			s -= float64(v)
		}
		return s / float64(len(seq)-1)
	}
	var first, last float64
	for step := 0; step < 150; step++ {
		logp, _, err := m.ForwardLogProbs(batch)
		if err != nil {
			t.Fatal(err)
		}
		last = loss(logp)
		if step == 0 {
			first = last
		}
		m.ZeroGrad()
		if err := m.Backward(dl, nil); err != nil {
			t.Fatal(err)
		}
		optim.ClipGradNorm(m.Grads, 1)
		if err := opt.Update(m.Params, m.Grads, 1e-2); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("SFT loss %.4f -> %.4f", first, last)
	if math.Abs(first-math.Log(32)) > 0.2 || last > first/20 {
		t.Fatalf("SFT loss %.4f -> %.4f: want a fall by 20x from ~log(32)", first, last)
	}
}
