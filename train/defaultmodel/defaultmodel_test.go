package defaultmodel

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/polylearn/poly/train/sample"
)

func TestDefaultModelAnswersInBoxed(t *testing.T) {
	tok, err := Tokenizer()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Model()
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.VocabSize != tok.VocabSize() {
		t.Fatalf("model vocab %d, tokenizer %d", m.Config.VocabSize, tok.VocabSize())
	}
	r := rand.New(rand.NewPCG(99, 99)) // not the generator's seed: held-out problems
	var prompts [][]int32
	var want []string
	for i := 0; i < 16; i++ {
		a, b := r.IntN(100), r.IntN(100)
		p, _ := tok.ChatPrompt(fmt.Sprintf("What is %d + %d? Give the final answer in \\boxed{}.", a, b))
		var ids []int32
		for _, id := range tok.Encode(p) {
			ids = append(ids, int32(id))
		}
		prompts = append(prompts, ids)
		want = append(want, fmt.Sprintf("\\boxed{%d}", a+b))
	}
	cs, err := sample.Generate(m, tok, prompts, sample.Options{MaxTokens: 40, StopIDs: tok.StopIDs()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	boxed, right := 0, 0
	for i, c := range cs {
		if strings.Contains(c.Text, "\\boxed{") {
			boxed++
		}
		if strings.Contains(c.Text, want[i]) {
			right++
		}
	}
	t.Logf("greedy on 16 held-out additions: %d answer in \\boxed{}, %d correct; e.g. %q", boxed, right, cs[0].Text)
	if boxed < 12 {
		t.Errorf("only %d of 16 completions use \\boxed{}: the embedded SFT weights are not the trained ones", boxed)
	}
}
