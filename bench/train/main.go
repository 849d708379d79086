// Command train benchmarks poly's CPU trainer against PyTorch in the same
// run: forward+backward+AdamW training tokens/s (batch 8 x 256 tokens) and
// KV-cache sampling tokens/s (batch 8, prompt 64, 192 new tokens) for the
// tiny and small Qwen2-style shapes of docs/design (DESIGN §7), with each
// measurement's peak resident memory (every measurement runs in its own
// child process). The PyTorch side (torch_bench.py, transformers'
// Qwen2ForCausalLM, random init) runs with the reference interpreter
// (.venv/bin/python or $POLY_PYTHON); -python "" skips it.
//
//	go run ./bench/train [-steps 3] [-shapes tiny,small] [-threads 2]
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/polylearn/poly/train/model"
	"github.com/polylearn/poly/train/optim"
	"github.com/polylearn/poly/train/tensor"
)

// shape is one benchmark model.
type shape struct {
	Name                                  string
	Vocab, D, Layers, Heads, KVHeads, FFN int
}

var shapes = map[string]shape{
	"tiny":  {"tiny", 512, 256, 4, 4, 2, 688},
	"small": {"small", 2048, 512, 4, 8, 2, 1376},
}

const (
	trainB, trainT              = 8, 256
	sampleB, promptLen, newToks = 8, 64, 192
)

// result is one child's measurement.
type result struct {
	TokPerSec float64   `json:"tok_per_s"`
	GFLOPS    []float64 `json:"gflops,omitempty"`       // gemm mode: per gemmShapes entry
	Gonum     []float64 `json:"gonum_gflops,omitempty"` // gemm mode, poly side: gonum's Sgemm
	TokPerCPU float64   `json:"tok_per_cpu_s"`          // tokens per CPU-second (user+sys) of the timed part
	PeakMiB   float64   `json:"peak_mib"`
	Info      string    `json:"info"`
}

func main() {
	child := flag.String("child", "", "internal: run one measurement (shape:train|sample) and print JSON")
	steps := flag.Int("steps", 3, "timed training steps (after one warm-up step)")
	shapeList := flag.String("shapes", "tiny,small", "shapes to run")
	threads := flag.Int("threads", runtime.NumCPU(), "threads for both sides")
	waitPolicy := flag.String("omp-wait", "PASSIVE", "OMP_WAIT_POLICY for PyTorch (PASSIVE or ACTIVE)")
	gemm := flag.Bool("gemm", true, "also compare single-thread GEMM GFLOP/s (poly, gonum, PyTorch)")
	python := flag.String("python", defaultPython(), "reference Python with torch and transformers (empty: skip PyTorch)")
	flag.Parse()
	if *child == "gemm" {
		p, g := benchGemm()
		json.NewEncoder(os.Stdout).Encode(result{GFLOPS: p, Gonum: g})
		return
	}
	if *child != "" {
		name, mode, _ := strings.Cut(*child, ":")
		sh, ok := shapes[name]
		if !ok {
			fatal(fmt.Errorf("unknown shape %q", name))
		}
		var r result
		var err error
		if mode == "train" {
			r, err = benchTrain(sh, *steps)
		} else {
			r, err = benchSample(sh)
		}
		if err != nil {
			fatal(err)
		}
		r.PeakMiB = peakRSSMiB()
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	self, err := os.Executable()
	if err != nil {
		fatal(err)
	}
	script := filepath.Join(repoRoot(), "bench", "train", "torch_bench.py")
	fmt.Printf("poly vs PyTorch, CPU fp32, %d threads, GEMM kernel %q, %s\n", *threads, tensor.Kernel(), time.Now().UTC().Format(time.RFC3339))
	fmt.Printf("train: batch %dx%d, forward+backward+AdamW; sample: batch %d, prompt %d, %d new tokens, KV cache\n\n", trainB, trainT, sampleB, promptLen, newToks)
	fmt.Printf("%-6s %-7s %11s %11s %7s | %11s %11s %7s | %9s %9s\n", "shape", "what", "poly tok/s", "torch tok/s", "ratio", "poly /cpu-s", "torch /cpu-s", "ratio", "poly MiB", "torch MiB")
	for _, name := range strings.Split(*shapeList, ",") {
		if name == "" {
			continue
		}
		for _, mode := range []string{"train", "sample"} {
			env := append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(*threads))
			var pr, tr result
			perr := runJSON(&pr, env, self, "-child", name+":"+mode, "-steps", strconv.Itoa(*steps))
			terr := fmt.Errorf("skipped")
			if *python != "" {
				// one pool, no spinning waiters (DESIGN §7: two spinning pools are 3-7x slower)
				tenv := append(os.Environ(), "OMP_NUM_THREADS="+strconv.Itoa(*threads), "MKL_NUM_THREADS="+strconv.Itoa(*threads), "OMP_WAIT_POLICY="+*waitPolicy)
				terr = runJSON(&tr, tenv, *python, script, "--shape", name, "--mode", mode, "--steps", strconv.Itoa(*steps), "--threads", strconv.Itoa(*threads))
			}
			ratio, cratio := math.NaN(), math.NaN()
			if perr == nil && terr == nil {
				ratio, cratio = pr.TokPerSec/tr.TokPerSec, pr.TokPerCPU/tr.TokPerCPU
			}
			fmt.Printf("%-6s %-7s %11s %11s %6.2fx | %11s %11s %6.2fx | %9s %9s\n", name, mode, num(pr.TokPerSec, perr), num(tr.TokPerSec, terr), ratio,
				num(pr.TokPerCPU, perr), num(tr.TokPerCPU, terr), cratio, num(pr.PeakMiB, perr), num(tr.PeakMiB, terr))
			if perr != nil {
				fmt.Println("  poly:", perr)
			}
			if terr != nil && *python != "" {
				fmt.Println("  torch:", terr)
			}
			if tr.Info != "" && name+mode == strings.Split(*shapeList, ",")[0]+"train" {
				fmt.Println("  torch:", tr.Info, "OMP_WAIT_POLICY="+*waitPolicy)
			}
		}
	}
	if *gemm {
		compareGemm(self, *python, script, *waitPolicy)
	}
}

