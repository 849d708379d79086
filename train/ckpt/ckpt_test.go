package ckpt

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func write(files map[string]string) func(string) error {
	return func(dir string) error {
		for name, data := range files {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestSaveLatestKeep(t *testing.T) {
	root := t.TempDir()
	for step := 1; step <= 5; step++ {
		dir, err := Save(root, Manifest{Step: step, SpecHash: "abc"}, 3, write(map[string]string{"a.bin": strings.Repeat("x", step), "sub/b.json": "{}"}))
		if err != nil {
			t.Fatal(err)
		}
		if dir != Dir(root, step) {
			t.Errorf("dir %s", dir)
		}
	}
	steps, _ := List(root)
	if !reflect.DeepEqual(steps, []int{3, 4, 5}) {
		t.Errorf("kept %v, want [3 4 5]", steps)
	}
	dir, m, err := Latest(root)
	if err != nil || dir != Dir(root, 5) || m.Step != 5 || m.SpecHash != "abc" || m.Files["a.bin"].Size != 5 || m.Files["sub/b.json"].SHA256 == "" {
		t.Fatalf("Latest = %s %+v %v", dir, m, err)
	}
}

func TestLatestIgnoresIncomplete(t *testing.T) {
	root := t.TempDir()
	if _, err := Save(root, Manifest{Step: 1}, 0, write(map[string]string{"a": "1"})); err != nil {
		t.Fatal(err)
	}
	// a crash mid-save: a temp dir and a step dir without manifest
	os.MkdirAll(filepath.Join(root, ".tmp-step-00000002-123"), 0o755)
	os.MkdirAll(Dir(root, 3), 0o755)
	dir, _, err := Latest(root)
	if err != nil || dir != Dir(root, 1) {
		t.Fatalf("Latest = %s, %v; want step 1", dir, err)
	}
	// a failing writer leaves nothing behind
	if _, err := Save(root, Manifest{Step: 4}, 0, func(string) error { return errors.New("disk full") }); err == nil {
		t.Fatal("failing writer: no error")
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") || e.Name() == "step-00000004" {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

func TestCorruptionRefused(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"flipped byte", func(dir string) {
			p := filepath.Join(dir, "model.safetensors")
			b, _ := os.ReadFile(p)
			b[3] ^= 1
			os.WriteFile(p, b, 0o644)
		}, "model.safetensors has sha256"},
		{"truncated", func(dir string) { os.Truncate(filepath.Join(dir, "optimizer.bin"), 2) }, "optimizer.bin has sha256"},
		{"missing", func(dir string) { os.Remove(filepath.Join(dir, "optimizer.bin")) }, "optimizer.bin is missing"},
		{"bad manifest", func(dir string) { os.WriteFile(filepath.Join(dir, ManifestName), []byte("{"), 0o644) }, "corrupted manifest.json"},
	}
	for _, tt := range tests {
		root := t.TempDir()
		Save(root, Manifest{Step: 1}, 0, write(map[string]string{"model.safetensors": "weights-1", "optimizer.bin": "state-1"}))
		Save(root, Manifest{Step: 2}, 0, write(map[string]string{"model.safetensors": "weights-2", "optimizer.bin": "state-2"}))
		tt.damage(Dir(root, 2))
		_, _, err := Latest(root)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "step-00000002") {
			t.Errorf("%s: error %v, want it to name %q in step 2", tt.name, err, tt.want)
		}
	}
	if _, _, err := Latest(t.TempDir()); !errors.Is(err, ErrNone) {
		t.Errorf("empty root: %v", err)
	}
}
