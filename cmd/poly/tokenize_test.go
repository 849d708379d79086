package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/polylearn/poly/train/defaultmodel"
)

func TestTokenizeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds poly")
	}
	bin := buildPolyForTrain(t)
	tok, err := defaultmodel.Tokenizer()
	if err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) []byte {
		cmd := exec.Command(bin, append([]string{"tokenize"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("poly tokenize %v: %v", args, err)
		}
		return out
	}
	var ids []int
	if err := json.Unmarshal(run("What is 2+2?"), &ids); err != nil {
		t.Fatal(err)
	}
	if want := tok.Encode("What is 2+2?"); !slices.Equal(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
	if err := json.Unmarshal(run("hi", "--chat"), &ids); err != nil {
		t.Fatal(err)
	}
	if got := tok.Decode(ids, false); got != "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n" {
		t.Errorf("--chat decodes to %q", got)
	}
	var text string
	json.Unmarshal(run("[57, 40, 2]", "--decode"), &text)
	if text != tok.Decode([]int{57, 40, 2}, false) {
		t.Errorf("--decode = %q", text)
	}
	if out := run("", "--tokens"); !bytes.Equal(bytes.TrimSpace(out), []byte("[]")) {
		t.Errorf("empty input: %s", out)
	}
	cmd := exec.Command(bin, "tokenize", "--tokenizer", "/nonexistent/tokenizer.json")
	cmd.Stdin = strings.NewReader("x")
	if err := cmd.Run(); err == nil {
		t.Error("missing tokenizer: exit 0")
	}
}