// compareGemm prints single-thread GEMM GFLOP/s of poly, gonum and PyTorch.
func compareGemm(self, python, script string, waitPolicy string) {
	var pr, tr result
	perr := runJSON(&pr, append(os.Environ(), "GOMAXPROCS=1"), self, "-child", "gemm")
	terr := fmt.Errorf("skipped")
	if python != "" {
		terr = runJSON(&tr, append(os.Environ(), "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1", "OMP_WAIT_POLICY="+waitPolicy), python, script, "--mode", "gemm", "--threads", "1")
	}
	fmt.Printf("\nGEMM, one thread, GFLOP/s   %10s %10s %10s\n", "poly", "gonum", "torch")
	for i, s := range gemmShapes {
		get := func(r result, err error, v []float64) string {
			if err != nil || i >= len(v) {
				return "-"
			}
			return strconv.FormatFloat(v[i], 'f', 1, 64)
		}
		fmt.Printf("%-28s %10s %10s %10s\n", s.Name, get(pr, perr, pr.GFLOPS), get(pr, perr, pr.Gonum), get(tr, terr, tr.GFLOPS))
	}
	if perr != nil {
		fmt.Println("  poly:", perr)
	}
	if terr != nil && python != "" {
		fmt.Println("  torch:", terr)
	}
}

