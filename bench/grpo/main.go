// Command grpo benchmarks one whole GRPO step of poly's trainer against
// TRL's GRPOTrainer (PyPI, transformers generation, CPU) in the same run,
// on identical settings:
//
//   - one tiny random-initialised Qwen2 (DESIGN §7's tiny shape: d 256,
//     4 layers, 4 heads, 2 kv heads, mlp 688, tied embeddings, with the
//     default model's tokenizer and its vocabulary of 1024), saved once as
//     an HF checkpoint directory (config.json, model.safetensors,
//     tokenizer.json, tokenizer_config.json with the chat template) that
//     both sides load;
//   - the first sample of a shipped spec as the prompt, rendered with the
//     chat template (the command checks that TRL tokenised the same ids);
//   - 8 rollouts of 128 new tokens (the stop tokens are made unsampleable
//     in the weights, see buildModel, so every rollout has the full length
//     on both sides), temperature 1, top-p 1;
//   - TRL's GRPO defaults for the loss: beta 0 (no reference model), ε 0.2,
//     token-mean aggregation ("dapo"), group-scaled advantages, one
//     iteration; AdamW, lr 1e-6 constant, weight decay 0, clip 1.0;
//   - the same trivial reward on both sides (digitReward).
//
// It runs -warmup untimed then -steps timed steps per side, prints the
// median seconds per step (rollout/update split), completion tokens/s and
// the speed-up of poly over TRL, and writes them with the date, versions
// and conditions to bench/grpo/RESULTS.md (-results "" skips it). The TRL
// side runs with the reference interpreter (.venv/bin/python or
// $POLY_PYTHON) with torch.set_num_threads(-threads) and OMP/MKL threads
// set to the same, once with OpenMP's default (spin-waiting) policy, once
// with OMP_WAIT_POLICY=PASSIVE (DESIGN §7), and once with one thread; -trl
// picks the settings (also torch's defaults). The speed-up is stated
// against the fastest: on a quiet machine that is the spin-waiting one, on
// a loaded machine spin-waiting takes minutes per step (-trl-timeout).
//
//	go run ./bench/grpo [-steps 4] [-warmup 1] [-threads 2] [-trl active,passive,one] [-beta 0] [-note TEXT]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/polylearn/poly/train/defaultmodel"
	"github.com/polylearn/poly/train/tensor"
	"github.com/polylearn/poly/train/tokenizer"
)

// trlResult is what trl_bench.py prints.
type trlResult struct {
	Steps          []stepTime        `json:"steps"`
	PromptIDs      []int32           `json:"prompt_ids"`
	PromptIDsMatch bool              `json:"prompt_ids_match"`
	Threads        int               `json:"threads"`
	InteropThreads int               `json:"interop_threads"`
	Optim          string            `json:"optim"`
	Versions       map[string]string `json:"versions"`
	Env            map[string]string `json:"env"`
}

// side is one measured trainer configuration.
type side struct {
	Name  string
	Steps []stepTime
	Err   error
	Note  string
}

