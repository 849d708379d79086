package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// metricValue reads one series from GET /metrics ("name" or
// `name{label="v",...}` exactly as exposed).
func metricValue(t *testing.T, base, series string) float64 {
	t.Helper()
	v, ok := metricLookup(t, base, series)
	if !ok {
		t.Fatalf("no series %s in /metrics", series)
	}
	return v
}

// metricLookup is metricValue that reports whether the series exists.
func metricLookup(t *testing.T, base, series string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, val, ok := strings.Cut(line, " "); ok && name == series {
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				t.Fatalf("metric line %q: %v", line, err)
			}
			return v, true
		}
	}
	return 0, false
}

func TestComputeScore(t *testing.T) {
	dir := specDir(t, map[string]string{"colony.poly": "sample colony_capacitor 192000\n"})
	ts := start(t, Config{Specs: []string{dir}})
	cases := []struct {
		name, body string
		score      float64
		spec       string
	}{
		{"ground truth", `{"data_source":"openai/gsm8k","solution_str":"\\boxed{42}","ground_truth":"42","extra_info":{"index":3,"split":"train"}}`, 1, ""},
		{"ground truth wrong", `{"data_source":"openai/gsm8k","solution_str":"\\boxed{41}","ground_truth":"42"}`, 0, ""},
		{"numeric ground truth", `{"solution_str":"\\boxed{42}","ground_truth":42}`, 1, ""},
		{"data_source names the spec", `{"data_source":"poly/colony_capacitor","solution_str":"\\boxed{192000}","ground_truth":"1.92 \\times 10^{5}"}`, 1, "colony_capacitor"},
		{"file-name alias", `{"data_source":"poly/colony","solution_str":"\\boxed{192000}"}`, 1, "colony"},
		{"extra_info.spec_id wins", `{"data_source":"poly/other","solution_str":"\\boxed{192000}","extra_info":{"spec_id":"colony_capacitor","index":0}}`, 1, "colony_capacitor"},
		{"spec grades, not ground truth", `{"data_source":"poly/colony_capacitor","solution_str":"\\boxed{5}","ground_truth":"5"}`, 0, "colony_capacitor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := post(t, ts.URL+"/v1/compute_score", c.body)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.raw)
			}
			if r.body["score"] != c.score || r.body["reward"] != c.score {
				t.Errorf("score %v reward %v, want %v", r.body["score"], r.body["reward"], c.score)
			}
			if s, _ := r.body["spec"].(string); s != c.spec {
				t.Errorf("spec %q, want %q", s, c.spec)
			}
		})
	}

	t.Run("batch", func(t *testing.T) {
		body := mustJSON(map[string]any{
			"data_sources":  []any{"gsm8k", "poly/colony_capacitor", "poly/nope", "gsm8k"},
			"solution_strs": []any{`\boxed{1}`, `\boxed{192000}`, `\boxed{1}`, `\boxed{2}`},
			"ground_truths": []any{"1", nil, "1", 3},
			"extra_infos":   []any{map[string]any{"index": 0}, nil, nil, map[string]any{"index": 3}},
		})
		r := post(t, ts.URL+"/v1/compute_score", body)
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
		scores := r.body["scores"].([]any)
		want := []any{1.0, 1.0, nil, 0.0}
		for i := range want {
			if scores[i] != want[i] {
				t.Errorf("scores = %v, want %v", scores, want)
				break
			}
		}
		res := results(t, r)
		if e, _ := res[2]["error"].(map[string]any); e == nil || e["code"] != CodeUnknownSpec {
			t.Errorf("item 2: %v", res[2])
		}
		if r.body["graded"] != 3.0 || r.body["failed"] != 1.0 {
			t.Errorf("graded %v failed %v", r.body["graded"], r.body["failed"])
		}
	})
	t.Run("batch without optional lists", func(t *testing.T) {
		r := post(t, ts.URL+"/v1/compute_score", `{"solution_strs":["\\boxed{192000}"],"extra_infos":[{"spec_id":"colony_capacitor"}]}`)
		if r.status != 200 || r.body["scores"].([]any)[0] != 1.0 {
			t.Fatalf("status %d: %s", r.status, r.raw)
		}
	})
}

