package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/polylearn/poly/grade"
)

// benchCorpus reads the corpus of BenchmarkGradeCmd: $POLY_GRADE_CORPUS,
// or grade/testdata/cases.jsonl.
func benchCorpus(b *testing.B) ([]byte, int) {
	path := os.Getenv("POLY_GRADE_CORPUS")
	if path == "" {
		path = filepath.Join("..", "..", "grade", "testdata", "cases.jsonl")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skip("no corpus: ", err)
	}
	return data, bytes.Count(data, []byte("\n"))
}

// benchGradeCmd is `poly grade` with its command-line defaults.
func benchGradeCmd(jobs int) *GradeCmd {
	return &GradeCmd{Jobs: jobs, MaxInput: 65536, Timeout: 2 * time.Second}
}

// benchReps is how many times BenchmarkGradeCmd repeats its corpus in
// one run of the command, so that the run's set-up weighs as little as
// in a real one.
const benchReps = 50

// BenchmarkGradeCmd runs `poly grade -j 1` (JSONL in, JSONL out) over a
// corpus repeated benchReps times per op; set POLY_GRADE_CORPUS to a
// JSONL file to use another corpus than grade/testdata/cases.jsonl.
func BenchmarkGradeCmd(b *testing.B) {
	data, lines := benchCorpus(b)
	c := benchGradeCmd(1)
	b.SetBytes(int64(len(data)) * benchReps)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.run(&repeatReader{data: data, n: benchReps}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	reportLines(b, lines*benchReps)
}

// repeatReader reads data n times.
type repeatReader struct {
	data []byte
	off  int
	n    int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.data[r.off:])
	if r.off += k; r.off == len(r.data) {
		r.off, r.n = 0, r.n-1
	}
	return k, nil
}

// BenchmarkGradeCmdCheckOnly grades the same corpus with grade.CheckStrings
// alone, the JSON already decoded: what BenchmarkGradeCmd spends beyond it
// is the command's own overhead. Spec lines and malformed lines are
// skipped, so compare it with BenchmarkGradeCmd on gold/pred corpora only.
func BenchmarkGradeCmdCheckOnly(b *testing.B) {
	data, _ := benchCorpus(b)
	type pair struct{ gold, pred string }
	var pairs []pair
	for _, l := range bytes.Split(data, []byte("\n")) {
		var in gradeIn
		if json.Unmarshal(l, &in) != nil || in.Pred == nil || len(in.Gold) == 0 {
			continue
		}
		g, err := goldText(in.Gold)
		if err != nil {
			continue
		}
		pairs = append(pairs, pair{g, *in.Pred})
	}
	opts := benchGradeCmd(1).options()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pairs {
			grade.CheckStrings(p.gold, p.pred, opts)
		}
	}
	reportLines(b, len(pairs))
}

func reportLines(b *testing.B, lines int) {
	total := float64(lines) * float64(b.N)
	sec := b.Elapsed().Seconds()
	b.ReportMetric(total/sec, "lines/s")
	b.ReportMetric(sec*1e6/total, "us/line")
}
