package grade

import (
	"strings"
	"testing"
)

// TestBudgetNamed checks that an exhausted budget is named in
// Result.Budget, and that the deterministic limits (not the clock) stop
// hostile answers.
func TestBudgetNamed(t *testing.T) {
	tests := []struct {
		name, gold, pred string
		b                Budget
		want             string
	}{
		{"long answer", "1", "\\boxed{" + strings.Repeat("1+", 3000) + "1}", Budget{}, BudgetAnswer},
		{"deep", "1", "\\boxed{" + strings.Repeat("\\sqrt{", 500) + "1" + strings.Repeat("}", 500) + "}", Budget{}, BudgetDepth},
		{"many nodes", "1", "\\boxed{" + strings.Repeat("1+", 300) + "1}", Budget{MaxNodes: 100}, BudgetNodes},
		{"evaluation steps", "x^2", "\\boxed{" + strings.Repeat("(x+1)*", 500) + "2}", Budget{MaxSteps: 100}, BudgetSteps},
		{"wrong, no budget", "1", "\\boxed{2}", Budget{}, ""},
		{"right", "1", "\\boxed{1}", Budget{MaxSteps: 100}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, noCache := range []bool{false, false, true} {
				r := CheckStrings(tt.gold, tt.pred, Options{Budget: tt.b, NoCache: noCache})
				if r.Budget != tt.want {
					t.Errorf("budget %q, want %q (reason %q, nocache %v)", r.Budget, tt.want, r.Reason, noCache)
				}
				if tt.want != "" && r.Reward != 0 {
					t.Errorf("reward %v", r.Reward)
				}
			}
		})
	}
}

// TestDeterministic grades every table case cold, then twice through the
// caches: a Result must not depend on what was graded before it.
func TestDeterministic(t *testing.T) {
	cases := loadCases(t)
	if testing.Short() {
		cases = cases[:100]
	}
	for i, c := range cases {
		cold := CheckStrings(c.Gold, c.Pred, Options{NoCache: true})
		for k := 0; k < 2; k++ {
			if warm := CheckStrings(c.Gold, c.Pred, Options{}); warm != cold {
				t.Errorf("case %d: cached %+v, cold %+v", i, warm, cold)
			}
		}
	}
}
