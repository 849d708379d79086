package run

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/tokenizer"
)

// Source is where the base model comes from: "default" (embedded) or an
// HF model directory (config.json, *.safetensors, tokenizer.json).
type Source struct {
	Name     string
	Tok      *tokenizer.Tokenizer
	TokFiles map[string][]byte // tokenizer.json, tokenizer_config.json: copied into checkpoints
}

// OpenSource loads the tokenizer of a model source.
func OpenSource(name string) (*Source, error) {
	if name == "" || name == "default" {
		tok, err := defaultmodel.Tokenizer()
		if err != nil {
			return nil, err
		}
		return &Source{Name: "default", Tok: tok, TokFiles: defaultmodel.TokenizerFiles()}, nil
	}
	tok, err := tokenizer.Load(name)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, f := range []string{"tokenizer.json", "tokenizer_config.json"} {
		if data, err := os.ReadFile(filepath.Join(name, f)); err == nil {
			files[f] = data
		}
	}
	return &Source{Name: name, Tok: tok, TokFiles: files}, nil
}

// Load returns a fresh copy of the base model.
func (s *Source) Load() (*model.Model, error) {
	if s.Name == "default" {
		return defaultmodel.Model()
	}
	return model.Load(s.Name)
}

// ParamsHash is the sha256 of a model's float32 parameters: it identifies
// the base (reference) model of a run across a resume.
func ParamsHash(m *model.Model) string {
	h := sha256.New()
	buf := make([]byte, 0, 4096)
	for _, p := range m.Params {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(p))
		if len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return hex.EncodeToString(h.Sum(nil))
}
