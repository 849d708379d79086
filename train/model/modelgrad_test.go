package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// refModelLoss is an independent float64 forward of the whole model over a
// batch: sum over scored positions of gl*logp + ge*entropy.
func refModelLoss(m *Model, p []float64, batch *Batch, gl, ge []float32) float64 {
	c := &m.Config
	get := func(name string) []float64 {
		for _, t := range m.Table {
			if t.Name == name {
				return p[t.Offset : t.Offset+t.Size]
			}
		}
		if name == "lm_head.weight" && c.TieWordEmbeddings {
			return get0(m, p, "model.embed_tokens.weight")
		}
		return nil
	}
	B, T, D, F := batch.B, batch.T, c.HiddenSize, c.IntermediateSize
	N, Q, KV := B*T, c.QDim(), c.KVDim()
	eps := c.RMSNormEps
	emb := get("model.embed_tokens.weight")
	x := make([]float64, N*D)
	for n, tk := range batch.Tokens {
		copy(x[n*D:(n+1)*D], emb[int(tk)*D:])
	}
	pos := make([]int32, N)
	for n := range pos {
		pos[n] = int32(n % T)
	}
	a := attnShape{B: B, T: T, H: c.NumHeads, G: c.NumKVHeads, hd: c.HeadDim, ld: Q + 2*KV, kcol: Q, vcol: Q + KV,
		scale: float32(1 / math.Sqrt(float64(c.HeadDim))), outLd: Q}
	for l := 0; l < c.NumLayers; l++ {
		pre := "model.layers." + itoa(l) + "."
		xn := refRMSNorm(x, get(pre+"input_layernorm.weight"), N, D, eps)
		q := refLinear(xn, get(pre+"self_attn.q_proj.weight"), get(pre+"self_attn.q_proj.bias"), N, D, Q)
		k := refLinear(xn, get(pre+"self_attn.k_proj.weight"), get(pre+"self_attn.k_proj.bias"), N, D, KV)
		v := refLinear(xn, get(pre+"self_attn.v_proj.weight"), get(pre+"self_attn.v_proj.bias"), N, D, KV)
		q = refRope(q, N, Q, 0, c.NumHeads, c.HeadDim, pos, c.RopeTheta)
		k = refRope(k, N, KV, 0, c.NumKVHeads, c.HeadDim, pos, c.RopeTheta)
		qkv := make([]float64, N*a.ld)
		for n := 0; n < N; n++ {
			copy(qkv[n*a.ld:], q[n*Q:(n+1)*Q])
			copy(qkv[n*a.ld+Q:], k[n*KV:(n+1)*KV])
			copy(qkv[n*a.ld+Q+KV:], v[n*KV:(n+1)*KV])
		}
		o := refLinear(refAttention(qkv, a), get(pre+"self_attn.o_proj.weight"), get(pre+"self_attn.o_proj.bias"), N, Q, D)
		for i := range x {
			x[i] += o[i]
		}
		xn = refRMSNorm(x, get(pre+"post_attention_layernorm.weight"), N, D, eps)
		g := refLinear(xn, get(pre+"mlp.gate_proj.weight"), nil, N, D, F)
		u := refLinear(xn, get(pre+"mlp.up_proj.weight"), nil, N, D, F)
		gu := make([]float64, N*2*F)
		for n := 0; n < N; n++ {
			copy(gu[n*2*F:], g[n*F:(n+1)*F])
			copy(gu[n*2*F+F:], u[n*F:(n+1)*F])
		}
		d := refLinear(refSwiGLU(gu, N, F), get(pre+"mlp.down_proj.weight"), nil, N, F, D)
		for i := range x {
			x[i] += d[i]
		}
	}
	xn := refRMSNorm(x, get("model.norm.weight"), N, D, eps)
	logits := refLinear(xn, get("lm_head.weight"), nil, N, D, c.VocabSize)
	var loss float64
	for n := 0; n < N; n++ {
		if n%T == T-1 || (batch.Mask != nil && !batch.Mask[n]) {
			continue
		}
		lp, en := refHead(logits[n*c.VocabSize:(n+1)*c.VocabSize], []int32{batch.Tokens[n+1]}, c.VocabSize, float64(batch.Temperature))
		loss += float64(gl[n])*lp[0] + float64(ge[n])*en[0]
	}
	return loss
}

