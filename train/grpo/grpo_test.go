package grpo

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
	"github.com/polylearn/poly/train/sample"
	"github.com/polylearn/poly/train/tokenizer"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestAdvantages(t *testing.T) {
	std := math.Sqrt(1.0 / 3) // unbiased std of {1,0,0,1}
	tests := []struct {
		name    string
		rewards []float64
		group   int
		scale   bool
		want    []float64
		zero    int
		meanStd float64
	}{
		{"scaled", []float64{1, 0, 0, 1}, 4, true, []float64{0.5 / (std + 1e-4), -0.5 / (std + 1e-4), -0.5 / (std + 1e-4), 0.5 / (std + 1e-4)}, 0, std},
		{"dr grpo", []float64{1, 0, 0, 1}, 4, false, []float64{0.5, -0.5, -0.5, 0.5}, 0, std},
		{"zero-variance group", []float64{1, 1, 0, 2}, 2, true, []float64{0, 0, -1 / (math.Sqrt2 + 1e-4), 1 / (math.Sqrt2 + 1e-4)}, 1, math.Sqrt2 / 2},
		{"group of one", []float64{3}, 1, true, []float64{0}, 1, 0},
	}
	for _, tt := range tests {
		adv, st := Advantages(tt.rewards, tt.group, tt.scale)
		for i := range adv {
			if !near(adv[i], tt.want[i], 1e-12) {
				t.Errorf("%s: adv[%d] = %v, want %v", tt.name, i, adv[i], tt.want[i])
			}
		}
		if st.ZeroStdGroups != tt.zero || !near(st.MeanGroupStd, tt.meanStd, 1e-12) {
			t.Errorf("%s: stats %+v, want zero %d mean std %v", tt.name, st, tt.zero, tt.meanStd)
		}
	}
}

func TestTokenLossHand(t *testing.T) {
	c := LossConfig{EpsLow: 0.2, EpsHigh: 0.2, Agg: AggTokenMean}
	ln := math.Log
	tests := []struct {
		name            string
		logp, old, adv  float64
		loss, dlogp     float64
		lowClip, hiClip bool
	}{
		{"on-policy A>0", -1, -1, 2, -2, -2, false, false},
		{"on-policy A<0", -1, -1, -0.5, 0.5, 0.5, false, false},
		{"ratio 1.1 inside", -1 + ln(1.1), -1, 1, -1.1, -1.1, false, false},
		{"ratio 1.5 A>0 clipped", -1 + ln(1.5), -1, 1, -1.2, 0, false, true},
		{"ratio 1.5 A<0 not clipped", -1 + ln(1.5), -1, -1, 1.5, 1.5, false, false},
		{"ratio 0.5 A>0 not clipped", -1 + ln(0.5), -1, 1, -0.5, -0.5, false, false},
		{"ratio 0.5 A<0 clipped", -1 + ln(0.5), -1, -1, 0.8, 0, true, false},
	}
	for _, tt := range tests {
		got := c.Token(tt.logp, tt.old, 0, 0, tt.adv)
		if !near(got.Loss, tt.loss, 1e-12) || !near(got.DLogp, tt.dlogp, 1e-12) || got.LowClipped != tt.lowClip || got.HiClipped != tt.hiClip {
			t.Errorf("%s: %+v, want loss %v dlogp %v clip %v/%v", tt.name, got, tt.loss, tt.dlogp, tt.lowClip, tt.hiClip)
		}
	}
	// DAPO's clip-higher: 1.25 is inside [0.8, 1.28]
	d := LossConfig{EpsLow: 0.2, EpsHigh: 0.28}
	if got := d.Token(ln(1.25), 0, 0, 0, 1); !near(got.Loss, -1.25, 1e-12) || got.HiClipped {
		t.Errorf("clip-higher: %+v", got)
	}
	// KL k3 and entropy bonus: logp -1, ref -1.5
	k := LossConfig{EpsLow: 0.2, EpsHigh: 0.2, Beta: 0.1, EntropyCoef: 0.01}
	got := k.Token(-1, -1, -1.5, 2.0, 0)
	kl := math.Exp(-0.5) + 0.5 - 1
	if !near(got.KL, kl, 1e-12) || !near(got.Loss, 0.1*kl-0.02, 1e-12) || !near(got.DLogp, 0.1*(1-math.Exp(-0.5)), 1e-12) || got.DEntropy != -0.01 {
		t.Errorf("kl/entropy: %+v (kl want %v)", got, kl)
	}
}

