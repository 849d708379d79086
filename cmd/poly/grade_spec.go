package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
)

// specCache compiles each spec of a `poly grade` run once.
var specCache = struct {
	sync.Mutex
	m map[string]*specEntry
}{m: map[string]*specEntry{}}

type specEntry struct {
	once sync.Once
	spec *compiler.Spec
	err  error
}

func init() { gradeSpec = gradeWithSpec }

// gradeWithSpec grades a completion with a sample of the spec at path:
// sample is a sample id, "family#N" for problem N of a family, or "" for
// the spec's first sample (or its first family's problem 0).
func gradeWithSpec(path, sample, completion string, opts grade.Options) (grade.Result, error) {
	specCache.Lock()
	e := specCache.m[path]
	if e == nil {
		e = &specEntry{}
		specCache.m[path] = e
	}
	specCache.Unlock()
	e.once.Do(func() {
		spec, diags := compiler.CompileFile(path)
		if diags.HasErrors() {
			e.err = fmt.Errorf("spec %s does not compile: %v", path, diags.Err())
			return
		}
		e.spec = spec
	})
	if e.err != nil {
		return grade.Result{}, e.err
	}
	s, err := pickSample(e.spec, sample)
	if err != nil {
		return grade.Result{}, err
	}
	return s.GradeWith(completion, opts), nil
}

func pickSample(spec *compiler.Spec, id string) (*compiler.Sample, error) {
	if id == "" {
		if len(spec.Samples) > 0 {
			return spec.Samples[0], nil
		}
		if len(spec.Families) > 0 {
			return spec.Families[0].Problem(0)
		}
		return nil, fmt.Errorf("spec %s has no sample", spec.Path)
	}
	if s := spec.Sample(id); s != nil {
		return s, nil
	}
	if name, n, ok := strings.Cut(id, "#"); ok {
		f := spec.Family(name)
		if f == nil {
			return nil, fmt.Errorf("spec %s has no family %q", spec.Path, name)
		}
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 {
			return nil, errors.New(`"sample": expected family#N with N >= 0`)
		}
		return f.Problem(i)
	}
	return nil, fmt.Errorf("spec %s has no sample %q", spec.Path, id)
}
