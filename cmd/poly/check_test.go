package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polylearn/poly/lang"
)

func exitOf(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if err != nil {
		return -1
	}
	return 0
}

func writeSpecs(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodSpec = "sample ok {\n  let n = 3 * 4\n  prompt \"What is 3 times 4?\"\n  answer n\n  expect pass \"12\"\n}\n"
const badSpec = "sample bad {\n  let d = 1 m + 2 s\n  prompt \"{dd}\"\n  answer 1\n}\n"

func TestCheckExitCodes(t *testing.T) {
	dir := writeSpecs(t, map[string]string{
		"good/a.poly":            goodSpec,
		"bad/b.poly":             badSpec,
		"good/testdata/x.poly":   badSpec, // skipped: testdata
		"good/.hidden/y.poly":    badSpec, // skipped: hidden
		"good/notes.txt":         "not a spec",
		"good/sub/deeper/c.poly": goodSpec,
	})
	var out, errw bytes.Buffer
	if code := exitOf((&CheckCmd{Paths: []string{filepath.Join(dir, "good")}, Format: "text"}).run(&out, &errw)); code != 0 {
		t.Fatalf("clean tree: exit %d\n%s%s", code, out.String(), errw.String())
	}
	if !strings.Contains(errw.String(), "2 files, 2 samples, 0 families: 0 errors") {
		t.Errorf("summary = %q", errw.String())
	}
	out.Reset()
	errw.Reset()
	code := exitOf((&CheckCmd{Paths: []string{dir}, Format: "text"}).run(&out, &errw))
	if code != 1 {
		t.Fatalf("broken tree: exit %d", code)
	}
	text := out.String()
	for _, want := range []string{
		filepath.Join(dir, "bad", "b.poly") + ":2:11: error: unit mismatch: m vs s",
		" 2 |   let d = 1 m + 2 s",
		"   |           ^^^^^^^^^",
		":3:12: error: unknown name `dd`; did you mean `d`?",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	if code := exitOf((&CheckCmd{Paths: []string{filepath.Join(dir, "missing")}, Format: "text"}).run(&out, &errw)); code != 2 {
		t.Errorf("missing path: exit %d, want 2", code)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeSpecs(t, map[string]string{"a.poly": goodSpec, "b.poly": badSpec})
	for _, tc := range []struct {
		path  string
		valid bool
		errs  int
	}{{"a.poly", true, 0}, {"b.poly", false, 2}} {
		var out, errw bytes.Buffer
		(&CheckCmd{Paths: []string{filepath.Join(dir, tc.path)}, Format: "json"}).run(&out, &errw)
		var m map[string]json.RawMessage
		if err := json.Unmarshal(out.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v\n%s", tc.path, err, out.String())
		}
		if len(m) != 4 || m["valid"] == nil || m["error_count"] == nil || m["warning_count"] == nil || m["diagnostics"] == nil {
			t.Errorf("keys: %s", out.String())
		}
		if string(m["diagnostics"]) == "null" {
			t.Error("diagnostics is null")
		}
		var rep checkReport
		json.Unmarshal(out.Bytes(), &rep)
		if rep.Valid != tc.valid || rep.ErrorCount != tc.errs || len(rep.Diagnostics) != tc.errs {
			t.Errorf("%s: valid %v errors %d diags %d", tc.path, rep.Valid, rep.ErrorCount, len(rep.Diagnostics))
		}
		if errw.Len() != 0 {
			t.Errorf("json mode wrote to stderr: %q", errw.String())
		}
	}
}

func TestCheckGitHub(t *testing.T) {
	dir := writeSpecs(t, map[string]string{"b.poly": badSpec})
	var out, errw bytes.Buffer
	code := exitOf((&CheckCmd{Paths: []string{dir}, Format: "github"}).run(&out, &errw))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if code != 1 || len(lines) != 2 {
		t.Fatalf("exit %d, output:\n%s", code, out.String())
	}
	want := "::error file=" + filepath.Join(dir, "b.poly") + ",line=2,col=11,endLine=2,endColumn=20::unit mismatch: m vs s"
	if lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	if got := githubCommand(mkDiag("a,b:c%\nd")); !strings.HasSuffix(got, "::a,b:c%25%0Ad") || !strings.Contains(got, "file=x%3Ay%2Cz.poly") {
		t.Errorf("escaping: %s", got)
	}
}

func TestCompileCommand(t *testing.T) {
	dir := writeSpecs(t, map[string]string{
		"a.poly": goodSpec,
		"f.poly": "family f math {\n  vary a in 1..5\n  vary b in {10, 20}\n  let s = a + b\n  prompt \"{a} + {b}?\"\n  answer s\n}\n",
		"b.poly": badSpec,
	})
	var out, errw bytes.Buffer
	if code := exitOf((&CompileCmd{Spec: filepath.Join(dir, "f.poly"), Seed: 3, Count: 4}).run(&out, &errw)); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	var doc struct {
		Hash     string `json:"hash"`
		Families []struct {
			Size    int `json:"size"`
			Samples []struct {
				ID, Prompt  string
				GroundTruth string `json:"ground_truth"`
			} `json:"samples"`
		} `json:"families"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Hash) != 64 || len(doc.Families) != 1 || doc.Families[0].Size != 10 || len(doc.Families[0].Samples) != 4 {
		t.Fatalf("unexpected output: %s", out.String())
	}
	first := out.String()
	out.Reset()
	(&CompileCmd{Spec: filepath.Join(dir, "f.poly"), Seed: 3, Count: 4}).run(&out, &errw)
	if out.String() != first {
		t.Error("same seed, different output")
	}
	errw.Reset()
	if code := exitOf((&CompileCmd{Spec: filepath.Join(dir, "b.poly"), Count: 1}).run(&out, &errw)); code != 1 || !strings.Contains(errw.String(), "unit mismatch") {
		t.Errorf("broken spec: exit %d, stderr %q", code, errw.String())
	}
	if code := exitOf((&CompileCmd{Spec: filepath.Join(dir, "nope.poly")}).run(&out, &errw)); code != 2 {
		t.Errorf("missing spec: exit %d", code)
	}
}

func mkDiag(msg string) *lang.Diagnostic {
	d := lang.Errorf(lang.Range{Start: lang.Pos{File: "x:y,z.poly", Line: 1, Col: 2}}, "%s", msg)
	return d
}
