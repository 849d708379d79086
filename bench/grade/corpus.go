package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// benchCase is one corpus line.
type benchCase struct {
	Gold string   `json:"gold"`
	Pred string   `json:"pred"`
	Want *float64 `json:"want,omitempty"`
	Note string   `json:"note,omitempty"`
	Cat  string   `json:"cat,omitempty"`
}

// loadCorpus reads a JSONL corpus file, or generates one for "gen:N".
func loadCorpus(spec string) ([]benchCase, error) {
	if n, ok, err := genSpec(spec); ok {
		if err != nil {
			return nil, err
		}
		return generate(n, genSeed), nil
	}
	f, err := os.Open(spec)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCorpus(f, spec)
}

// genSpec parses "gen:N"; ok says whether spec names a generated corpus.
func genSpec(spec string) (n int, ok bool, err error) {
	rest, ok := strings.CutPrefix(spec, "gen:")
	if !ok {
		return 0, false, nil
	}
	n, err = strconv.Atoi(rest)
	if err != nil || n <= 0 {
		return 0, true, fmt.Errorf("-corpus %q: want gen:N with N > 0 lines", spec)
	}
	return n, true, nil
}

// readCorpus parses JSONL lines of {gold, pred[, want, note, cat]}; blank
// lines are skipped.
func readCorpus(r io.Reader, name string) ([]benchCase, error) {
	var out []benchCase
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var c benchCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// gradeInput is the corpus as `poly grade` and ref.py read it: one
// {"gold", "pred"} object a line, in corpus order.
func gradeInput(cases []benchCase) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, c := range cases {
		_ = enc.Encode(struct {
			Gold string `json:"gold"`
			Pred string `json:"pred"`
		}{c.Gold, c.Pred})
	}
	return b.Bytes()
}

// writeFileAtomic writes data to a temporary file next to path and renames
// it into place.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
