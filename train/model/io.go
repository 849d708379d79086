package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/polylearn/poly/train/safetensors"
)

// Load reads a model directory in HF layout: config.json and either
// model.safetensors or model.safetensors.index.json with its shards.
// Tensors may be F32, F16 or BF16 (converted to float32). Every tensor the
// config needs must be present with the right shape; lm_head.weight is
// ignored when the embeddings are tied.
func Load(dir string) (*Model, error) {
	cfg, err := LoadConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	m, err := alloc(cfg)
	if err != nil {
		return nil, err
	}
	files, err := weightFiles(dir)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, path := range files {
		f, err := safetensors.ReadFile(path)
		if err != nil {
			return nil, err
		}
		for _, p := range m.Table {
			t, ok := f.Tensors[p.Name]
			if !ok || found[p.Name] {
				continue
			}
			if !slices.Equal(t.Shape, p.Shape) {
				return nil, fmt.Errorf("%s: tensor %s has shape %v, the config needs %v", path, p.Name, t.Shape, p.Shape)
			}
			if err := t.Float32s(m.Params[p.Offset : p.Offset+p.Size]); err != nil {
				return nil, fmt.Errorf("%s: tensor %s: %w", path, p.Name, err)
			}
			found[p.Name] = true
		}
	}
	var missing []string
	for _, p := range m.Table {
		if !found[p.Name] {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		more := ""
		if len(missing) > 3 {
			more = fmt.Sprintf(" and %d more", len(missing)-3)
			missing = missing[:3]
		}
		return nil, fmt.Errorf("%s: missing tensors %v%s", dir, missing, more)
	}
	return m, nil
}

// weightFiles lists the safetensors files of a model directory.
func weightFiles(dir string) ([]string, error) {
	single := filepath.Join(dir, "model.safetensors")
	if _, err := os.Stat(single); err == nil {
		return []string{single}, nil
	}
	idxPath := filepath.Join(dir, "model.safetensors.index.json")
	b, err := os.ReadFile(idxPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: no model.safetensors or model.safetensors.index.json", dir)
	}
	if err != nil {
		return nil, err
	}
	var idx struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("%s: %w", idxPath, err)
	}
	seen := map[string]bool{}
	var files []string
	for _, f := range idx.WeightMap {
		if f != filepath.Base(f) {
			return nil, fmt.Errorf("%s: shard name %q is not a plain file name", idxPath, f)
		}
		if !seen[f] {
			seen[f] = true
			files = append(files, filepath.Join(dir, f))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: empty weight_map", idxPath)
	}
	return files, nil
}

// Save writes config.json and model.safetensors (float32, HF tensor names)
// into dir, creating it if needed; each file is written atomically. HF
// transformers loads the result with from_pretrained.
func (m *Model) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tensors := make([]safetensors.Named, 0, len(m.Table))
	for _, p := range m.Table {
		tensors = append(tensors, safetensors.Named{Name: p.Name, Shape: p.Shape, Data: m.Params[p.Offset : p.Offset+p.Size]})
	}
	if err := safetensors.WriteFile(filepath.Join(dir, "model.safetensors"), tensors, nil); err != nil {
		return err
	}
	cj, err := m.Config.JSON()
	if err != nil {
		return err
	}
	return safetensors.WriteAtomic(filepath.Join(dir, "config.json"), func(f *os.File) error {
		_, err := f.Write(append(cj, '\n'))
		return err
	})
}
