package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
)

const capSpec = `sample cap_tau "RC time constant" {
  disciplines physics
  skills      unit_conversion
  let r   = 10 kohm
  let c   = 47 uF
  let tau = r * c
  prompt "What is the time constant of {r} and {c}? Give the final answer in \boxed{}."
  answer tau in ms, rel 1e-3
  expect pass "\boxed{470 ms}"
  expect fail "\boxed{47}"
}
`

const familySpec = `family projectile physics "Projectile range" {
  skills trigonometry, kinematics
  vary v0    in 5..40 step 5 m/s
  vary theta in {30, 45, 60} deg
  let  g     = 9.81 m/s^2
  let  range = v0^2 * sin(2*theta) / g
  prompt "A ball leaves the ground at {v0} and {theta}. How far does it fly, in metres?"
  answer range in m, sig 3
  expect pass "{range:.3g}"
}
`

// startReal serves real .poly specs with the real compiler and grader.
func startReal(t *testing.T, files map[string]string, opts grade.Options) (*testServer, string) {
	t.Helper()
	dir := specDir(t, files)
	return start(t, Config{Specs: []string{dir}, Compile: CompileSpec(opts), Grade: GradeStrings(opts)}), dir
}

func TestRealSpecsAndGrader(t *testing.T) {
	ts, dir := startReal(t, map[string]string{"cap.poly": capSpec, "proj.poly": familySpec}, grade.Options{})
	items := []map[string]any{
		{"spec": "cap_tau", "completion": `The product is 0.47 s, so \boxed{470 ms}.`},
		{"spec": "cap_tau", "completion": `\boxed{0.47 s}`},
		{"spec": "cap", "completion": `\boxed{47}`}, // the file-name alias
		{"gold": "3/4", "pred": `so \boxed{0.75}`},
		{"gold": "3/4", "pred": `so \boxed{0.7}`},
	}
	golds := [][2]string{
		{`\frac{1}{2}`, `\boxed{0.5}`}, {"1e-9", `\boxed{2e-9}`}, {"1.2e3", `\boxed{1200}`},
		{`(1, 2)`, `\boxed{(2, 1)}`}, {`\{1, 2\}`, `\boxed{\{2, 1\}}`}, {`x^2+2x+1`, `\boxed{(x+1)^2}`},
		{"5 m", `\boxed{500 cm}`}, {"5 m", `\boxed{5 s}`}, {"C", `The answer is (C).`}, {"12", "no answer here"},
	}
	for _, g := range golds {
		items = append(items, map[string]any{"gold": g[0], "pred": g[1]})
	}
	r := post(t, ts.URL+"/v1/grade", mustJSON(map[string]any{"items": items}))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	res := results(t, r)
	for i, want := range []float64{1, 1, 0, 1, 0} {
		if res[i]["reward"] != want {
			t.Errorf("item %d: %v, want reward %v", i, res[i], want)
		}
	}
	if res[1]["hash"] == "" || res[2]["spec"] != "cap" {
		t.Errorf("spec fields: %v %v", res[1], res[2])
	}
	// The service's answer is exactly the in-process grader's.
	for k, g := range golds {
		want := grade.CheckStrings(g[0], g[1], grade.Options{})
		got := res[5+k]
		if got["reward"] != want.Reward || got["reason"] != want.Reason || got["parsed"] != want.Parsed || got["format_ok"] != want.FormatOK {
			t.Errorf("gold %q pred %q: served %v, in-process %+v", g[0], g[1], got, want)
		}
	}

	// Family problems are graded by their own compiled checkers.
	spec, diags := compiler.CompileFile(filepath.Join(dir, "proj.poly"))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	var fam []map[string]any
	for _, i := range []int{0, 7, 23} {
		smp, err := spec.Family("projectile").Problem(i)
		if err != nil {
			t.Fatal(err)
		}
		fam = append(fam, map[string]any{"spec": smp.ID, "completion": `\boxed{` + smp.GroundTruth + `}`})
	}
	fam = append(fam, map[string]any{"spec": "projectile#24", "completion": "1"})
	res = results(t, post(t, ts.URL+"/v1/grade", mustJSON(map[string]any{"items": fam})))
	for i := range 3 {
		if res[i]["reward"] != 1.0 {
			t.Errorf("family problem %v: %v", fam[i], res[i])
		}
	}
	if res[3]["error"] == nil {
		t.Errorf("projectile#24 is out of range but got %v", res[3])
	}
}

