package grpo

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/train/optim"
)

// trlLossScript computes the GRPO loss as TRL's GRPOTrainer._compute_loss
// writes it (loss_type grpo / bnpo / dr_grpo), plus verl's entropy bonus,
// with torch autograd for the gradients.
const trlLossScript = `
import json, sys, torch
d = json.load(open(sys.argv[1]))
torch.set_default_dtype(torch.float64)
out = {}
for loss_type in ["bnpo", "grpo", "dr_grpo", "sum"]:
    logp = torch.tensor(d["logp"], requires_grad=True)
    ent = torch.tensor(d["ent"], requires_grad=True)
    old, ref, mask = torch.tensor(d["old"]), torch.tensor(d["ref"]), torch.tensor(d["mask"])
    adv = torch.tensor(d["adv"])
    beta, el, eh, ec = d["beta"], d["eps_low"], d["eps_high"], d["ent_coef"]
    per_token_kl = torch.exp(ref - logp) - (ref - logp) - 1
    coef_1 = torch.exp(logp - old)
    coef_2 = torch.clamp(coef_1, 1 - el, 1 + eh)
    l1 = coef_1 * adv.unsqueeze(1)
    l2 = coef_2 * adv.unsqueeze(1)
    per_token_loss = -torch.min(l1, l2) + beta * per_token_kl - ec * ent
    if loss_type == "grpo":
        loss = ((per_token_loss * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).mean()
    elif loss_type == "bnpo":
        loss = (per_token_loss * mask).sum() / mask.sum().clamp(min=1.0)
    elif loss_type == "dr_grpo":
        loss = (per_token_loss * mask).sum() / (per_token_loss.size(0) * d["max_tokens"])
    else:
        loss = (per_token_loss * mask).sum(-1).mean()
    loss.backward()
    out[loss_type] = {"loss": loss.item(), "dlogp": logp.grad.tolist(), "dent": ent.grad.tolist()}
print(json.dumps(out))
`

func TestLossMatchesTRL(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2))
	const B, T = 4, 6
	lens := []int{6, 3, 1, 5}
	in := map[string]any{"beta": 0.04, "eps_low": 0.2, "eps_high": 0.28, "ent_coef": 0.01, "max_tokens": 8}
	mk := func(f func() float64) [][]float64 {
		x := make([][]float64, B)
		for b := range x {
			x[b] = make([]float64, T)
			for k := range x[b] {
				x[b][k] = f()
			}
		}
		return x
	}
	logp := mk(func() float64 { return -2 * r.Float64() })
	old := make([][]float64, B)
	for b := range old {
		old[b] = make([]float64, T)
		for k := range old[b] {
			old[b][k] = logp[b][k] + 0.4*r.NormFloat64() // ratios on both sides of the clip range
		}
	}
	ref := mk(func() float64 { return -2 * r.Float64() })
	ent := mk(func() float64 { return 3 * r.Float64() })
	mask := mk(func() float64 { return 0 })
	for b, n := range lens {
		for k := 0; k < n; k++ {
			mask[b][k] = 1
		}
	}
	adv := []float64{1.2, -0.7, 0.3, -1.5}
	in["logp"], in["old"], in["ref"], in["ent"], in["mask"], in["adv"] = logp, old, ref, ent, mask, adv
	data, _ := json.Marshal(in)
	path := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var want map[string]struct {
		Loss  float64
		DLogp [][]float64
		DEnt  [][]float64
	}
	if err := json.Unmarshal(pyref.Run(t, trlLossScript, path), &want); err != nil {
		t.Fatal(err)
	}
	for trl, agg := range map[string]string{"bnpo": AggTokenMean, "grpo": AggSeqMeanTokenMean, "dr_grpo": AggSeqMeanTokenSumNorm, "sum": AggSeqMeanTokenSum} {
		c := LossConfig{EpsLow: 0.2, EpsHigh: 0.28, Beta: 0.04, EntropyCoef: 0.01, Agg: agg, MaxTokens: 8}
		w := c.SeqWeights(lens)
		loss := 0.0
		for b := 0; b < B; b++ {
			for k := 0; k < T; k++ {
				tt := c.Token(logp[b][k], old[b][k], ref[b][k], ent[b][k], adv[b])
				g, ge := 0.0, 0.0
				if k < lens[b] {
					loss += w[b] * tt.Loss
					g, ge = w[b]*tt.DLogp, w[b]*tt.DEntropy
				}
				if math.Abs(g-want[trl].DLogp[b][k]) > 1e-12 || math.Abs(ge-want[trl].DEnt[b][k]) > 1e-12 {
					t.Errorf("%s/%s: grad [%d][%d] = %v, %v; torch %v, %v", trl, agg, b, k, g, ge, want[trl].DLogp[b][k], want[trl].DEnt[b][k])
				}
			}
		}
		if math.Abs(loss-want[trl].Loss) > 1e-12 {
			t.Errorf("%s/%s: loss %v, torch %v", trl, agg, loss, want[trl].Loss)
		}
	}
}

// torchAdamWScript runs torch.optim.AdamW with grad clipping.
const torchAdamWScript = `
import json, sys, torch
d = json.load(open(sys.argv[1]))
p = torch.nn.Parameter(torch.tensor(d["p"], dtype=torch.float32))
opt = torch.optim.AdamW([p], lr=d["lr"], weight_decay=d["wd"], betas=(0.9, 0.999), eps=1e-8)
norms = []
for g in d["grads"]:
    p.grad = torch.tensor(g, dtype=torch.float32)
    norms.append(torch.nn.utils.clip_grad_norm_([p], 1.0).item())
    opt.step()
print(json.dumps({"p": p.tolist(), "norms": norms}))
`

func TestAdamWMatchesTorch(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	n := 50
	p := make([]float32, n)
	for i := range p {
		p[i] = float32(r.NormFloat64())
	}
	var grads [][]float32
	for s := 0; s < 5; s++ {
		g := make([]float32, n)
		for i := range g {
			g[i] = float32(r.NormFloat64() * 0.5)
		}
		grads = append(grads, g)
	}
	data, _ := json.Marshal(map[string]any{"p": p, "grads": grads, "lr": 0.01, "wd": 0.01})
	path := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var want struct {
		P     []float64
		Norms []float64
	}
	if err := json.Unmarshal(pyref.Run(t, torchAdamWScript, path), &want); err != nil {
		t.Fatal(err)
	}
	o := optim.NewAdamW(n)
	o.WeightDecay = 0.01
	for s, g := range grads {
		g = append([]float32(nil), g...)
		if norm := optim.ClipGradNorm(g, 1); math.Abs(norm-want.Norms[s]) > 1e-5 {
			t.Errorf("step %d: norm %v, torch %v", s, norm, want.Norms[s])
		}
		if err := o.Update(p, g, 0.01); err != nil {
			t.Fatal(err)
		}
	}
	for i := range p {
		if math.Abs(float64(p[i])-want.P[i]) > 2e-6 {
			t.Errorf("param %d: %v, torch %v", i, p[i], want.P[i])
		}
	}
}
