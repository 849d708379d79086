package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/train/eval"
)

// EvalCmd is `poly eval`: accuracy of a model on held-out problems from
// specs (by default specs/eval), per discipline and per family with 95%
// Wilson intervals, mean completion length and format rate (package
// train/eval).
//
// Exit codes: 0 done; 1 a bad spec (positioned diagnostics, as poly check
// prints them), a missing path, bad flags or a model that does not load;
// 2 the report could not be written; 130 interrupted.
type EvalCmd struct {
	Specs       []string `arg:"" optional:"" name:"spec" help:"Spec files or directories (searched recursively for *.poly). Default: specs/eval."`
	Model       string   `help:"HF model directory (config.json, *.safetensors, tokenizer.json), a poly train checkpoint, or 'default' (the embedded tiny model, the default)." default:"default" placeholder:"DIR|default"`
	PerFamily   int      `help:"Problems drawn from each family (all of them when a family has fewer); each sample is evaluated once (default 20)." default:"20" placeholder:"N"`
	Seed        int64    `help:"Seed choosing the family problems and seeding sampling." default:"1"`
	Temperature float64  `help:"Sampling temperature (0: greedy)." default:"0"`
	TopP        float64  `name:"top-p" help:"Nucleus sampling threshold when temperature > 0 (0 or 1: off)." default:"0"`
	TopK        int      `name:"top-k" help:"Top-k sampling when temperature > 0 (0: off)." default:"0"`
	MaxTokens   int      `help:"Completion length budget in tokens (default 256)." default:"256" placeholder:"N"`
	Batch       int      `help:"Problems generated together on the KV cache (default 16)." default:"16" placeholder:"N"`
	Format      string   `enum:"text,json" default:"text" help:"Output on stdout: text (tables) or json (the full report, every completion included)."`
	Out         string   `help:"Also write the JSON report to FILE (atomically)." placeholder:"FILE"`
	NoProgress  bool     `help:"Plain progress lines even on a terminal."`
}

// Run runs the command.
func (c *EvalCmd) Run() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return c.run(ctx, os.Stdout, os.Stderr, isatty.IsTerminal(os.Stderr.Fd()) && !c.NoProgress)
}

func (c *EvalCmd) run(ctx context.Context, stdout, stderr io.Writer, tty bool) error {
	if c.PerFamily < 1 || c.MaxTokens < 1 || c.Batch < 1 {
		return exitCode(1, fmt.Errorf("--per-family, --max-tokens and --batch must be at least 1"))
	}
	paths := c.Specs
	if len(paths) == 0 {
		paths = []string{"specs/eval"}
	}
	files, err := collectSpecs(paths)
	if err != nil {
		return exitCode(1, err)
	}
	if len(files) == 0 {
		return exitCode(1, fmt.Errorf("eval: no .poly files in %s", strings.Join(paths, ", ")))
	}
	var specs []*compiler.Spec
	failed := false
	for _, path := range files {
		spec, diags := compiler.CompileFile(path)
		diags.Render(stderr, spec.Files) // errors and warnings, with carets
		if diags.HasErrors() {
			failed = true
			continue
		}
		specs = append(specs, spec)
	}
	if failed {
		return exitCode(1, errors.New("eval: nothing evaluated (fix the errors above)"))
	}
	start := time.Now()
	rep, err := eval.Run(ctx, specs, eval.Options{
		Model: c.Model, PerFamily: c.PerFamily, Seed: c.Seed,
		Temperature: c.Temperature, TopP: c.TopP, TopK: c.TopK, MaxTokens: c.MaxTokens, Batch: c.Batch,
		Progress: stderr, TTY: tty,
	})
	if err != nil {
		if ctx.Err() != nil {
			return exitCode(130, errors.New("eval: interrupted"))
		}
		return exitCode(1, fmt.Errorf("eval: %w", err))
	}
	js, err := rep.JSON()
	if err != nil {
		return exitCode(2, err)
	}
	if c.Out != "" {
		if _, err := writeAtomic(c.Out, func(w io.Writer) (int, error) { _, err := w.Write(js); return 0, err }); err != nil {
			return exitCode(2, fmt.Errorf("eval: writing %s: %w", c.Out, err))
		}
	}
	if c.Format == "json" {
		_, err = stdout.Write(js)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return exitCode(2, err)
	}
	fmt.Fprintf(stderr, "poly eval: %d problems in %s\n", rep.Total.N, time.Since(start).Round(time.Millisecond))
	return nil
}