func num(v float64, err error) string {
	if err != nil {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func runJSON(dst *result, env []string, prog string, args ...string) error {
	cmd := exec.Command(prog, args...)
	cmd.Env = env
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, lastLine(stderr.String()))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return json.Unmarshal([]byte(lines[len(lines)-1]), dst)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func newModel(sh shape) (*model.Model, error) {
	cfg := model.Config{ModelType: "qwen2", VocabSize: sh.Vocab, HiddenSize: sh.D, IntermediateSize: sh.FFN, NumLayers: sh.Layers,
		NumHeads: sh.Heads, NumKVHeads: sh.KVHeads, HeadDim: sh.D / sh.Heads, RMSNormEps: 1e-6, RopeTheta: 1e6,
		TieWordEmbeddings: true, MaxPositionEmbeddings: 4096, InitializerRange: 0.02, QKVBias: true, BOSTokenID: -1}
	return model.New(cfg, 1)
}

// benchTrain times SFT steps: forward log-probs, backward, clip, AdamW.
func benchTrain(sh shape, steps int) (result, error) {
	m, err := newModel(sh)
	if err != nil {
		return result{}, err
	}
	r := rand.New(rand.NewPCG(1, 2))
	batch := &model.Batch{B: trainB, T: trainT, Tokens: make([]int32, trainB*trainT)}
	for i := range batch.Tokens {
		batch.Tokens[i] = int32(r.IntN(sh.Vocab))
	}
	dl := make([]float32, trainB*trainT)
	for i := range dl {
		dl[i] = -1 / float32(trainB*(trainT-1))
	}
	opt := optim.NewAdamW(len(m.Params))
	opt.Decay = m.DecayRanges()
	step := func() error {
		if _, _, err := m.ForwardLogProbs(batch); err != nil {
			return err
		}
		m.ZeroGrad()
		if err := m.Backward(dl, nil); err != nil {
			return err
		}
		optim.ClipGradNorm(m.Grads, 1)
		return opt.Update(m.Params, m.Grads, 1e-4)
	}
	if err := step(); err != nil {
		return result{}, err
	}
	t0, c0 := time.Now(), cpuSeconds()
	for i := 0; i < steps; i++ {
		if err := step(); err != nil {
			return result{}, err
		}
	}
	n := float64(steps * trainB * trainT)
	return result{TokPerSec: n / time.Since(t0).Seconds(), TokPerCPU: n / (cpuSeconds() - c0)}, nil
}

// benchSample times prefill plus temperature-1 sampling of newToks tokens
// for sampleB sequences; tokens/s counts generated tokens.
func benchSample(sh shape) (result, error) {
	m, err := newModel(sh)
	if err != nil {
		return result{}, err
	}
	r := rand.New(rand.NewPCG(3, 4))
	prompts := make([][]int32, sampleB)
	for b := range prompts {
		prompts[b] = make([]int32, promptLen)
		for i := range prompts[b] {
			prompts[b][i] = int32(r.IntN(sh.Vocab))
		}
	}
	run := func() error {
		kc := m.NewCache(sampleB, promptLen+newToks)
		logits, err := m.Prefill(kc, prompts)
		if err != nil {
			return err
		}
		toks, pos := make([]int32, sampleB), make([]int32, sampleB)
		probs := make([]float64, sh.Vocab)
		for t := 0; t < newToks; t++ {
			for b, row := range logits {
				toks[b] = sample(row, probs, r)
				pos[b] = int32(promptLen + t)
			}
			if t == newToks-1 {
				break
			}
			if logits, err = m.Decode(kc, toks, pos); err != nil {
				return err
			}
		}
		return nil
	}
	if err := run(); err != nil { // warm-up
		return result{}, err
	}
	t0, c0 := time.Now(), cpuSeconds()
	if err := run(); err != nil {
		return result{}, err
	}
	n := float64(sampleB * newToks)
	return result{TokPerSec: n / time.Since(t0).Seconds(), TokPerCPU: n / (cpuSeconds() - c0)}, nil
}

// sample draws from softmax(row) (temperature 1).
func sample(row []float32, p []float64, r *rand.Rand) int32 {
	mx := float32(math.Inf(-1))
	for _, v := range row {
		mx = max(mx, v)
	}
	var s float64
	for i, v := range row {
		p[i] = math.Exp(float64(v - mx))
		s += p[i]
	}
	u := r.Float64() * s
	for i, v := range p[:len(row)] {
		u -= v
		if u <= 0 {
			return int32(i)
		}
	}
	return int32(len(row) - 1)
}

// cpuSeconds returns the process's user+system CPU time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return math.NaN()
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return math.NaN()
}

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

func defaultPython() string {
	if p := os.Getenv("POLY_PYTHON"); p != "" {
		return p
	}
	return filepath.Join(repoRoot(), ".venv", "bin", "python")
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench/train:", err)
	os.Exit(1)
}
