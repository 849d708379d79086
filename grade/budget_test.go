package grade

import (
	"math/big"
	"math/rand/v2"
	"strconv"
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
		{"cut input, no last-number fallback", "2", "\\boxed{" + strings.Repeat("\\sqrt{", 20000) + "2" + strings.Repeat("}", 20000) + "}", Budget{}, BudgetInput},
		{"cut input, plain text", "7", strings.Repeat("x", 200) + " 7", Budget{MaxInput: 100}, BudgetInput},
		{"wrong, no budget", "1", "\\boxed{2}", Budget{}, ""},
		{"right", "1", "\\boxed{1}", Budget{MaxSteps: 100}, ""},
		{"cut input, boxed answer whole in the tail", "7", strings.Repeat("x", 200) + " \\boxed{7}", Budget{MaxInput: 100}, ""},
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

// TestFloatOfRational checks num.float's allocation-free path against
// big.Rat.Float64 (correct rounding) on random and edge-case fractions.
func TestFloatOfRational(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	nums := []int64{0, 1, -1, 3, 7, 1<<53 - 1, -(1<<53 - 1), 1 << 53, 1<<62 + 12345, 123456789012345}
	for i := 0; i < 20000; i++ {
		nums = append(nums, r.Int64N(1<<54)-1<<53)
	}
	dens := []int64{1, 2, 3, 7, 10, 1000, 1<<53 - 1, 1 << 53, 999999999999, 1e18}
	for i, n := range nums {
		for _, d := range append(dens, r.Int64N(1<<53)+1) {
			q := new(big.Rat).SetFrac64(n, d)
			want, _ := q.Float64()
			if got := (num{r: q}).float(); got != want {
				t.Fatalf("%d: %d/%d: float %v, want %v", i, n, d, got, want)
			}
		}
	}
}

// TestPlainNumberCandidates checks what allCandidates' bare-number path
// relies on: such a text has no box or answer phrase, and it parses.
func TestPlainNumberCandidates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	texts := []string{"0", "-0", "007", "1.50", "-3.25", "123456789012345678", "99999999999999.9999"}
	for i := 0; i < 2000; i++ {
		s := strconv.FormatInt(r.Int64N(1e12)-5e11, 10)
		if r.IntN(2) == 0 {
			s += "." + strconv.Itoa(r.IntN(100000))
		}
		texts = append(texts, s)
	}
	for _, s := range texts {
		if !isPlainNumber(s) {
			if len(s) <= 18 {
				t.Errorf("%q: not a plain number", s)
			}
			continue
		}
		for _, c := range candidates(s, false) {
			if c.formatOK {
				t.Errorf("%q: candidate %+v is formatted", s, c)
			}
		}
		if _, err := newCtx(Budget{}).parse(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "-", ".5", "5.", "1.2.3", "1e3", "1,000", " 5", "1234567890123456789"} {
		if isPlainNumber(s) {
			t.Errorf("%q: a plain number", s)
		}
	}
}
