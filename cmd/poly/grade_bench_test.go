package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
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
	cpu := cpuTime()
	for b.Loop() {
		if _, err := c.run(&repeatReader{data: data, n: benchReps}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	reportLines(b, lines*benchReps, cpu)
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
	cpu := cpuTime()
	for b.Loop() {
		for _, p := range pairs {
			grade.CheckStrings(p.gold, p.pred, opts)
		}
	}
	reportLines(b, len(pairs), cpu)
}

// reportLines reports lines/s and wall and CPU microseconds per line;
// cpu is cpuTime() at the start of the timed loop. On a shared machine
// the CPU time is the steadier figure.
func reportLines(b *testing.B, lines int, cpu time.Duration) {
	total := float64(lines) * float64(b.N)
	sec := b.Elapsed().Seconds()
	b.ReportMetric(total/sec, "lines/s")
	b.ReportMetric(sec*1e6/total, "us/line")
	b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/1e3/total, "cpu-us/line")
}

// cpuTime is the CPU time of the process so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkGradeDecode decodes the corpus lines (gold text included), the
// input half of BenchmarkGradeCmd's overhead.
func BenchmarkGradeDecode(b *testing.B) {
	data, _ := benchCorpus(b)
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	var d lineDecoder
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		for _, l := range lines {
			in, ok := d.decode(l)
			if !ok {
				in, _ = decodeStd(l)
			}
			if len(in.gold) > 0 && !in.goldIsText {
				goldText(in.gold)
			}
		}
	}
	reportLines(b, len(lines), cpu)
}

// BenchmarkGradeEncode writes the output lines of the corpus, the output
// half of BenchmarkGradeCmd's overhead.
func BenchmarkGradeEncode(b *testing.B) {
	data, _ := benchCorpus(b)
	c := benchGradeCmd(1)
	opts := c.options()
	type row struct {
		id  []byte
		res grade.Result
		err error
	}
	var rows []row
	var d lineDecoder
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		res, id, err := c.gradeOne(l, opts, &d)
		rows = append(rows, row{id, res, err})
	}
	var out []byte
	var e outEncoder
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		out = out[:0]
		for i := range rows {
			out, _ = e.appendOut(out, i+1, rows[i].id, rows[i].res, rows[i].err)
		}
	}
	reportLines(b, len(rows), cpu)
}

// BenchmarkGradeCmdParallel is BenchmarkGradeCmd at -j GOMAXPROCS (set
// it with -test.cpu).
func BenchmarkGradeCmdParallel(b *testing.B) {
	data, lines := benchCorpus(b)
	c := benchGradeCmd(runtime.GOMAXPROCS(0))
	b.SetBytes(int64(len(data)) * benchReps)
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := c.run(&repeatReader{data: data, n: benchReps}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	reportLines(b, lines*benchReps, cpu)
}