func TestBackPressure(t *testing.T) {
	b := newBlocker()
	ts := start(t, Config{Workers: 4, Grade: b.grade, MaxInFlight: 2, RetryAfter: 3 * time.Second})
	defer b.Release()
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(ts.URL+"/v1/grade", "application/json", strings.NewReader(`{"items":[{"gold":"block","pred":"\\boxed{block}"}]}`))
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	for range 2 {
		select {
		case <-b.started:
		case <-time.After(5 * time.Second):
			t.Fatal("the blocking requests did not start")
		}
	}
	// Both slots are taken: grading routes answer 503 at once, the others
	// still work.
	began := time.Now()
	r := post(t, ts.URL+"/v1/grade", `{"items":[{"gold":"1","pred":"1"}]}`)
	if r.status != 503 || r.errCode() != CodeOverloaded || r.header.Get("Retry-After") != "3" {
		t.Fatalf("got %d Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("the 503 took %v; it should not queue", d)
	}
	r = post(t, ts.URL+"/v1/compute_score", `{"solution_str":"1","ground_truth":"1"}`)
	if r.status != 503 {
		t.Fatalf("compute_score: got %d", r.status)
	}
	if h := do(t, "GET", ts.URL+"/healthz", ""); h.status != 200 {
		t.Fatalf("healthz under load: %d", h.status)
	}
	if v := metricValue(t, ts.URL, "poly_serve_in_flight_requests"); v != 2 {
		t.Errorf("in-flight gauge %v, want 2", v)
	}
	b.Release()
	wg.Wait()
	if statuses[0] != 200 || statuses[1] != 200 {
		t.Fatalf("blocked requests finished with %v", statuses)
	}
	if r := post(t, ts.URL+"/v1/grade", `{"items":[{"gold":"1","pred":"1"}]}`); r.status != 200 {
		t.Fatalf("after release: %d", r.status)
	}
	if v := metricValue(t, ts.URL, "poly_serve_rejected_total"); v != 2 {
		t.Errorf("rejected_total %v, want 2", v)
	}
	if v := metricValue(t, ts.URL, `poly_serve_requests_total{code="503",route="/v1/grade"}`); v != 1 {
		t.Errorf("requests_total 503 %v, want 1", v)
	}
}

func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	b := newBlocker()
	defer b.Release()
	s, err := New(Config{Workers: 4, Grade: b.grade, Compile: toyCompile})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Post(url+"/v1/grade", "application/json", strings.NewReader(`{"items":[{"gold":"block","pred":"\\boxed{block}"}]}`))
		if err != nil {
			got <- result{err: err}
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{resp.StatusCode, string(body), err}
	}()
	select {
	case <-b.started:
	case <-time.After(5 * time.Second):
		t.Fatal("the request did not start")
	}
	cancel() // SIGINT/SIGTERM do this in poly serve
	// Serve must wait for the request in flight and refuse new connections.
	select {
	case err := <-done:
		t.Fatalf("Serve returned %v with a request in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	eventually(t, "new connections refused", func() bool {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	b.Release()
	r := <-got
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, `"reward":1`) {
		t.Fatalf("in-flight request: %d %v %s", r.status, r.err, r.body)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the in-flight request finished")
	}
}

func TestReloadUnderTraffic(t *testing.T) {
	dir := specDir(t, map[string]string{"s.poly": "sample s 1\n", "other.poly": "sample o 9\n"})
	spec := filepath.Join(dir, "s.poly")
	ts := start(t, Config{Specs: []string{spec, filepath.Join(dir, "other.poly")}})
	hashOf := func() string {
		e, ok := ts.Store().Lookup("s")
		if !ok {
			t.Fatal("spec s vanished")
		}
		return e.Hash
	}
	h1 := hashOf()

	// Traffic: clients grade against s the whole time. Every response
	// must be a 200 with a grade from one version or the other.
	var stop atomic.Bool
	var bad atomic.Value
	var n atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				resp, err := http.Post(ts.URL+"/v1/grade", "application/json", strings.NewReader(`{"items":[{"spec":"s","completion":"\\boxed{2}"},{"spec":"o","completion":"\\boxed{9}"}]}`))
				if err != nil {
					bad.Store(err.Error())
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(string(body), `"spec":"o"`) {
					bad.Store(resp.Status + " " + string(body))
					return
				}
				n.Add(1)
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()
	reward := func() float64 {
		return results(t, post(t, ts.URL+"/v1/grade", `{"items":[{"spec":"s","completion":"\\boxed{2}"}]}`))[0]["reward"].(float64)
	}
	if reward() != 0 {
		t.Fatal("version 1 should reject 2")
	}

	// A good save: the new answer is served, with a new hash.
	writeFile(t, spec, "sample s 2\n")
	eventually(t, "the new version", func() bool { return hashOf() != h1 })
	if reward() != 1 {
		t.Fatal("version 2 should accept 2")
	}
	h2 := hashOf()

	// A broken save: the last good version keeps serving, and the error
	// shows in /v1/specs, /healthz, the log and the metrics.
	writeFile(t, spec, "sample s 3\nerror this line is wrong\n")
	eventually(t, "the failed reload to be reported", func() bool {
		return do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] == 1.0
	})
	if hashOf() != h2 || reward() != 1 {
		t.Fatal("a broken save replaced the served version")
	}
	specs := do(t, "GET", ts.URL+"/v1/specs", "")
	var fileErr map[string]any
	for _, f := range specs.body["files"].([]any) {
		if f := f.(map[string]any); strings.HasSuffix(f["file"].(string), "s.poly") {
			fileErr = f
		}
	}
	if fileErr == nil || !strings.Contains(fileErr["error"].(string), "serving the last good version") || fileErr["hash"] != h2 {
		t.Fatalf("/v1/specs file state: %v", fileErr)
	}
	if !strings.Contains(mustJSON(fileErr["diagnostics"]), "this line is wrong") {
		t.Errorf("diagnostics not listed: %v", fileErr["diagnostics"])
	}
	eventually(t, "the diagnostics in the log", func() bool {
		return strings.Contains(ts.log.String(), "s.poly:2:1: error: this line is wrong")
	})
	if v := metricValue(t, ts.URL, `poly_serve_reloads_total{result="failed"}`); v < 1 {
		t.Errorf("reloads failed = %v", v)
	}

	// Fixing it serves the fix and clears the error.
	writeFile(t, spec, "sample s 4\n")
	eventually(t, "the fixed version", func() bool { h := hashOf(); return h != h2 })
	if do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] != 0.0 {
		t.Error("the reload error was not cleared")
	}
	// A file named on the command line that vanishes keeps serving.
	if err := os.Remove(spec); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the missing file to be reported", func() bool {
		return do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] == 1.0
	})
	if _, ok := ts.Store().Lookup("s"); !ok {
		t.Fatal("a vanished explicit file stopped serving")
	}
	stop.Store(true)
	wg.Wait()
	if b := bad.Load(); b != nil {
		t.Fatalf("a request failed during reloads: %v", b)
	}
	if n.Load() == 0 {
		t.Fatal("no traffic ran")
	}
}

