package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// testRecords covers every column type, nulls, promotion of an integer to a
// float column, an empty list, and text that needs escaping.
func testRecords() []Record {
	return []Record{
		{
			DataSource: "poly/colony_capacitor",
			Prompt: []Message{
				{Role: "system", Content: "Reason step by step."},
				{Role: "user", Content: "A culture starts with 3000 cells; C = 47 µF, T = 20 °C.\n\"Quote\" <b>&</b> \\boxed{} 数"},
			},
			Ability:     "science",
			RewardModel: RewardModel{Style: "rule", GroundTruth: `1.92 \times 10^{5}`},
			ExtraInfo: ExtraInfo{Index: 0, Split: "train", Fields: map[string]any{
				"spec_hash": "sha256:abc", "sample_id": "colony_capacitor", "skills": []string{"logarithms", "unit_conversion"},
				"n_vary": 3, "weight": 0.5, "engineered": true, "only_first": "x",
			}},
		},
		{
			DataSource:  "poly/ohm",
			Prompt:      []Message{{Role: "user", Content: "What is 1/3 + 1/6?"}},
			Ability:     "math",
			RewardModel: RewardModel{Style: "rule", GroundTruth: `\frac{1}{2}`},
			ExtraInfo: ExtraInfo{Index: 1, Split: "train", Fields: map[string]any{
				"spec_hash": "sha256:def", "sample_id": "ohm", "skills": []string{},
				"n_vary": int64(0), "weight": 2, "engineered": false,
			}},
		},
	}
}

// expectedRows is what both files hold for testRecords repeated 3 times,
// as JSON values (the shape pyarrow's to_pylist gives).
func expectedRows(t *testing.T, records []Record, repeat int) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for k := 0; k < repeat; k++ {
		for i, r := range records {
			var prompt []any
			for _, m := range r.Prompt {
				prompt = append(prompt, map[string]any{"role": m.Role, "content": m.Content})
			}
			info := map[string]any{"index": float64(int64(i) + int64(k*len(records))), "split": r.ExtraInfo.Split}
			for _, name := range []string{"engineered", "n_vary", "only_first", "sample_id", "skills", "spec_hash", "weight"} {
				v, ok := r.ExtraInfo.Fields[name]
				if !ok {
					info[name] = nil
					continue
				}
				switch x := v.(type) {
				case int:
					info[name] = float64(x)
				case int64:
					info[name] = float64(x)
				case []string:
					l := []any{}
					for _, s := range x {
						l = append(l, s)
					}
					info[name] = l
				default:
					info[name] = x
				}
			}
			rows = append(rows, map[string]any{
				"data_source":  r.DataSource,
				"prompt":       prompt,
				"ability":      r.Ability,
				"reward_model": map[string]any{"style": r.RewardModel.Style, "ground_truth": r.RewardModel.GroundTruth},
				"extra_info":   info,
			})
		}
	}
	return rows
}

const pyarrowScript = `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
print(json.dumps({
  "schema": [[f.name, str(f.type), f.nullable] for f in t.schema],
  "rows": t.to_pylist(),
  "num_rows": t.num_rows,
}))
`

