package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/polylearn/poly/grade"
)

// GradeCmd is `poly grade`: JSONL in, JSONL out, one result per line.
type GradeCmd struct {
	In           string        `help:"Read JSONL from FILE instead of stdin." placeholder:"FILE"`
	Out          string        `help:"Write results to FILE (atomically: a temporary file renamed into place) instead of stdout." placeholder:"FILE"`
	Abs          float64       `help:"Absolute tolerance for numbers whose gold answer sets none." placeholder:"X"`
	Rel          float64       `help:"Relative tolerance for numbers whose gold answer sets none (default: exact rationals exactly, else 1e-8)." placeholder:"X"`
	Sig          int           `help:"Significant figures that must agree, for numbers whose gold answer sets none." placeholder:"N"`
	FormatReward float64       `name:"format-reward" help:"Reward of a wrong answer given in the expected format (\\boxed{} or an Answer: line); 0 keeps rewards binary." placeholder:"R"`
	Partial      bool          `help:"Partial credit for sets, tuples and matrices: the fraction of elements that match."`
	Strict       bool          `help:"Only accept answers in \\boxed{} or on an Answer:/final answer line (no last-number fallback)."`
	MaxInput     int           `name:"max-input" default:"65536" help:"Bytes of a completion looked at (its tail is kept)."`
	Timeout      time.Duration `default:"2s" help:"Wall-clock backstop of one check; the deterministic budgets (input, depth, nodes, steps) bound hostile input first, so a well-formed answer never reaches it."`
	Jobs         int           `short:"j" help:"Lines graded in parallel (default: the number of CPUs)."`
}

// Help is the long help of `poly grade --help`.
func (c *GradeCmd) Help() string {
	return `Each input line is a JSON object, either
  {"gold": "\\frac{1}{2}", "pred": "... so the answer is \\boxed{0.5}."}
or
  {"spec": "specs/eval/math/foo.poly", "completion": "...", "sample": "id"}
("sample" is optional: a sample id or family#N; the spec's first sample by default). An "id" field is
copied to the output. pred may be a whole completion or a bare answer; gold is
a LaTeX or plain answer (a whole solution with a \boxed{} answer works too).

Each output line has reward, format_ok, extracted, method, parsed, gold and
reason ("" when correct), in input order. A malformed line gets
{"line": N, "error": "..."} and poly grade exits 1 after grading the rest.`
}

// gradeIn is one input line.
type gradeIn struct {
	ID         json.RawMessage `json:"id,omitempty"`
	Gold       json.RawMessage `json:"gold"`
	Pred       *string         `json:"pred"`
	Spec       string          `json:"spec"`
	Sample     string          `json:"sample"`
	Completion *string         `json:"completion"`
}

// gradeOut is one output line.
type gradeOut struct {
	Line int             `json:"line"`
	ID   json.RawMessage `json:"id,omitempty"`
	*grade.Result
	Error string `json:"error,omitempty"`
}

// gradeSpec grades a completion with a compiled spec's sample. It is set
// by grade_spec.go when the compiler is built in.
var gradeSpec func(path, sample, completion string, opts grade.Options) (grade.Result, error)

// gradeGCPercent is the GOGC of `poly grade` unless the environment sets
// one: its garbage is short-lived and its live heap small (the grader's
// caches, the chunks in flight), so collecting a quarter as often costs
// ~15 MB and saves ~15% of the CPU time.
const gradeGCPercent = 400

// Run runs the command.
func (c *GradeCmd) Run() error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gradeGCPercent)
	}
	var in io.Reader = os.Stdin
	if c.In != "" {
		f, err := os.Open(c.In)
		if err != nil {
			return exitCode(2, err)
		}
		defer f.Close()
		in = f
	}
	if c.Out == "" {
		w := bufio.NewWriterSize(os.Stdout, 1<<16)
		bad, err := c.run(in, w)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		return c.exit(bad, err)
	}
	bad, err := writeAtomic(c.Out, func(w io.Writer) (int, error) { return c.run(in, w) })
	return c.exit(bad, err)
}

func (c *GradeCmd) exit(bad int, err error) error {
	if err != nil {
		return exitCode(2, err)
	}
	if bad > 0 {
		return exitCode(1, fmt.Errorf("%d malformed line(s)", bad))
	}
	return nil
}

func (c *GradeCmd) options() grade.Options {
	return grade.Options{
		Tolerance:    grade.Tolerance{Abs: c.Abs, Rel: c.Rel, Sig: c.Sig},
		FormatReward: c.FormatReward,
		Partial:      c.Partial,
		Strict:       c.Strict,
		Budget:       grade.Budget{MaxInput: c.MaxInput, Timeout: c.Timeout},
	}
}

// gradeLine grades input line n and appends its output line to dst; it
// reports whether the line was malformed.
func (c *GradeCmd) gradeLine(dst []byte, n int, line []byte, opts grade.Options, lc *lineCodec) ([]byte, bool) {
	res, id, err := c.gradeOne(line, opts, &lc.lineDecoder)
	return lc.appendOut(dst, n, id, res, err)
}

// lineCodec is the JSON decoder and encoder of one worker.
type lineCodec struct {
	lineDecoder
	outEncoder
}

func (c *GradeCmd) gradeOne(line []byte, opts grade.Options, d *lineDecoder) (res grade.Result, id []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	in, ok := d.decode(line)
	if !ok {
		if in, err = decodeStd(line); err != nil {
			return res, in.id, err
		}
	}
	res, err = c.grade(&in, opts)
	return res, in.id, err
}

// grade grades one decoded line.
func (c *GradeCmd) grade(in *lineIn, opts grade.Options) (grade.Result, error) {
	switch {
	case in.spec != "":
		if !in.hasCompletion {
			return grade.Result{}, errors.New(`a "spec" line needs a "completion" string`)
		}
		if gradeSpec == nil {
			return grade.Result{}, errors.New("this build of poly cannot grade with specs (the compiler is not built in)")
		}
		return gradeSpec(in.spec, in.sample, in.completion, opts)
	case len(in.gold) > 0:
		gold, err := in.goldText, error(nil)
		if !in.goldIsText {
			gold, err = goldText(in.gold)
		}
		if err != nil {
			return grade.Result{}, err
		}
		if !in.hasPred {
			return grade.Result{}, errors.New(`a "gold" line needs a "pred" string`)
		}
		return grade.CheckStrings(gold, in.pred, opts), nil
	}
	return grade.Result{}, errors.New(`expected {"gold": ..., "pred": ...} or {"spec": ..., "completion": ...}`)
}

// writeAtomic writes path through a temporary file in the same directory,
// synced and renamed into place; on error the old file is left as it was.
func writeAtomic(path string, write func(io.Writer) (int, error)) (int, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	fail := func(err error) (int, error) {
		f.Close()
		os.Remove(tmp)
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	bad, err := write(w)
	if err != nil {
		return fail(err)
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, err
	}
	return bad, nil
}
