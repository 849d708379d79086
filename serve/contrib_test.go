package serve

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/pyref"
)

// runShims runs testdata/shims_check.py in mode against url.
func runShims(t *testing.T, url, mode string) *exec.Cmd {
	t.Helper()
	py := pyref.Python(t)
	cmd := exec.Command(py, filepath.Join("testdata", "shims_check.py"), pyref.RepoRoot(), mode)
	cmd.Env = append(os.Environ(), "POLY_SERVE_URL="+url, "POLY_SERVE_MAX_WAIT=30")
	return cmd
}

func checkShims(t *testing.T, cmd *exec.Cmd, mode string) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok "+mode) {
		t.Fatalf("shims (%s): %v\n%s", mode, err, out)
	}
	t.Logf("%s", bytes.TrimSpace(out))
}

// TestShims drives contrib/verl and contrib/trl against a running service
// with real specs and the real grader.
func TestShims(t *testing.T) {
	ts, _ := startReal(t, map[string]string{"cap.poly": capSpec}, grade.Options{})
	checkShims(t, runShims(t, ts.URL, "main"), "main")
	// The shim split its batches within the service's limits.
	if v, _ := metricLookup(t, ts.URL, `poly_serve_errors_total{code="too_many_items"}`); v != 0 {
		t.Errorf("the shim sent a batch over the limit (%v times)", v)
	}
}

func TestShimsRetryWhenBusy(t *testing.T) {
	b := newBlocker()
	defer b.Release()
	ts := start(t, Config{Workers: 4, Grade: b.grade, MaxInFlight: 1, RetryAfter: time.Second})
	go func() {
		resp, err := http.Post(ts.URL+"/v1/grade", "application/json", strings.NewReader(`{"items":[{"gold":"block","pred":"x"}]}`))
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	<-b.started
	cmd := runShims(t, ts.URL, "busy")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the shim to be turned away", func() bool {
		return metricValue(t, ts.URL, "poly_serve_rejected_total") >= 1
	})
	b.Release()
	if err := cmd.Wait(); err != nil || !strings.Contains(out.String(), "ok busy") {
		t.Fatalf("shim: %v\n%s", err, out.String())
	}
}

func TestShimsServiceDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	checkShims(t, runShims(t, url, "down"), "down")
}