func TestParquetPyarrow(t *testing.T) {
	records := testRecords()
	path := filepath.Join(t.TempDir(), "train.parquet")
	if err := WriteParquet(path, records, 3); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, pyarrowScript, path)
	var got struct {
		Schema  [][]any          `json:"schema"`
		Rows    []map[string]any `json:"rows"`
		NumRows int              `json:"num_rows"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantSchema := [][]any{
		{"data_source", "string", false},
		{"prompt", "list<element: struct<role: string not null, content: string not null> not null>", false},
		{"ability", "string", false},
		{"reward_model", "struct<style: string not null, ground_truth: string not null>", false},
		{"extra_info", "struct<index: int64 not null, split: string not null, engineered: bool not null, " +
			"n_vary: int64 not null, only_first: string, sample_id: string not null, " +
			"skills: list<element: string not null> not null, spec_hash: string not null, weight: double not null>", false},
	}
	if !reflect.DeepEqual(got.Schema, wantSchema) {
		t.Errorf("schema:\n got %v\nwant %v", got.Schema, wantSchema)
	}
	if got.NumRows != 6 {
		t.Errorf("num_rows = %d, want 6", got.NumRows)
	}
	want := expectedRows(t, records, 3)
	if !reflect.DeepEqual(got.Rows, want) {
		gj, _ := json.MarshalIndent(got.Rows, "", " ")
		wj, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("rows differ:\n got %s\nwant %s", gj, wj)
	}
}

func TestJSONLRows(t *testing.T) {
	records := testRecords()
	path := filepath.Join(t.TempDir(), "train.jsonl")
	if err := WriteJSONL(path, records, 3); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6", len(lines))
	}
	want := expectedRows(t, records, 3)
	for i, line := range lines {
		var got map[string]any
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		w := want[i]
		flat := map[string]any{
			"prompt": w["prompt"], "data_source": w["data_source"], "ability": w["ability"],
			"ground_truth": w["reward_model"].(map[string]any)["ground_truth"],
			"reward_style": w["reward_model"].(map[string]any)["style"],
		}
		for k, v := range w["extra_info"].(map[string]any) {
			flat[k] = v
		}
		if !reflect.DeepEqual(got, flat) {
			t.Errorf("line %d:\n got %v\nwant %v", i+1, got, flat)
		}
		// Key order: prompt first, then the fixed columns, then extras.
		if !strings.HasPrefix(line, `{"prompt":[{"role":`) || !strings.Contains(line, `"reward_style":"rule","index":`) {
			t.Errorf("line %d key order: %s", i+1, line)
		}
	}
	// No HTML escaping; floats stay floats.
	if !strings.Contains(lines[0], `<b>&</b>`) || !strings.Contains(lines[1], `"weight":2.0`) {
		t.Errorf("escaping or float form: %s / %s", lines[0], lines[1])
	}
}

const datasetsScript = `
import json, sys
from datasets import load_dataset
out = {}
for kind, path in (("parquet", sys.argv[1]), ("json", sys.argv[2])):
    ds = load_dataset(kind, data_files=path, split="train")
    out[kind] = {
        "columns": ds.column_names,
        "num_rows": ds.num_rows,
        "features": {k: str(v) for k, v in ds.features.items()},
        "first_prompt": ds[0]["prompt"],
        "last": {k: ds[ds.num_rows - 1][k] for k in ds.column_names},
    }
print(json.dumps(out))
`

func TestDatasetsLoad(t *testing.T) {
	records := testRecords()
	dir := t.TempDir()
	pq, jl := filepath.Join(dir, "train.parquet"), filepath.Join(dir, "train.jsonl")
	if err := WriteParquet(pq, records, 2); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSONL(jl, records, 2); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HF_HOME", filepath.Join(dir, "hf"))
	t.Setenv("HF_DATASETS_CACHE", filepath.Join(dir, "hf", "datasets"))
	t.Setenv("HF_DATASETS_OFFLINE", "1")
	out := pyref.Run(t, datasetsScript, pq, jl)
	var got map[string]struct {
		Columns     []string          `json:"columns"`
		NumRows     int               `json:"num_rows"`
		Features    map[string]string `json:"features"`
		FirstPrompt []map[string]any  `json:"first_prompt"`
		Last        map[string]any    `json:"last"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantPrompt := []map[string]any{
		{"role": "system", "content": records[0].Prompt[0].Content},
		{"role": "user", "content": records[0].Prompt[1].Content},
	}
	p := got["parquet"]
	if !reflect.DeepEqual(p.Columns, []string{"data_source", "prompt", "ability", "reward_model", "extra_info"}) || p.NumRows != 4 {
		t.Errorf("parquet via datasets: columns %v, rows %d", p.Columns, p.NumRows)
	}
	if !reflect.DeepEqual(p.FirstPrompt, wantPrompt) {
		t.Errorf("parquet via datasets: prompt %v", p.FirstPrompt)
	}
	if f := p.Features["prompt"]; f != "List({'role': Value('string'), 'content': Value('string')})" {
		t.Errorf("parquet via datasets: feature prompt = %s", f)
	}
	if ei := p.Last["extra_info"].(map[string]any); ei["index"] != 3.0 || ei["sample_id"] != "ohm" || ei["only_first"] != nil {
		t.Errorf("parquet via datasets: last extra_info %v", ei)
	}
	j := got["json"]
	wantCols := []string{"prompt", "ground_truth", "data_source", "ability", "reward_style", "index", "split",
		"engineered", "n_vary", "only_first", "sample_id", "skills", "spec_hash", "weight"}
	if !reflect.DeepEqual(j.Columns, wantCols) || j.NumRows != 4 {
		t.Errorf("json via datasets: columns %v, rows %d", j.Columns, j.NumRows)
	}
	if !reflect.DeepEqual(j.FirstPrompt, wantPrompt) {
		t.Errorf("json via datasets: prompt %v", j.FirstPrompt)
	}
	if j.Last["index"] != 3.0 || j.Last["ground_truth"] != `\frac{1}{2}` || j.Last["weight"] != 2.0 || j.Last["only_first"] != nil {
		t.Errorf("json via datasets: last row %v", j.Last)
	}
	for col, typ := range map[string]string{"prompt": "List({'role': Value('string'), 'content': Value('string')})", "index": "Value('int64')", "weight": "Value('float64')", "engineered": "Value('bool')", "skills": "List(Value('string'))"} {
		if j.Features[col] != typ {
			t.Errorf("json via datasets: feature %s = %s, want %s", col, j.Features[col], typ)
		}
	}
}

const duckdbScript = `
import json, sys, duckdb
rows = duckdb.sql("SELECT data_source, prompt[2].content, reward_model.ground_truth, extra_info.index, extra_info.skills " +
                  "FROM read_parquet('" + sys.argv[1] + "') ORDER BY extra_info.index").fetchall()
print(json.dumps(rows))
`

func TestParquetDuckDB(t *testing.T) {
	records := testRecords()
	path := filepath.Join(t.TempDir(), "train.parquet")
	if err := WriteParquet(path, records[:1], 128); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, duckdbScript, path)
	var rows [][]any
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rows) != 128 {
		t.Fatalf("%d rows, want 128", len(rows))
	}
	for i, r := range rows {
		want := []any{"poly/colony_capacitor", records[0].Prompt[1].Content, `1.92 \times 10^{5}`, float64(i), []any{"logarithms", "unit_conversion"}}
		if !reflect.DeepEqual(r, want) {
			t.Fatalf("row %d = %v, want %v", i, r, want)
		}
	}
}

func TestErrors(t *testing.T) {
	good := testRecords()
	tests := []struct {
		name    string
		mutate  func([]Record) []Record
		repeat  int
		wantErr string
	}{
		{"repeat 0", nil, 0, "repeat must be at least 1"},
		{"empty prompt", func(r []Record) []Record { r[0].Prompt = nil; return r }, 1, "record 0: empty prompt"},
		{"no role", func(r []Record) []Record { r[1].Prompt[0].Role = ""; return r }, 1, "record 1: prompt message 0 has no role"},
		{"reserved", func(r []Record) []Record { r[0].ExtraInfo.Fields["index"] = 3; return r }, 1, `extra field name "index" is reserved`},
		{"bad name", func(r []Record) []Record { r[0].ExtraInfo.Fields["a b"] = 3; return r }, 1, `extra field name "a b"`},
		{"bad type", func(r []Record) []Record { r[0].ExtraInfo.Fields["m"] = map[string]int{}; return r }, 1, `unsupported type map[string]int`},
		{"nil", func(r []Record) []Record { r[0].ExtraInfo.Fields["m"] = nil; return r }, 1, `value is nil`},
		{"conflict", func(r []Record) []Record { r[1].ExtraInfo.Fields["sample_id"] = 7; return r }, 1, `extra field "sample_id": string in record 0 but int64 in record 1`},
		{"nan", func(r []Record) []Record { r[0].ExtraInfo.Fields["weight"] = nan(); return r }, 1, "not a finite number"},
		{"utf8", func(r []Record) []Record { r[0].Prompt[0].Content = "\xff"; return r }, 1, "not valid UTF-8"},
	}
	for _, tt := range tests {
		for _, w := range []func(string, []Record, int) error{WriteParquet, WriteJSONL} {
			records := cloneRecords(good)
			if tt.mutate != nil {
				records = tt.mutate(records)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "out")
			err := w(path, records, tt.repeat)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("%s: left files behind: %v", tt.name, entries)
			}
		}
	}
}

