package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestGradeCmdLines(t *testing.T) {
	in := strings.Join([]string{
		`{"gold":"\\frac12","pred":"so \\boxed{0.5}"}`,
		`{"gold":5,"pred":"5 apples","id":"a"}`,
		`not json`,
		`{"gold":"2","pred":"\\boxed{3}"}`,
		``,
		`{"pred":"1"}`,
		`{"gold":"(1,2]","pred":"The answer is $(1,2]$."}`,
		`{"gold":"x","pred":7}`,
	}, "\n") + "\n"
	c := &GradeCmd{Jobs: 2}
	var out bytes.Buffer
	bad, err := c.run(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8 {
		t.Fatalf("got %d lines, want 8:\n%s", len(lines), out.String())
	}
	type row struct {
		Line   int     `json:"line"`
		ID     string  `json:"id"`
		Reward float64 `json:"reward"`
		Reason string  `json:"reason"`
		Error  string  `json:"error"`
	}
	want := []struct {
		reward float64
		err    bool
	}{{1, false}, {1, false}, {0, true}, {0, false}, {0, true}, {0, true}, {1, false}, {0, true}}
	for i, l := range lines {
		var r row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		if r.Line != i+1 {
			t.Errorf("line %d: numbered %d", i+1, r.Line)
		}
		if (r.Error != "") != want[i].err || r.Reward != want[i].reward {
			t.Errorf("line %d: %s", i+1, l)
		}
	}
	if bad != 4 {
		t.Errorf("bad = %d, want 4", bad)
	}
	if !strings.Contains(lines[1], `"id":"a"`) {
		t.Errorf("id not copied: %s", lines[1])
	}
}

func TestGradeCmdAtomicOut(t *testing.T) {
	dir := t.TempDir()
	inPath := filepath.Join(dir, "in.jsonl")
	outPath := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(inPath, []byte(`{"gold":"1","pred":"1"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &GradeCmd{In: inPath, Out: outPath}
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"reward":1`) {
		t.Fatalf("out: %s", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("temporary file left behind: %v", ents)
	}
	// a malformed line still writes the file, and exits 1
	if err := os.WriteFile(inPath, []byte("{\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = c.Run()
	ee, ok := err.(*exitError)
	if !ok || ee.code != 1 {
		t.Fatalf("want exit 1, got %v", err)
	}
}

func TestGradeCmdSpec(t *testing.T) {
	spec := filepath.Join("..", "..", "specs", "natural", "prealgebra_fractions.poly")
	if _, err := os.Stat(spec); err != nil {
		t.Skip("spec not present: ", err)
	}
	in := strings.Join([]string{
		`{"spec":` + strconv.Quote(spec) + `,"completion":"so \\boxed{\\frac{7}{18}}"}`,
		`{"spec":` + strconv.Quote(spec) + `,"completion":"so \\boxed{0.39}"}`,
		`{"spec":` + strconv.Quote(spec) + `,"sample":"nope","completion":"1"}`,
		`{"spec":"does/not/exist.poly","completion":"1"}`,
		`{"spec":` + strconv.Quote(spec) + `}`,
	}, "\n") + "\n"
	var out bytes.Buffer
	bad, err := (&GradeCmd{}).run(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || bad != 3 {
		t.Fatalf("bad=%d, output:\n%s", bad, out.String())
	}
	if !strings.Contains(lines[0], `"reward":1`) || !strings.Contains(lines[1], `"reward":0`) {
		t.Errorf("rewards:\n%s", out.String())
	}
	for _, l := range lines[2:] {
		if !strings.Contains(l, `"error"`) {
			t.Errorf("want an error: %s", l)
		}
	}
}

// gradeReference grades in line by line the way `poly grade` always has:
// lines cut at '\n', a last line without one, "\r\n" trimmed.
func gradeReference(t *testing.T, c *GradeCmd, in []byte) ([]byte, int) {
	t.Helper()
	opts := c.options()
	var out []byte
	bad := 0
	for n := 1; len(in) > 0; n++ {
		line := in
		if k := bytes.IndexByte(in, '\n'); k >= 0 {
			line, in = in[:k], in[k+1:]
		} else {
			in = nil
		}
		var b []byte
		var malformed bool
		b, malformed = gradeLineStd(c, n, bytes.TrimRight(line, "\r\n"), opts)
		out = append(out, b...)
		if malformed {
			bad++
		}
	}
	return out, bad
}

// TestGradeCmdChunks checks the chunked, parallel plumbing against a
// line-by-line reference: lines across chunk boundaries, lines longer
// than a chunk, empty lines, CRLF, no final newline.
func TestGradeCmdChunks(t *testing.T) {
	var in bytes.Buffer
	r := rand.New(rand.NewPCG(5, 6))
	lines := append(corpusLines(t), nastyLines...)
	for in.Len() < 5*gradeChunkSize {
		switch k := r.IntN(20); k {
		case 0:
			in.WriteString("\n")
		case 1:
			in.WriteString(`{"gold":"7","pred":"` + strings.Repeat("x ", gradeChunkSize) + `7"}` + "\r\n")
		case 2:
			in.WriteString("\r\r\n")
		default:
			in.WriteString(lines[r.IntN(len(lines))] + "\n")
		}
	}
	for _, tail := range []string{"", `{"gold":"1","pred":"1"}`, "\r", "x"} {
		data := append(bytes.Clone(in.Bytes()), tail...)
		want, wantBad := gradeReference(t, benchGradeCmd(1), data)
		for _, jobs := range []int{1, 2, 5} {
			var out bytes.Buffer
			bad, err := benchGradeCmd(jobs).run(&oneByteFirst{r: bytes.NewReader(data)}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if bad != wantBad || !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("tail %q, -j %d: bad %d, want %d; output differs: %v", tail, jobs, bad, wantBad, firstDiff(out.Bytes(), want))
			}
		}
	}
}

// oneByteFirst returns short reads, as pipes do.
type oneByteFirst struct {
	r *bytes.Reader
	n int
}

func (o *oneByteFirst) Read(p []byte) (int, error) {
	o.n++
	if o.n%3 == 0 && len(p) > 7 {
		p = p[:7]
	}
	return o.r.Read(p)
}

func firstDiff(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			lo := max(0, i-100)
			return fmt.Sprintf("at byte %d:\n%q\n%q", i, a[lo:min(len(a), i+100)], b[lo:min(len(b), i+100)])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(a), len(b))
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n++; w.n > 2 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n++; r.n > 3 {
		return 0, errors.New("read failed")
	}
	return copy(p, `{"gold":"1","pred":"1"}`+"\n"), nil
}

// TestGradeCmdIOErrors checks that a failing output or input ends the
// run with its error (and does not hang, whatever -j).
func TestGradeCmdIOErrors(t *testing.T) {
	big := bytes.Repeat([]byte(`{"gold":"1","pred":"1"}`+"\n"), 20*gradeChunkSize/24)
	for _, jobs := range []int{1, 3} {
		if _, err := benchGradeCmd(jobs).run(bytes.NewReader(big), &failingWriter{}); err == nil || err.Error() != "disk full" {
			t.Errorf("-j %d: write error: %v", jobs, err)
		}
		if _, err := benchGradeCmd(jobs).run(&failingReader{}, io.Discard); err == nil || err.Error() != "read failed" {
			t.Errorf("-j %d: read error: %v", jobs, err)
		}
	}
}

func TestCutLines(t *testing.T) {
	for _, tc := range []struct {
		in         string
		n          int
		head, rest string
		lines      int
	}{
		{"", 2, "", "", 0},
		{"a\nb\nc\n", 2, "a\nb\n", "c\n", 2},
		{"a\nb\nc\n", 3, "a\nb\nc\n", "", 3},
		{"a\nb\nc", 5, "a\nb\nc", "", 3},
		{"\n\n\n", 2, "\n\n", "\n", 2},
		{"abc", 1, "abc", "", 1},
	} {
		head, rest, lines := cutLines([]byte(tc.in), tc.n)
		if string(head) != tc.head || string(rest) != tc.rest || lines != tc.lines {
			t.Errorf("cutLines(%q, %d) = %q, %q, %d", tc.in, tc.n, head, rest, lines)
		}
	}
}
