package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/polylearn/poly/grade"
)

// benchItems are gold/pred items of the grader's common kinds.
var benchItems = [][2]string{
	{`\frac{3}{4}`, `so the answer is \boxed{0.75}`}, {`1.2 \times 10^{3}`, `\boxed{1200}`},
	{`5 m`, `The length is \boxed{500 cm}.`}, {`\{1, 2, 3\}`, `\boxed{\{3, 2, 1\}}`},
	{`x^2 + 2x + 1`, `\boxed{(x+1)^2}`}, {`12`, `3 boxes of 4 make 12. Answer: 12`},
	{`C`, `The answer is (C).`}, {`42`, `I am not sure.`},
}

// BenchmarkGradeBatch compares a batch of 64 gold/pred items graded over
// loopback HTTP (one client, the request pre-encoded, the response read
// but not decoded) with the same items graded in-process, one core each
// (Workers 1).
func BenchmarkGradeBatch(b *testing.B) {
	opts := grade.Options{}
	var items []map[string]string
	for i := range 64 {
		p := benchItems[i%len(benchItems)]
		items = append(items, map[string]string{"gold": p[0], "pred": p[1]})
	}
	body, _ := json.Marshal(map[string]any{"items": items})
	b.Run("inprocess", func(b *testing.B) {
		for b.Loop() {
			for _, it := range items {
				grade.CheckStrings(it["gold"], it["pred"], opts)
			}
		}
		b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "checks/s")
	})
	b.Run("http", func(b *testing.B) {
		ts := start(b, Config{Grade: GradeStrings(opts), Workers: 1})
		client := &http.Client{}
		for b.Loop() {
			resp, err := client.Post(ts.URL+"/v1/grade", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
		}
		b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "checks/s")
	})
}
