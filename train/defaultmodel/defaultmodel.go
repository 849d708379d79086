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
