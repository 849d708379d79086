// Command tokenizer benchmarks poly's tokenizer against HF tokenizers
// (Python, the reference interpreter) in the same run on the same texts,
// one thread each: encode tokens/s of both, the ratio, and whether every
// encoding is identical.
//
//	go run ./bench/tokenizer [-tokenizer DIR|FILE] [-texts 20000]
//
// The default tokenizer is the Qwen3 one fetched by
// scripts/fetch-qwen-tokenizer.sh, else the default model's.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/polylearn/poly/train/tokenizer"
)

const hfScript = `
import json, sys, time
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
texts = json.load(open(sys.argv[2], encoding="utf-8"))
best = None
for _ in range(3):
    t0 = time.perf_counter()
    ids = [e.ids for e in tok.encode_batch(texts)]
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
json.dump({"seconds": best, "ids": ids}, sys.stdout)
`

// corpus returns n texts: prose-like words, numbers, LaTeX, whitespace
// runs, CJK and emoji, in chat format now and then.
func corpus(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("the of a to in is that for it as with was on be by at this from or have an are which one not you but all they we can there their what so out if about who get would make like time just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us \\frac{1}{2} \\boxed{42} $x^2$ 3.14159 1,000,000 12345678 日本語 中文 😀 naïve café don't I'm")
	seps := []string{" ", " ", " ", ", ", ". ", "\n", "  ", "\n\n", "\t"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		if i%5 == 0 {
			b.WriteString("<|im_start|>user\n")
		}
		for k := 0; k < 10+r.IntN(60); k++ {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteString(seps[r.IntN(len(seps))])
		}
		if i%5 == 0 {
			b.WriteString("<|im_end|>\n")
		}
		out[i] = b.String()
	}
	return out
}

func main() {
	root, _ := os.Getwd()
	def := filepath.Join(root, "train/tokenizer/testdata/cache/qwen3/tokenizer.json")
	if _, err := os.Stat(def); err != nil {
		def = filepath.Join(root, "train/defaultmodel/assets/tokenizer.json")
	}
	path := flag.String("tokenizer", def, "tokenizer.json or a directory holding it")
	n := flag.Int("texts", 20000, "number of texts")
	python := flag.String("python", os.Getenv("POLY_PYTHON"), "reference Python (default .venv/bin/python)")
	flag.Parse()
	if *python == "" {
		*python = filepath.Join(root, ".venv", "bin", "python")
	}
	if st, err := os.Stat(*path); err == nil && st.IsDir() {
		*path = filepath.Join(*path, "tokenizer.json")
	}
	texts := corpus(*n)
	bytesTotal := 0
	for _, t := range texts {
		bytesTotal += len(t)
	}

	// poly: best of 3 passes, each on a freshly loaded tokenizer (cold
	// per-word cache, as for new text)
	var ids [][]int
	best := time.Duration(1 << 62)
	for pass := 0; pass < 3; pass++ {
		tok, err := tokenizer.Load(*path)
		if err != nil {
			log.Fatal(err)
		}
		t0 := time.Now()
		out := make([][]int, len(texts))
		for i, t := range texts {
			out[i] = tok.Encode(t)
		}
		best = min(best, time.Since(t0))
		ids = out
	}
	tokens := 0
	for _, x := range ids {
		tokens += len(x)
	}
	polyRate := float64(tokens) / best.Seconds()
	fmt.Printf("tokenizer %s: %d texts, %.1f MB, %d tokens\n", *path, len(texts), float64(bytesTotal)/1e6, tokens)
	fmt.Printf("poly           %10.0f tokens/s  (%.1f MB/s)\n", polyRate, float64(bytesTotal)/1e6/best.Seconds())

	tmp, err := os.CreateTemp("", "tok-bench-*.json")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(tmp.Name())
	json.NewEncoder(tmp).Encode(texts)
	tmp.Close()
	cmd := exec.Command(*python, "-c", hfScript, *path, tmp.Name())
	cmd.Env = append(os.Environ(), "RAYON_NUM_THREADS=1", "TOKENIZERS_PARALLELISM=false")
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		fmt.Printf("HF tokenizers  skipped (%v)\n", err)
		return
	}
	var hf struct {
		Seconds float64
		IDs     [][]int
	}
	if err := json.Unmarshal(raw, &hf); err != nil {
		log.Fatal(err)
	}
	hfRate := float64(tokens) / hf.Seconds
	fmt.Printf("HF tokenizers  %10.0f tokens/s  (encode_batch, RAYON_NUM_THREADS=1)\n", hfRate)
	fmt.Printf("ratio poly/HF  %10.2fx\n", polyRate/hfRate)
	diff := 0
	for i := range ids {
		if fmt.Sprint(ids[i]) != fmt.Sprint(hf.IDs[i]) {
			diff++
		}
	}
	fmt.Printf("identical encodings: %d/%d\n", len(ids)-diff, len(ids))
}
