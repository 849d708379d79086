// Command grade benchmarks poly's grader against math-verify and verl's
// default rule-based math scorer on the same corpus, one core each, in the
// same run, and prints every disagreement with math-verify.
//
//	bench/grade/run.sh [-corpus FILE] [-seconds S] [-core N]
//
// The corpus is JSONL with "gold" and "pred" (and optionally "want", the
// expected reward, and "note"). The Python side (ref.py) runs with the
// reference interpreter (.venv/bin/python), pinned to the same core with
// taskset; poly runs with GOMAXPROCS=1 pinned likewise.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/polylearn/poly/grade"
)

type benchCase struct {
	Gold string   `json:"gold"`
	Pred string   `json:"pred"`
	Want *float64 `json:"want"`
	Note string   `json:"note"`
	Cat  string   `json:"cat"`
}

type refGrader struct {
	Version string    `json:"version"`
	Rewards []float64 `json:"rewards"`
	Checks  int       `json:"checks"`
	Seconds float64   `json:"seconds"`
}

func main() {
	corpus := flag.String("corpus", "grade/testdata/cases.jsonl", "JSONL corpus of {gold, pred[, want, note]}")
	seconds := flag.Float64("seconds", 2, "minimum timed seconds per grader")
	core := flag.Int("core", 0, "CPU core every grader is pinned to (-1: no pinning)")
	python := flag.String("python", "", "reference interpreter (default: $POLY_PYTHON or .venv/bin/python)")
	showAll := flag.Bool("all", false, "also list disagreements with verl")
	flag.Parse()
	if err := run(*corpus, *seconds, *core, *python, *showAll); err != nil {
		fmt.Fprintln(os.Stderr, "bench/grade:", err)
		os.Exit(1)
	}
}

