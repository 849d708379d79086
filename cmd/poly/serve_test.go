package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExposureWarning(t *testing.T) {
	for addr, warns := range map[string]bool{
		"127.0.0.1:8377": false,
		"127.0.0.2:80":   false,
		"[::1]:8377":     false,
		"localhost:8377": false,
		":8377":          true,
		"0.0.0.0:8377":   true,
		"[::]:8377":      true,
		"10.1.2.3:8377":  true,
		"example.org:80": true,
	} {
		if got := exposureWarning(addr) != ""; got != warns {
			t.Errorf("exposureWarning(%q) warns=%v, want %v", addr, got, warns)
		}
	}
	if w := exposureWarning(":8377"); !strings.Contains(w, "every network interface") {
		t.Errorf("warning %q", w)
	}
}

// buildPoly builds the poly binary into a temporary directory.
func buildPoly(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "poly")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

const serveTestSpec = `sample half "Half" {
  disciplines math
  skills      fractions
  let x = 1/2
  prompt "What is one half? Give the final answer in \boxed{}."
  answer x
  expect pass "\boxed{0.5}"
}
`

func TestServeCommandEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildPoly(t)
	dir := t.TempDir()
	spec := filepath.Join(dir, "half.poly")
	if err := os.WriteFile(spec, []byte(serveTestSpec), 0o644); err != nil {
		t.Fatal(err)
	}

	// A broken spec: exit 1, a positioned diagnostic, nothing served.
	bad := filepath.Join(dir, "bad.poly")
	if err := os.WriteFile(bad, []byte(strings.Replace(serveTestSpec, "answer x", "answer y", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", bad).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "bad.poly:6:") {
		t.Fatalf("broken spec: %v\n%s", err, out)
	}

	// A good one: serve, grade, SIGTERM, clean exit 0.
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", spec)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	urlRE := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)
	var url string
	var log []string
	deadline := time.After(20 * time.Second)
	for url == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("poly serve exited early:\n%s", strings.Join(log, "\n"))
			}
			log = append(log, l)
			if m := urlRE.FindStringSubmatch(l); m != nil {
				url = m[1]
			}
		case <-deadline:
			t.Fatalf("no listening line:\n%s", strings.Join(log, "\n"))
		}
	}
	resp, err := http.Post(url+"/v1/grade", "application/json", strings.NewReader(`{"items":[{"spec":"half","completion":"\\boxed{\\frac{1}{2}}"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"reward":1`) {
		t.Fatalf("grade: %d %s", resp.StatusCode, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		log = append(log, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, strings.Join(log, "\n"))
	}
	if !strings.Contains(strings.Join(log, "\n"), "shut down cleanly") {
		t.Errorf("no clean shutdown in the log:\n%s", strings.Join(log, "\n"))
	}
}