func main() {
	root := repoRoot()
	spec := flag.String("spec", filepath.Join(root, "specs", "natural", "prealgebra_fractions.poly"), "spec whose first sample is the prompt")
	steps := flag.Int("steps", 4, "timed steps per side (the median is reported)")
	warmup := flag.Int("warmup", 1, "untimed warm-up steps per side")
	threads := flag.Int("threads", 2, "threads for both sides (GOMAXPROCS; torch.set_num_threads and OMP/MKL_NUM_THREADS)")
	trlList := flag.String("trl", "active,passive,one", "TRL thread settings to time, comma-separated: passive (torch and OMP/MKL at -threads, OMP_WAIT_POLICY=PASSIVE), active (the same with OpenMP's default spin-waiting), one (1 thread), default (torch's defaults, no settings); the speed-up is against the fastest")
	beta := flag.Float64("beta", 0, "KL coefficient on both sides (TRL's default 0: no reference model)")
	lr := flag.Float64("lr", 1e-6, "learning rate on both sides (TRL's default)")
	maxTokens := flag.Int("max-tokens", 128, "new tokens per rollout")
	rollouts := flag.Int("rollouts", 8, "rollouts per step (num_generations = per_device_train_batch_size)")
	python := flag.String("python", defaultPython(root), "reference Python with torch, transformers and trl (empty: poly only)")
	results := flag.String("results", filepath.Join(root, "bench", "grpo", "RESULTS.md"), "write the figures here (empty: don't)")
	note := flag.String("note", "", "conditions to record in RESULTS.md (e.g. other load on the machine)")
	trlTimeout := flag.Duration("trl-timeout", 2*time.Minute, "give up on a TRL setting after this long (a loaded machine can make OpenMP's spin-waiting take minutes per step)")
	keep := flag.String("keep", "", "write the checkpoint, prompt and settings into this directory and keep them")
	flag.Parse()

	runtime.GOMAXPROCS(*threads)
	s := settings{Rollouts: *rollouts, MaxTokens: *maxTokens, Temperature: 1, LR: *lr, Beta: *beta, Epsilon: 0.2,
		WeightDecay: 0, GradClip: 1, Warmup: *warmup, Steps: *steps, Seed: 1}
	dir := *keep
	if dir == "" {
		d, err := os.MkdirTemp("", "poly-bench-grpo-")
		check(err)
		defer os.RemoveAll(d)
		dir = d
	}
	ck := filepath.Join(dir, "model")
	check(os.MkdirAll(ck, 0o755))
	p, gap, nparams, err := setup(ck, *spec, tinyShape, s.Seed)
	check(err)
	check(writeJSON(filepath.Join(dir, "prompt.json"), p))
	check(writeJSON(filepath.Join(dir, "settings.json"), s))

	load0 := loadAvg()
	start := time.Now().UTC()
	fmt.Printf("GRPO step: poly vs TRL GRPOTrainer, CPU fp32, %s\n", start.Format(time.RFC3339))
	fmt.Printf("model: Qwen2 d %d, %d layers, %d heads, %d kv heads, mlp %d, tied, vocab %d (%.2fM params), random init\n",
		tinyShape.D, tinyShape.Layers, tinyShape.Heads, tinyShape.KVHeads, tinyShape.FFN, p.vocab, float64(nparams)/1e6)
	fmt.Printf("sample: %s (%s), prompt %d tokens; %d rollouts x %d new tokens (stop tokens %.0f nats below), T=1, beta %g, lr %g\n",
		filepath.Base(*spec), p.SampleID, len(p.IDs), s.Rollouts, s.MaxTokens, gap, s.Beta, s.LR)
	fmt.Printf("timing: %d warm-up + %d timed steps per side, median; load average before: %s\n\n", s.Warmup, s.Steps, load0)

	var sides []side
	// poly's timed steps are split: half before TRL runs, half after, so
	// that both sides sample the same stretch of a shared machine's load.
	polySide := side{Name: fmt.Sprintf("poly (GOMAXPROCS=%d, %s GEMM)", *threads, tensor.Kernel())}
	pr, err := newPoly(ck, p.IDs, s)
	if err == nil {
		polySide.Steps, err = pr.run(s.Warmup, (s.Steps+1)/2)
	}
	polySide.Err = err
	sides = append(sides, polySide)
	var versions map[string]string
	var optim string
	if *python != "" {
		cfgs, err := trlConfigs(*trlList, *threads)
		check(err)
		for _, c := range cfgs {
			var r trlResult
			env := append(cleanEnv(), c.env...)
			err := runTRL(&r, env, *trlTimeout, *python, filepath.Join(root, "bench", "grpo", "trl_bench.py"),
				"--model-dir", ck, "--prompt", filepath.Join(dir, "prompt.json"), "--settings", filepath.Join(dir, "settings.json"),
				"--threads", strconv.Itoa(c.threads))
			sd := side{Name: "TRL " + c.name, Steps: r.Steps, Err: err}
			if err == nil {
				sd.Name = fmt.Sprintf("TRL %s (torch threads %d, interop %d%s)", c.name, r.Threads, r.InteropThreads, envNote(r.Env))
				if !r.PromptIDsMatch {
					sd.Note = fmt.Sprintf("TRL's prompt ids differ from poly's: %v", r.PromptIDs)
				}
				versions, optim = r.Versions, r.Optim
			}
			sides = append(sides, sd)
		}
	}
	if sides[0].Err == nil && s.Steps > 1 {
		more, err := pr.run(0, s.Steps/2)
		sides[0].Steps = append(sides[0].Steps, more...)
		sides[0].Err = err
	}
	load1 := loadAvg()
	var table bytes.Buffer
	writeTable(&table, sides)
	fmt.Print(table.String())
	verdict := speedup(sides)
	fmt.Printf("\n%s\nload average after: %s\n", verdict, load1)
	vers := versionLine(versions, optim)
	fmt.Println(vers)
	for _, sd := range sides {
		if sd.Err != nil {
			fmt.Printf("%s: %v\n", sd.Name, sd.Err)
		}
		if sd.Note != "" {
			fmt.Printf("%s: %s\n", sd.Name, sd.Note)
		}
	}
	if *results != "" {
		check(writeResults(*results, start, p, s, gap, nparams, *spec, table.String(), verdict, vers, load0, load1, *note, sides))
		fmt.Println("wrote", *results)
	}
}

