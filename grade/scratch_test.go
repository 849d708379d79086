package grade

import (
	"testing"
)

// TestScratchNotShared checks that nothing that outlives a check points
// into the scratch memory of a pooled ctx: values cached, and values
// returned by ParseGold and Parse, must stay the same while other checks
// (with caches off, from several goroutines) reuse that memory. Run with
// -race.
func TestScratchNotShared(t *testing.T) {
	cases := loadCases(t)
	if testing.Short() {
		cases = cases[:80]
	}
	// returned values, and their texts, before any other check ran
	golds := make([]Gold, len(cases))
	goldText := make([]string, len(cases))
	preds := make([]Value, len(cases))
	predText := make([]string, len(cases))
	for i, c := range cases {
		if g, err := ParseGold(c.Gold); err == nil {
			golds[i], goldText[i] = g, g.String()
		}
		if v, err := Parse(c.Pred); err == nil {
			preds[i], predText[i] = v, v.String()
		}
	}
	opts := []Options{{}, {NoCache: true}}
	want := make([][2]Result, len(cases))
	for i, c := range cases {
		for k, o := range opts {
			want[i][k] = CheckStrings(c.Gold, c.Pred, o)
		}
	}
	done := make(chan string, 4)
	for w := 0; w < 4; w++ {
		go func(w int) {
			msg := ""
			for round := 0; round < 2; round++ {
				for k := range cases {
					i := (k*7 + w*13 + round) % len(cases)
					o := (k + w + round) % 2
					if r := CheckStrings(cases[i].Gold, cases[i].Pred, opts[o]); r != want[i][o] && msg == "" {
						msg = cases[i].Gold + " | " + cases[i].Pred + ": " + r.Reason + " vs " + want[i][o].Reason
					}
					if golds[i].Value() != nil && msg == "" {
						if r := Check(golds[i], cases[i].Pred, Options{NoCache: true}); r.Reward != want[i][1].Reward {
							msg = "Check with a parsed gold: " + cases[i].Gold
						}
					}
				}
			}
			done <- msg
		}(w)
	}
	for w := 0; w < 4; w++ {
		if msg := <-done; msg != "" {
			t.Errorf("result differs under concurrent checks: %s", msg)
		}
	}
	for i := range cases {
		if golds[i].Value() != nil && golds[i].String() != goldText[i] {
			t.Errorf("ParseGold(%q) changed: %q, was %q", cases[i].Gold, golds[i].String(), goldText[i])
		}
		if preds[i] != nil && preds[i].String() != predText[i] {
			t.Errorf("Parse(%q) changed: %q, was %q", cases[i].Pred, preds[i].String(), predText[i])
		}
	}
}
