package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const messySpec = "sample s {\nlet  x=1\n  given y   = 2 m   // note\n}\n"
const cleanSpec = "sample s {\n  let   x = 1\n  given y = 2 m  // note\n}\n"

func runFmt(t *testing.T, c FmtCmd, stdin string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errw bytes.Buffer
	err := c.run(strings.NewReader(stdin), &out, &errw)
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
	default:
		t.Fatalf("unexpected error type: %v", err)
	}
	return out.String(), errw.String(), code
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFmtStdout(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.poly": messySpec})
	out, _, code := runFmt(t, FmtCmd{Paths: []string{filepath.Join(dir, "a.poly")}}, "")
	if code != 0 || out != cleanSpec {
		t.Fatalf("code %d, output:\n%s", code, out)
	}
	// The file is untouched without -w.
	if b, _ := os.ReadFile(filepath.Join(dir, "a.poly")); string(b) != messySpec {
		t.Fatal("file changed without -w")
	}
}

func TestFmtStdin(t *testing.T) {
	out, _, code := runFmt(t, FmtCmd{}, messySpec)
	if code != 0 || out != cleanSpec {
		t.Fatalf("code %d, output:\n%s", code, out)
	}
	if _, _, code := runFmt(t, FmtCmd{Write: true}, messySpec); code != 2 {
		t.Fatalf("-w on stdin: code %d, want 2", code)
	}
}

func TestFmtListAndWrite(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.poly":              messySpec,
		"sub/b.poly":          cleanSpec,
		"sub/c.poly":          messySpec,
		"testdata/bad.poly":   "sample {",
		".hidden/d.poly":      messySpec,
		"sub/notes.txt":       "not a spec",
		"sub/deeper/e.poly":   messySpec,
		"sub/deeper/README":   "x",
		"sub/deeper/f.poly.b": messySpec,
	})
	out, _, code := runFmt(t, FmtCmd{Paths: []string{dir}, List: true}, "")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	want := []string{"a.poly", "sub/c.poly", "sub/deeper/e.poly"}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		rel, _ := filepath.Rel(dir, l)
		got = append(got, filepath.ToSlash(rel))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("-l listed %v, want %v", got, want)
	}
	if _, _, code := runFmt(t, FmtCmd{Paths: []string{dir}, Write: true}, ""); code != 0 {
		t.Fatalf("-w: code %d", code)
	}
	for _, name := range want {
		p := filepath.Join(dir, name)
		b, _ := os.ReadFile(p)
		if string(b) != cleanSpec {
			t.Errorf("%s not rewritten:\n%s", name, b)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %v, want 0640 kept", name, st.Mode().Perm())
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".hidden/d.poly")); string(b) != messySpec {
		t.Error("hidden directory was formatted")
	}
	// No temporary files are left behind.
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if strings.Contains(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
	// Now everything is formatted: -l prints nothing.
	if out, _, _ := runFmt(t, FmtCmd{Paths: []string{dir}, List: true}, ""); out != "" {
		t.Errorf("-l after -w listed %q", out)
	}
}

func TestFmtDiff(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.poly": messySpec})
	p := filepath.Join(dir, "a.poly")
	out, _, code := runFmt(t, FmtCmd{Paths: []string{p}, Diff: true}, "")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	want := "--- " + p + ".orig\n+++ " + p + "\n@@ -1,4 +1,4 @@\n sample s {\n-let  x=1\n-  given y   = 2 m   // note\n+  let   x = 1\n+  given y = 2 m  // note\n }\n"
	if out != want {
		t.Fatalf("diff:\n%s\nwant:\n%s", out, want)
	}
}

func TestUnifiedDiffHunks(t *testing.T) {
	var a, b []string
	for i := 0; i < 30; i++ {
		a = append(a, fmt.Sprint("line ", i))
		b = append(b, fmt.Sprint("line ", i))
	}
	b[2] = "changed 2"
	b[25] = "changed 25"
	d := unifiedDiff("f", strings.Join(a, "\n")+"\n", strings.Join(b, "\n")+"\n")
	if n := strings.Count(d, "@@ -"); n != 2 {
		t.Fatalf("want 2 hunks, got %d:\n%s", n, d)
	}
	if !strings.Contains(d, "@@ -1,6 +1,6 @@") || !strings.Contains(d, "@@ -23,7 +23,7 @@") {
		t.Fatalf("hunk headers:\n%s", d)
	}
	if unifiedDiff("f", "same\n", "same\n") != "--- f.orig\n+++ f\n" {
		t.Fatal("diff of equal texts has hunks")
	}
}

func TestFmtSyntaxErrorExit1(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.poly": "sample s {\n  let x =\n  given y 2\n}\n", "ok.poly": messySpec})
	_, stderr, code := runFmt(t, FmtCmd{Paths: []string{filepath.Join(dir, "bad.poly"), filepath.Join(dir, "ok.poly")}, Write: true}, "")
	if code != 1 {
		t.Fatalf("code %d, want 1", code)
	}
	for _, want := range []string{"bad.poly:2:10: error: expected unit or expression after `=`", "bad.poly:3:10: error: expected `=` after `given y`", " 2 |   let x ="} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The good file is still formatted; the broken one is untouched.
	if b, _ := os.ReadFile(filepath.Join(dir, "ok.poly")); string(b) != cleanSpec {
		t.Error("ok.poly not formatted")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "bad.poly")); !strings.Contains(string(b), "let x =\n") {
		t.Error("bad.poly changed")
	}
}

func TestFmtMissingFileExit2(t *testing.T) {
	_, _, code := runFmt(t, FmtCmd{Paths: []string{filepath.Join(t.TempDir(), "nope.poly")}}, "")
	if code != 2 {
		t.Fatalf("code %d, want 2", code)
	}
}
