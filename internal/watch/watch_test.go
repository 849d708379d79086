package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder collects the batches a Watcher reports.
type recorder struct {
	mu      sync.Mutex
	batches [][]string
	ch      chan struct{}
}

func newRecorder() *recorder { return &recorder{ch: make(chan struct{}, 100)} }

func (r *recorder) onChange(paths []string) {
	r.mu.Lock()
	r.batches = append(r.batches, paths)
	r.mu.Unlock()
	r.ch <- struct{}{}
}

// wait blocks until one more batch arrives or the deadline passes.
func (r *recorder) wait(t *testing.T) []string {
	t.Helper()
	select {
	case <-r.ch:
	case <-time.After(15 * time.Second):
		t.Fatal("no change reported within 15s")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.batches[len(r.batches)-1]
}

func start(t *testing.T, dir string, opt Options) *recorder {
	t.Helper()
	w, err := New([]string{dir}, opt)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rec := newRecorder()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, rec.onChange) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return rec
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRenameSaveIsOneBatch(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "a.poly")
	write(t, spec, "one")
	rec := start(t, dir, Options{Debounce: 50 * time.Millisecond, Match: func(p string) bool {
		return strings.HasSuffix(p, ".poly")
	}})

	// An editor save: write a temp file, rename it over the original,
	// plus noise that Match filters out.
	tmp := filepath.Join(dir, ".a.poly.swp")
	write(t, tmp, "two")
	if err := os.Rename(tmp, spec); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "notes.txt"), "ignored")
	got := rec.wait(t)
	if len(got) != 1 || got[0] != spec {
		t.Fatalf("batch = %q, want [%q]", got, spec)
	}

	// A burst of writes to two files collapses into one sorted batch.
	other := filepath.Join(dir, "b.poly")
	for i := 0; i < 5; i++ {
		write(t, other, strings.Repeat("x", i))
		write(t, spec, strings.Repeat("y", i))
	}
	// (On a loaded machine the burst may straddle a quiet period; every
	// batch is still sorted and de-duplicated, and both paths arrive.)
	seen := map[string]bool{}
	for !seen[spec] || !seen[other] {
		got = rec.wait(t)
		for i, p := range got {
			if i > 0 && got[i-1] >= p {
				t.Fatalf("batch %q is not sorted and de-duplicated", got)
			}
			if p != spec && p != other {
				t.Fatalf("batch %q has an unexpected path", got)
			}
			seen[p] = true
		}
	}

	// Removal is reported too.
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	for got = rec.wait(t); !contains(got, other); got = rec.wait(t) {
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func TestAddIsIdempotentAndErrorsOnMissingDir(t *testing.T) {
	dir := t.TempDir()
	w, err := New([]string{dir, dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.fs.Close()
	if n := len(w.Dirs()); n != 1 {
		t.Fatalf("Dirs() has %d entries, want 1", n)
	}
	if err := w.Add(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("Add of a missing directory: want an error")
	}
	if _, err := New([]string{filepath.Join(dir, "missing")}, Options{}); err == nil {
		t.Fatal("New with a missing directory: want an error")
	}
}