func TestDirectoryPicksUpNewFilesAndDropsRemovedOnes(t *testing.T) {
	dir := specDir(t, map[string]string{"a.poly": "sample a 1\n"})
	ts := start(t, Config{Specs: []string{dir}})
	writeFile(t, filepath.Join(dir, "b.poly"), "sample b 2\n")
	eventually(t, "b to be served", func() bool { _, ok := ts.Store().Lookup("b"); return ok })
	// A new broken file is listed with its error and not served.
	writeFile(t, filepath.Join(dir, "c.poly"), "sample c 3\nerror nope\n")
	eventually(t, "c to be reported", func() bool {
		return do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] == 1.0
	})
	if _, ok := ts.Store().Lookup("c"); ok {
		t.Fatal("a broken new file is served")
	}
	// A sample id already served by another file is refused.
	writeFile(t, filepath.Join(dir, "d.poly"), "sample a 5\n")
	eventually(t, "d to be refused", func() bool {
		return do(t, "GET", ts.URL+"/healthz", "").body["reload_errors"] == 2.0
	})
	if e, _ := ts.Store().Lookup("a"); !strings.HasSuffix(e.File, "a.poly") {
		t.Fatalf("id a now comes from %s", e.File)
	}
	if err := os.Remove(filepath.Join(dir, "b.poly")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b to be dropped", func() bool { _, ok := ts.Store().Lookup("b"); return !ok })
}

