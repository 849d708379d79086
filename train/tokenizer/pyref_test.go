package tokenizer

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// qwenDir returns the directory of the Qwen3 tokenizer (fetched by
// scripts/fetch-qwen-tokenizer.sh into a git-ignored cache), or skips.
func qwenDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("testdata", "cache", "qwen3")
	if _, err := os.Stat(filepath.Join(dir, "tokenizer.json")); err == nil {
		return dir
	}
	script := filepath.Join(pyref.RepoRoot(), "scripts", "fetch-qwen-tokenizer.sh")
	if out, err := exec.Command(script).CombinedOutput(); err != nil {
		t.Skipf("no Qwen3 tokenizer.json (%s failed: %v: %s)", script, err, out)
	}
	return dir
}

var (
	qwenOnce *Tokenizer
)

func loadQwen(t testing.TB) *Tokenizer {
	t.Helper()
	if qwenOnce != nil {
		return qwenOnce
	}
	tok, err := Load(qwenDir(t))
	if err != nil {
		t.Fatal(err)
	}
	qwenOnce = tok
	return tok
}

// hfEncodeScript encodes every text of a JSON list file with HF tokenizers
// and prints the id lists as JSON.
const hfEncodeScript = `
import json, sys
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
texts = json.load(open(sys.argv[2], encoding="utf-8"))
print(json.dumps([e.ids for e in tok.encode_batch(texts)]))
`

// hfDecodeScript decodes id lists with and without special tokens.
const hfDecodeScript = `
import json, sys
from tokenizers import Tokenizer
tok = Tokenizer.from_file(sys.argv[1])
seqs = json.load(open(sys.argv[2]))
print(json.dumps([[tok.decode(s, skip_special_tokens=False), tok.decode(s, skip_special_tokens=True)] for s in seqs]))
`

func writeJSON(t testing.TB, v any) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.json")
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// compareEncode checks Encode against HF tokenizers on texts.
func compareEncode(t *testing.T, tok *Tokenizer, file string, texts []string) {
	out := pyref.Run(t, hfEncodeScript, file, writeJSON(t, texts))
	var want [][]int
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	bad := 0
	for i, s := range texts {
		got := tok.Encode(s)
		if !slices.Equal(got, want[i]) {
			bad++
			if bad <= 5 {
				t.Errorf("Encode(%q)\n got %v\nwant %v", s, got, want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d texts differ from HF tokenizers", bad, len(texts))
	}
}

// testTexts returns the generated vectors (fixed seed) plus hand-picked
// edge cases.
func testTexts(n int) []string {
	texts := []string{
		"", " ", "Hello, world!", "I'm 'ſ 'LL", "12345678901234567890123456789012345678901234567890",
		"    indented\n\tcode\r\n\r\n", "\\boxed{\\frac{3}{4}}", "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
		"e\u0301 caf\u00e9", "👨‍👩‍👧 👍🏽", "x" + string(rune(0x10FFFF)), "a\u00a0\u00a0b", "tail spaces   ",
		"<think>\n\n</think>\n\n", "<|im_start|><|im_end|><|endoftext|>", "<|im_start", "1 000 000,00 €",
	}
	r := rand.New(rand.NewPCG(2026, 11))
	for len(texts) < n {
		texts = append(texts, genText(r, 25))
	}
	return texts
}

func TestEncodeMatchesHFQwen3(t *testing.T) {
	tok := loadQwen(t)
	n := 3000
	if testing.Short() {
		n = 300
	}
	compareEncode(t, tok, filepath.Join(qwenDir(t), "tokenizer.json"), testTexts(n))
}

func TestDecodeMatchesHFQwen3(t *testing.T) {
	tok := loadQwen(t)
	r := rand.New(rand.NewPCG(7, 7))
	var seqs [][]int
	for _, s := range testTexts(300) {
		ids := append([]int{}, tok.Encode(s)...)
		seqs = append(seqs, ids)
		// a random slice (cuts multi-byte characters) and random ids
		if len(ids) > 2 {
			a := r.IntN(len(ids))
			seqs = append(seqs, ids[a:a+r.IntN(len(ids)-a)])
		}
		rnd := make([]int, 1+r.IntN(8))
		for i := range rnd {
			rnd[i] = r.IntN(tok.VocabSize())
		}
		seqs = append(seqs, rnd)
	}
	out := pyref.Run(t, hfDecodeScript, filepath.Join(qwenDir(t), "tokenizer.json"), writeJSON(t, seqs))
	var want [][2]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, ids := range seqs {
		for k, skip := range []bool{false, true} {
			if got := tok.Decode(ids, skip); got != want[i][k] {
				t.Errorf("Decode(%v, skipSpecial=%v) = %q, want %q", ids, skip, got, want[i][k])
			}
			// streaming gives the same text
			d := tok.NewStreamDecoder(skip)
			s := ""
			for _, id := range ids {
				s += d.Add(id)
			}
			if s += d.Flush(); s != want[i][k] {
				t.Errorf("stream decode of %v = %q, want %q", ids, s, want[i][k])
			}
		}
	}
}

// hfChatScript renders messages with transformers' Jinja chat template.
const hfChatScript = `
import json, sys
from transformers import AutoTokenizer
tok = AutoTokenizer.from_pretrained(sys.argv[1])
convs = json.load(open(sys.argv[2]))
print(json.dumps([tok.apply_chat_template(c, tokenize=False, add_generation_prompt=True) for c in convs]))
`

func TestChatTemplateMatchesTransformersQwen3(t *testing.T) {
	tok := loadQwen(t)
	convs := [][]Message{
		{{Role: "user", Content: "What is 2+2? Put the answer in \\boxed{}."}},
		{{Role: "system", Content: "You are terse."}, {Role: "user", Content: "Hi\nthere"}},
		{{Role: "user", Content: "日本語 😀"}},
	}
	abs, _ := filepath.Abs(qwenDir(t))
	out := pyref.Run(t, hfChatScript, abs, writeJSON(t, convs))
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, c := range convs {
		got, err := tok.Chat.Render(c, true)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("Render(%v) = %q, want %q", c, got, want[i])
		}
	}
}

func TestEncodeMatchesHFDefault(t *testing.T) {
	path := filepath.Join("..", "defaultmodel", "assets", "tokenizer.json")
	tok, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	compareEncode(t, tok, path, testTexts(1000))
}
