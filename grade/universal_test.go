package grade

import (
	"sort"
	"testing"
)

// universalAnswers are replies a policy could learn to give to every
// question if the grader let them match many unrelated gold answers: the
// empty set, the real line, contradictions and tautologies, a bare
// variable, hedges.
var universalAnswers = []string{
	"\\{\\}", "\\boxed{\\{\\}}", "\\boxed{\\emptyset}", "\\boxed{\\varnothing}", "no solution",
	"\\boxed{\\mathbb{R}}", "\\boxed{(-\\infty, \\infty)}", "all real numbers",
	"\\boxed{x}", "\\boxed{x = x}", "\\boxed{0 = 1}", "\\boxed{1 = 1}", "\\boxed{x < 0 < x}",
	"\\boxed{f(2) < f(1) < f(4)}", "\\boxed{0}", "\\boxed{1}", "\\boxed{\\infty}", "\\boxed{\\text{}}",
	"\\boxed{}", "\\boxed{\\pm\\infty}", "\\boxed{x \\in \\mathbb{R}}", "\\boxed{x \\ne x}",
	"The answer is A or B or C or D.", "\\boxed{0 \\approx 1}", "\\boxed{1, 1}",
	"\\boxed{\\frac{0}{0}}", "\\boxed{\\text{undefined}}", "\\boxed{\\text{any}}",
	"\\boxed{10^{10^{10}}}", "\\boxed{2^{10000}}", "\\boxed{100\\%}", "\\boxed{1^\\circ}",
	"\\boxed{A \\text{ or } B}", "\\boxed{(A)(B)(C)(D)}", "Answer: option A or option B", "\\boxed{1 \\approx 10}",
	"\\boxed{1 \\approx 1000}", "\\boxed{0 \\approx 1}",
}

// TestNoUniversalAnswer grades every distinct gold answer of the case table
// against each universal answer and against every prediction of the table:
// none may be right for more than a few unrelated golds. (A rule that let
// the empty set equal any number, or a contradiction any reversed pair,
// once made "\{\}" right for 80 golds.)
func TestNoUniversalAnswer(t *testing.T) {
	cases := loadCases(t)
	golds := map[string]bool{}
	var goldList []string
	for _, c := range cases {
		if !golds[c.Gold] {
			golds[c.Gold] = true
			goldList = append(goldList, c.Gold)
		}
	}
	preds := append([]string(nil), universalAnswers...)
	seen := map[string]bool{}
	for _, c := range cases {
		if !seen[c.Pred] {
			seen[c.Pred] = true
			preds = append(preds, c.Pred)
		}
	}
	const most = 10 // equal answers written differently ("1", "1.0", "\frac{2}{2}", ...) are fine
	for _, p := range preds {
		var hits []string
		for _, g := range goldList {
			if CheckStrings(g, p, Options{}).Reward == 1 {
				hits = append(hits, g)
			}
		}
		if len(hits) > most {
			sort.Strings(hits)
			t.Errorf("%q is right for %d of %d distinct golds: %q", p, len(hits), len(goldList), hits)
		}
	}
}