func TestRealReloadKeepsLastGoodSpec(t *testing.T) {
	ts, dir := startReal(t, map[string]string{"cap.poly": capSpec}, grade.Options{})
	path := filepath.Join(dir, "cap.poly")
	reward := func(answer string) float64 {
		t.Helper()
		r := post(t, ts.URL+"/v1/compute_score", mustJSON(map[string]any{
			"data_source": "poly/cap_tau", "solution_str": `\boxed{` + answer + `}`, "ground_truth": "ignored",
			"extra_info": map[string]any{"index": 0, "split": "train"},
		}))
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
		return r.body["score"].(float64)
	}
	if reward("470 ms") != 1 {
		t.Fatal("470 ms should be right")
	}
	h1, _ := ts.Store().Lookup("cap_tau")
	// Rows carry the hash of the spec they were exported from; a row from
	// another version is graded by the served one and flagged.
	stale := func(hash string) any {
		r := post(t, ts.URL+"/v1/compute_score", mustJSON(map[string]any{"data_source": "poly/cap_tau",
			"solution_str": `\boxed{470 ms}`, "extra_info": map[string]any{"spec_hash": hash}}))
		return r.body["stale_data"]
	}
	if stale(h1.Hash) != nil || stale("0123") != true {
		t.Error("stale_data is not set exactly when the row's spec_hash differs")
	}
	if v := metricValue(t, ts.URL, "poly_serve_stale_data_total"); v != 1 {
		t.Errorf("stale_data_total = %v", v)
	}
	// Double the resistor: the answer becomes 940 ms.
	writeFile(t, path, strings.Replace(strings.Replace(capSpec, "10 kohm", "20 kohm", 1), `\boxed{470 ms}`, `\boxed{940 ms}`, 1))
	eventually(t, "the new spec", func() bool { e, _ := ts.Store().Lookup("cap_tau"); return e.Hash != h1.Hash })
	if reward("940 ms") != 1 || reward("470 ms") != 0 {
		t.Fatal("the reloaded spec does not grade")
	}
	// A unit mismatch is a compile error: the 940 ms version stays.
	writeFile(t, path, strings.Replace(capSpec, "answer tau in ms", "answer tau in m", 1))
	eventually(t, "the failed reload", func() bool {
		return do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] == 1.0
	})
	if reward("940 ms") != 1 {
		t.Fatal("a broken save replaced the served spec")
	}
	files := do(t, "GET", ts.URL+"/v1/specs", "").body["files"].([]any)
	diag := mustJSON(files[0].(map[string]any)["diagnostics"])
	if !strings.Contains(diag, `"line":8`) {
		t.Errorf("the diagnostics do not point at line 8: %s", diag)
	}
	if !strings.Contains(ts.log.String(), fmt.Sprintf("%s:8:", filepath.Join(dir, "cap.poly"))) {
		t.Errorf("the log lacks the positioned diagnostic:\n%s", ts.log.String())
	}
}

// TestReloadOnImportChange serves one spec that imports a file from
// another directory: saving the imported file recompiles the spec.
func TestReloadOnImportChange(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(root, "common", "k.poly")
	spec := filepath.Join(root, "main", "c.poly")
	for path, src := range map[string]string{
		lib: "element k physics {\n  given c = 47 uF\n}\n",
		spec: `import "../common/k.poly"
sample cap_tau "RC" {
  disciplines physics
  skills      unit_conversion
  let r   = 10 kohm
  let tau = r * k.c
  prompt "What is the time constant? Give the final answer in \boxed{}."
  answer tau in ms, rel 1e-3
}
`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ts := start(t, Config{Specs: []string{spec}, Compile: CompileSpec(grade.Options{}), Grade: GradeStrings(grade.Options{})})
	if !slices.Contains(ts.Store().Dirs(), filepath.Dir(lib)) {
		t.Fatalf("the import's directory is not watched: %v", ts.Store().Dirs())
	}
	score := func(answer string) float64 {
		t.Helper()
		r := post(t, ts.URL+"/v1/compute_score", mustJSON(map[string]any{"data_source": "poly/cap_tau", "solution_str": `\boxed{` + answer + `}`}))
		return r.body["score"].(float64)
	}
	if score("470 ms") != 1 {
		t.Fatal("470 ms should be right")
	}
	h1, _ := ts.Store().Lookup("cap_tau")
	writeFile(t, lib, "element k physics {\n  given c = 94 uF\n}\n")
	eventually(t, "the spec to be recompiled", func() bool { e, _ := ts.Store().Lookup("cap_tau"); return e.Hash != h1.Hash })
	if score("940 ms") != 1 || score("470 ms") != 0 {
		t.Fatal("the new import is not in effect")
	}
}
