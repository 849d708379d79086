package model

import (
	"encoding/json"
	"fmt"
	"os"
)

// Config is the architecture of a Qwen2/Llama-family decoder, read from an
// HF config.json. Raw keeps every field of the file it came from, so Save
// writes unknown fields back unchanged.
type Config struct {
	ModelType             string  // "qwen2" or "llama" (others of the family load if compatible)
	VocabSize             int     // vocab_size
	HiddenSize            int     // hidden_size
	IntermediateSize      int     // intermediate_size
	NumLayers             int     // num_hidden_layers
	NumHeads              int     // num_attention_heads
	NumKVHeads            int     // num_key_value_heads (defaults to NumHeads)
	HeadDim               int     // head_dim (defaults to HiddenSize/NumHeads)
	RMSNormEps            float64 // rms_norm_eps
	RopeTheta             float64 // rope_theta, or rope_parameters.rope_theta (transformers 5)
	TieWordEmbeddings     bool    // tie_word_embeddings
	MaxPositionEmbeddings int     // max_position_embeddings
	InitializerRange      float64 // initializer_range (std of the normal init)
	BOSTokenID            int     // bos_token_id (-1 if none)
	EOSTokenIDs           []int   // eos_token_id (an int or a list in config.json)
	QKVBias               bool    // q/k/v projections have a bias (qwen2, or llama's attention_bias)
	OBias                 bool    // o_proj has a bias (llama's attention_bias)

	Raw map[string]any // the parsed config.json, for round trips
}

// EOS returns the first end-of-sequence id, or -1.
func (c *Config) EOS() int {
	if len(c.EOSTokenIDs) == 0 {
		return -1
	}
	return c.EOSTokenIDs[0]
}

// QDim is the width of the query projection (heads * head_dim).
func (c *Config) QDim() int { return c.NumHeads * c.HeadDim }

// KVDim is the width of the key and value projections.
func (c *Config) KVDim() int { return c.NumKVHeads * c.HeadDim }

