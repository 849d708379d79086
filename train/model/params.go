package model

import (
	"fmt"
	"strings"
)

// ParamInfo locates one HF-named tensor inside the flat parameter buffer:
// Params[Offset : Offset+Size] holds it row-major with shape Shape.
type ParamInfo struct {
	Name   string
	Offset int
	Size   int
	Shape  []int
}

// layerParams are views of one decoder layer's tensors.
type layerParams struct {
	inNorm   []float32 // [D]
	qkvW     []float32 // [Q+2KV, D]: q_proj, k_proj, v_proj weights stacked
	qkvB     []float32 // [Q+2KV] or nil
	oW, oB   []float32 // [D, Q], [D] or nil
	postNorm []float32 // [D]
	gateUp   []float32 // [2F, D]: gate_proj then up_proj
	down     []float32 // [D, F]
}

// layout builds the parameter table of cfg in storage order.
func layout(cfg *Config) []ParamInfo {
	var tab []ParamInfo
	off := 0
	add := func(name string, shape ...int) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		tab = append(tab, ParamInfo{Name: name, Offset: off, Size: n, Shape: shape})
		off += n
	}
	D, F, Q, KV, V := cfg.HiddenSize, cfg.IntermediateSize, cfg.QDim(), cfg.KVDim(), cfg.VocabSize
	add("model.embed_tokens.weight", V, D)
	for l := 0; l < cfg.NumLayers; l++ {
		// q, k, v weights are adjacent (one [Q+2KV, D] matrix, one GEMM), so
		// are their biases, and gate and up (one [2F, D] matrix).
		p := fmt.Sprintf("model.layers.%d.", l)
		add(p+"input_layernorm.weight", D)
		add(p+"self_attn.q_proj.weight", Q, D)
		add(p+"self_attn.k_proj.weight", KV, D)
		add(p+"self_attn.v_proj.weight", KV, D)
		if cfg.QKVBias {
			add(p+"self_attn.q_proj.bias", Q)
			add(p+"self_attn.k_proj.bias", KV)
			add(p+"self_attn.v_proj.bias", KV)
		}
		add(p+"self_attn.o_proj.weight", D, Q)
		if cfg.OBias {
			add(p+"self_attn.o_proj.bias", D)
		}
		add(p+"post_attention_layernorm.weight", D)
		add(p+"mlp.gate_proj.weight", F, D)
		add(p+"mlp.up_proj.weight", F, D)
		add(p+"mlp.down_proj.weight", D, F)
	}
	add("model.norm.weight", D)
	if !cfg.TieWordEmbeddings {
		add("lm_head.weight", V, D)
	}
	return tab
}

// views holds slices of one flat buffer (parameters or gradients).
type views struct {
	emb, normF, head []float32
	layers           []layerParams
}

func makeViews(cfg *Config, tab []ParamInfo, buf []float32) views {
	idx := map[string]ParamInfo{}
	for _, p := range tab {
		idx[p.Name] = p
	}
	// at returns n values of buf from the start of the named tensor (nil if absent).
	at := func(name string, n int) []float32 {
		p, ok := idx[name]
		if !ok {
			return nil
		}
		if n == 0 {
			n = p.Size
		}
		return buf[p.Offset : p.Offset+n : p.Offset+n]
	}
	v := views{emb: at("model.embed_tokens.weight", 0), normF: at("model.norm.weight", 0), head: at("lm_head.weight", 0)}
	if cfg.TieWordEmbeddings {
		v.head = v.emb
	}
	qkv := cfg.QDim() + 2*cfg.KVDim()
	for l := 0; l < cfg.NumLayers; l++ {
		p := fmt.Sprintf("model.layers.%d.", l)
		v.layers = append(v.layers, layerParams{
			inNorm:   at(p+"input_layernorm.weight", 0),
			qkvW:     at(p+"self_attn.q_proj.weight", qkv*cfg.HiddenSize),
			qkvB:     at(p+"self_attn.q_proj.bias", qkv),
			oW:       at(p+"self_attn.o_proj.weight", 0),
			oB:       at(p+"self_attn.o_proj.bias", 0),
			postNorm: at(p+"post_attention_layernorm.weight", 0),
			gateUp:   at(p+"mlp.gate_proj.weight", 2*cfg.IntermediateSize*cfg.HiddenSize),
			down:     at(p+"mlp.down_proj.weight", 0),
		})
	}
	return v
}

// isNormOrBias reports whether a parameter is a norm weight or a bias
// (tensors that AdamW conventionally leaves out of weight decay).
func isNormOrBias(name string) bool {
	return strings.HasSuffix(name, ".bias") || strings.HasSuffix(name, "norm.weight")
}
