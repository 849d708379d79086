package serve

import (
	"os"
	"sync"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/lang"
)

// CompileSpec returns the Compiler of `poly serve`: poly's compiler (which
// also runs each spec's expect self-tests), serving every sample with its
// compiled checker and every family's problems, all graded with opts.
func CompileSpec(opts grade.Options) Compiler {
	return func(path string) (*Unit, lang.Diagnostics) {
		spec, diags, deps := compileRecording(path)
		if spec == nil {
			return nil, diags
		}
		u := &Unit{Hash: spec.Hash, Files: spec.Files, Deps: deps}
		if diags.HasErrors() {
			return u, diags
		}
		for _, smp := range spec.Samples {
			u.Samples = append(u.Samples, sampleOf(smp, opts))
		}
		for _, f := range spec.Families {
			u.Families = append(u.Families, Family{ID: f.ID, Size: f.Size(), Problem: func(i int) (Sample, error) {
				smp, err := f.Problem(i)
				if err != nil {
					return Sample{}, err
				}
				return sampleOf(smp, opts), nil
			}})
		}
		return u, diags
	}
}

// compileRecording compiles path as compiler.CompileFile does and returns
// the files it imported.
func compileRecording(path string) (*compiler.Spec, lang.Diagnostics, []string) {
	src, err := os.ReadFile(path)
	if err != nil || len(src) > maxSpecBytes {
		spec, diags := compiler.CompileFile(path) // its diagnostic for the unreadable file
		return spec, diags, nil
	}
	var mu sync.Mutex
	var deps []string
	read := func(p string) ([]byte, error) {
		mu.Lock()
		deps = append(deps, p)
		mu.Unlock()
		return os.ReadFile(p)
	}
	spec, diags := compiler.Compile(path, src, &compiler.Options{ReadFile: read})
	return spec, diags, deps
}

// maxSpecBytes is the compiler's limit on one source file; bigger files go
// through compiler.CompileFile for its diagnostic.
const maxSpecBytes = 4 << 20

func sampleOf(smp *compiler.Sample, opts grade.Options) Sample {
	return Sample{ID: smp.ID, Grade: func(completion string) grade.Result { return smp.GradeWith(completion, opts) }}
}

// GradeStrings returns the GoldGrader of `poly serve`: grade.CheckStrings
// with opts.
func GradeStrings(opts grade.Options) GoldGrader {
	return func(gold, pred string) grade.Result { return grade.CheckStrings(gold, pred, opts) }
}