// trlConfig is one thread setting of the TRL side.
type trlConfig struct {
	name    string
	threads int // torch.set_num_threads; 0: torch's default
	env     []string
}

func trlConfigs(list string, threads int) ([]trlConfig, error) {
	n := strconv.Itoa(threads)
	var out []trlConfig
	for _, name := range strings.Split(list, ",") {
		switch strings.TrimSpace(name) {
		case "passive":
			out = append(out, trlConfig{name, threads, []string{"OMP_NUM_THREADS=" + n, "MKL_NUM_THREADS=" + n, "OMP_WAIT_POLICY=PASSIVE"}})
		case "active":
			out = append(out, trlConfig{name, threads, []string{"OMP_NUM_THREADS=" + n, "MKL_NUM_THREADS=" + n}})
		case "one":
			out = append(out, trlConfig{name, 1, []string{"OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1"}})
		case "default":
			out = append(out, trlConfig{name, 0, nil})
		case "":
		default:
			return nil, fmt.Errorf("-trl: unknown setting %q (want passive, active, one or default)", name)
		}
	}
	return out, nil
}

// setup builds the benchmark model and writes it with the tokenizer into
// dir, then renders the prompt and measures the stop tokens' gap.
func setup(dir, spec string, sh shape, seed uint64) (p *promptInfo, gap float64, nparams int, err error) {
	tok, err := defaultmodel.Tokenizer()
	if err != nil {
		return nil, 0, 0, err
	}
	m, err := buildModel(sh, tok, seed)
	if err != nil {
		return nil, 0, 0, err
	}
	if err := writeCheckpoint(dir, m); err != nil {
		return nil, 0, 0, err
	}
	// the tokenizer as both sides load it: from the checkpoint
	if tok, err = tokenizer.Load(dir); err != nil {
		return nil, 0, 0, err
	}
	pr, err := loadPrompt(spec, tok)
	if err != nil {
		return nil, 0, 0, err
	}
	if gap, err = stopGap(m, tok, pr.IDs); err != nil {
		return nil, 0, 0, err
	}
	return &promptInfo{prompt: pr, vocab: tok.VocabSize()}, gap, m.NumParams(), nil
}

