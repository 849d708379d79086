// Package defaultmodel embeds poly's default model: a tiny Qwen2-style
// decoder and its byte-level BPE tokenizer (vocabulary 1024, Qwen's
// pre-tokenizer and ChatML special tokens), so that `poly train` works with
// no download. The tokenizer is trained by gen/tokenizer.py (HF tokenizers,
// offline); the weights are written by gen/main.go (see its doc).
package defaultmodel

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

//go:embed assets
var assets embed.FS

// Tokenizer returns the default tokenizer.
func Tokenizer() (*tokenizer.Tokenizer, error) {
	tj, err := assets.ReadFile("assets/tokenizer.json")
	if err != nil {
		return nil, err
	}
	cj, err := assets.ReadFile("assets/tokenizer_config.json")
	if err != nil {
		return nil, err
	}
	t, err := tokenizer.ParseWithConfig(tj, cj)
	if err != nil {
		return nil, fmt.Errorf("default tokenizer: %w", err)
	}
	return t, nil
}

// WriteDir writes the embedded files (config.json, model.safetensors,
// tokenizer.json, tokenizer_config.json, whichever are embedded) into dir,
// which must exist: an HF model directory transformers can load.
func WriteDir(dir string) error {
	entries, err := assets.ReadDir("assets")
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := assets.ReadFile("assets/" + e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Model returns a fresh copy of the default model.
func Model() (*model.Model, error) {
	dir, err := os.MkdirTemp("", "poly-default-model-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"config.json", "model.safetensors"} {
		data, err := assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, fmt.Errorf("default model: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	m, err := model.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("default model: %w", err)
	}
	return m, nil
}

// TokenizerFiles returns the embedded tokenizer.json and
// tokenizer_config.json by name (copied into checkpoints so that they are
// complete HF model directories).
func TokenizerFiles() map[string][]byte {
	out := map[string][]byte{}
	for _, name := range []string{"tokenizer.json", "tokenizer_config.json"} {
		if data, err := assets.ReadFile("assets/" + name); err == nil {
			out[name] = data
		}
	}
	return out
}
