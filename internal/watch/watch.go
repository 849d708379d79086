// Package watch reports changed files under a set of directories, with the
// bursts of events that one editor save produces collapsed into one call.
//
// It watches directories rather than files: editors save by writing a
// temporary file and renaming it over the original (or by renaming the
// original away first), which replaces the inode a file watch would be
// bound to. A directory watch sees every such step; the debounce waits until
// the directory has been quiet for a moment and then reports each path that
// changed once.
//
// poly serve uses it to recompile served specs on save; the trainer's watch
// mode uses it the same way to swap the training sample between steps.
package watch

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultDebounce is the quiet period used when Options.Debounce is zero.
const DefaultDebounce = 100 * time.Millisecond

// Options configure a Watcher.
type Options struct {
	// Debounce is how long the watched directories must be quiet before
	// the changed paths are reported. Zero means DefaultDebounce.
	Debounce time.Duration
	// Match selects the paths that count (for example files ending in
	// .poly); nil counts every path. It gets the cleaned absolute path.
	Match func(path string) bool
	// OnError receives errors from the underlying watcher (a full event
	// queue, a directory that vanished). Nil drops them.
	OnError func(error)
}

// Watcher watches directories and reports changed paths in debounced
// batches. Create it with New, start it with Run, stop it by cancelling
// Run's context.
type Watcher struct {
	fs   *fsnotify.Watcher
	opt  Options
	mu   sync.Mutex
	dirs map[string]bool
}

// New returns a watcher of dirs (each is made absolute and cleaned).
func New(dirs []string, opt Options) (*Watcher, error) {
	if opt.Debounce <= 0 {
		opt.Debounce = DefaultDebounce
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &Watcher{fs: fw, opt: opt, dirs: map[string]bool{}}
	for _, d := range dirs {
		if err := w.Add(d); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Add starts watching dir too. Adding a directory twice is harmless.
func (w *Watcher) Add(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dirs[abs] {
		return nil
	}
	if err := w.fs.Add(abs); err != nil {
		return fmt.Errorf("watch %s: %w", abs, err)
	}
	w.dirs[abs] = true
	return nil
}

// Dirs returns the watched directories, sorted.
func (w *Watcher) Dirs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.dirs))
	for d := range w.dirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// Run delivers changes until ctx is done, then closes the watcher and
// returns nil. onChange is called on Run's goroutine, one call at a time,
// with the sorted, de-duplicated absolute paths that were created,
// written, renamed or removed since the previous call; a path may no
// longer exist when it is reported. Events that arrive while onChange runs
// are collected for the next call.
func (w *Watcher) Run(ctx context.Context, onChange func(paths []string)) error {
	defer w.fs.Close()
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := false
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case ev, ok := <-w.fs.Events:
			if !ok {
				return errors.New("watch: event channel closed")
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			p := filepath.Clean(ev.Name)
			if w.opt.Match != nil && !w.opt.Match(p) {
				continue
			}
			pending[p] = true
			timer.Reset(w.opt.Debounce)
			armed = true
		case err, ok := <-w.fs.Errors:
			if !ok {
				return errors.New("watch: error channel closed")
			}
			if w.opt.OnError != nil {
				w.opt.OnError(err)
			}
		case <-timer.C:
			if !armed || len(pending) == 0 {
				continue
			}
			armed = false
			paths := make([]string, 0, len(pending))
			for p := range pending {
				paths = append(paths, p)
			}
			clear(pending)
			sort.Strings(paths)
			onChange(paths)
		}
	}
}