func TestSpecsHealthAndMetrics(t *testing.T) {
	dir := specDir(t, map[string]string{"colony.poly": "sample colony_capacitor 1\n", "pair.poly": "sample p1 1\nsample p2 2\n"})
	ts := start(t, Config{Specs: []string{dir}})
	r := do(t, "GET", ts.URL+"/v1/specs", "")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	var ids []string
	for _, s := range r.body["specs"].([]any) {
		s := s.(map[string]any)
		ids = append(ids, s["id"].(string))
		if s["hash"] == "" || !strings.HasSuffix(s["file"].(string), ".poly") {
			t.Errorf("spec entry %v", s)
		}
	}
	// A one-sample file is also served under its file name; a file with
	// two samples is not.
	if got := strings.Join(ids, ","); got != "colony,colony_capacitor,p1,p2" {
		t.Errorf("ids %s", got)
	}
	h := do(t, "GET", ts.URL+"/healthz", "")
	if h.status != 200 || h.body["status"] != "ok" || h.body["samples"] != 3.0 || h.body["files"] != 2.0 {
		t.Errorf("healthz %s", h.raw)
	}
	if r := do(t, "HEAD", ts.URL+"/healthz", ""); r.status != 200 {
		t.Errorf("HEAD /healthz: %d", r.status)
	}
	post(t, ts.URL+"/v1/grade", `{"items":[{"gold":"1","pred":"1"},{"gold":"1","pred":"2"},{"spec":"p1","completion":"1"},{"spec":"x","completion":"1"}]}`)
	post(t, ts.URL+"/v1/grade", `{`)
	for series, want := range map[string]float64{
		`poly_serve_requests_total{code="200",route="/v1/grade"}`:      1,
		`poly_serve_requests_total{code="400",route="/v1/grade"}`:      1,
		`poly_serve_checks_total{outcome="correct",source="gold"}`:     1,
		`poly_serve_checks_total{outcome="wrong",source="gold"}`:       1,
		`poly_serve_checks_total{outcome="correct",source="spec"}`:     1,
		`poly_serve_errors_total{code="unknown_spec"}`:                 1,
		`poly_serve_errors_total{code="bad_json"}`:                     1,
		`poly_serve_request_duration_seconds_count{route="/v1/grade"}`: 2,
		`poly_serve_specs_served`:                                      3,
		`poly_serve_in_flight_requests`:                                0,
	} {
		if got := metricValue(t, ts.URL, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

func TestStartupRefusesBrokenSpecs(t *testing.T) {
	dir := specDir(t, map[string]string{"ok.poly": "sample a 1\n", "bad.poly": "sample b 1\nerror broken here\n", "dup.poly": "sample a 2\n", "boom.poly": "panic\n"})
	_, err := New(Config{Specs: []string{dir, filepath.Join(dir, "missing.poly")}, Compile: toyCompile, Grade: toyGrade})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("got %v, want a *LoadError", err)
	}
	msg := le.Error()
	for _, want := range []string{
		"missing.poly: no such file or directory",
		"bad.poly:2:1: error: broken here",
		"2 | error broken here",                            // the caret view
		`ok.poly: error: sample id "a" is also defined in`, // files load in name order
		"boom.poly: error: internal error: the compiler panicked",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if _, err := New(Config{Specs: []string{t.TempDir()}, Compile: toyCompile, Grade: toyGrade}); err == nil || !strings.Contains(err.Error(), "no .poly files") {
		t.Errorf("an empty directory: %v", err)
	}
}

func TestFamilyProblems(t *testing.T) {
	dir := specDir(t, map[string]string{"fam.poly": "family proj 10\n"})
	ts := start(t, Config{Specs: []string{dir}})
	r := post(t, ts.URL+"/v1/grade", `{"items":[
		{"spec":"proj#3","completion":"\\boxed{3}"},
		{"spec":"proj#3","completion":"\\boxed{4}"},
		{"spec":"proj#9","completion":"\\boxed{9}"},
		{"spec":"proj#10","completion":"1"},
		{"spec":"proj#03","completion":"3"},
		{"spec":"proj","completion":"3"}]}`)
	res := results(t, r)
	for i, want := range []any{1.0, 0.0, 1.0, nil, nil, nil} {
		if want == nil {
			if e, _ := res[i]["error"].(map[string]any); e == nil || e["code"] != CodeUnknownSpec {
				t.Errorf("item %d: %v, want unknown_spec", i, res[i])
			}
			continue
		}
		if res[i]["reward"] != want || res[i]["spec"] != "proj#"+strconv.Itoa([]int{3, 3, 9}[i]) {
			t.Errorf("item %d: %v, want reward %v", i, res[i], want)
		}
	}
	// verl rows of a family problem, as poly export writes them.
	r = post(t, ts.URL+"/v1/compute_score", `{"data_source":"poly/proj","solution_str":"\\boxed{4}","ground_truth":"4","extra_info":{"index":0,"sample_id":"proj#4","spec_hash":"x"}}`)
	if r.status != 200 || r.body["score"] != 1.0 || r.body["spec"] != "proj#4" {
		t.Fatalf("compute_score: %d %s", r.status, r.raw)
	}
	specs := do(t, "GET", ts.URL+"/v1/specs", "")
	fams := specs.body["families"].([]any)
	if len(fams) != 1 || fams[0].(map[string]any)["id"] != "proj" || fams[0].(map[string]any)["size"] != 10.0 {
		t.Fatalf("families: %v", fams)
	}
}
