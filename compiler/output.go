package compiler

import (
	"encoding/json"
	"fmt"
	"io"
)

// Output is the JSON document `poly compile` prints: the spec's samples
// and, for each family, problems generated from a seed.
type Output struct {
	Path     string           `json:"path"`
	Hash     string           `json:"hash"`
	Samples  []*Sample        `json:"samples"`
	Families []FamilyProblems `json:"families"`
	Train    Train            `json:"train,omitempty"`
}

// FamilyProblems is one family in an Output.
type FamilyProblems struct {
	ID         string    `json:"id"`
	Discipline string    `json:"discipline"`
	Skills     []string  `json:"skills"`
	Vary       []string  `json:"vary"`
	Size       int       `json:"size"`
	Seed       int64     `json:"seed"`
	Samples    []*Sample `json:"samples"`
}

// NewOutput builds the Output of spec with up to count problems per
// family (capped at each family's size), drawn with seed.
func NewOutput(spec *Spec, seed int64, count int) (*Output, error) {
	out := &Output{
		Path: spec.Path, Hash: spec.Hash, Samples: spec.Samples,
		Families: []FamilyProblems{}, Train: spec.Train,
	}
	if out.Samples == nil {
		out.Samples = []*Sample{}
	}
	for _, f := range spec.Families {
		n := min(max(count, 0), f.Size())
		samples, err := f.Generate(seed, n)
		if err != nil {
			return nil, fmt.Errorf("family %s: %w", f.ID, err)
		}
		if samples == nil {
			samples = []*Sample{}
		}
		out.Families = append(out.Families, FamilyProblems{
			ID: f.ID, Discipline: f.Discipline, Skills: f.Skills, Vary: f.Vary,
			Size: f.Size(), Seed: seed, Samples: samples,
		})
	}
	return out, nil
}

// WriteJSON writes o as indented JSON (HTML characters unescaped, so
// prompts read as written), followed by a newline.
func (o *Output) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(o)
}
