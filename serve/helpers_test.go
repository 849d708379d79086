package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/testutil"
	"github.com/polylearn/poly/lang"
)

// toyCompile compiles the toy spec format the store tests use, one
// directive a line: "sample <id> <answer>" adds a sample whose checker
// wants <answer> in the last \boxed{}; "error <msg>" is a compile error
// at that line; "family <id> <n>" adds a family of n problems whose
// problem i wants i; "panic" makes the compiler panic. It lets these tests
// exercise loading, reloading and failures independently of the .poly
// compiler (tested with real specs in wire_test.go).
func toyCompile(path string) (*Unit, lang.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, lang.Diagnostics{lang.Errorf(lang.Range{Start: lang.Pos{File: path}}, "%v", err)}
	}
	sum := sha256.Sum256(src)
	u := &Unit{Hash: hex.EncodeToString(sum[:8]), Files: lang.NewFileSet()}
	u.Files.Add(lang.NewFile(path, src))
	var diags lang.Diagnostics
	for i, line := range strings.Split(string(src), "\n") {
		f := strings.Fields(line)
		pos := lang.Range{Start: lang.Pos{File: path, Line: i + 1, Col: 1}, End: lang.Pos{File: path, Line: i + 1, Col: len(line) + 1}}
		switch {
		case len(f) == 0:
		case f[0] == "sample" && len(f) == 3:
			answer := f[2]
			u.Samples = append(u.Samples, Sample{ID: f[1], Grade: func(c string) grade.Result { return toyGrade(answer, c) }})
		case f[0] == "family" && len(f) == 3:
			id := f[1]
			size, _ := strconv.Atoi(f[2])
			u.Families = append(u.Families, Family{ID: id, Size: size, Problem: func(i int) (Sample, error) {
				answer := strconv.Itoa(i)
				return Sample{ID: id + "#" + answer, Grade: func(c string) grade.Result { return toyGrade(answer, c) }}, nil
			}})
		case f[0] == "error":
			diags.Errorf(pos, "%s", strings.Join(f[1:], " "))
		case f[0] == "panic":
			panic("toy compiler panic")
		default:
			diags.Errorf(pos, "unknown directive %q", f[0])
		}
	}
	return u, diags
}

// toyGrade takes the last \boxed{} (or the whole trimmed text) and compares
// it with gold as a string.
func toyGrade(gold, pred string) grade.Result {
	ext := strings.TrimSpace(pred)
	method := "whole"
	if i := strings.LastIndex(pred, `\boxed{`); i >= 0 {
		rest := pred[i+len(`\boxed{`):]
		if j := strings.IndexByte(rest, '}'); j >= 0 {
			ext, method = rest[:j], "boxed"
		}
	}
	r := grade.Result{Extracted: ext, Method: method, Parsed: ext, Gold: gold, FormatOK: method == "boxed"}
	if ext == gold {
		r.Reward = 1
	} else {
		r.Reason = fmt.Sprintf("%s is not %s", ext, gold)
	}
	return r
}

// blocker makes a gold grader wait: an item whose gold is "block" waits
// until release is closed, after signalling started; gold "panic" panics.
type blocker struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func newBlocker() *blocker {
	return &blocker{started: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blocker) Release() { b.once.Do(func() { close(b.release) }) }

func (b *blocker) grade(gold, pred string) grade.Result {
	switch gold {
	case "block":
		b.started <- struct{}{}
		<-b.release
		return toyGrade(gold, pred)
	case "panic":
		panic("grader panic")
	}
	return toyGrade(gold, pred)
}

// testServer is a Server serving on a real loopback listener.
type testServer struct {
	*Server
	URL    string
	cancel context.CancelFunc
	done   chan error
	log    *testutil.SyncBuffer
}

// start serves cfg on 127.0.0.1:0 until the test ends. Zero Compile and
// Grade fields get the toy ones.
func start(t testing.TB, cfg Config) *testServer {
	t.Helper()
	if cfg.Compile == nil {
		cfg.Compile = toyCompile
	}
	if cfg.Grade == nil {
		cfg.Grade = toyGrade
	}
	logs := &testutil.SyncBuffer{}
	cfg.Log = slog.New(slog.NewTextHandler(logs, nil))
	cfg.DiagOut = logs
	if cfg.Debounce == 0 {
		cfg.Debounce = 20 * time.Millisecond
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, URL: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1), log: logs}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	// Serve installs the spec watch before it accepts connections, so
	// once /healthz answers, saves are seen.
	if r := do(t, "GET", ts.URL+"/healthz", ""); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ts.done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return within 10s of cancel")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return ts
}

// reply is a decoded response.
type reply struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// errCode returns body.error.code ("" when absent).
func (r reply) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func do(t testing.TB, method, url, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, raw: raw}
	if method != http.MethodHead && len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			t.Fatalf("%s %s: response is not a JSON object: %v\n%s", method, url, err, raw)
		}
	}
	return r
}

func post(t *testing.T, url, body string) reply { t.Helper(); return do(t, http.MethodPost, url, body) }

// writeFile writes path atomically (temp file + rename), as editors do.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond every few milliseconds until it holds or 15s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
