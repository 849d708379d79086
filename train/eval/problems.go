package eval

import (
	"fmt"

	"github.com/polylearn/poly/compiler"
)

// Problem is one held-out problem: a compiled sample, and the group it is
// reported under (its family, or itself for a plain sample).
type Problem struct {
	Spec   string // the spec file
	Group  string // family id, or the sample's id for a plain sample
	Kind   string // "family" or "sample"
	Sample *compiler.Sample
}

// Problems lists the problems of specs in order: per spec, its samples
// (each once), then for each family perFamily problems chosen by seed
// (all of them when the family has fewer).
func Problems(specs []*compiler.Spec, perFamily int, seed int64) ([]Problem, error) {
	if perFamily < 1 {
		return nil, fmt.Errorf("per-family %d: want at least 1", perFamily)
	}
	var out []Problem
	for _, sp := range specs {
		for _, s := range sp.Samples {
			out = append(out, Problem{Spec: sp.Path, Group: s.ID, Kind: "sample", Sample: s})
		}
		for _, f := range sp.Families {
			n := min(perFamily, f.Size())
			ss, err := f.Generate(seed, n)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", sp.Path, err)
			}
			for _, s := range ss {
				out = append(out, Problem{Spec: sp.Path, Group: f.ID, Kind: "family", Sample: s})
			}
		}
	}
	return out, nil
}
