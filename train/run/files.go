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

// writeAtomic writes data to path through a temp file in the same
// directory, fsync and rename.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// jsonlLog appends JSON lines to a file, one write and fsync per line, so
// a crash leaves at most a torn last line (which truncateLog drops).
type jsonlLog struct{ f *os.File }

func openLog(path string) (*jsonlLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &jsonlLog{f}, nil
}

func (l *jsonlLog) write(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep <|im_start|> readable
	if err := enc.Encode(v); err != nil {
		return err
	}
	if _, err := l.f.Write(buf.Bytes()); err != nil {
		return err
	}
	return l.f.Sync()
}

func (l *jsonlLog) close() error { return l.f.Close() }

// truncateLog rewrites a JSON-lines log (atomically) keeping the complete
// lines whose "step" is at most step: on resume, the steps after the
// checkpoint are run again and logged again.
func truncateLog(path string, step int) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		line := sc.Bytes()
		var v struct {
			Step *int `json:"step"`
		}
		if json.Unmarshal(line, &v) != nil || v.Step == nil {
			continue // a torn last line
		}
		if *v.Step <= step {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return writeAtomic(path, out.Bytes())
}
