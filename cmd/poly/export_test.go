package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// runExport runs `poly export ARGS...` in-process (see runCLI).
func runExport(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runCLI(t, append([]string{"export"}, args...)...)
}

func specPath(parts ...string) string {
	return filepath.Join(append([]string{pyref.RepoRoot(), "specs"}, parts...)...)
}

// TestExportParquetPyarrow exports the engineered sample and a family as
// verl parquet and reads the file back with pyarrow: the verl schema,
// the repeated rows with indices counting on, and the values.
func TestExportParquetPyarrow(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "train.parquet")
	stdout, stderr, code := runExport(t,
		specPath("engineered", "colony_electrode.poly"), specPath("eval", "physics", "thin_lens.poly"),
		"--repeat", "3", "--family-count", "5", "--seed", "9", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote 18 rows (6 items x 3)") {
		t.Errorf("stdout %q", stdout)
	}
	script := `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = t.to_pylist()
print(json.dumps({"columns": t.column_names, "rows": rows}))
`
	var got struct {
		Columns []string `json:"columns"`
		Rows    []struct {
			DataSource string `json:"data_source"`
			Prompt     []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"prompt"`
			Ability     string `json:"ability"`
			RewardModel struct {
				Style       string `json:"style"`
				GroundTruth string `json:"ground_truth"`
			} `json:"reward_model"`
			ExtraInfo map[string]any `json:"extra_info"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(pyref.Run(t, script, out), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"data_source", "prompt", "ability", "reward_model", "extra_info"}
	if strings.Join(got.Columns, ",") != strings.Join(want, ",") {
		t.Errorf("columns %v, want %v", got.Columns, want)
	}
	if len(got.Rows) != 18 {
		t.Fatalf("%d rows, want 18", len(got.Rows))
	}
	for i, r := range got.Rows {
		if idx, _ := r.ExtraInfo["index"].(float64); int(idx) != i {
			t.Errorf("row %d: index %v", i, r.ExtraInfo["index"])
		}
		if r.ExtraInfo["split"] != "train" || r.RewardModel.Style != "rule" || r.RewardModel.GroundTruth == "" {
			t.Errorf("row %d: %+v", i, r)
		}
		if len(r.Prompt) != 1 || r.Prompt[0].Role != "user" ||
			!strings.HasSuffix(r.Prompt[0].Content, "output the final answer within \\boxed{}.") {
			t.Errorf("row %d: prompt %+v", i, r.Prompt)
		}
		// Copies repeat the 6 items in order.
		if r.DataSource != got.Rows[i%6].DataSource || r.RewardModel != got.Rows[i%6].RewardModel {
			t.Errorf("row %d is not a copy of row %d", i, i%6)
		}
	}
	first := got.Rows[0]
	if first.DataSource != "poly/colony_electrode" || first.Ability != "biology" ||
		first.RewardModel.GroundTruth != `202.0556935\,\mathrm{mV}` {
		t.Errorf("engineered row: %+v", first)
	}
	if sk, _ := first.ExtraInfo["skills"].([]any); len(sk) == 0 || sk[0] != "exponential_growth" {
		t.Errorf("skills %v", first.ExtraInfo["skills"])
	}
	if h, _ := first.ExtraInfo["spec_hash"].(string); len(h) != 64 {
		t.Errorf("spec_hash %q", h)
	}
	lens := got.Rows[1]
	if lens.DataSource != "poly/thin_lens" || lens.Ability != "physics" || lens.ExtraInfo["family"] != "thin_lens" ||
		!strings.HasPrefix(lens.ExtraInfo["sample_id"].(string), "thin_lens#") {
		t.Errorf("family row: %+v", lens)
	}
	if first.ExtraInfo["family"] != nil {
		t.Errorf("sample row has family %v", first.ExtraInfo["family"])
	}

	// The same seed gives the same file; another seed other problems.
	again := filepath.Join(dir, "again.parquet")
	if _, stderr, code := runExport(t, specPath("engineered", "colony_electrode.poly"), specPath("eval", "physics", "thin_lens.poly"),
		"--repeat", "3", "--family-count", "5", "--seed", "9", "-o", again); code != 0 {
		t.Fatal(stderr)
	}
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Errorf("the same arguments gave different parquet files")
	}
}

