package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/polylearn/poly/grade"
)

// specDir writes toy spec files into a temporary directory.
func specDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func results(t *testing.T, r reply) []map[string]any {
	t.Helper()
	l, ok := r.body["results"].([]any)
	if !ok {
		t.Fatalf("no results array in %s", r.raw)
	}
	out := make([]map[string]any, len(l))
	for i, x := range l {
		out[i] = x.(map[string]any)
	}
	return out
}

func TestGradeBatchMixedItems(t *testing.T) {
	dir := specDir(t, map[string]string{"colony.poly": "sample colony_capacitor 192000\n", "two.poly": "sample a 1\nsample b 2\n"})
	ts := start(t, Config{Specs: []string{dir}})
	body := `{"items":[
		{"gold":"3/4","pred":"so \\boxed{3/4}","id":"first"},
		{"spec":"colony_capacitor","completion":"\\boxed{192000}"},
		{"spec":"nope","completion":"x"},
		{"gold":"5","pred":"\\boxed{6}","id":7},
		{"spec":"colony","completion":"\\boxed{1}"},
		{"gold":"5"},
		{"gold":5,"pred":5},
		{"gold":"1","pred":["x"]},
		{"spec":"a","gold":"1","completion":"x"},
		{"gold":"1","pred":"1","extra":true},
		"not an object",
		{"spec":"b","completion":"\\boxed{2}"},
		{}
	]}`
	r := post(t, ts.URL+"/v1/grade", body)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	res := results(t, r)
	type want struct {
		reward  float64 // when code == ""
		code    string
		spec    string
		message string // substring of the error message
	}
	wants := []want{
		{reward: 1},
		{reward: 1, spec: "colony_capacitor"},
		{code: CodeUnknownSpec, message: `item 2: no served spec has id "nope"`},
		{reward: 0},
		{reward: 0, spec: "colony"},
		{code: CodeBadRequest, message: `item 5: a "gold" item needs "pred"`},
		{reward: 1},
		{code: CodeBadRequest, message: `item 7: field "pred" must be a string or a number, got an array`},
		{code: CodeBadRequest, message: "not a mix"},
		{code: CodeUnknownField, message: `item 9: unknown field "extra"`},
		{code: CodeBadRequest, message: "item 10 must be a JSON object, got a string"},
		{reward: 1, spec: "b"},
		{code: CodeBadRequest, message: "item 12: needs"},
	}
	if len(res) != len(wants) {
		t.Fatalf("%d results for %d items", len(res), len(wants))
	}
	for i, w := range wants {
		got := res[i]
		if w.code != "" {
			e, _ := got["error"].(map[string]any)
			if e == nil || e["code"] != w.code || !strings.Contains(e["message"].(string), w.message) {
				t.Errorf("item %d: got %v, want error %s containing %q", i, got, w.code, w.message)
			}
			if _, has := got["reward"]; has {
				t.Errorf("item %d: an error item has a reward: %v", i, got)
			}
			continue
		}
		if got["error"] != nil || got["reward"] != w.reward {
			t.Errorf("item %d: got %v, want reward %v", i, got, w.reward)
		}
		if s, _ := got["spec"].(string); s != w.spec {
			t.Errorf("item %d: spec %q, want %q", i, s, w.spec)
		}
		if w.spec != "" && got["hash"] == "" {
			t.Errorf("item %d: no spec hash", i)
		}
		for _, k := range []string{"format_ok", "extracted", "parsed", "gold", "reason"} {
			if _, ok := got[k]; !ok {
				t.Errorf("item %d: no %q field: %v", i, k, got)
			}
		}
	}
	if res[0]["id"] != "first" || res[3]["id"] != float64(7) || res[1]["id"] != nil {
		t.Errorf("ids not echoed: %v %v %v", res[0]["id"], res[3]["id"], res[1]["id"])
	}
	if r.body["graded"] != float64(6) || r.body["failed"] != float64(7) {
		t.Errorf("graded %v failed %v, want 6 and 7", r.body["graded"], r.body["failed"])
	}
	if res[3]["reason"] == "" {
		t.Errorf("a wrong answer has no reason: %v", res[3])
	}
}

func TestGradeLargeBatchKeepsOrder(t *testing.T) {
	ts := start(t, Config{})
	var items []string
	for i := range 500 {
		pred := i
		if i%3 == 0 {
			pred = i + 1
		}
		items = append(items, fmt.Sprintf(`{"gold":"%d","pred":"\\boxed{%d}","id":%d}`, i, pred, i))
	}
	r := post(t, ts.URL+"/v1/grade", `{"items":[`+strings.Join(items, ",")+`]}`)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	for i, res := range results(t, r) {
		want := 1.0
		if i%3 == 0 {
			want = 0
		}
		if res["id"] != float64(i) || res["reward"] != want {
			t.Fatalf("result %d = %v, want id %d reward %v", i, res, i, want)
		}
	}
}