// LoadConfig reads an HF config.json.
func LoadConfig(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	c, err := ParseConfig(b)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ParseConfig parses and validates the JSON text of an HF config.json.
func ParseConfig(b []byte) (Config, error) {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	c := Config{Raw: raw, BOSTokenID: -1, RMSNormEps: 1e-6, RopeTheta: 10000, InitializerRange: 0.02, MaxPositionEmbeddings: 32768}
	var errs []string
	num := func(key string) (float64, bool) {
		v, ok := raw[key]
		if !ok || v == nil {
			return 0, false
		}
		f, ok := v.(float64)
		if !ok {
			errs = append(errs, fmt.Sprintf("%s: want a number, got %v", key, v))
			return 0, false
		}
		return f, true
	}
	integer := func(key string, dst *int, required bool) {
		f, ok := num(key)
		if !ok {
			if required {
				if _, present := raw[key]; !present {
					errs = append(errs, key+": missing")
				}
			}
			return
		}
		if f != float64(int(f)) {
			errs = append(errs, fmt.Sprintf("%s: want an integer, got %v", key, f))
			return
		}
		*dst = int(f)
	}
	boolean := func(key string, dst *bool) {
		if v, ok := raw[key]; ok && v != nil {
			bv, ok := v.(bool)
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: want true or false, got %v", key, v))
				return
			}
			*dst = bv
		}
	}
	if s, ok := raw["model_type"].(string); ok {
		c.ModelType = s
	}
	integer("vocab_size", &c.VocabSize, true)
	integer("hidden_size", &c.HiddenSize, true)
	integer("intermediate_size", &c.IntermediateSize, true)
	integer("num_hidden_layers", &c.NumLayers, true)
	integer("num_attention_heads", &c.NumHeads, true)
	c.NumKVHeads = c.NumHeads
	integer("num_key_value_heads", &c.NumKVHeads, false)
	integer("head_dim", &c.HeadDim, false)
	integer("max_position_embeddings", &c.MaxPositionEmbeddings, false)
	integer("bos_token_id", &c.BOSTokenID, false)
	if f, ok := num("rms_norm_eps"); ok {
		c.RMSNormEps = f
	}
	if f, ok := num("initializer_range"); ok {
		c.InitializerRange = f
	}
	if f, ok := num("rope_theta"); ok {
		c.RopeTheta = f
	}
	if rp, ok := raw["rope_parameters"].(map[string]any); ok {
		if f, ok := rp["rope_theta"].(float64); ok {
			c.RopeTheta = f
		}
		if t, ok := rp["rope_type"].(string); ok && t != "default" {
			errs = append(errs, fmt.Sprintf("rope_parameters.rope_type %q: only the default RoPE is supported", t))
		}
	}
	if rs, ok := raw["rope_scaling"].(map[string]any); ok {
		t, _ := rs["rope_type"].(string)
		if t == "" {
			t, _ = rs["type"].(string)
		}
		if t != "" && t != "default" {
			errs = append(errs, fmt.Sprintf("rope_scaling %q: only the default RoPE is supported", t))
		}
	}
	c.TieWordEmbeddings = false
	boolean("tie_word_embeddings", &c.TieWordEmbeddings)
	switch v := raw["eos_token_id"].(type) {
	case float64:
		c.EOSTokenIDs = []int{int(v)}
	case []any:
		for _, e := range v {
			if f, ok := e.(float64); ok {
				c.EOSTokenIDs = append(c.EOSTokenIDs, int(f))
			}
		}
	}
	switch c.ModelType {
	case "qwen2":
		c.QKVBias = true
	case "llama", "mistral", "":
		var ab bool
		boolean("attention_bias", &ab)
		c.QKVBias, c.OBias = ab, ab
		var mb bool
		boolean("mlp_bias", &mb)
		if mb {
			errs = append(errs, "mlp_bias: MLP biases are not supported")
		}
	default:
		errs = append(errs, fmt.Sprintf("model_type %q: only qwen2 and llama decoders are supported", c.ModelType))
	}
	if sw, ok := raw["use_sliding_window"].(bool); ok && sw {
		errs = append(errs, "use_sliding_window: sliding-window attention is not supported")
	}
	if act, ok := raw["hidden_act"].(string); ok && act != "silu" {
		errs = append(errs, fmt.Sprintf("hidden_act %q: only silu (SwiGLU) is supported", act))
	}
	if c.HeadDim == 0 && c.NumHeads > 0 {
		c.HeadDim = c.HiddenSize / c.NumHeads
	}
	if len(errs) == 0 {
		if err := c.Validate(); err != nil {
			return Config{}, err
		}
		return c, nil
	}
	return Config{}, fmt.Errorf("config: %s", joinErrs(errs))
}

func joinErrs(errs []string) string {
	s := errs[0]
	for _, e := range errs[1:] {
		s += "; " + e
	}
	return s
}