func TestExportJSONL(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.jsonl")
	_, stderr, code := runExport(t, specPath("natural", "prealgebra_fractions.poly"), "--format", "jsonl",
		"--split", "test", "--suffix", "Put the answer in \\boxed{}.", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatal(err)
	}
	prompt, _ := row["prompt"].([]any)
	if len(prompt) != 1 {
		t.Fatalf("prompt %v", row["prompt"])
	}
	content := prompt[0].(map[string]any)["content"].(string)
	if !strings.HasSuffix(content, "common fraction. Put the answer in \\boxed{}.") {
		t.Errorf("content %q", content)
	}
	if row["ground_truth"] != `\frac{7}{18}` || row["split"] != "test" || row["data_source"] != "poly/prealgebra_fractions" {
		t.Errorf("row %v", row)
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.poly")
	if err := os.WriteFile(bad, []byte("sample x {\n  let a = 3 m + 2 s\n  prompt \"{a}\"\n  answer a\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.parquet")
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"unit mismatch", []string{bad, "-o", out}, 1, "bad.poly:2:11: error: unit mismatch"},
		{"caret view", []string{bad, "-o", out}, 1, " 2 |   let a = 3 m + 2 s\n   |           ^^^^^^^^^"},
		{"missing file", []string{filepath.Join(dir, "nope.poly"), "-o", out}, 2, "cannot read"},
		{"too many problems", []string{specPath("eval", "physics", "photon_energy.poly"), "--family-count", "1000", "-o", out}, 1, "family photon_energy has 151 distinct problems; 1000 were asked for"},
		{"bad repeat", []string{specPath("natural", "physics_free_fall.poly"), "--repeat", "0", "-o", out}, 2, "--repeat must be at least 1"},
		{"bad format", []string{specPath("natural", "physics_free_fall.poly"), "--format", "csv"}, 2, "format"},
		{"unwritable", []string{specPath("natural", "physics_free_fall.poly"), "-o", filepath.Join(dir, "no", "such", "dir", "x.parquet")}, 2, "x.parquet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runExport(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed export left %s", out)
			}
		})
	}
}

// TestExportEvalDirectory exports the whole evaluation library from its
// directory: 100 distinct problems per family, at least five families per
// discipline.
func TestExportEvalDirectory(t *testing.T) {
	out := filepath.Join(t.TempDir(), "eval.jsonl")
	_, stderr, code := runExport(t, specPath("eval"), "--format", "jsonl", "--split", "test", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	perAbility := map[string]int{}
	families := map[string]map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var row struct {
			Ability  string `json:"ability"`
			Family   string `json:"family"`
			Split    string `json:"split"`
			SampleID string `json:"sample_id"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		if row.Split != "test" || row.Family == "" {
			t.Fatalf("row %s", line)
		}
		perAbility[row.Ability]++
		if families[row.Family] == nil {
			families[row.Family] = map[string]bool{}
		}
		if families[row.Family][row.SampleID] {
			t.Errorf("%s is exported twice", row.SampleID)
		}
		families[row.Family][row.SampleID] = true
	}
	for _, d := range []string{"math", "physics", "chemistry", "biology"} {
		if perAbility[d] < 500 {
			t.Errorf("%s: %d problems, want >= 500", d, perAbility[d])
		}
	}
	for f, ids := range families {
		if len(ids) != 100 {
			t.Errorf("family %s: %d problems, want 100", f, len(ids))
		}
	}
}

// TestExportBinary runs the built poly binary: the exit codes main gives
// (0 written, 1 spec errors, 2 bad flags) and the positioned diagnostics.
func TestExportBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "poly")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.poly")
	if err := os.WriteFile(bad, []byte("sample x {\n  let a = 3 m + 2 s\n  prompt \"{a}\"\n  answer a\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.parquet")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", specPath("natural", "physics_free_fall.poly"), "-o", out}, 0, "wrote 1 rows"},
		{[]string{"export", bad, "-o", filepath.Join(dir, "bad.parquet")}, 1, "bad.poly:2:11: error: unit mismatch"},
		{[]string{"export", specPath("natural", "physics_free_fall.poly"), "--repeat", "0"}, 2, "--repeat must be at least 1"},
		{[]string{"export", specPath("natural", "physics_free_fall.poly"), "--format", "xml"}, 2, "format"},
		{[]string{"export", "--help"}, 0, "Exit status"},
	}
	for _, tc := range tests {
		cmd := exec.Command(bin, tc.args...)
		got, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(got), tc.want) || strings.Contains(string(got), "panic") {
			t.Errorf("poly %v: exit %d, output:\n%s\nwant exit %d and %q", tc.args, code, got, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the successful export wrote nothing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.parquet")); err == nil {
		t.Errorf("a failed export wrote its file")
	}
}