func TestTokenLossFiniteDifference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	c := LossConfig{EpsLow: 0.2, EpsHigh: 0.28, Beta: 0.05, EntropyCoef: 0.003}
	for i := 0; i < 1000; i++ {
		logp, old, ref := -r.Float64()*3, -r.Float64()*3, -r.Float64()*3
		adv, h := r.NormFloat64(), r.Float64()
		ratio := math.Exp(logp - old)
		if math.Abs(ratio-0.8) < 1e-3 || math.Abs(ratio-1.28) < 1e-3 {
			continue // kink
		}
		const e = 1e-6
		fd := (c.Token(logp+e, old, ref, h, adv).Loss - c.Token(logp-e, old, ref, h, adv).Loss) / (2 * e)
		if got := c.Token(logp, old, ref, h, adv).DLogp; math.Abs(got-fd) > 1e-6 {
			t.Fatalf("dlogp %v, finite difference %v (logp %v old %v ref %v adv %v)", got, fd, logp, old, ref, adv)
		}
		fdh := (c.Token(logp, old, ref, h+e, adv).Loss - c.Token(logp, old, ref, h-e, adv).Loss) / (2 * e)
		if got := c.Token(logp, old, ref, h, adv).DEntropy; math.Abs(got-fdh) > 1e-6 {
			t.Fatalf("dentropy %v, finite difference %v", got, fdh)
		}
	}
}

func TestSeqWeights(t *testing.T) {
	lens := []int{2, 4}
	tests := []struct {
		agg  string
		want []float64
	}{
		{AggTokenMean, []float64{1.0 / 6, 1.0 / 6}},
		{AggSeqMeanTokenMean, []float64{1.0 / 4, 1.0 / 8}},
		{AggSeqMeanTokenSum, []float64{0.5, 0.5}},
		{AggSeqMeanTokenSumNorm, []float64{1.0 / 20, 1.0 / 20}},
	}
	for _, tt := range tests {
		c := LossConfig{Agg: tt.agg, MaxTokens: 10}
		got := c.SeqWeights(lens)
		for i := range got {
			if !near(got[i], tt.want[i], 1e-15) {
				t.Errorf("%s: %v, want %v", tt.agg, got, tt.want)
			}
		}
	}
	if err := (&LossConfig{Agg: "mean"}).Validate(); err == nil || !strings.Contains(err.Error(), "token-mean") {
		t.Errorf("bad aggregation accepted: %v", err)
	}
}

func TestLRSchedule(t *testing.T) {
	tests := []struct {
		step, total, warmup int
		sched               string
		want                float64
	}{
		{0, 100, 10, "constant", 0.1},
		{9, 100, 10, "constant", 1},
		{50, 100, 10, "constant", 1},
		{10, 100, 10, "cosine", 1},
		{99, 100, 10, "cosine", 0},
	}
	for _, tt := range tests {
		if got := LR(1, tt.step, tt.total, tt.warmup, tt.sched, 0); !near(got, tt.want, 1e-12) {
			t.Errorf("LR(step %d, %s) = %v, want %v", tt.step, tt.sched, got, tt.want)
		}
	}
	// midway through the decay: half
	if got := LR(1, 0, 3, 0, "cosine", 0.1); !near(got, 1, 1e-12) {
		t.Errorf("cosine start %v", got)
	}
	if got := LR(1, 1, 3, 0, "cosine", 0); !near(got, 0.5, 1e-12) {
		t.Errorf("cosine middle %v", got)
	}
}

