// Package ckpt writes and finds training checkpoints.
//
// A checkpoint is a directory <root>/step-<N> (N zero-padded to 8 digits)
// holding whatever files the trainer writes (model weights as
// safetensors with HF names and config.json, optimiser and RNG state,
// trainer state, tokenizer) plus manifest.json: the step, the spec hash,
// free-form metadata and the size and sha256 of every other file.
//
// Save is atomic: the files are written into a temporary sibling
// directory (.tmp-step-<N>-*), every file and the directory are fsynced,
// then the directory is renamed to step-<N> and the root fsynced. A crash
// leaves either the complete checkpoint or a .tmp directory that is
// ignored (and removed by the next Save). Only the newest Keep
// checkpoints are kept.
//
// Latest returns the newest complete checkpoint after verifying every
// checksum: a corrupted file is refused with an error naming it, never
// loaded, and never silently skipped in favour of an older checkpoint.
package ckpt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Format identifies the manifest layout.
const Format = "poly-checkpoint/1"

// ManifestName is the manifest's file name inside a checkpoint.
const ManifestName = "manifest.json"

// FileSum is the size and sha256 of one file.
type FileSum struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes one checkpoint.
type Manifest struct {
	Format   string             `json:"format"`
	Step     int                `json:"step"`
	SpecHash string             `json:"spec_hash,omitempty"`
	Created  string             `json:"created"`
	Meta     map[string]any     `json:"meta,omitempty"`
	Files    map[string]FileSum `json:"files"`
}

// Dir returns the directory name of the checkpoint of step.
func Dir(root string, step int) string {
	return filepath.Join(root, fmt.Sprintf("step-%08d", step))
}

// Save writes the checkpoint of m.Step into root: write fills the given
// (temporary) directory with the checkpoint's files, then the manifest is
// added and the directory atomically renamed into place. It keeps the
// newest keep checkpoints (keep <= 0: all) and returns the directory.
func Save(root string, m Manifest, keep int, write func(dir string) error) (string, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	removeStaleTemps(root)
	final := Dir(root, m.Step)
	tmp, err := os.MkdirTemp(root, fmt.Sprintf(".tmp-step-%08d-", m.Step))
	if err != nil {
		return "", err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := write(tmp); err != nil {
		return "", fmt.Errorf("checkpoint step %d: %w", m.Step, err)
	}
	m.Format = Format
	m.Created = time.Now().UTC().Format(time.RFC3339)
	m.Files = map[string]FileSum{}
	err = filepath.WalkDir(tmp, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(tmp, path)
		sum, err := sumAndSync(path)
		if err != nil {
			return err
		}
		m.Files[filepath.ToSlash(rel)] = sum
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("checkpoint step %d: %w", m.Step, err)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	if err := writeSynced(filepath.Join(tmp, ManifestName), append(data, '\n')); err != nil {
		return "", err
	}
	if err := syncDir(tmp); err != nil {
		return "", err
	}
	if _, err := os.Stat(final); err == nil {
		// a checkpoint of this step exists (a resumed run re-saving it):
		// replace it
		if err := os.RemoveAll(final); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	ok = true
	if err := syncDir(root); err != nil {
		return "", err
	}
	if keep > 0 {
		if err := prune(root, keep); err != nil {
			return final, err
		}
	}
	return final, nil
}

// sumAndSync hashes a file and fsyncs it.
func sumAndSync(path string) (FileSum, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return FileSum{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileSum{}, err
	}
	if err := f.Sync(); err != nil {
		return FileSum{}, err
	}
	return FileSum{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeStaleTemps deletes the .tmp-* directories a crash left behind.
func removeStaleTemps(root string) {
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), ".tmp-step-") {
			os.RemoveAll(filepath.Join(root, e.Name()))
		}
	}
}

// List returns the steps of the checkpoint directories in root (complete
// or not: a directory named step-N without a manifest counts as
// incomplete), oldest first.
func List(root string) ([]int, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var steps []int
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), "step-")
		if !e.IsDir() || !ok {
			continue
		}
		n, err := strconv.Atoi(name)
		if err != nil || n < 0 {
			continue
		}
		steps = append(steps, n)
	}
	sort.Ints(steps)
	return steps, nil
}

// prune removes all but the newest keep checkpoints.
func prune(root string, keep int) error {
	steps, err := List(root)
	if err != nil {
		return err
	}
	for len(steps) > keep {
		if err := os.RemoveAll(Dir(root, steps[0])); err != nil {
			return err
		}
		steps = steps[1:]
	}
	return nil
}

// ErrNone is returned by Latest when root holds no complete checkpoint.
var ErrNone = errors.New("no checkpoint")

// Latest returns the newest complete checkpoint of root (one with a
// manifest), verified. A checksum mismatch, a missing or an unlisted file
// is an error naming the file.
func Latest(root string) (string, *Manifest, error) {
	steps, err := List(root)
	if err != nil {
		return "", nil, err
	}
	for i := len(steps) - 1; i >= 0; i-- {
		dir := Dir(root, steps[i])
		if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
			continue // incomplete (cannot happen with Save's rename, but a hand copy may)
		}
		m, err := Verify(dir)
		if err != nil {
			return dir, nil, err
		}
		return dir, m, nil
	}
	return "", nil, fmt.Errorf("%w in %s", ErrNone, root)
}

// Verify reads dir's manifest and checks the size and sha256 of every
// file it lists.
func Verify(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("checkpoint %s: corrupted %s: %v", dir, ManifestName, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("checkpoint %s: format %q, want %q", dir, m.Format, Format)
	}
	names := make([]string, 0, len(m.Files))
	for name := range m.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want := m.Files[name]
		path := filepath.Join(dir, filepath.FromSlash(name))
		if strings.Contains(name, "..") {
			return nil, fmt.Errorf("checkpoint %s: bad file name %q in the manifest", dir, name)
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %s is missing: %v", dir, name, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: reading %s: %v", dir, name, err)
		}
		got := hex.EncodeToString(h.Sum(nil))
		if n != want.Size || got != want.SHA256 {
			return nil, fmt.Errorf("checkpoint %s is corrupted: %s has sha256 %s (%d bytes), the manifest says %s (%d bytes); refusing to load it", dir, name, got[:16], n, want.SHA256[:min(16, len(want.SHA256))], want.Size)
		}
	}
	return &m, nil
}
