package grade

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// gradeCase is one line of testdata/cases.jsonl: a gold answer, a
// prediction (a bare answer or a whole completion), the expected reward
// and a note saying what the case is about.
type gradeCase struct {
	Cat  string  `json:"cat"`
	Gold string  `json:"gold"`
	Pred string  `json:"pred"`
	Want float64 `json:"want"`
	Note string  `json:"note"`
}

func loadCases(t testing.TB) []gradeCase {
	t.Helper()
	f, err := os.Open("testdata/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []gradeCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var c gradeCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("testdata/cases.jsonl line %d: %v", len(out)+1, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCases(t *testing.T) {
	cases := loadCases(t)
	if len(cases) < 300 {
		t.Fatalf("only %d cases", len(cases))
	}
	for i, c := range cases {
		r := CheckStrings(c.Gold, c.Pred, Options{})
		if r.Reward != c.Want {
			t.Errorf("case %d [%s] %s\n  gold %q pred %q: reward %v, want %v\n  extracted %q parsed %q gold %q reason %q",
				i+1, c.Cat, c.Note, c.Gold, clip(c.Pred, 120), r.Reward, c.Want, r.Extracted, r.Parsed, r.Gold, r.Reason)
		}
	}
}
