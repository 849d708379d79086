package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
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

// Run runs the command.
func (c *GradeCmd) Run() error {
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

// run grades every line of in, writing one line per input line to out in
// order; it returns the number of malformed lines.
func (c *GradeCmd) run(in io.Reader, out io.Writer) (int, error) {
	opts := c.options()
	jobs := c.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	r := bufio.NewReaderSize(in, 1<<16)
	bad := 0
	lineNo := 0
	const chunk = 256
	lines := make([][]byte, 0, chunk)
	results := make([][]byte, chunk)
	flush := func() error {
		var wg sync.WaitGroup
		next := make(chan int, len(lines))
		for i := range lines {
			next <- i
		}
		close(next)
		var mu sync.Mutex
		for w := 0; w < jobs; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					b, malformed := c.gradeLine(lineNo-len(lines)+i+1, lines[i], opts)
					results[i] = b
					if malformed {
						mu.Lock()
						bad++
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		for i := range lines {
			if _, err := out.Write(results[i]); err != nil {
				return err
			}
		}
		lines = lines[:0]
		return nil
	}
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			lineNo++
			lines = append(lines, bytes.TrimRight(line, "\r\n"))
			if len(lines) == chunk {
				if ferr := flush(); ferr != nil {
					return bad, ferr
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return bad, err
		}
	}
	return bad, flush()
}

// gradeLine grades one input line and returns its output line.
func (c *GradeCmd) gradeLine(n int, line []byte, opts grade.Options) ([]byte, bool) {
	o := gradeOut{Line: n}
	res, id, err := c.gradeOne(line, opts)
	o.ID = id
	if err != nil {
		o.Error = err.Error()
	} else {
		o.Result = &res
	}
	b, merr := json.Marshal(o)
	if merr != nil {
		b, _ = json.Marshal(gradeOut{Line: n, Error: "cannot encode result: " + merr.Error()})
		err = merr
	}
	return append(b, '\n'), err != nil
}

func (c *GradeCmd) gradeOne(line []byte, opts grade.Options) (res grade.Result, id json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	if len(bytes.TrimSpace(line)) == 0 {
		return res, nil, errors.New("empty line")
	}
	var in gradeIn
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return res, nil, fmt.Errorf("malformed JSON: %v", err)
	}
	if dec.More() {
		return res, in.ID, errors.New("malformed JSON: more than one value on the line")
	}
	switch {
	case in.Spec != "":
		if in.Completion == nil {
			return res, in.ID, errors.New(`a "spec" line needs a "completion" string`)
		}
		if gradeSpec == nil {
			return res, in.ID, errors.New("this build of poly cannot grade with specs (the compiler is not built in)")
		}
		res, err = gradeSpec(in.Spec, in.Sample, *in.Completion, opts)
		return res, in.ID, err
	case len(in.Gold) > 0:
		gold, err := goldText(in.Gold)
		if err != nil {
			return res, in.ID, err
		}
		if in.Pred == nil {
			return res, in.ID, errors.New(`a "gold" line needs a "pred" string`)
		}
		return grade.CheckStrings(gold, *in.Pred, opts), in.ID, nil
	}
	return res, in.ID, errors.New(`expected {"gold": ..., "pred": ...} or {"spec": ..., "completion": ...}`)
}

// goldText accepts a gold answer as a JSON string or number.
func goldText(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&n); err == nil {
		return n.String(), nil
	}
	return "", errors.New(`"gold" must be a string or a number`)
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