// promptInfo is the prompt with the vocabulary size for the header.
type promptInfo struct {
	*prompt
	vocab int
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// summary is one side's medians.
type summary struct {
	step, cpu, rollout, update, tokens float64
	minLen, maxLen                     int
	all                                []float64
}

func summarise(st []stepTime) summary {
	var s summary
	var step, cpu, roll, upd, tok []float64
	s.minLen = 1 << 30
	for _, x := range st {
		step = append(step, x.Step)
		cpu = append(cpu, x.CPU)
		roll = append(roll, x.Rollout)
		upd = append(upd, x.Update)
		tok = append(tok, float64(x.Tokens))
		s.minLen = min(s.minLen, x.MinLen)
		s.maxLen = max(s.maxLen, x.MaxLen)
	}
	s.step, s.cpu, s.rollout, s.update, s.tokens, s.all = median(step), median(cpu), median(roll), median(upd), median(tok), step
	return s
}

// writeTable prints one row per side; the speed-ups are the side's median
// (wall or CPU) seconds per step over poly's.
func writeTable(w io.Writer, sides []side) {
	fmt.Fprintf(w, "| side | s/step | rollout s | update s | completion tok/step (len min-max) | tok/s | CPU s/step | poly speed-up (wall) | poly speed-up (CPU) | all steps (s) |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|\n")
	var poly summary
	for i, sd := range sides {
		if sd.Err != nil || len(sd.Steps) == 0 {
			fmt.Fprintf(w, "| %s | failed | | | | | | | | |\n", sd.Name)
			continue
		}
		m := summarise(sd.Steps)
		if i == 0 {
			poly = m
		}
		ratio := func(a, b float64) string {
			if a <= 0 || b <= 0 {
				return "-"
			}
			return fmt.Sprintf("%.2fx", a/b)
		}
		var all []string
		for _, x := range m.all {
			all = append(all, fmt.Sprintf("%.2f", x))
		}
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %.2f | %.0f (%d-%d) | %.0f | %.2f | %s | %s | %s |\n", sd.Name, m.step, m.rollout, m.update,
			m.tokens, m.minLen, m.maxLen, m.tokens/m.step, m.cpu, ratio(m.step, poly.step), ratio(m.cpu, poly.cpu), strings.Join(all, " "))
	}
}

// speedup states poly's speed-up over the fastest TRL setting, in wall
// time and in CPU time (each against the TRL setting best by that measure).
func speedup(sides []side) string {
	if len(sides) == 0 || sides[0].Err != nil || len(sides[0].Steps) == 0 {
		return "poly failed: no speed-up"
	}
	poly := summarise(sides[0].Steps)
	var wall, cpu float64
	var wallName, cpuName string
	for _, sd := range sides[1:] {
		if sd.Err != nil || len(sd.Steps) == 0 {
			continue
		}
		m := summarise(sd.Steps)
		if wall == 0 || m.step < wall {
			wall, wallName = m.step, strings.Fields(sd.Name)[1]
		}
		if cpu == 0 || m.cpu < cpu {
			cpu, cpuName = m.cpu, strings.Fields(sd.Name)[1]
		}
	}
	if wall == 0 {
		return "no TRL figure: no speed-up"
	}
	out := fmt.Sprintf("poly speed-up per GRPO step over the fastest TRL setting: %.2fx in wall time (TRL %s)", wall/poly.step, wallName)
	if cpu > 0 && poly.cpu > 0 {
		out += fmt.Sprintf(", %.2fx in CPU time (TRL %s)", cpu/poly.cpu, cpuName)
	}
	return out + "; goal >= 2x"
}

func versionLine(v map[string]string, optim string) string {
	goexp := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GOEXPERIMENT" {
				goexp = " GOEXPERIMENT=" + s.Value
			}
		}
	}
	line := fmt.Sprintf("versions: %s%s", runtime.Version(), goexp)
	if v != nil {
		line += fmt.Sprintf("; Python %s, torch %s, transformers %s, trl %s, datasets %s; TRL optimizer %s",
			v["python"], v["torch"], v["transformers"], v["trl"], v["datasets"], optim)
	}
	return line
}

func envNote(env map[string]string) string {
	var parts []string
	for _, k := range []string{"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY"} {
		if env[k] != "" {
			parts = append(parts, k+"="+env[k])
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, " ")
}

// cleanEnv is the environment without thread settings (each TRL run sets
// its own).
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS":
			continue
		}
		out = append(out, kv)
	}
	return append(out, "HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "TOKENIZERS_PARALLELISM=false")
}

func runTRL(dst *trlResult, env []string, timeout time.Duration, python string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Env = env
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("gave up after %v (-trl-timeout)", timeout)
		}
		return fmt.Errorf("%v: %s", err, tail(stderr.String(), 2000))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), dst); err != nil {
		return fmt.Errorf("trl_bench.py output: %v: %s", err, tail(out.String(), 500))
	}
	return nil
}

func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// repoRoot is the nearest directory above the working directory that
// holds go.mod.
func repoRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

func defaultPython(root string) string {
	if p := os.Getenv("POLY_PYTHON"); p != "" {
		return p
	}
	p := filepath.Join(root, ".venv", "bin", "python")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/grpo:", err)
		os.Exit(1)
	}
}