func TestRequestErrors(t *testing.T) {
	dir := specDir(t, map[string]string{"a.poly": "sample a 1\n"})
	ts := start(t, Config{Specs: []string{dir}, MaxItems: 4, MaxBodyBytes: 4096})
	big := `{"items":[{"gold":"1","pred":"` + strings.Repeat("x", 5000) + `"}]}`
	five := `{"items":[` + strings.TrimSuffix(strings.Repeat(`{"gold":"1","pred":"1"},`, 5), ",") + `]}`
	cases := []struct {
		name, method, path, body string
		status                   int
		code, message            string
	}{
		{"malformed JSON", "POST", "/v1/grade", `{"items":[{"gold":"1",}]}`, 400, CodeBadJSON, "malformed JSON at line 1, column 23"},
		{"truncated JSON", "POST", "/v1/grade", `{"items":[`, 400, CodeBadJSON, "unexpected end of JSON input"},
		{"empty body", "POST", "/v1/grade", ``, 400, CodeBadRequest, "must be a JSON object, got nothing"},
		{"trailing data", "POST", "/v1/grade", `{"items":[{"gold":"1","pred":"1"}]} {}`, 400, CodeBadJSON, "malformed JSON"},
		{"body is an array", "POST", "/v1/grade", `[{"gold":"1","pred":"1"}]`, 400, CodeBadRequest, "must be a JSON object, got an array"},
		{"items missing", "POST", "/v1/grade", `{}`, 400, CodeBadRequest, `needs "items"`},
		{"items not an array", "POST", "/v1/grade", `{"items":{"gold":"1"}}`, 400, CodeBadRequest, `"items" must be an array, got an object`},
		{"unknown top-level field", "POST", "/v1/grade", `{"items":[],"itmes":[]}`, 400, CodeUnknownField, `unknown field "itmes"`},
		{"empty batch", "POST", "/v1/grade", `{"items":[]}`, 400, CodeEmptyBatch, "empty"},
		{"too many items", "POST", "/v1/grade", five, 413, CodeTooManyItems, "5 items is more than the limit of 4"},
		{"body too large", "POST", "/v1/grade", big, 413, CodeBodyTooLarge, "limit of 4096 bytes"},
		{"only an unknown spec", "POST", "/v1/grade", `{"items":[{"spec":"zzz","completion":"1"}]}`, 404, CodeUnknownSpec, `no item could be graded; the first error: item 0: no served spec has id "zzz"`},
		{"only bad items", "POST", "/v1/grade", `{"items":[{"gold":1},{"pred":2}]}`, 400, CodeBadRequest, "no item could be graded"},
		{"wrong method on grade", "GET", "/v1/grade", ``, 405, CodeMethodNotAllowed, "use POST"},
		{"wrong method on score", "PUT", "/v1/compute_score", `{}`, 405, CodeMethodNotAllowed, "use POST"},
		{"wrong method on healthz", "POST", "/healthz", `{}`, 405, CodeMethodNotAllowed, "use GET"},
		{"wrong method on specs", "DELETE", "/v1/specs", ``, 405, CodeMethodNotAllowed, "use GET"},
		{"unknown route", "GET", "/v2/grade", ``, 404, CodeNotFound, "no route /v2/grade"},
		{"score: malformed", "POST", "/v1/compute_score", `{"solution_str":`, 400, CodeBadJSON, "unexpected end of JSON input"},
		{"score: nothing", "POST", "/v1/compute_score", `{"data_source":"x"}`, 400, CodeBadRequest, `needs "solution_str"`},
		{"score: wrong type", "POST", "/v1/compute_score", `{"solution_str":3,"ground_truth":"3"}`, 400, CodeBadRequest, `field "solution_str" must be a string, got a number`},
		{"score: no spec, no truth", "POST", "/v1/compute_score", `{"solution_str":"3","data_source":"openai/gsm8k"}`, 400, CodeBadRequest, `no "ground_truth" to grade against`},
		{"score: unknown spec", "POST", "/v1/compute_score", `{"solution_str":"3","data_source":"poly/zzz","ground_truth":"3"}`, 404, CodeUnknownSpec, `no served spec has id "zzz"`},
		{"score: unknown spec_id", "POST", "/v1/compute_score", `{"solution_str":"3","extra_info":{"spec_id":"zzz"}}`, 404, CodeUnknownSpec, `"zzz"`},
		{"score: extra_info not an object", "POST", "/v1/compute_score", `{"solution_str":"3","ground_truth":"3","extra_info":[1]}`, 400, CodeBadRequest, `"extra_info" must be an object or null, got an array`},
		{"score: unknown field", "POST", "/v1/compute_score", `{"solution_str":"3","ground_truth":"3","reward":1}`, 400, CodeUnknownField, `unknown field "reward"`},
		{"score: single and batch", "POST", "/v1/compute_score", `{"solution_str":"3","solution_strs":["3"]}`, 400, CodeBadRequest, "cannot mix"},
		{"score: batch not a list", "POST", "/v1/compute_score", `{"solution_strs":"3"}`, 400, CodeBadRequest, `"solution_strs" must be an array, got a string`},
		{"score: batch length mismatch", "POST", "/v1/compute_score", `{"solution_strs":["1","2"],"ground_truths":["1"]}`, 400, CodeBadRequest, `"ground_truths" has 1 items but "solution_strs" has 2`},
		{"score: empty batch", "POST", "/v1/compute_score", `{"solution_strs":[]}`, 400, CodeEmptyBatch, "empty"},
		{"score: batch too big", "POST", "/v1/compute_score", `{"solution_strs":["1","1","1","1","1"],"ground_truths":["1","1","1","1","1"]}`, 413, CodeTooManyItems, "limit of 4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, c.method, ts.URL+c.path, c.body)
			if r.status != c.status || r.errCode() != c.code {
				t.Fatalf("got %d %q, want %d %q\n%s", r.status, r.errCode(), c.status, c.code, r.raw)
			}
			msg, _ := r.body["error"].(map[string]any)["message"].(string)
			if !strings.Contains(msg, c.message) {
				t.Errorf("message %q does not contain %q", msg, c.message)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if c.status == 405 && r.header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
	// The server is still fine after all that.
	r := post(t, ts.URL+"/v1/grade", `{"items":[{"spec":"a","completion":"\\boxed{1}"}]}`)
	if r.status != 200 || results(t, r)[0]["reward"] != 1.0 {
		t.Fatalf("after the bad requests: %d %s", r.status, r.raw)
	}
}

func TestPanicInGraderFailsOnlyItsItem(t *testing.T) {
	b := newBlocker()
	ts := start(t, Config{Grade: b.grade})
	r := post(t, ts.URL+"/v1/grade", `{"items":[{"gold":"panic","pred":"1"},{"gold":"1","pred":"1"}]}`)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.raw)
	}
	res := results(t, r)
	if e, _ := res[0]["error"].(map[string]any); e == nil || e["code"] != CodeInternal {
		t.Errorf("item 0: %v, want an internal error", res[0])
	}
	if res[1]["reward"] != 1.0 {
		t.Errorf("item 1: %v", res[1])
	}
	// A single-item request whose only item panics is a 500, and the
	// server lives on.
	r = post(t, ts.URL+"/v1/compute_score", `{"solution_str":"1","ground_truth":"panic"}`)
	if r.status != 500 || r.errCode() != CodeInternal {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
	if v := metricValue(t, ts.URL, `poly_serve_panics_total`); v != 2 {
		t.Errorf("poly_serve_panics_total = %v, want 2", v)
	}
}

func TestBudgetExhaustedIsGradedOnce(t *testing.T) {
	var calls atomic.Int64
	g := func(gold, pred string) grade.Result {
		calls.Add(1)
		if gold == "hostile" {
			return grade.Result{Reason: "could not parse the answer: answer nested too deeply", Budget: grade.BudgetDepth}
		}
		return toyGrade("1", pred)
	}
	ts := start(t, Config{Grade: g, Workers: 1})
	res := results(t, post(t, ts.URL+"/v1/grade", `{"items":[{"gold":"1","pred":"1"},{"gold":"hostile","pred":"1"}]}`))
	if res[0]["reward"] != 1.0 {
		t.Errorf("a plain check: %v", res[0])
	}
	if res[1]["reward"] != 0.0 || res[1]["budget"] != grade.BudgetDepth {
		t.Errorf("a hostile check: %v", res[1])
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d grader calls, want 2 (budgets are deterministic: no retry)", n)
	}
}

// TestOversizedBodyIsAnswered sends a body well over the limit the way
// urllib does (all of it, then read the answer): the client must get the
// 413, not a reset connection.
func TestOversizedBodyIsAnswered(t *testing.T) {
	ts := start(t, Config{MaxBodyBytes: 4 << 20})
	body := `{"items":[{"gold":"1","pred":"` + strings.Repeat("x", 12<<20) // more than loopback socket buffers hold + `"}]}`
	for _, chunked := range []bool{false, true} {
		c, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		req := "POST /v1/grade HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		if chunked {
			req += fmt.Sprintf("Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)
		} else {
			req += fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
		}
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatalf("chunked=%v: writing the body: %v", chunked, err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("chunked=%v: %v", chunked, err)
		}
		b, _ := io.ReadAll(resp.Body)
		c.Close()
		if resp.StatusCode != 413 || !strings.Contains(string(b), CodeBodyTooLarge) {
			t.Fatalf("chunked=%v: %d %s", chunked, resp.StatusCode, b)
		}
	}
}