func loadCorpus(path string) ([]benchCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []benchCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var c benchCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, len(out)+1, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
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

func run(corpus string, seconds float64, core int, python string, showAll bool) error {
	cases, err := loadCorpus(corpus)
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		return fmt.Errorf("%s: empty corpus", corpus)
	}
	pin(core)
	debug.SetGCPercent(400)

	// poly: results, then a timed loop over the corpus
	results := make([]grade.Result, len(cases))
	for i, c := range cases {
		results[i] = grade.CheckStrings(c.Gold, c.Pred, grade.Options{})
	}
	// CPU time of this process (as ref.py measures the references): on a
	// shared machine wall time measures the neighbours too
	n := 0
	start := cpuTime()
	for cpuTime()-start < seconds {
		for _, c := range cases {
			grade.CheckStrings(c.Gold, c.Pred, grade.Options{})
		}
		n += len(cases)
	}
	polyRate := float64(n) / (cpuTime() - start)
	// the cold path: no cache of parsed gold answers or extracted answers
	cold := grade.Options{NoCache: true}
	n = 0
	start = cpuTime()
	for cpuTime()-start < seconds {
		for _, c := range cases {
			grade.CheckStrings(c.Gold, c.Pred, cold)
		}
		n += len(cases)
	}
	coldRate := float64(n) / (cpuTime() - start)

	// the references, same core, same corpus
	if python == "" {
		python = os.Getenv("POLY_PYTHON")
	}
	if python == "" {
		python = filepath.Join(".venv", "bin", "python")
	}
	args := []string{python, "bench/grade/ref.py", corpus, strconv.FormatFloat(seconds, 'f', -1, 64)}
	if core >= 0 {
		args = append([]string{"taskset", "-c", strconv.Itoa(core)}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("reference graders (%s): %v", strings.Join(args, " "), err)
	}
	var ref map[string]json.RawMessage
	if err := json.Unmarshal(out, &ref); err != nil {
		return fmt.Errorf("reference output: %v", err)
	}
	var mv, vl *refGrader
	for name, dst := range map[string]**refGrader{"math_verify": &mv, "verl": &vl} {
		if raw, ok := ref[name]; ok {
			var g refGrader
			if err := json.Unmarshal(raw, &g); err != nil {
				return err
			}
			if len(g.Rewards) != len(cases) {
				return fmt.Errorf("%s graded %d cases, want %d", name, len(g.Rewards), len(cases))
			}
			*dst = &g
		}
	}
	if raw, ok := ref["verl_error"]; ok {
		fmt.Printf("verl: not run: %s\n", raw)
	}

	polyRewards := make([]float64, len(cases))
	for i, r := range results {
		polyRewards[i] = r.Reward
	}
	fmt.Printf("corpus: %s (%d cases), one core each (core %d), Go %s\n\n", corpus, len(cases), core, runtime.Version())
	fmt.Printf("%-24s %12s %10s %12s\n", "grader", "checks/cpu-s", "vs verl", "vs m-verify")
	rate := func(g *refGrader) float64 { return float64(g.Checks) / g.Seconds }
	row := func(name string, r float64) {
		vs := func(g *refGrader) string {
			if g == nil {
				return "-"
			}
			return fmt.Sprintf("%.2fx", r/rate(g))
		}
		fmt.Printf("%-24s %12.0f %10s %12s\n", name, r, vs(vl), vs(mv))
	}
	row("poly", polyRate)
	row("poly, caches off", coldRate)
	if mv != nil {
		row("math-verify "+mv.Version, rate(mv))
	}
	if vl != nil {
		row("verl math_reward "+vl.Version, rate(vl))
	}

	// accuracy against the labels, where the corpus has them
	labelled := 0
	for _, c := range cases {
		if c.Want != nil {
			labelled++
		}
	}
	if labelled > 0 {
		fmt.Printf("\nagreement with the corpus labels (%d labelled cases):\n", labelled)
		acc := func(name string, rw []float64) {
			ok := 0
			for i, c := range cases {
				if c.Want != nil && rw[i] == *c.Want {
					ok++
				}
			}
			fmt.Printf("  %-22s %4d/%d = %.1f%%\n", name, ok, labelled, 100*float64(ok)/float64(labelled))
		}
		acc("poly", polyRewards)
		if mv != nil {
			acc("math-verify", mv.Rewards)
		}
		if vl != nil {
			acc("verl math_reward", vl.Rewards)
		}
	}
	if mv != nil {
		agree := 0
		for i := range cases {
			if polyRewards[i] == mv.Rewards[i] {
				agree++
			}
		}
		fmt.Printf("\npoly agrees with math-verify on %d/%d = %.1f%%\n", agree, len(cases), 100*float64(agree)/float64(len(cases)))
		printDisagreements("math-verify", cases, results, mv.Rewards)
	}
	if vl != nil && showAll {
		printDisagreements("verl", cases, results, vl.Rewards)
	}
	return nil
}

func printDisagreements(name string, cases []benchCase, res []grade.Result, other []float64) {
	type d struct {
		i   int
		cat string
	}
	var ds []d
	for i := range cases {
		if res[i].Reward != other[i] {
			ds = append(ds, d{i, cases[i].Cat})
		}
	}
	sort.SliceStable(ds, func(a, b int) bool { return ds[a].cat < ds[b].cat })
	fmt.Printf("\ndisagreements with %s (%d):\n", name, len(ds))
	for _, x := range ds {
		c, r := cases[x.i], res[x.i]
		label := ""
		if c.Want != nil {
			label = fmt.Sprintf(" label=%g", *c.Want)
		}
		fmt.Printf("- #%d [%s] poly=%g %s=%g%s  %s\n    gold %s\n    pred %s\n    poly parsed %q; %s\n",
			x.i+1, c.Cat, r.Reward, name, other[x.i], label, c.Note, clip(c.Gold), clip(c.Pred), clip(r.Parsed), reasonOr(r.Reason))
	}
}

func reasonOr(s string) string {
	if s == "" {
		return "correct"
	}
	return "reason: " + s
}

func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", "⏎")
	if len(s) > 140 {
		return fmt.Sprintf("%q…(%d bytes)", s[:100], len(s))
	}
	return fmt.Sprintf("%q", s)
}
