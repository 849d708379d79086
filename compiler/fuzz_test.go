package compiler

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzFS is the in-memory file system the fuzz target imports from: the
// shared spec files, so that seeds with imports compile as they do on
// disk. Anything else does not exist.
func fuzzFS(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, dir := range []string{"../specs/common", "testdata/compile/lib"} {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".poly") {
				b, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.Base(e.Name())] = b
			}
		}
	}
	return files
}

// FuzzCompile compiles arbitrary bytes: the compiler must never panic
// (an internal error is caught and reported, which fails the target), every
// diagnostic must have a position, and a spec that compiles cleanly must
// render, generate and grade without failing.
func FuzzCompile(f *testing.F) {
	var seeds []string
	for _, root := range []string{"../specs", "testdata"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".poly") {
				seeds = append(seeds, p)
			}
			return nil
		})
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	lib := fuzzFS(f)
	read := func(path string) ([]byte, error) {
		if b, ok := lib[filepath.Base(path)]; ok {
			return b, nil
		}
		return nil, fs.ErrNotExist
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// Expects are skipped: the grader has its own fuzz targets, and
		// a cheaper execution finds more in the compiler.
		opts := &Options{ReadFile: read, MaxSteps: 200_000, SkipExpects: true}
		spec, diags := Compile("fuzz/spec.poly", src, opts)
		if spec == nil {
			t.Fatal("nil spec")
		}
		for _, d := range diags {
			if strings.Contains(d.Summary, "internal") {
				t.Fatalf("internal error: %s", d.Error())
			}
			if d.Range.Start.File == "" || d.Range.Start.Line < 1 || d.Range.Start.Col < 1 {
				t.Fatalf("diagnostic without a position: %q at %+v", d.Summary, d.Range)
			}
		}
		if diags.HasErrors() {
			return
		}
		// No error means nothing was dropped silently.
		f := spec.Files.File("fuzz/spec.poly")
		ast, _ := parseFile("fuzz/spec.poly", f.Src)
		if ast != nil && (len(ast.Samples()) != len(spec.Samples) || len(ast.Families()) != len(spec.Families)) {
			t.Fatalf("no error, but %d of %d samples and %d of %d families compiled",
				len(spec.Samples), len(ast.Samples()), len(spec.Families), len(ast.Families()))
		}
		out, err := NewOutput(spec, 7, 2)
		if err != nil {
			// A family can fail for some combinations only; that is
			// reported, not a crash.
			return
		}
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("output does not marshal: %v", err)
		}
		for _, s := range spec.Samples {
			for _, c := range []string{s.GroundTruth, string(src[:min(len(src), 64)])} {
				r := s.Grade(c)
				if r.Reward < 0 || r.Reward > 1 {
					t.Fatalf("reward %v out of range", r.Reward)
				}
			}
		}
	})
}
