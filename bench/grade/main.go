// Command grade benchmarks poly's grader against math-verify and verl's
// default rule-based math scorer on the same corpus, one core each, in the
// same run, and prints a summary table and every disagreement with
// math-verify. See README.md for what each figure means.
//
//	bench/grade/run.sh [-corpus FILE|gen:N] [-seconds S] [-core N] [-quiet]
//
// The corpus is JSONL with "gold" and "pred" (and optionally "want", the
// expected reward, "note" and "cat"), or gen:N, N lines of generated
// RL-shaped completions (gen.go, rollout.go). The Python side (ref.py) runs
// with the reference interpreter (.venv/bin/python), pinned to the same core
// with taskset; poly runs with GOMAXPROCS=1 pinned likewise, in process and
// as the `poly grade -j 1` command.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/polylearn/poly/grade"
)

// refGrader is one reference grader's part of ref.py's output.
type refGrader struct {
	Version string    `json:"version"`
	Rewards []float64 `json:"rewards"`
	Checks  int       `json:"checks"`
	Seconds float64   `json:"seconds"`
}

func (g *refGrader) rate() float64 { return float64(g.Checks) / g.Seconds }

type config struct {
	corpus, python, write string
	seconds               float64
	core, gcPercent       int
	all, quiet, e2e       bool
}

func main() {
	var c config
	flag.StringVar(&c.corpus, "corpus", "grade/testdata/cases.jsonl", "JSONL corpus of {gold, pred[, want, note, cat]}, or gen:N for N generated RL-shaped completions")
	flag.Float64Var(&c.seconds, "seconds", 2, "minimum CPU seconds timed per grader")
	flag.IntVar(&c.core, "core", 0, "CPU core every grader is pinned to (-1: no pinning)")
	flag.IntVar(&c.gcPercent, "gc", 400, "GOGC of the in-process poly loops (poly grade runs with its own setting)")
	flag.StringVar(&c.python, "python", "", "reference interpreter (default: $POLY_PYTHON or .venv/bin/python)")
	flag.BoolVar(&c.all, "all", false, "also list disagreements with verl (bare answers boxed)")
	flag.BoolVar(&c.quiet, "quiet", false, "print the summary only, not the disagreements")
	flag.BoolVar(&c.e2e, "e2e", true, "also build cmd/poly and time `poly grade -j 1` end to end")
	flag.StringVar(&c.write, "write", "", "write the corpus (e.g. a generated one, with its labels) to FILE as JSONL and exit")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench/grade:", err)
		os.Exit(1)
	}
}

// pin restricts this process to one core (Linux sched_setaffinity via
// taskset on our own pid) and to one Go thread running Go code.
func pin(core int) {
	runtime.GOMAXPROCS(1)
	if core < 0 {
		return
	}
	_ = exec.Command("taskset", "-a", "-p", "-c", strconv.Itoa(core), strconv.Itoa(os.Getpid())).Run()
}

// cpuTime returns the user+system CPU seconds of this process.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return float64(time.Now().UnixNano()) / 1e9
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// timePoly returns poly's checks per CPU-second over whole passes of the
// corpus taking at least seconds.
func timePoly(cases []benchCase, opts grade.Options, seconds float64) float64 {
	n := 0
	start := cpuTime()
	for cpuTime()-start < seconds {
		for _, c := range cases {
			grade.CheckStrings(c.Gold, c.Pred, opts)
		}
		n += len(cases)
	}
	return float64(n) / (cpuTime() - start)
}

// timeCompiledGold returns poly's checks per CPU-second as a trainer
// grades: each gold answer parsed once ahead (grade.ParseGold, as the
// compiler does for a spec), every completion parsed anew (NoCache).
func timeCompiledGold(cases []benchCase, seconds float64) (float64, []float64) {
	golds := make([]grade.Gold, len(cases))
	ok := make([]bool, len(cases))
	opts := grade.Options{NoCache: true}
	rewards := make([]float64, len(cases))
	for i, c := range cases {
		g, err := grade.ParseGold(c.Gold)
		golds[i], ok[i] = g, err == nil
		if ok[i] {
			rewards[i] = grade.Check(g, c.Pred, opts).Reward
		}
	}
	n := 0
	start := cpuTime()
	for cpuTime()-start < seconds {
		for i, c := range cases {
			if ok[i] {
				grade.Check(golds[i], c.Pred, opts)
			} else {
				grade.CheckStrings(c.Gold, c.Pred, opts) // the gold's error, as CheckStrings reports it
			}
		}
		n += len(cases)
	}
	return float64(n) / (cpuTime() - start), rewards
}

