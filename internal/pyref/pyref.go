// Package pyref finds the Python interpreter of the reference virtual
// environment (.venv, made by scripts/pyref.sh) for interop tests that
// compare poly with transformers, tokenizers, pyarrow, math-verify, ...
package pyref

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Python returns the reference interpreter: $POLY_PYTHON, else
// <repo>/.venv/bin/python. When there is none the test is skipped with the
// reason, or fails when $POLY_REQUIRE_PYREF is set (as scripts/test.sh and
// CI set it).
func Python(t testing.TB) string {
	t.Helper()
	p := os.Getenv("POLY_PYTHON")
	if p == "" {
		p = filepath.Join(RepoRoot(), ".venv", "bin", "python")
	}
	if _, err := os.Stat(p); err != nil {
		msg := "no reference Python (" + p + "); run scripts/pyref.sh or set POLY_PYTHON"
		if os.Getenv("POLY_REQUIRE_PYREF") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// Run runs script with the reference interpreter and args, returning its
// stdout; the test fails with stderr on a non-zero exit.
func Run(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	py := Python(t)
	cmd := exec.Command(py, append([]string{"-c", script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "TOKENIZERS_PARALLELISM=false")
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// RepoRoot returns the repository root (the directory holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}
