package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tempFiles lists writeAtomic's temp files left in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLogWriteFailureLeavesWholeFile injects a write that stops half way
// (a full disk, or a crash mid-write) into the metrics log of step 3: the
// run fails, and metrics.jsonl still holds exactly the two complete lines
// of steps 1 and 2, with no temp file left behind.
func TestLogWriteFailureLeavesWholeFile(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	orig := writeTemp
	t.Cleanup(func() { writeTemp = orig })
	metricsWrites := 0
	errDisk := errors.New("no space left on device (injected)")
	writeTemp = func(f *os.File, data []byte) error {
		if strings.HasPrefix(filepath.Base(f.Name()), ".metrics.jsonl.tmp-") {
			metricsWrites++
			if metricsWrites == 3 {
				f.Write(data[:len(data)-len(data)/3]) // a partial write, then the failure
				return errDisk
			}
		}
		return orig(f, data)
	}
	_, err := Run(context.Background(), opts(mdir, out, 5))
	if !errors.Is(err, errDisk) {
		t.Fatalf("err = %v, want the injected write error", err)
	}
	lines := metricLines(t, out) // fails on any partial line
	if len(lines) != 2 || lines[0]["step"] != 1.0 || lines[1]["step"] != 2.0 {
		t.Errorf("metrics.jsonl after a failed write of step 3: %v", lines)
	}
	if left := tempFiles(t, out); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}

	// Resume: the log is cut back to the checkpoint (step 2) and goes on.
	writeTemp = orig
	o := opts(mdir, out, 4)
	o.Resume = true
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if lines := metricLines(t, out); len(lines) != 4 || lines[3]["step"] != 4.0 {
		t.Errorf("metrics.jsonl after resume: %v", lines)
	}
}

// TestLeftoverTempFile simulates a kill between writing a log's temp file
// and renaming it: the log itself is whole, and resume removes the temp
// file and cuts the log back to the checkpoint.
func TestLeftoverTempFile(t *testing.T) {
	mdir := modelDir(t)
	out := t.TempDir()
	if _, err := Run(context.Background(), opts(mdir, out, 2)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, ".metrics.jsonl.tmp-12345")
	if err := os.WriteFile(stale, append(append([]byte{}, before...), `{"step":3,"rew`...), 0o644); err != nil {
		t.Fatal(err)
	}
	if lines := metricLines(t, out); len(lines) != 2 {
		t.Fatalf("metrics.jsonl: %v", lines)
	}
	o := opts(mdir, out, 3)
	o.Resume = true
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file not removed: %v", err)
	}
	if lines := metricLines(t, out); len(lines) != 3 || lines[2]["step"] != 3.0 {
		t.Errorf("metrics.jsonl after resume: %v", lines)
	}
}

func TestOpenLogCutsBack(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.jsonl")
	os.WriteFile(p, []byte(`{"step":1,"a":1}`+"\n"+`{"step":2}`+"\n"+`{"note":"no step"}`+"\n"+`{"step":3}`+"\n"+`{"step":4,"to`), 0o644)
	l, err := openLog(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"step":1,"a":1}` + "\n" + `{"step":2}` + "\n"
	if got, _ := os.ReadFile(p); string(got) != want || string(l.data) != want {
		t.Errorf("cut log: file %q, memory %q", got, l.data)
	}
	if err := l.write(map[string]int{"step": 3}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != want+`{"step":3}`+"\n" {
		t.Errorf("after write: %q", got)
	}
	if l, err := openLog(filepath.Join(t.TempDir(), "none.jsonl"), 5); err != nil || len(l.data) != 0 {
		t.Errorf("missing log: %v %v", l, err)
	}
}
