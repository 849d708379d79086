package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// TestCourtesy checks what ref.py gives each reference: math-verify gets
// bare text in $...$; verl "bare answers boxed" gets a bare answer
// (enclosing delimiters stripped) in \boxed{}, and text with math in it or
// a box as given; verl "every answer boxed" gets every prediction without a
// box as \boxed{} of its text, one enclosing pair of delimiters stripped and
// every other $ deleted.
func TestCourtesy(t *testing.T) {
	py := pyref.Python(t)
	tests := []struct{ in, mv, verl, every string }{
		{`\frac{1}{2}`, `$\frac{1}{2}$`, `\boxed{\frac{1}{2}}`, `\boxed{\frac{1}{2}}`},
		{`$\frac{1}{2}$`, `$\frac{1}{2}$`, `\boxed{\frac{1}{2}}`, `\boxed{\frac{1}{2}}`},
		{` $$ 3 $$ `, ` $$ 3 $$ `, `\boxed{3}`, `\boxed{3}`},
		{`\(x=3\)`, `\(x=3\)`, `\boxed{x=3}`, `\boxed{x=3}`},
		{`\[ (1, 2] \]`, `\[ (1, 2] \]`, `\boxed{(1, 2]}`, `\boxed{(1, 2]}`},
		{`7,425,000`, `$7,425,000$`, `\boxed{7,425,000}`, `\boxed{7,425,000}`},
		{`The answer is 5`, `$The answer is 5$`, `\boxed{The answer is 5}`, `\boxed{The answer is 5}`},
		{`so \boxed{5}`, `so \boxed{5}`, `so \boxed{5}`, `so \boxed{5}`},
		{`\fbox{5}`, `\fbox{5}`, `\fbox{5}`, `\fbox{5}`},
		{`We get $x = 2$, so the answer is $4$.`, `We get $x = 2$, so the answer is $4$.`, `We get $x = 2$, so the answer is $4$.`, `\boxed{We get x = 2, so the answer is 4.}`},
		{`Answer $ 9 $`, `Answer $ 9 $`, `Answer $ 9 $`, `\boxed{Answer  9 }`},
		{`$1,000.99`, `$1,000.99`, `$1,000.99`, `\boxed{1,000.99}`},
		{`$x$ and $y$`, `$x$ and $y$`, `$x$ and $y$`, `\boxed{x and y}`},
		{"Step 1: \\(a=2\\).\nAnswer: 4", "Step 1: \\(a=2\\).\nAnswer: 4", "Step 1: \\(a=2\\).\nAnswer: 4", "\\boxed{Step 1: \\(a=2\\).\nAnswer: 4}"},
	}
	var ins []string
	for _, tt := range tests {
		ins = append(ins, tt.in)
	}
	data, _ := json.Marshal(ins)
	cmd := exec.Command(py, filepath.Join(pyref.RepoRoot(), "bench", "grade", "ref.py"), "--courtesy")
	cmd.Stdin = strings.NewReader(string(data))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ref.py --courtesy: %v", err)
	}
	var got struct {
		MV    []string `json:"math_verify"`
		Verl  []string `json:"verl_boxed"`
		Every []string `json:"verl_every"`
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got.MV) != len(tests) || len(got.Verl) != len(tests) || len(got.Every) != len(tests) {
		t.Fatalf("ref.py --courtesy printed %s (%v)", out, err)
	}
	for i, tt := range tests {
		if got.MV[i] != tt.mv {
			t.Errorf("math-verify input for %q: %q, want %q", tt.in, got.MV[i], tt.mv)
		}
		if got.Verl[i] != tt.verl {
			t.Errorf("verl (bare answers boxed) input for %q: %q, want %q", tt.in, got.Verl[i], tt.verl)
		}
		if got.Every[i] != tt.every {
			t.Errorf("verl (every answer boxed) input for %q: %q, want %q", tt.in, got.Every[i], tt.every)
		}
	}
}
