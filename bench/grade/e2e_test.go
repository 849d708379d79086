package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestParseGradeOutput(t *testing.T) {
	got, err := parseGradeOutput([]byte(`{"line":1,"reward":1,"reason":""}`+"\n"+`{"line":2,"reward":0,"reason":"off"}`+"\n"), 2)
	if err != nil || len(got) != 2 || got[0] != 1 || got[1] != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
	for name, bad := range map[string]string{
		"count":     `{"line":1,"reward":1}` + "\n",
		"error":     `{"line":1,"reward":1}` + "\n" + `{"line":2,"error":"malformed JSON"}` + "\n",
		"not json":  "{\n{\n",
		"truncated": `{"line":1,"reward":1}` + "\n" + `{"line":2,"rew`,
	} {
		if _, err := parseGradeOutput([]byte(bad), 2); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCopiesFor(t *testing.T) {
	for _, tt := range []struct {
		seconds, cpu     float64
		copies, limit, k int
	}{
		{2, 0.03, 1, 1000, 74}, {2, 0.01, 1, 100, 100}, {2, 1, 10, 1000, 22}, {2, 0, 1, 50, 50}, {2, 0, 3, 1000, 300}, {0.001, 5, 1, 10, 1},
	} {
		if got := copiesFor(tt.seconds, tt.cpu, tt.copies, tt.limit); got != tt.k {
			t.Errorf("copiesFor(%g, %g, %d, %d) = %d, want %d", tt.seconds, tt.cpu, tt.copies, tt.limit, got, tt.k)
		}
	}
}

// A stand-in for the poly binary checks the plumbing of measureE2E: the
// corpus goes through stdin (replicated), rewards come back in order, and
// the CPU time is the child's.
func TestMeasureE2EWithAStandIn(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "poly")
	script := "#!/bin/sh\n[ \"$1 $2 $3\" = \"grade -j 1\" ] || { echo bad args \"$@\" >&2; exit 2; }\n" +
		`exec awk '{ n++; r = (index($0, "\"pred\":\"yes\"") > 0); printf "{\"line\":%d,\"reward\":%d}\n", n, r }'` + "\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []benchCase{{Gold: "1", Pred: "yes"}, {Gold: "2", Pred: "no"}, {Gold: "3", Pred: "yes"}}
	r, err := measureE2E(bin, cases, -1, 0.05, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.rewards) != 3 || r.rewards[0] != 1 || r.rewards[1] != 0 || r.rewards[2] != 1 {
		t.Errorf("rewards %v", r.rewards)
	}
	if r.cpu <= 0 || r.lines != r.copies*len(cases) || r.rate != float64(r.lines)/r.cpu {
		t.Errorf("result %+v", r)
	}
	seed := uint64(genSeed)
	gen := generate(4, seed)
	r, err = measureE2E(bin, gen, -1, 0.003, &seed)
	if err != nil || len(r.rewards) != 4 || r.fresh != (r.copies > 1) {
		t.Errorf("fresh lines: %+v, %v", r, err)
	}
	// a failing command is an error, not a figure
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho boom >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := measureE2E(bin, cases, -1, 0.05, nil); err == nil {
		t.Error("a failing poly grade gave no error")
	}
}

func TestFreshLinesContinueTheCorpus(t *testing.T) {
	b := bytes.NewBuffer(freshLines(1300, genSeed))
	if !bytes.Equal(b.Bytes(), gradeInput(generate(1300, genSeed))) {
		t.Error("fresh lines are not the generated corpus of that length")
	}
	if !bytes.HasPrefix(b.Bytes(), gradeInput(generate(100, genSeed))) {
		t.Error("fresh lines do not start with the benchmarked corpus")
	}
	var c bytes.Buffer
	if err := copies([]byte("ab\n"), 3)(&c); err != nil || c.String() != "ab\nab\nab\n" {
		t.Errorf("copies: %q %v", c.String(), err)
	}
}
