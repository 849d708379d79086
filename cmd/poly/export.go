package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/synth"
	"github.com/polylearn/poly/synth/export"
)

// ExportCmd is `poly export`: it compiles specs and writes their samples
// (and problems drawn from their families) as verl parquet or TRL/HF JSONL.
type ExportCmd struct {
	Specs       []string `arg:"" name:"spec" help:"Spec files or directories (searched recursively for *.poly) to export: every sample, and --family-count problems from every family."`
	Format      string   `enum:"parquet,jsonl" default:"parquet" help:"Output format: parquet (verl) or jsonl (TRL / HF datasets, conversational)."`
	Out         string   `short:"o" placeholder:"FILE" help:"Output file (written atomically). Default: <spec name>.parquet (or .jsonl) for one spec, export.parquet for several, in the current directory."`
	Repeat      int      `default:"1" help:"Write every row N times (the one-shot RLVR recipe repeats its one sample 128 times)."`
	Split       string   `enum:"train,test" default:"train" help:"Split name recorded in extra_info.split."`
	FamilyCount int      `default:"100" name:"family-count" help:"Problems drawn from each family (at most the family's number of distinct problems)."`
	Seed        int64    `default:"1" help:"Seed for drawing family problems (same seed, same problems)."`
	Suffix      string   `placeholder:"TEXT" help:"Instruction appended to every prompt (default: the one-shot recipe's \"Let's think step by step and output the final answer within \\boxed{}.\")."`
	NoSuffix    bool     `name:"no-suffix" help:"Append no instruction to the prompts."`
}

// Help is the long help of `poly export --help`.
func (c *ExportCmd) Help() string {
	return `Every sample becomes one row; every family gives --family-count distinct
problems drawn with --seed (the same seed gives the same problems). Rows
follow verl's schema: data_source "poly/<id>", prompt (chat messages, the
one-shot suffix appended), ability (the main discipline), reward_model
{style "rule", ground_truth: the LaTeX gold}, extra_info {index, split,
spec_hash, sample_id, skills, disciplines, answer, source, family, solution}.

Examples:
  poly export specs/engineered/colony_electrode.poly --repeat 128 -o train.parquet
  poly export specs/eval --split test --family-count 100 -o eval.parquet
  poly export specs/natural --format jsonl -o natural.jsonl

Exit status: 0 written; 1 a spec has errors (printed as by poly check) or a
family is too small (nothing is written); 2 bad flags or the file could not
be written.`
}

// Run runs the command.
func (c *ExportCmd) Run() error { return c.run(os.Stdout, os.Stderr) }

func (c *ExportCmd) run(stdout, stderr io.Writer) error {
	if c.Repeat < 1 {
		return exitCode(2, fmt.Errorf("--repeat must be at least 1, got %d", c.Repeat))
	}
	if c.FamilyCount < 0 {
		return exitCode(2, fmt.Errorf("--family-count must be >= 0, got %d", c.FamilyCount))
	}
	opts := synth.Options{Suffix: c.Suffix, NoSuffix: c.NoSuffix}

	files, err := collectSpecs(c.Specs)
	if err != nil {
		return exitCode(2, err)
	}
	if len(files) == 0 {
		return exitCode(1, fmt.Errorf("export: no .poly files in %s", strings.Join(c.Specs, ", ")))
	}
	var items []*synth.Item
	failed := false
	for _, path := range files {
		spec, diags := compiler.CompileFile(path)
		diags.Render(stderr, spec.Files) // errors and warnings, with carets
		if diags.HasErrors() {
			failed = true
			continue
		}
		got, err := specItems(spec, c.FamilyCount, c.Seed, opts)
		if err != nil {
			fmt.Fprintf(stderr, "%s: error: %v\n", path, err)
			failed = true
			continue
		}
		items = append(items, got...)
	}
	if failed {
		return exitCode(1, errors.New("export: nothing written (fix the errors above)"))
	}
	if len(items) == 0 {
		return exitCode(1, errors.New("export: the specs hold no samples or families"))
	}

	records := synth.Records(items, c.Split)
	out := c.Out
	if out == "" {
		out = "export." + c.Format
		if len(c.Specs) == 1 && len(files) == 1 {
			out = strings.TrimSuffix(filepath.Base(c.Specs[0]), filepath.Ext(c.Specs[0])) + "." + c.Format
		}
	}
	if c.Format == "jsonl" {
		err = export.WriteJSONL(out, records, c.Repeat)
	} else {
		err = export.WriteParquet(out, records, c.Repeat)
	}
	if err != nil {
		return exitCode(2, err)
	}
	fmt.Fprintf(stdout, "poly export: wrote %d rows (%d items x %d) to %s\n",
		len(records)*c.Repeat, len(records), c.Repeat, out)
	return nil
}

// specItems renders every sample of spec and draws count problems from
// each of its families.
func specItems(spec *compiler.Spec, count int, seed int64, o synth.Options) ([]*synth.Item, error) {
	items := synth.Samples(spec, o)
	for _, fam := range spec.Families {
		got, err := synth.Generate(spec, fam, seed, count, o)
		if err != nil {
			return nil, err
		}
		items = append(items, got...)
	}
	return items, nil
}
