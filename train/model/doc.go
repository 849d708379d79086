// Package model is poly's decoder-only transformer of the Qwen2/Llama
// family on the CPU, in float32: RMSNorm, RoPE (rope_theta from the
// config), SwiGLU MLP, grouped-query attention, optional q/k/v (and o)
// bias, tied or untied embeddings. It follows llm.c's discipline: all
// parameters live in one flat []float32 (Model.Params) and the gradients
// in another (Model.Grads); every layer has a forward and a backward
// function with explicit buffers (layers.go), each gradient-checked in the
// tests against finite differences of an independent float64 reference.
//
// # Stable API (used by sampling, GRPO, checkpoints and poly train)
//
// Building and storing:
//
//	cfg, err := model.LoadConfig("dir/config.json")   // or model.ParseConfig(json)
//	m, err := model.New(cfg, seed)                     // HF init: normal(0, initializer_range)
//	m, err := model.Load("dir")                        // config.json + model.safetensors or a sharded index; F32/F16/BF16
//	err = m.Save("dir")                                // HF names, F32, each file atomic; transformers loads it
//
// Parameters: m.Params and m.Grads are flat and laid out by m.Table
// ([]ParamInfo{Name, Offset, Size, Shape}, HF tensor names);
// m.Param(name) returns the views of one tensor; m.DecayMask() says which
// Table entries take weight decay; m.ZeroGrad() clears Grads;
// m.CheckFinite(grads) finds NaN/Inf; m.Clone() copies the model (e.g. a
// frozen GRPO reference); m.NumParams() counts parameters.
//
// Training (SFT, GRPO):
//
//	logp, ent, err := m.ForwardLogProbs(&model.Batch{B: B, T: T, Tokens: ids, Mask: mask})
//	// logp[b*T+t] = log p(ids[b*T+t+1] | ids[b*T : b*T+t+1]); ent[b*T+t] = entropy there
//	err = m.Backward(dLogp, dEnt) // accumulates d(sum dLogp*logp + dEnt*ent)/dParams into m.Grads
//
// Sequences are left-aligned and right-padded; Mask[b*T+t] selects the
// predictions that are scored (nil: all but each row's last).
// Batch.Temperature (0 means 1) divides the logits before the
// log-softmax, in the forward and the backward: logp and ent are then of
// the tempered distribution a sampler at that temperature draws from
// (GRPO passes its sampling temperature, as TRL and verl do). The returned
// slices belong to the model until the next forward. SFT: dLogp = -1/count
// on scored positions; GRPO passes its per-token surrogate gradients.
//
// Inference with a KV cache:
//
//	kc := m.NewCache(B, maxLen)
//	logits, err := m.Prefill(kc, prompts)             // [][]int32, one per sequence; logits after each prompt
//	logits, err = m.Decode(kc, tokens, positions)     // one token per sequence (negative: skip it)
//
// kc.CopySeq(dst, src, n) copies a prefilled prompt to another sequence.
// logits is [B][V] (rows of a model-owned buffer, valid until the next
// call). A cache can be reused: Prefill rewrites it from position 0.
// Sampling (temperature, top-p, top-k) lives with the caller. A Model is
// not safe for concurrent use; kernels parallelise internally over one
// process-wide worker pool (train/tensor).
//
// The optimiser (AdamW over the flat buffers, with m.DecayRanges() as its
// Decay, and gradient clipping) is package
// github.com/polylearn/poly/train/optim.
package model
