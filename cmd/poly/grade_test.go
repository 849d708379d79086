package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestGradeCmdLines(t *testing.T) {
	in := strings.Join([]string{
		`{"gold":"\\frac12","pred":"so \\boxed{0.5}"}`,
		`{"gold":5,"pred":"5 apples","id":"a"}`,
		`not json`,
		`{"gold":"2","pred":"\\boxed{3}"}`,
		``,
		`{"pred":"1"}`,
		`{"gold":"(1,2]","pred":"The answer is $(1,2]$."}`,
		`{"gold":"x","pred":7}`,
	}, "\n") + "\n"
	c := &GradeCmd{Jobs: 2}
	var out bytes.Buffer
	bad, err := c.run(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("got %d lines, want 8:\n%s", len(lines), out.String())
	}
	type row struct {
		Line   int     `json:"line"`
		ID     string  `json:"id"`
		Reward float64 `json:"reward"`
		Reason string  `json:"reason"`
		Error  string  `json:"error"`
	}
	want := []struct {
		reward float64
		err    bool
	}{{1, false}, {1, false}, {0, true}, {0, false}, {0, true}, {0, true}, {1, false}, {0, true}}
	for i, l := range lines {
		var r row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		if r.Line != i+1 {
			t.Errorf("line %d: numbered %d", i+1, r.Line)
		}
		if (r.Error != "") != want[i].err || r.Reward != want[i].reward {
			t.Errorf("line %d: %s", i+1, l)
		}
	}
	if bad != 4 {
		t.Errorf("bad = %d, want 4", bad)
	}
	if !strings.Contains(lines[1], `"id":"a"`) {
		t.Errorf("id not copied: %s", lines[1])
	}
}

func TestGradeCmdAtomicOut(t *testing.T) {
	dir := t.TempDir()
	inPath := filepath.Join(dir, "in.jsonl")
	outPath := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(inPath, []byte(`{"gold":"1","pred":"1"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &GradeCmd{In: inPath, Out: outPath}
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"reward":1`) {
		t.Fatalf("out: %s", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("temporary file left behind: %v", ents)
	}
	// a malformed line still writes the file, and exits 1
	if err := os.WriteFile(inPath, []byte("{\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = c.Run()
	ee, ok := err.(*exitError)
	if !ok || ee.code != 1 {
		t.Fatalf("want exit 1, got %v", err)
	}
}

func TestGradeCmdSpec(t *testing.T) {
	spec := filepath.Join("..", "..", "specs", "natural", "prealgebra_fractions.poly")
	if _, err := os.Stat(spec); err != nil {
		t.Skip("spec not present: ", err)
	}
	in := strings.Join([]string{
		`{"spec":` + strconv.Quote(spec) + `,"completion":"so \\boxed{\\frac{7}{18}}"}`,
		`{"spec":` + strconv.Quote(spec) + `,"completion":"so \\boxed{0.39}"}`,
		`{"spec":` + strconv.Quote(spec) + `,"sample":"nope","completion":"1"}`,
		`{"spec":"does/not/exist.poly","completion":"1"}`,
		`{"spec":` + strconv.Quote(spec) + `}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	bad, err := (&GradeCmd{}).run(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || bad != 3 {
		t.Fatalf("bad=%d, output:\n%s", bad, out.String())
	}
	if !strings.Contains(lines[0], `"reward":1`) || !strings.Contains(lines[1], `"reward":0`) {
		t.Errorf("rewards:\n%s", out.String())
	}
	for _, l := range lines[2:] {
		if !strings.Contains(l, `"error"`) {
			t.Errorf("want an error: %s", l)
		}
	}
}
