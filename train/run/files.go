package run

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// writeTemp writes data into the temp file of writeAtomic. It is a
// variable so that tests can inject a failed or partial write.
var writeTemp = func(f *os.File, data []byte) error {
	_, err := f.Write(data)
	return err
}

// tempPattern is the name pattern of writeAtomic's temp files for path.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// writeAtomic writes data to path through a temp file in the same
// directory: write, fsync, rename, fsync the directory. A reader (or a
// crash at any moment) sees either the old file or the new one, never a
// part of it.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := writeTemp(tmp, data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// jsonlLog is a JSON-lines log (metrics.jsonl, samples.jsonl,
// events.jsonl) kept in memory and replaced atomically on every write, so
// the file on disk always holds whole lines: the ones of the last
// completed write.
type jsonlLog struct {
	path string
	data []byte
}

// openLog loads the complete lines of the log at path whose "step" is at
// most step (on resume, the steps after the checkpoint are run and logged
// again), removes temp files a crash left behind, and rewrites the file
// atomically when it was cut. A missing file is an empty log.
func openLog(path string, step int) (*jsonlLog, error) {
	if stale, err := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path))); err == nil {
		for _, s := range stale {
			os.Remove(s)
		}
	}
	l := &jsonlLog{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		line := sc.Bytes()
		var v struct {
			Step *int `json:"step"`
		}
		if json.Unmarshal(line, &v) != nil || v.Step == nil {
			continue // a torn line (from an older, appending poly)
		}
		if *v.Step <= step {
			l.data = append(l.data, line...)
			l.data = append(l.data, '\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !bytes.Equal(l.data, data) {
		if err := writeAtomic(path, l.data); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// write adds one JSON line and replaces the file atomically. On error the
// file and the log keep their previous lines.
func (l *jsonlLog) write(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <|im_start|> readable
	if err := enc.Encode(v); err != nil {
		return err
	}
	n := len(l.data)
	l.data = append(l.data, buf.Bytes()...)
	if err := writeAtomic(l.path, l.data); err != nil {
		l.data = l.data[:n]
		return err
	}
	return nil
}
