package grade

import (
	"strings"
	"testing"
)

// naiveNextBox is what nextBox computes, by two plain searches.
func naiveNextBox(s string, from int) int {
	at := -1
	for _, sub := range []string{"\\boxed", "\\fbox"} {
		if k := strings.Index(s[from:], sub); k >= 0 && (at < 0 || from+k < at) {
			at = from + k
		}
	}
	return at
}

func TestNextBoxMatchesSearch(t *testing.T) {
	texts := []string{
		"", "box", "\\box", "\\boxe", "\\boxed", "\\fbox", "\\\\fbox", "fbox", "\\f\\boxed{1}",
		"a \\boxed{1} and \\fbox{2}", "\\fbox{1} \\boxed{2}", "\\boxbox\\boxed", "\\fboxed",
		"\\text{box} \\textbox \\boxedd", "x\\f box \\boxed", "\\\\boxed{\\fbox{3}}", "\\boxed",
		strings.Repeat("\\b", 50) + "\\fbo" + strings.Repeat("box", 30) + "\\boxed{7}",
	}
	for _, s := range texts {
		for from := 0; from <= len(s); from++ {
			if got, want := nextBox(s, from), naiveNextBox(s, from); got != want {
				t.Errorf("nextBox(%q, %d) = %d, want %d", s, from, got, want)
			}
		}
	}
}