func get0(m *Model, p []float64, name string) []float64 {
	for _, t := range m.Table {
		if t.Name == name {
			return p[t.Offset : t.Offset+t.Size]
		}
	}
	return nil
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + itoa(i%10)
}

func tinyConfig(modelType string, tied bool) Config {
	cfg := Config{ModelType: modelType, VocabSize: 19, HiddenSize: 16, IntermediateSize: 24, NumLayers: 2, NumHeads: 4,
		NumKVHeads: 2, HeadDim: 4, RMSNormEps: 1e-6, RopeTheta: 100, TieWordEmbeddings: tied,
		MaxPositionEmbeddings: 64, InitializerRange: 0.3, BOSTokenID: -1}
	cfg.QKVBias = modelType == "qwen2" || modelType == "llama-bias"
	cfg.OBias = modelType == "llama-bias"
	if modelType == "llama-bias" {
		cfg.ModelType = "llama"
	}
	return cfg
}

// TestGradModel checks the whole model's Backward (every parameter, through
// the head with log-prob and entropy gradients, a mask, GQA, RoPE, biases,
// tied and untied embeddings, sampling temperatures other than 1) against
// finite differences of refModelLoss.
func TestGradModel(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		tied bool
		temp float32 // 0: 1
	}{{"qwen2", true, 0}, {"qwen2", false, 0}, {"llama", false, 0}, {"llama-bias", true, 0}, {"qwen2", true, 0.6}, {"llama", false, 1.7}} {
		name := tc.typ + map[bool]string{true: "/tied", false: "/untied"}[tc.tied]
		if tc.temp != 0 {
			name += fmt.Sprintf("/T=%v", tc.temp)
		}
		t.Run(name, func(t *testing.T) {
			m, err := New(tinyConfig(tc.typ, tc.tied), 7)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(3, 4))
			for _, p := range m.Table { // make norms and biases non-trivial
				if strings.HasSuffix(p.Name, "bias") || strings.HasSuffix(p.Name, "norm.weight") {
					for i := p.Offset; i < p.Offset+p.Size; i++ {
						m.Params[i] += float32(r.NormFloat64() * 0.3)
					}
				}
			}
			B, T := 2, 7
			batch := &Batch{B: B, T: T, Tokens: make([]int32, B*T), Mask: make([]bool, B*T), Temperature: tc.temp}
			for i := range batch.Tokens {
				batch.Tokens[i] = int32(r.IntN(m.Config.VocabSize))
				batch.Mask[i] = i%5 != 2
			}
			gl, ge := rnd32(r, B*T, 1), rnd32(r, B*T, 1)
			logp, ent, err := m.ForwardLogProbs(batch)
			if err != nil {
				t.Fatal(err)
			}
			p64 := to64(m.Params)
			var loss float64
			for n := range logp {
				loss += float64(gl[n])*float64(logp[n]) + float64(ge[n])*float64(ent[n])
			}
			if ref := refModelLoss(m, p64, batch, gl, ge); math.Abs(ref-loss) > 1e-4*math.Max(1, math.Abs(ref)) {
				t.Fatalf("forward: loss %g, reference %g", loss, ref)
			}
			m.ZeroGrad()
			if err := m.Backward(gl, ge); err != nil {
				t.Fatal(err)
			}
			num := numGrad(p64, func() float64 { return refModelLoss(m, p64, batch, gl, ge) })
			for _, p := range m.Table {
				checkGrad(t, p.Name, m.Grads[p.Offset:p.Offset+p.Size], num[p.Offset:p.Offset+p.Size], 1e-4)
			}
			// gradients accumulate: a second Backward doubles them
			g1 := append([]float32{}, m.Grads...)
			if err := m.Backward(gl, ge); err != nil {
				t.Fatal(err)
			}
			for i := range g1 {
				if math.Abs(float64(m.Grads[i]-2*g1[i])) > 1e-5*math.Max(1, math.Abs(float64(g1[i]))) {
					t.Fatalf("Backward does not accumulate: %g vs 2*%g", m.Grads[i], g1[i])
				}
			}
		})
	}
}
