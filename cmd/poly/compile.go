package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/polylearn/poly/compiler"
)

// CompileCmd is `poly compile`: it compiles one spec and prints its
// sample(s) as JSON, with problems generated from each family.
type CompileCmd struct {
	Spec  string `arg:"" name:"spec" help:"The .poly file to compile."`
	Seed  int64  `default:"1" help:"Seed for the problems generated from families."`
	Count int    `default:"3" help:"Problems generated per family (capped at the family's size)."`
}

// compileOutput is the JSON shape of `poly compile`.
type compileOutput struct {
	Path     string                `json:"path"`
	Hash     string                `json:"hash"`
	Samples  []*compiler.Sample    `json:"samples"`
	Families []compileFamilyOutput `json:"families"`
	Train    compiler.Train        `json:"train,omitempty"`
}

type compileFamilyOutput struct {
	ID         string             `json:"id"`
	Discipline string             `json:"discipline"`
	Skills     []string           `json:"skills"`
	Size       int                `json:"size"`
	Seed       int64              `json:"seed"`
	Samples    []*compiler.Sample `json:"samples"`
}

// Run runs the command.
func (c *CompileCmd) Run() error { return c.run(os.Stdout, os.Stderr) }

func (c *CompileCmd) run(stdout, stderr io.Writer) error {
	if _, err := os.Stat(c.Spec); err != nil {
		return exitCode(2, fmt.Errorf("cannot read %s: %w", c.Spec, unwrapPathErr(err)))
	}
	if c.Count < 0 {
		return exitCode(2, fmt.Errorf("--count must be >= 0"))
	}
	spec, diags := compiler.CompileFile(c.Spec)
	if diags.HasErrors() {
		diags.Render(stderr, spec.Files)
		return exitCode(1, nil)
	}
	diags.Render(stderr, spec.Files) // warnings
	out, err := compileJSON(spec, c.Seed, c.Count)
	if err != nil {
		return exitCode(1, err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return exitCode(2, err)
	}
	return nil
}

// compileJSON builds the output of `poly compile` for spec.
func compileJSON(spec *compiler.Spec, seed int64, count int) (*compileOutput, error) {
	out := &compileOutput{
		Path:     spec.Path,
		Hash:     spec.Hash,
		Samples:  spec.Samples,
		Families: []compileFamilyOutput{},
		Train:    spec.Train,
	}
	if out.Samples == nil {
		out.Samples = []*compiler.Sample{}
	}
	for _, f := range spec.Families {
		n := count
		if size := f.Size(); n > size {
			n = size
		}
		samples, err := f.Generate(seed, n)
		if err != nil {
			return nil, fmt.Errorf("family %s: %w", f.ID, err)
		}
		if samples == nil {
			samples = []*compiler.Sample{}
		}
		out.Families = append(out.Families, compileFamilyOutput{
			ID: f.ID, Discipline: f.Discipline, Skills: f.Skills,
			Size: f.Size(), Seed: seed, Samples: samples,
		})
	}
	return out, nil
}
