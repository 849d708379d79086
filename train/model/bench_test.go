package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func benchModel(b *testing.B, vocab, d, ffn, heads, kv int) *Model {
	cfg := Config{ModelType: "qwen2", VocabSize: vocab, HiddenSize: d, IntermediateSize: ffn, NumLayers: 4, NumHeads: heads,
		NumKVHeads: kv, HeadDim: d / heads, RMSNormEps: 1e-6, RopeTheta: 1e6, TieWordEmbeddings: true,
		MaxPositionEmbeddings: 4096, InitializerRange: 0.02, QKVBias: true, BOSTokenID: -1}
	m, err := New(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

var benchShapes = []struct {
	name                     string
	vocab, d, ffn, heads, kv int
}{{"tiny", 512, 256, 688, 4, 2}, {"small", 2048, 512, 1376, 8, 2}}

// BenchmarkTrainStep: forward log-probs + backward, batch 8 x 256.
func BenchmarkTrainStep(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			m := benchModel(b, s.vocab, s.d, s.ffn, s.heads, s.kv)
			B, T := 8, 256
			r := rand.New(rand.NewPCG(1, 1))
			batch := &Batch{B: B, T: T, Tokens: make([]int32, B*T)}
			for i := range batch.Tokens {
				batch.Tokens[i] = int32(r.IntN(s.vocab))
			}
			dl := make([]float32, B*T)
			for i := range dl {
				dl[i] = -1
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := m.ForwardLogProbs(batch); err != nil {
					b.Fatal(err)
				}
				if err := m.Backward(dl, dl); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*B*T)/b.Elapsed().Seconds(), "tok/s")
		})
	}
}

// BenchmarkDecode: one KV-cache decode step for 8 sequences at position 128.
func BenchmarkDecode(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			m := benchModel(b, s.vocab, s.d, s.ffn, s.heads, s.kv)
			B := 8
			kc := m.NewCache(B, 256)
			toks, pos := make([]int32, B), make([]int32, B)
			for i := range pos {
				pos[i] = 128
				toks[i] = int32(i)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.Decode(kc, toks, pos); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*B)/b.Elapsed().Seconds(), "tok/s")
		})
	}
}

// BenchmarkLayers times the non-GEMM layer kernels on training-sized rows.
func BenchmarkLayers(b *testing.B) {
	N, D, F := 2048, 256, 688
	r := rand.New(rand.NewPCG(1, 1))
	x, w, out, rstd := rnd32(r, N*D, 1), rnd32(r, D, 1), make([]float32, N*D), make([]float32, N)
	gu, h := rnd32(r, N*2*F, 1), make([]float32, N*F)
	a := attnShape{B: 8, T: 256, H: 4, G: 2, hd: 64, ld: 512, kcol: 256, vcol: 384, scale: 0.125, outLd: 256}
	qkv, ao, P := rnd32(r, N*512, 1), make([]float32, N*256), make([]float32, 8*4*256*256)
	dq := make([]float32, N*512)
	logits, y := rnd32(r, 512*2048, 1), make([]int32, 512)
	lp, en, lse := make([]float32, 512), make([]float32, 512), make([]float32, 512)
	for _, bc := range []struct {
		name string
		f    func()
	}{
		{"rmsnorm", func() { rmsnormForward(out, rstd, x, w, N, D, 1e-6) }},
		{"rmsnorm_backward", func() { rmsnormBackward(out, w, x, x, w, rstd, N, D) }},
		{"swiglu", func() { swigluForward(h, gu, N, F) }},
		{"swiglu_backward", func() { swigluBackward(gu, h, gu, N, F) }},
		{"attention", func() { attentionForward(ao, P, qkv, a) }},
		{"attention_backward", func() { attentionBackward(dq, ao, P, qkv, a) }},
		{"head_logsoftmax_V2048", func() { headForward(lp, en, lse, logits, y, 2048, 1) }},
	} {
		b.Run(fmt.Sprint(bc.name), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bc.f()
			}
		})
	}
}