// TestAdamWStateRestore: the model's optimiser (NewAdamW) survives a
// checkpoint round trip with its hyper-parameters and decay ranges.
func TestAdamWStateRestore(t *testing.T) {
	m, _ := tiny(t, 2)
	o := NewAdamW(m, 0.01)
	for i := range m.Grads {
		m.Grads[i] = float32(i%7) * 0.01
	}
	if err := o.Update(m.Params, m.Grads, 0.01); err != nil {
		t.Fatal(err)
	}
	b, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	o2 := NewAdamW(m, 0)
	if err := o2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if o2.Step != 1 || o2.WeightDecay != 0.01 || len(o2.Decay) == 0 || !slices.Equal(o2.M, o.M) || !slices.Equal(o2.V, o.V) {
		t.Fatalf("restored state differs: step %d wd %v", o2.Step, o2.WeightDecay)
	}
	if err := optim.NewAdamW(4).UnmarshalBinary(b); err == nil {
		t.Error("state of the wrong size accepted")
	}
}

// tiny returns a small random model and the default tokenizer.
func tiny(t testing.TB, seed uint64) (*model.Model, *tokenizer.Tokenizer) {
	tok, err := defaultmodel.Tokenizer()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := model.ParseConfig([]byte(`{"model_type":"qwen2","vocab_size":1024,"hidden_size":32,"intermediate_size":64,
"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":128,"tie_word_embeddings":true,"initializer_range":0.02}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok
}

func promptIDs(tok *tokenizer.Tokenizer, s string) []int32 {
	p, _ := tok.ChatPrompt(s)
	var out []int32
	for _, id := range tok.Encode(p) {
		out = append(out, int32(id))
	}
	return out
}

// evenReward is the toy task's checkable reward: the completion starts
// with an even digit.
func evenReward(s string) (float64, RewardInfo) {
	s = strings.TrimSpace(s)
	if s != "" && strings.ContainsRune("02468", rune(s[0])) {
		return 1, RewardInfo{FormatOK: true}
	}
	return 0, RewardInfo{Reason: "not an even number"}
}

// TestToyEvenNumber: GRPO teaches a tiny random model to say an even
// number; the mean reward of the last steps must far exceed the first.
func TestToyEvenNumber(t *testing.T) {
	m, tok := tiny(t, 3)
	cfg := DefaultConfig()
	cfg.Rollouts = 16
	cfg.Sampling = sample.Options{Temperature: 1, MaxTokens: 2}
	cfg.Loss.Beta = 0.001
	cfg.Epochs = 2
	cfg.LR = 3e-3
	cfg.Seed = 11
	tr, err := New(cfg, m, nil, tok, evenReward)
	if err != nil {
		t.Fatal(err)
	}
	prompt := promptIDs(tok, "Say an even number.")
	steps := 400
	var rewards []float64
	for i := 0; i < steps; i++ {
		met, _, err := tr.TrainStep(prompt)
		if err != nil {
			t.Fatal(err)
		}
		rewards = append(rewards, met.Reward)
		if i >= 60 && mean(rewards[i-29:]) >= 0.8 {
			break // learned: stop early to keep CI fast
		}
	}
	first, last := mean(rewards[:30]), mean(rewards[len(rewards)-30:])
	t.Logf("mean reward: first 30 steps %.3f, last %.3f", first, last)
	if last < 0.5 || last < first+0.3 {
		t.Errorf("reward did not rise: first %.3f last %.3f", first, last)
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func TestNonFiniteStops(t *testing.T) {
	for _, where := range []string{"weights", "reward"} {
		m, tok := tiny(t, 1)
		reward := evenReward
		if where == "weights" {
			m.Params[len(m.Params)-1] = float32(math.NaN())
		} else {
			reward = func(string) (float64, RewardInfo) { return math.Inf(1), RewardInfo{} }
		}
		cfg := DefaultConfig()
		cfg.Rollouts, cfg.Sampling.MaxTokens = 2, 4
		tr, err := New(cfg, m, nil, tok, reward)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = tr.TrainStep(promptIDs(tok, "hi"))
		var nf *NonFiniteError
		if !errors.As(err, &nf) || nf.Step != 1 || !strings.Contains(err.Error(), "step 1") {
			t.Errorf("%s: err = %v, want a NonFiniteError at step 1", where, err)
		}
		if tr.Step != 0 {
			t.Errorf("%s: step counter advanced to %d", where, tr.Step)
		}
	}
}

// TestSamplingTemperatureLogprobs: at a sampling temperature of 0.6 the
// policy/old/reference forwards use the same tempered distribution as the
// sampler. In the first epoch the importance ratio is exactly 1, the old
// log-probabilities agree with the sampler's per-token log-probabilities
// within 1e-4 (and the logged difference says so), and a forward at
// temperature 1 would not (the check is sensitive).
func TestSamplingTemperatureLogprobs(t *testing.T) {
	m, tok := tiny(t, 5)
	for i := range m.Params { // sharper logits than the 0.02 init, so T matters
		m.Params[i] *= 4
	}
	cfg := DefaultConfig()
	cfg.Rollouts = 4
	cfg.Sampling = sample.Options{Temperature: 0.6, TopP: 1, MaxTokens: 6}
	cfg.Epochs = 2
	cfg.MicroBatch = 3 // two micro-batches, the second of one sequence
	cfg.LR = 1e-2
	cfg.Loss.Beta = 0.01
	tr, err := New(cfg, m, nil, tok, evenReward)
	if err != nil {
		t.Fatal(err)
	}
	before, err := Clone(m)
	if err != nil {
		t.Fatal(err)
	}
	prompt := promptIDs(tok, "Say an even number.")
	L := len(prompt)
	var n0, n1 int
	var worstOld, worstT1, devEpoch1 float64
	tr.observe = func(epoch int, u *microBatch, logp []float32) {
		if u.batch.Temperature != 0.6 {
			t.Errorf("epoch %d: forward at temperature %v, want 0.6", epoch, u.batch.Temperature)
		}
		T := u.batch.T
		var t1 []float32
		if epoch == 0 { // the same batch at temperature 1, on the unchanged weights
			b1 := u.batch
			b1.Temperature = 0
			lp, _, err := before.ForwardLogProbs(&b1)
			if err != nil {
				t.Fatal(err)
			}
			t1 = lp
		}
		for b := 0; b < u.hi-u.lo; b++ {
			for k, s := range u.sampled[b] {
				n := b*T + L - 1 + k
				ratio := math.Exp(float64(logp[n]) - float64(u.old[n]))
				if epoch == 0 {
					n0++
					if ratio != 1 {
						t.Errorf("epoch 0 seq %d token %d: ratio %v, want exactly 1", u.lo+b, k, ratio)
					}
					worstOld = math.Max(worstOld, math.Abs(float64(u.old[n])-float64(s)))
					worstT1 = math.Max(worstT1, math.Abs(float64(t1[n]-s)))
				} else {
					n1++
					devEpoch1 = math.Max(devEpoch1, math.Abs(ratio-1))
				}
			}
		}
	}
	met, _, err := tr.TrainStep(prompt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tokens: max |old - sampler| %.2g, at T=1 %.2g; epoch-1 max |ratio-1| %.2g; metric mean %.2g max %.2g",
		n0, worstOld, worstT1, devEpoch1, met.SamplingLogpDiffMean, met.SamplingLogpDiffMax)
	if n0 == 0 || n1 != n0 {
		t.Fatalf("observed %d tokens in epoch 0 and %d in epoch 1", n0, n1)
	}
	if worstOld > 1e-4 {
		t.Errorf("old log-probs differ from the sampler's by up to %g > 1e-4", worstOld)
	}
	if worstT1 < 1e-2 {
		t.Errorf("temperature-1 log-probs within %g of the sampler's: the check cannot tell temperatures apart", worstT1)
	}
	if devEpoch1 == 0 {
		t.Error("the second epoch's ratio is still exactly 1: the update changed nothing")
	}
	if met.SamplingLogpDiffMax > 1e-4 || met.SamplingLogpDiffMax != worstOld {
		t.Errorf("logged sampling logp difference max %g, want the observed %g", met.SamplingLogpDiffMax, worstOld)
	}
}