// Validate checks that the sizes are positive and consistent.
func (c *Config) Validate() error {
	var errs []string
	pos := func(name string, v int) {
		if v <= 0 {
			errs = append(errs, fmt.Sprintf("%s must be positive, got %d", name, v))
		}
	}
	pos("vocab_size", c.VocabSize)
	pos("hidden_size", c.HiddenSize)
	pos("intermediate_size", c.IntermediateSize)
	pos("num_hidden_layers", c.NumLayers)
	pos("num_attention_heads", c.NumHeads)
	pos("num_key_value_heads", c.NumKVHeads)
	pos("head_dim", c.HeadDim)
	pos("max_position_embeddings", c.MaxPositionEmbeddings)
	if c.NumHeads > 0 && c.NumKVHeads > 0 && c.NumHeads%c.NumKVHeads != 0 {
		errs = append(errs, fmt.Sprintf("num_attention_heads %d is not a multiple of num_key_value_heads %d", c.NumHeads, c.NumKVHeads))
	}
	if c.HeadDim%2 != 0 {
		errs = append(errs, fmt.Sprintf("head_dim %d must be even for RoPE", c.HeadDim))
	}
	if !(c.RMSNormEps > 0) || !(c.RopeTheta > 0) {
		errs = append(errs, "rms_norm_eps and rope_theta must be positive")
	}
	const limit = 1 << 31
	if int64(c.VocabSize)*int64(c.HiddenSize) >= limit || int64(c.IntermediateSize)*int64(c.HiddenSize) >= limit ||
		int64(c.NumHeads)*int64(c.HeadDim)*int64(c.HiddenSize) >= limit || int64(c.NumLayers) > 1<<12 {
		errs = append(errs, "model too large")
	} else if n := c.paramCount(); n > 1<<32 {
		errs = append(errs, fmt.Sprintf("model too large: %d parameters (at most 2^32)", n))
	}
	if len(errs) > 0 {
		return fmt.Errorf("config: %s", joinErrs(errs))
	}
	return nil
}

// paramCount is the number of float32 parameters of the config (int64,
// computed before anything is allocated).
func (c *Config) paramCount() int64 {
	D, F := int64(c.HiddenSize), int64(c.IntermediateSize)
	Q, KV := int64(c.NumHeads)*int64(c.HeadDim), int64(c.NumKVHeads)*int64(c.HeadDim)
	layer := 2*D + (Q+2*KV)*D + Q*D + 3*F*D
	if c.QKVBias {
		layer += Q + 2*KV
	}
	if c.OBias {
		layer += D
	}
	n := int64(c.VocabSize)*D + int64(c.NumLayers)*layer + D
	if !c.TieWordEmbeddings {
		n += int64(c.VocabSize) * D
	}
	return n
}

// JSON returns the config.json text for c: Raw with the architecture
// fields overwritten, plus what HF transformers needs to load it.
func (c *Config) JSON() ([]byte, error) {
	out := map[string]any{}
	for k, v := range c.Raw {
		out[k] = v
	}
	mt := c.ModelType
	if mt == "" {
		mt = "qwen2"
		if !c.QKVBias {
			mt = "llama"
		}
	}
	out["model_type"] = mt
	if _, ok := out["architectures"]; !ok {
		arch := map[string]string{"qwen2": "Qwen2ForCausalLM", "llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM"}[mt]
		if arch != "" {
			out["architectures"] = []string{arch}
		}
	}
	out["vocab_size"] = c.VocabSize
	out["hidden_size"] = c.HiddenSize
	out["intermediate_size"] = c.IntermediateSize
	out["num_hidden_layers"] = c.NumLayers
	out["num_attention_heads"] = c.NumHeads
	out["num_key_value_heads"] = c.NumKVHeads
	out["head_dim"] = c.HeadDim
	out["rms_norm_eps"] = c.RMSNormEps
	out["tie_word_embeddings"] = c.TieWordEmbeddings
	out["max_position_embeddings"] = c.MaxPositionEmbeddings
	out["initializer_range"] = c.InitializerRange
	out["hidden_act"] = "silu"
	out["rope_theta"] = c.RopeTheta
	out["rope_parameters"] = map[string]any{"rope_theta": c.RopeTheta, "rope_type": "default"}
	out["torch_dtype"] = "float32"
	out["dtype"] = "float32"
	if mt == "llama" || mt == "mistral" {
		out["attention_bias"] = c.QKVBias
		out["mlp_bias"] = false
	}
	if c.BOSTokenID >= 0 {
		out["bos_token_id"] = c.BOSTokenID
	}
	switch len(c.EOSTokenIDs) {
	case 0:
	case 1:
		out["eos_token_id"] = c.EOSTokenIDs[0]
	default:
		out["eos_token_id"] = c.EOSTokenIDs
	}
	return json.MarshalIndent(out, "", "  ")
}
