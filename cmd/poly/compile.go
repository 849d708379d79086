package main

import (
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
	out, err := compiler.NewOutput(spec, c.Seed, c.Count)
	if err != nil {
		return exitCode(1, err)
	}
	if err := out.WriteJSON(stdout); err != nil {
		return exitCode(2, err)
	}
	return nil
}
