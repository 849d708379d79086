package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const evalSpec = `family add_two math {
  vary a in 10..49
  vary b in 10..49
  prompt "What is {a} + {b}? Give the final answer in \boxed{}."
  answer exact a + b
  expect pass "{a + b}"
}
`

func TestEvalCommand(t *testing.T) {
	dir := writeSpecs(t, map[string]string{"eval/add.poly": evalSpec, "eval/sub/x.poly": goodSpec})
	out := filepath.Join(dir, "report.json")
	cmd := &EvalCmd{Specs: []string{filepath.Join(dir, "eval")}, Model: "default", PerFamily: 5, Seed: 2, MaxTokens: 16, Batch: 4, Format: "json", Out: out}
	var stdout, stderr bytes.Buffer
	if code := exitOf(cmd.run(context.Background(), &stdout, &stderr, false)); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	var rep struct {
		Total    struct{ N, Correct int }
		Families []struct {
			Name string
			N    int
		}
		Problems []struct{ ID, Completion string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout.String())
	}
	if rep.Total.N != 6 || len(rep.Families) != 2 || rep.Families[0].Name != "add_two" || rep.Families[0].N != 5 || rep.Families[1].Name != "ok" {
		t.Errorf("report %+v", rep)
	}
	if file, err := os.ReadFile(out); err != nil || !bytes.Equal(file, stdout.Bytes()) {
		t.Errorf("--out file differs from the JSON on stdout (%v)", err)
	}
	if !strings.Contains(stderr.String(), "eval 6/6 problems") {
		t.Errorf("progress lines:\n%s", stderr.String())
	}

	// text: the tables
	cmd.Format, cmd.Out = "text", ""
	stdout.Reset()
	if code := exitOf(cmd.run(context.Background(), &stdout, &stderr, false)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"discipline", "95% CI", "add_two ", "ok (sample)", "seed 2, greedy, max 16 tokens"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestEvalBadSpec(t *testing.T) {
	dir := writeSpecs(t, map[string]string{"good.poly": evalSpec, "bad/b.poly": badSpec})
	var stdout, stderr bytes.Buffer
	cmd := &EvalCmd{Specs: []string{dir}, Model: "default", PerFamily: 2, MaxTokens: 8, Batch: 4, Format: "text"}
	err := cmd.run(context.Background(), &stdout, &stderr, false)
	if code := exitOf(err); code != 1 {
		t.Fatalf("bad spec: exit %d, want 1", code)
	}
	for _, want := range []string{
		filepath.Join(dir, "bad", "b.poly") + ":2:11: error: unit mismatch: m vs s",
		"   |           ^^^^^^^^^",
		":3:12: error: unknown name `dd`; did you mean `d`?",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("diagnostics lack %q:\n%s", want, stderr.String())
		}
	}
	if stdout.Len() != 0 {
		t.Errorf("a report was printed for a bad spec:\n%s", stdout.String())
	}
	for _, c := range []*EvalCmd{
		{Specs: []string{filepath.Join(dir, "missing.poly")}, Model: "default", PerFamily: 2, MaxTokens: 8, Batch: 4},
		{Specs: []string{filepath.Join(dir, "good.poly")}, Model: "default", PerFamily: 0, MaxTokens: 8, Batch: 4},
		{Specs: []string{filepath.Join(dir, "good.poly")}, Model: filepath.Join(dir, "no-model"), PerFamily: 2, MaxTokens: 8, Batch: 4},
	} {
		stderr.Reset()
		if code := exitOf(c.run(context.Background(), &stdout, &stderr, false)); code != 1 {
			t.Errorf("%+v: exit %d, want 1", c, code)
		}
	}
}