func writeCorpus(path string, cases []benchCase) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return writeFileAtomic(path, []byte(b.String()))
}

func run(c config) error {
	cases, err := loadCorpus(c.corpus)
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		return fmt.Errorf("%s: empty corpus", c.corpus)
	}
	if c.write != "" {
		return writeCorpus(c.write, cases)
	}
	tmp, err := os.MkdirTemp("", "bench-grade-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// ref.py reads the same lines poly grades (a generated corpus has no file)
	corpusFile := filepath.Join(tmp, "corpus.jsonl")
	if err := os.WriteFile(corpusFile, gradeInput(cases), 0o644); err != nil {
		return err
	}
	var bin string
	if c.e2e {
		if bin, err = buildPoly(tmp); err != nil {
			return err
		}
	}
	pin(c.core)
	debug.SetGCPercent(c.gcPercent)

	// poly in process: results (warm and cold), then the timed loops
	warm := make([]grade.Result, len(cases))
	cold := make([]float64, len(cases))
	noCache := grade.Options{NoCache: true}
	for i, x := range cases {
		warm[i] = grade.CheckStrings(x.Gold, x.Pred, grade.Options{})
		cold[i] = grade.CheckStrings(x.Gold, x.Pred, noCache).Reward
	}
	// CPU time of this process (as ref.py measures the references): on a
	// shared machine wall time measures the neighbours too
	warmRate := timePoly(cases, grade.Options{}, c.seconds)
	coldRate := timePoly(cases, noCache, c.seconds)
	trainRate, trainRewards := timeCompiledGold(cases, c.seconds)

	var e2e *e2eResult
	if c.e2e {
		var fresh *uint64
		if _, ok, _ := genSpec(c.corpus); ok {
			seed := uint64(genSeed)
			fresh = &seed
		}
		r, err := measureE2E(bin, cases, c.core, c.seconds, fresh)
		if err != nil {
			return err
		}
		e2e = &r
	}

	refs, verlErr, counts, err := runRefs(c, corpusFile, len(cases))
	if err != nil {
		return err
	}
	mv, vg, vb, ve := refs["math_verify"], refs["verl"], refs["verl_boxed"], refs["verl_every"]

	warmRewards := make([]float64, len(cases))
	for i, r := range warm {
		warmRewards[i] = r.Reward
	}
	rows := []row{
		{name: "poly warm (caches on)", rate: warmRate, rewards: warmRewards},
		{name: "poly cold (NoCache)", rate: coldRate, rewards: cold},
		{name: "poly gold pre-parsed, cold", rate: trainRate, rewards: trainRewards},
	}
	if e2e != nil {
		rows = append(rows, row{name: "poly grade -j 1 (process)", rate: e2e.rate, rewards: e2e.rewards})
	}
	if mv != nil {
		rows = append(rows, row{name: "math-verify " + mv.Version, rate: mv.rate(), rewards: mv.Rewards})
	}
	if ve != nil {
		rows = append(rows, row{name: "verl " + ve.Version + ", every answer boxed", rate: ve.rate(), rewards: ve.Rewards})
	}
	if vb != nil {
		rows = append(rows, row{name: "verl " + vb.Version + ", bare answers boxed", rate: vb.rate(), rewards: vb.Rewards})
	}
	if vg != nil {
		rows = append(rows, row{name: "verl " + vg.Version + ", as given", rate: vg.rate(), rewards: vg.Rewards})
	}

	fmt.Printf("corpus: %s (%d cases), one core each (core %d), Go %s, in-process GOGC=%d\n", c.corpus, len(cases), c.core, runtime.Version(), c.gcPercent)
	if verlErr != "" {
		fmt.Printf("verl: not run: %s\n", verlErr)
	} else {
		fmt.Printf("verl every answer boxed: %d of %d predictions have no box and were given to verl as \\boxed{...} of their text\n", counts.every, len(cases))
		fmt.Printf("verl bare answers boxed: %d of %d predictions are bare answers without a box and were given to verl as \\boxed{...}\n", counts.bare, len(cases))
	}
	if e2e != nil {
		how := fmt.Sprintf("%d copies of the corpus", e2e.copies)
		if e2e.fresh {
			how = "the corpus and new generated lines after it, none repeated"
		}
		fmt.Printf("poly grade -j 1: %d lines (%s) through stdin in %.2f CPU-s of the child process\n", e2e.lines, how, e2e.cpu)
	}
	fmt.Println()
	var mvRewards []float64
	if mv != nil {
		mvRewards = mv.Rewards
	}
	verls := verlRefs(rateOf(ve), rateOf(vb), rateOf(vg))
	fmt.Print(formatTable(rows, cases, mvRewards, verls))
	fmt.Println()
	npoly := 3
	if e2e != nil {
		npoly = 4
	}
	fmt.Print(goalLine(rows[:npoly], verls))

	if n := mismatches(warmRewards, cold); n > 0 {
		fmt.Printf("\nWARNING: poly warm and cold rewards differ on %d cases\n", n)
	}
	if n := mismatches(warmRewards, trainRewards); n > 0 {
		fmt.Printf("\nNOTE: poly with golds parsed once (ParseGold+Check) and CheckStrings differ on %d cases\n", n)
	}
	if e2e != nil {
		if n := mismatches(warmRewards, e2e.rewards); n > 0 {
			fmt.Printf("\nNOTE: poly grade (default options of the command) and the in-process grader differ on %d cases\n", n)
		}
	}
	if ve != nil && vb != nil {
		// the two boxing rules differ in verl's work, not (so far) in its rewards
		if n := mismatches(ve.Rewards, vb.Rewards); n > 0 {
			fmt.Printf("\nNOTE: verl's rewards with every answer boxed and with bare answers boxed differ on %d cases\n", n)
		}
	}
	if c.quiet {
		return nil
	}
	if mv != nil {
		printDisagreements("math-verify", cases, warm, mv.Rewards)
	}
	if vb != nil && c.all {
		printDisagreements("verl bare answers boxed", cases, warm, vb.Rewards)
	}
	return nil
}

