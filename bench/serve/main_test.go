package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polylearn/poly/internal/pyref"
)

// TestLoadSmoke runs a tiny bounded load test over the shipped specs: every
// answer must match the in-process grader, and each level must report.
func TestLoadSmoke(t *testing.T) {
	var out bytes.Buffer
	err := run(&out, config{
		clients: []int{1, 4}, batches: []int{8}, duration: 300 * time.Millisecond, maxRequests: 40,
		specs: filepath.Join(pyref.RepoRoot(), "specs"), maxInFlight: 128, mixedClients: 4,
	})
	t.Logf("\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"in-process grader", "checks/s", "CPU ×", "malformed answered with their 4xx"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := strings.Count(out.String(), "x\n"); n != 2 {
		t.Errorf("%d result rows, want 2", n)
	}
}
