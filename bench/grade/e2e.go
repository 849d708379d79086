package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// e2eResult is the end-to-end measurement of the `poly grade` command.
type e2eResult struct {
	rate    float64   // input lines per CPU-second of the child process
	lines   int       // lines graded in the timed run
	copies  int       // copies of the corpus in the timed run
	cpu     float64   // CPU seconds (user+system) of the timed run
	rewards []float64 // rewards of one copy, in corpus order
	fresh   bool      // the timed run graded new generated lines, not copies
}

// buildPoly builds cmd/poly into dir and returns the binary's path.
func buildPoly(dir string) (string, error) {
	bin := filepath.Join(dir, "poly")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/poly")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/poly: %v", err)
	}
	return bin, nil
}

// copies returns a feed of n copies of input.
func copies(input []byte, n int) func(io.Writer) error {
	return func(w io.Writer) error {
		for i := 0; i < n; i++ {
			if _, err := w.Write(input); err != nil {
				return err
			}
		}
		return nil
	}
}

// freshLines returns the first n lines of the generated corpus of seed as
// `poly grade` input: lines past the benchmarked corpus are new rollouts of
// the same distribution, so nothing repeats but the gold answers and short
// final answers a policy meets again. They are generated before the child
// starts, so that generating them does not share its core while it runs.
func freshLines(n int, seed uint64) []byte {
	r := &rng{s: seed}
	const chunk = 512
	var out []byte
	batch := make([]benchCase, 0, chunk)
	for i := 0; i < n; i++ {
		batch = append(batch, genRollout(r))
		if len(batch) == chunk || i == n-1 {
			out = append(out, gradeInput(batch)...)
			batch = batch[:0]
		}
	}
	return out
}

// runGrade runs `poly grade -j 1` pinned to core (none when core < 0), feed
// writing its stdin through a pipe, its stdout to out (nil: /dev/null), and
// returns the child's CPU seconds from its rusage (the feed's work is this
// process's, not the child's).
func runGrade(bin string, feed func(io.Writer) error, core int, out io.Writer) (float64, error) {
	args := []string{bin, "grade", "-j", "1"}
	if core >= 0 {
		args = append([]string{"taskset", "-c", strconv.Itoa(core)}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	if out == nil {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		defer null.Close()
		cmd.Stdout = null
	} else {
		cmd.Stdout = out
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	werr := make(chan error, 1)
	go func() {
		err := feed(stdin)
		if cerr := stdin.Close(); err == nil {
			err = cerr
		}
		werr <- err
	}()
	err = cmd.Wait()
	if w := <-werr; err == nil && w != nil {
		err = w
	}
	if err != nil {
		return 0, fmt.Errorf("poly grade: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	st := cmd.ProcessState
	return (st.UserTime() + st.SystemTime()).Seconds(), nil
}

// parseGradeOutput reads the rewards of n lines of `poly grade` output.
func parseGradeOutput(out []byte, n int) ([]float64, error) {
	rewards := make([]float64, 0, n)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r struct {
			Line   int     `json:"line"`
			Reward float64 `json:"reward"`
			Error  string  `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("poly grade output line %d: %v", len(rewards)+1, err)
		}
		if r.Error != "" {
			return nil, fmt.Errorf("poly grade: line %d: %s", r.Line, r.Error)
		}
		rewards = append(rewards, r.Reward)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rewards) != n {
		return nil, fmt.Errorf("poly grade wrote %d lines for %d", len(rewards), n)
	}
	return rewards, nil
}

// copiesFor returns how many copies of a corpus make a run of about
// seconds, given that copies copies took cpu seconds (at least 1, at most
// limit); a run too short to register any CPU time grows a hundredfold.
func copiesFor(seconds, cpu float64, copies, limit int) int {
	if cpu <= 0 {
		return max(1, min(copies*100, limit))
	}
	k := int(math.Ceil(float64(copies) * seconds / cpu * 1.1))
	return max(1, min(k, limit))
}

// measureE2E grades the corpus once with `poly grade` (for its rewards),
// then more lines until a run takes at least seconds of CPU: copies of the
// corpus, or with fresh (a generated corpus's seed) new generated lines.
func measureE2E(bin string, cases []benchCase, core int, seconds float64, fresh *uint64) (e2eResult, error) {
	input := gradeInput(cases)
	var out bytes.Buffer
	cpu, err := runGrade(bin, copies(input, 1), core, &out)
	if err != nil {
		return e2eResult{}, err
	}
	rewards, err := parseGradeOutput(out.Bytes(), len(cases))
	if err != nil {
		return e2eResult{}, err
	}
	// no more than about 4 GB through the pipe (1 GB of new lines held in
	// memory), whatever the estimate
	limit := max(1, (4<<30)/max(1, len(input)))
	if fresh != nil {
		limit = max(1, (1<<30)/max(1, len(input)))
	}
	k := 1
	for try := 0; try < 4 && cpu < seconds && k < limit; try++ {
		k = copiesFor(seconds, cpu, k, limit)
		feed := copies(input, k)
		if fresh != nil {
			feed = copies(freshLines(k*len(cases), *fresh), 1)
		}
		if cpu, err = runGrade(bin, feed, core, nil); err != nil {
			return e2eResult{}, err
		}
	}
	lines := k * len(cases)
	return e2eResult{rate: float64(lines) / cpu, lines: lines, copies: k, cpu: cpu, rewards: rewards, fresh: fresh != nil && k > 1}, nil
}
