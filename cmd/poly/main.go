// Command poly compiles, checks, exports and trains on .poly sample specs.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/alecthomas/kong"
)

// version is set by the linker (-X main.version=...).
var version = "dev"

// CLI is the command line: one field per subcommand, each defined in its
// own file (check.go, fmt.go, ...).
type CLI struct {
	Check    CheckCmd    `cmd:"" help:"Type-check specs and run their expect self-tests."`
	Fmt      FmtCmd      `cmd:"" help:"Format specs canonically."`
	Compile  CompileCmd  `cmd:"" help:"Compile a spec and print its sample(s) as JSON."`
	Export   ExportCmd   `cmd:"" help:"Export samples as verl parquet or TRL/HF JSONL."`
	Grade    GradeCmd    `cmd:"" help:"Grade completions (JSONL in, JSONL out)."`
	Train    TrainCmd    `cmd:"" help:"Train a model with GRPO on a spec's sample."`
	Eval     EvalCmd     `cmd:"" help:"Measure a model's accuracy on held-out problems from specs."`
	Tokenize TokenizeCmd `cmd:"" help:"Print the token ids of stdin as JSON."`
	Serve    ServeCmd    `cmd:"" help:"Serve compiled checkers as an HTTP reward service."`

	Version kong.VersionFlag `help:"Print the version and exit."`
}

// exitError carries a process exit code up to main. Commands return it
// after they have printed what the user needs to see.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode returns an error that makes poly exit with code, printing err
// when it is not nil.
func exitCode(code int, err error) error { return &exitError{code: code, err: err} }

func main() {
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("poly"),
		kong.Description("poly: sample engineering for RL with verifiable rewards."),
		kong.UsageOnError(),
		kong.Vars{"version": version},
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "poly:", err)
		os.Exit(2)
	}
	ctx, err := parser.Parse(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "poly:", err)
		os.Exit(2)
	}
	err = ctx.Run()
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "poly:", ee.err)
		}
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "poly:", err)
		os.Exit(1)
	}
}