func rateOf(g *refGrader) float64 {
	if g == nil {
		return 0
	}
	return g.rate()
}

func mismatches(a, b []float64) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// boxCounts is how many predictions ref.py gave verl boxed, per rule.
type boxCounts struct{ bare, every int }

// runRefs runs ref.py on the corpus file, pinned to the core.
func runRefs(c config, corpusFile string, n int) (map[string]*refGrader, string, boxCounts, error) {
	python := c.python
	if python == "" {
		python = os.Getenv("POLY_PYTHON")
	}
	if python == "" {
		python = filepath.Join(".venv", "bin", "python")
	}
	args := []string{python, "bench/grade/ref.py", corpusFile, strconv.FormatFloat(c.seconds, 'f', -1, 64)}
	if c.core >= 0 {
		args = append([]string{"taskset", "-c", strconv.Itoa(c.core)}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, "", boxCounts{}, fmt.Errorf("reference graders (%s): %v", strings.Join(args, " "), err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, "", boxCounts{}, fmt.Errorf("reference output: %v", err)
	}
	refs := map[string]*refGrader{}
	for _, name := range []string{"math_verify", "verl", "verl_boxed", "verl_every"} {
		r, ok := raw[name]
		if !ok {
			continue
		}
		var g refGrader
		if err := json.Unmarshal(r, &g); err != nil {
			return nil, "", boxCounts{}, err
		}
		if len(g.Rewards) != n {
			return nil, "", boxCounts{}, fmt.Errorf("%s graded %d cases, want %d", name, len(g.Rewards), n)
		}
		refs[name] = &g
	}
	var verlErr string
	if r, ok := raw["verl_error"]; ok {
		_ = json.Unmarshal(r, &verlErr)
	}
	var counts boxCounts
	if r, ok := raw["verl_boxed_count"]; ok {
		_ = json.Unmarshal(r, &counts.bare)
	}
	if r, ok := raw["verl_every_count"]; ok {
		_ = json.Unmarshal(r, &counts.every)
	}
	return refs, verlErr, counts, nil
}
