package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polylearn/poly/internal/testutil"
	"github.com/polylearn/poly/train/ckpt"
	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/model"
)

// tinyModelDir writes a small random model with the default tokenizer.
func tinyModelDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg, err := model.ParseConfig([]byte(`{"model_type":"qwen2","vocab_size":1024,"hidden_size":32,"intermediate_size":64,
"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"max_position_embeddings":512,"tie_word_embeddings":true,"eos_token_id":2}`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	for name, data := range defaultmodel.TokenizerFiles() {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	return dir
}

func buildPolyForTrain(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "poly")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// metricSteps returns the "step" of every complete line of metrics.jsonl.
func metricSteps(path string) []int {
	data, _ := os.ReadFile(path)
	var steps []int
	for _, l := range bytes.Split(data, []byte("\n")) {
		var v struct{ Step int }
		if json.Unmarshal(l, &v) == nil && v.Step > 0 {
			steps = append(steps, v.Step)
		}
	}
	return steps
}

func waitSteps(t *testing.T, path string, n int, cmd *exec.Cmd, log fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for len(metricSteps(path)) < n {
		if cmd.ProcessState != nil || time.Now().After(deadline) {
			t.Fatalf("no %d steps in %s (process state %v):\n%s", n, path, cmd.ProcessState, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const trainSpec = "../../specs/natural/prealgebra_fractions.poly"

func TestTrainKillResumeInterruptCorrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds poly and trains (several seconds)")
	}
	if _, err := os.Stat(trainSpec); err != nil {
		t.Skip("spec missing:", err)
	}
	bin := buildPolyForTrain(t)
	mdir := tinyModelDir(t)
	out := filepath.Join(t.TempDir(), "run")
	args := []string{"train", trainSpec, "--model", mdir, "--out", out, "--steps", "40", "--rollouts", "4", "--max-tokens", "8"}
	metrics := filepath.Join(out, "metrics.jsonl")

	// kill -9 mid-run: the newest checkpoint is at most one step behind
	cmd := exec.Command(bin, args...)
	var stderr testutil.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitSteps(t, metrics, 3, cmd, &stderr)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	logged := metricSteps(metrics)
	_, man, err := ckpt.Latest(filepath.Join(out, "checkpoints"))
	if err != nil {
		t.Fatal(err)
	}
	if last := logged[len(logged)-1]; man.Step < last-1 {
		t.Errorf("after kill -9: checkpoint step %d, metrics reached %d (lost more than one step)", man.Step, last)
	}

	// SIGINT: the step in flight finishes, a checkpoint is written, exit 130
	cmd = exec.Command(bin, append(args, "--resume")...)
	stderr.Reset()
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitSteps(t, metrics, man.Step+2, cmd, &stderr)
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("after SIGINT: %v, want exit 130\n%s", err, stderr.String())
	}
	steps := metricSteps(metrics)
	_, man, err = ckpt.Latest(filepath.Join(out, "checkpoints"))
	if err != nil || man.Step != steps[len(steps)-1] {
		t.Errorf("after SIGINT: checkpoint %v (%v), metrics end at %d", man, err, steps[len(steps)-1])
	}
	for i, s := range steps {
		if s != i+1 {
			t.Fatalf("metrics steps after resume are not 1..n: %v", steps)
		}
	}

	// a corrupted checkpoint is refused, naming the file, exit 1
	p := filepath.Join(ckpt.Dir(filepath.Join(out, "checkpoints"), man.Step), "optimizer.bin")
	data, _ := os.ReadFile(p)
	data[10] ^= 0x55
	os.WriteFile(p, data, 0o644)
	res, err := exec.Command(bin, append(args, "--resume")...).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(res), "optimizer.bin") || !strings.Contains(string(res), "corrupted") {
		t.Errorf("corrupted checkpoint: %v\n%s", err, res)
	}
}

func TestTrainBadFlags(t *testing.T) {
	if _, err := os.Stat(trainSpec); err != nil {
		t.Skip("spec missing:", err)
	}
	var log bytes.Buffer
	bad := "mean"
	c := &TrainCmd{Spec: trainSpec, Out: t.TempDir(), LossAgg: &bad, Model: "default"}
	err := c.run(t.Context(), &log, false)
	if err == nil || !strings.Contains(err.Error(), "loss aggregation") {
		t.Errorf("bad --loss-agg: %v", err)
	}
	c = &TrainCmd{Spec: "nonexistent.poly", Out: t.TempDir()}
	if err := c.run(t.Context(), &log, false); err == nil {
		t.Error("missing spec accepted")
	}
}

func TestTrainWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds poly and trains")
	}
	src, err := os.ReadFile(trainSpec)
	if err != nil {
		t.Skip("spec missing:", err)
	}
	bin := buildPolyForTrain(t)
	mdir := tinyModelDir(t)
	dir := t.TempDir()
	spec := filepath.Join(dir, "fractions.poly")
	os.WriteFile(spec, src, 0o644)
	out := filepath.Join(dir, "run")
	cmd := exec.Command(bin, "train", spec, "--watch", "--model", mdir, "--out", out, "--steps", "100000", "--rollouts", "2", "--max-tokens", "4", "--save-every", "1000")
	var stderr testutil.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	metrics := filepath.Join(out, "metrics.jsonl")
	waitSteps(t, metrics, 2, cmd, &stderr)
	// a broken save: diagnostics, training goes on
	os.WriteFile(spec, append(append([]byte{}, src...), []byte("\nsample broken {\n")...), 0o644)
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "last good sample") {
		if time.Now().After(deadline) {
			t.Fatalf("no diagnostics after a broken save:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "fractions.poly:") {
		t.Errorf("diagnostics without a position:\n%s", stderr.String())
	}
	n := len(metricSteps(metrics))
	waitSteps(t, metrics, n+2, cmd, &stderr)
	// a good save: the sample is swapped and logged
	good, want := bytes.Replace(src, []byte("let students = 360"), []byte("let students = 720"), 1), []byte("720 students")
	if bytes.Equal(good, src) { // the spec was edited: any change swaps
		good, want = append(append([]byte{}, src...), "\n// edited\n"...), []byte("prompt")
	}
	os.WriteFile(spec, good, 0o644)
	events := filepath.Join(out, "events.jsonl")
	deadline = time.Now().Add(30 * time.Second)
	for {
		data, _ := os.ReadFile(events)
		if bytes.Contains(data, want) && bytes.Contains(data, []byte(`"event":"swap"`)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no swap event after a good save:\n%s\n%s", data, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 143 {
		t.Errorf("after SIGTERM: %v, want exit 143\n%s", err, stderr.String())
	}
	if _, m, err := ckpt.Latest(filepath.Join(out, "checkpoints")); err != nil || m.Step != metricSteps(metrics)[len(metricSteps(metrics))-1] {
		t.Errorf("checkpoint after SIGTERM: %v %v", m, err)
	}
}
