package serve

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/synth"
	"github.com/polylearn/poly/synth/export"
)

// TestExportedDataThroughShims is the scale-out path end to end: specs are
// exported as verl parquet and TRL JSONL (synth/export, as poly export
// does), served, and every exported row is scored through the shims with
// its gold answer (1.0) and a wrong one (0.0).
func TestExportedDataThroughShims(t *testing.T) {
	py := pyref.Python(t)
	ts, dir := startReal(t, map[string]string{"cap.poly": capSpec, "proj.poly": familySpec}, grade.Options{})
	var items []*synth.Item
	for _, f := range []string{"cap.poly", "proj.poly"} {
		spec, diags := compiler.CompileFile(filepath.Join(dir, f))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		items = append(items, synth.Samples(spec, synth.Options{})...)
		for _, fam := range spec.Families {
			gen, err := synth.Generate(spec, fam, 7, 6, synth.Options{})
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, gen...)
		}
	}
	records := synth.Records(items, "train")
	out := t.TempDir()
	pq, jl := filepath.Join(out, "train.parquet"), filepath.Join(out, "train.jsonl")
	if err := export.WriteParquet(pq, records, 2); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteJSONL(jl, records, 1); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, filepath.Join("testdata", "exported_check.py"), pyref.RepoRoot(), pq, jl)
	cmd.Env = append(cmd.Environ(), "POLY_SERVE_URL="+ts.URL)
	b, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(b), "ok exported 14 7") {
		t.Fatalf("%v\n%s", err, b)
	}
}