func nan() float64 {
	z := 0.0
	return z / z
}

func cloneRecords(rs []Record) []Record {
	out := make([]Record, len(rs))
	for i, r := range rs {
		r.Prompt = append([]Message(nil), r.Prompt...)
		f := map[string]any{}
		for k, v := range r.ExtraInfo.Fields {
			f[k] = v
		}
		r.ExtraInfo.Fields = f
		out[i] = r
	}
	return out
}

// TestAtomic checks that a failed write leaves the old file untouched and no
// temporary file behind, and that a successful one replaces it.
func TestAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "train.jsonl")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := cloneRecords(testRecords())
	bad[0].Prompt = nil
	if err := WriteJSONL(path, bad, 1); err == nil {
		t.Fatal("bad records accepted")
	}
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("failed write changed the file: %q", data)
	}
	// A failure inside the writer (after the temporary file exists).
	boom := errors.New("boom")
	err := writeAtomic(path, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("partial"), 100000))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("writeAtomic err = %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("failed write changed the file: %q", data[:min(len(data), 20)])
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
	if err := WriteJSONL(path, testRecords(), 1); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if bytes.Count(data, []byte("\n")) != 2 {
		t.Errorf("replaced file has %d lines", bytes.Count(data, []byte("\n")))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files in dir: %v", entries)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	// A directory that does not exist is an error, not a panic.
	if err := WriteParquet(filepath.Join(dir, "no", "such", "x.parquet"), testRecords(), 1); err == nil {
		t.Errorf("write into a missing directory succeeded")
	}
}

// TestEncodeMatchesWrite checks that the io.Writer encoders produce the
// same bytes as the file writers.
func TestEncodeMatchesWrite(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name   string
		write  func(string, []Record, int) error
		encode func(io.Writer, []Record, int) error
	}{{"x.parquet", WriteParquet, EncodeParquet}, {"x.jsonl", WriteJSONL, EncodeJSONL}} {
		path := filepath.Join(dir, c.name)
		if err := c.write(path, testRecords(), 2); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.encode(&buf, testRecords(), 2); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(path)
		if !bytes.Equal(data, buf.Bytes()) {
			t.Errorf("%s: Encode and Write differ (%d vs %d bytes)", c.name, buf.Len(), len(data))
		}
		if err := c.encode(&buf, nil, 0); err == nil {
			t.Errorf("%s: repeat 0 accepted", c.name)
		}
	}
}

// TestParquetEmpty checks that no records give a valid file with the base
// schema and no rows.
func TestParquetEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.parquet")
	if err := WriteParquet(path, nil, 4); err != nil {
		t.Fatal(err)
	}
	out := pyref.Run(t, pyarrowScript, path)
	var got struct {
		Schema  [][]any `json:"schema"`
		NumRows int     `json:"num_rows"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.NumRows != 0 || len(got.Schema) != 5 || got.Schema[4][1] != "struct<index: int64 not null, split: string not null>" {
		t.Errorf("empty file: %d rows, schema %v", got.NumRows, got.Schema)
	}
}
