// Command serve is a bounded load test of `poly serve`: it starts the
// service in-process on a loopback port (real HTTP over TCP, keep-alive
// connections), then for each client count sends batches of /v1/grade
// items as fast as the clients can for a fixed duration or a fixed number
// of requests, whichever comes first. It prints checks/s and p50/p99
// request latency per client count, and, measured in the same run on the
// same items, the checks/s of the grader called in-process (one goroutine
// per core), in slices interleaved with each level's load so that both see
// the same machine. Two overheads are printed: of wall-clock checks/s, and
// of the service's CPU time per check (robust on a shared machine; the
// clients run in a child process so that their CPU is not counted). Every fourth answer is checked
// against the in-process grade (every answer in the final run, which mixes
// in malformed requests that must each get their 4xx): a wrong reward or a
// non-200 response counts as an error.
//
//	go run ./bench/serve [-clients 1,8,64] [-batch 64] [-duration 5s] [-max-requests 20000] [-specs specs]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/serve"
)

// item is one grading item with the reward the in-process grader gives.
type item struct {
	Gold       string `json:"gold,omitempty"`
	Pred       string `json:"pred,omitempty"`
	Spec       string `json:"spec,omitempty"`
	Completion string `json:"completion,omitempty"`
	want       float64
	check      func() grade.Result
}

// goldPairs are gold/pred pairs across the grader's answer kinds, each
// paired right and wrong.
var goldPairs = [][2]string{
	{`\frac{3}{4}`, `so the answer is \boxed{0.75}`},
	{`\frac{3}{4}`, `so the answer is \boxed{0.7}`},
	{`1.2 \times 10^{3}`, `\boxed{1200}`},
	{`1e-9`, `\boxed{2e-9}`},
	{`5 m`, `The length is \boxed{500 cm}.`},
	{`5 m`, `\boxed{5 s}`},
	{`50\%`, `\boxed{0.5}`},
	{`\{1, 2, 3\}`, `\boxed{\{3, 2, 1\}}`},
	{`(1, 2]`, `\boxed{(1, 2]}`},
	{`(1, 2)`, `\boxed{(2, 1)}`},
	{`x^2 + 2x + 1`, `\boxed{(x+1)^2}`},
	{`\sqrt{2}`, `\boxed{1.41421356237}`},
	{`C`, `After checking each option, the answer is (C).`},
	{`12`, `Let's think step by step. 3 boxes of 4 apples make 12 apples. Answer: 12`},
	{`42`, `I am not sure.`},
	{`-\frac{7}{18}`, `\boxed{-7/18}`},
}

// corpus builds the items: every gold pair, and for each sample and a few
// problems of each family under specsDir, its ground truth and a wrong
// answer.
func corpus(specsDir string) ([]item, []string, error) {
	var items []item
	for _, p := range goldPairs {
		g, pr := p[0], p[1]
		items = append(items, item{Gold: g, Pred: pr, check: func() grade.Result { return grade.CheckStrings(g, pr, grade.Options{}) }})
	}
	var files []string
	if specsDir != "" {
		err := filepath.WalkDir(specsDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, serve.SpecExt) {
				return err
			}
			spec, diags := compiler.CompileFile(p)
			if diags.HasErrors() {
				return nil // the service refuses it too; skip
			}
			files = append(files, p)
			samples := slices.Clone(spec.Samples)
			for _, f := range spec.Families {
				for _, i := range []int{0, f.Size() / 2, f.Size() - 1} {
					if s, err := f.Problem(i); err == nil {
						samples = append(samples, s)
					}
				}
			}
			for _, s := range samples {
				for _, c := range []string{`The final answer is \boxed{` + s.GroundTruthLaTeX + `}.`, `\boxed{0}`} {
					items = append(items, item{Spec: s.ID, Completion: c, check: func() grade.Result { return s.Grade(c) }})
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	for i := range items {
		items[i].want = items[i].check().Reward
	}
	return items, files, nil
}

// batches cuts the corpus, repeated, into n request bodies of size items
// each, with the expected rewards.
func batches(items []item, size, n int) ([][]byte, [][]float64) {
	bodies := make([][]byte, n)
	wants := make([][]float64, n)
	k := 0
	for b := range n {
		batch := make([]item, size)
		wants[b] = make([]float64, size)
		for j := range size {
			batch[j] = items[k%len(items)]
			wants[b][j] = batch[j].want
			k++
		}
		body, err := json.Marshal(map[string]any{"items": batch})
		if err != nil {
			panic(err)
		}
		bodies[b] = body
	}
	return bodies, wants
}

// inProcess measures the grader called directly: one goroutine per core,
// for duration or maxChecks checks.
func inProcess(items []item, duration time.Duration, maxChecks int64) (checks, seconds, cpu float64) {
	var done atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(duration)
	start := time.Now()
	cpu0 := cpuSeconds()
	for g := range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := g; ; k++ {
				if k%64 == 0 && time.Now().After(stop) {
					return
				}
				if done.Add(1) > maxChecks {
					return
				}
				items[k%len(items)].check()
			}
		}()
	}
	wg.Wait()
	return float64(min(done.Load(), maxChecks)), time.Since(start).Seconds(), cpuSeconds() - cpu0
}

// cpuSeconds is the CPU time (user and system) this process has used. On
// a shared machine checks per CPU second compare fairly where checks per
// wall second do not: the scheduler hands a process with more runnable
// threads (the service: clients, handlers, workers) a larger share of the
// cores than one with fewer (the in-process baseline).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// level is the outcome of one client count.
type level struct {
	Clients, Batch     int
	Requests, Checks   int64
	Errors, Rejected   int64
	Bad                int64   // malformed requests answered with the right 4xx
	CPU                float64 // CPU seconds of the service (and of the clients when they run in-process)
	CPUOverhead        float64 // CPU per check served / CPU per check in-process
	Seconds            float64
	ChecksPerSec       float64
	P50, P99, Max      time.Duration
	FirstError         string
	OverheadVsInternal float64
	Lat                []time.Duration
}

// rounds is how many slices each level and its baseline are cut into.
const rounds = 3

// merge sums the slices of one level.
func merge(parts []level) level {
	m := level{Clients: parts[0].Clients, Batch: parts[0].Batch}
	for _, p := range parts {
		m.Requests += p.Requests
		m.Checks += p.Checks
		m.Errors += p.Errors
		m.Rejected += p.Rejected
		m.Bad += p.Bad
		m.Seconds += p.Seconds
		m.CPU += p.CPU
		m.Lat = append(m.Lat, p.Lat...)
		if m.FirstError == "" {
			m.FirstError = p.FirstError
		}
	}
	m.ChecksPerSec = float64(m.Checks) / m.Seconds
	slices.Sort(m.Lat)
	m.P50, m.P99 = percentile(m.Lat, 0.50), percentile(m.Lat, 0.99)
	if len(m.Lat) > 0 {
		m.Max = m.Lat[len(m.Lat)-1]
	}
	return m
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// malformed are bad requests, each answered with a 4xx: with
// load's badEvery set, every badEvery-th request is one of them.
var malformed = []struct {
	method, body string
	status       int
}{
	{"POST", `{"items":[{"gold":"1",}]}`, 400},
	{"POST", `{"items":[]}`, 400},
	{"POST", `{"items":[{"spec":"no_such_spec","completion":"1"}]}`, 404},
	{"POST", `[{"gold":"1","pred":"1"}]`, 400},
	{"POST", `{"items":[{"gold":1,"pred":[1]}],"extra":1}`, 400},
	{"POST", `{"items":"` + strings.Repeat("\\u0000", 50) + `"}`, 400},
	{"POST", `{"items":[` + strings.Repeat(`{"gold":"1","pred":"1"},`, 1100) + `{"gold":"1","pred":"1"}]}`, 413},
	{"GET", ``, 405},
	{"POST", "\xff\xfe{", 400},
	{"POST", `{"items":[{"gold":"1","pred":"1"}`, 400},
}

// load runs clients concurrent clients until duration passes or
// maxRequests requests were sent. Every verifyEvery-th answer is decoded
// and each reward compared with the in-process one (the others are read
// and their status checked, which keeps the clients' JSON decoding, on the
// same cores, from dominating the measurement).
func load(url string, clients int, bodies [][]byte, wants [][]float64, duration time.Duration, maxRequests, badEvery, verifyEvery int64) level {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var sent, errs, rejected, checks, bad atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, clients)
	fail := func(msg string) {
		errs.Add(1)
		firstErr.CompareAndSwap(nil, msg)
	}
	stop := time.Now().Add(duration)
	start := time.Now()
	cpu0 := cpuSeconds()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				n := sent.Add(1)
				if n > maxRequests {
					return
				}
				if badEvery > 0 && n%badEvery == 0 {
					m := malformed[int(n/badEvery)%len(malformed)]
					req, _ := http.NewRequest(m.method, url+"/v1/grade", strings.NewReader(m.body))
					resp, err := client.Do(req)
					if err != nil {
						fail(err.Error())
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != m.status && resp.StatusCode != http.StatusServiceUnavailable {
						fail(fmt.Sprintf("bad request %q: HTTP %d, want %d", m.body[:min(len(m.body), 40)], resp.StatusCode, m.status))
					} else {
						bad.Add(1)
					}
					continue
				}
				i := int(n) % len(bodies)
				t0 := time.Now()
				resp, err := client.Post(url+"/v1/grade", "application/json", bytes.NewReader(bodies[i]))
				if err != nil {
					fail(err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[c] = append(lat[c], time.Since(t0))
				if resp.StatusCode == http.StatusServiceUnavailable {
					rejected.Add(1)
					continue
				}
				if err != nil || resp.StatusCode != http.StatusOK {
					fail(fmt.Sprintf("HTTP %d: %.200s", resp.StatusCode, body))
					continue
				}
				if n%verifyEvery != 0 {
					checks.Add(int64(len(wants[i])))
					continue
				}
				var out struct {
					Results []struct {
						Reward *float64 `json:"reward"`
						Reason string   `json:"reason"`
						Spec   string   `json:"spec"`
					} `json:"results"`
				}
				if err := json.Unmarshal(body, &out); err != nil || len(out.Results) != len(wants[i]) {
					fail(fmt.Sprintf("bad response: %v %.200s", err, body))
					continue
				}
				for j, r := range out.Results {
					if r.Reward == nil || *r.Reward != wants[i][j] {
						got := "none"
						if r.Reward != nil {
							got = strconv.FormatFloat(*r.Reward, 'g', -1, 64)
						}
						fail(fmt.Sprintf("request %d item %d (spec %q): reward %s, want %v (reason %q)", i, j, r.Spec, got, wants[i][j], r.Reason))
					}
				}
				checks.Add(int64(len(out.Results)))
			}
		}()
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	cpu := cpuSeconds() - cpu0
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	lv := level{
		Clients: clients, Batch: len(wants[0]), Requests: int64(len(all)), Checks: checks.Load(),
		Errors: errs.Load(), Rejected: rejected.Load(), Seconds: secs,
		ChecksPerSec: float64(checks.Load()) / secs, Lat: all, Bad: bad.Load(), CPU: cpu,
	}
	if e, ok := firstErr.Load().(string); ok {
		lv.FirstError = e
	}
	return lv
}

// clientJob is one load slice for a client process (see -client).
type clientJob struct {
	URL                                string
	Clients                            int
	Duration                           time.Duration
	MaxRequests, BadEvery, VerifyEvery int64
	Bodies                             []json.RawMessage
	Wants                              [][]float64
}

// runLoad runs one load slice. With cfg.subprocess the clients run in a
// child process (this program with -client), so that the CPU time measured
// here is the service's alone; else they run in this process.
func runLoad(cfg config, job clientJob) (level, error) {
	if !cfg.subprocess {
		bodies := make([][]byte, len(job.Bodies))
		for i, b := range job.Bodies {
			bodies[i] = b
		}
		return load(job.URL, job.Clients, bodies, job.Wants, job.Duration, job.MaxRequests, job.BadEvery, job.VerifyEvery), nil
	}
	f, err := os.CreateTemp("", "poly-bench-serve-*.json")
	if err != nil {
		return level{}, err
	}
	defer os.Remove(f.Name())
	if err := json.NewEncoder(f).Encode(job); err != nil {
		f.Close()
		return level{}, err
	}
	f.Close()
	cmd := exec.Command(os.Args[0], "-client", f.Name())
	cmd.Stderr = os.Stderr
	cpu0 := cpuSeconds()
	out, err := cmd.Output()
	cpu := cpuSeconds() - cpu0
	if err != nil {
		return level{}, fmt.Errorf("client process: %w", err)
	}
	var lv level
	if err := json.Unmarshal(out, &lv); err != nil {
		return level{}, fmt.Errorf("client process output: %w", err)
	}
	lv.CPU = cpu
	return lv, nil
}

// clientMain is the client process: it runs the job in the file at path
// and prints the level as JSON.
func clientMain(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var job clientJob
	if err := json.Unmarshal(data, &job); err != nil {
		return err
	}
	bodies := make([][]byte, len(job.Bodies))
	for i, b := range job.Bodies {
		bodies[i] = b
	}
	lv := load(job.URL, job.Clients, bodies, job.Wants, job.Duration, job.MaxRequests, job.BadEvery, job.VerifyEvery)
	return json.NewEncoder(os.Stdout).Encode(lv)
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad count %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// config is what one run measures.
type config struct {
	clients     []int
	batches     []int
	duration    time.Duration
	maxRequests int64
	specs       string
	maxInFlight int
	// mixedClients, when > 0, adds a run of valid and malformed batches
	// with that many clients.
	mixedClients int
	// subprocess runs the clients in a child process (the command does;
	// tests run them in-process).
	subprocess bool
}

// run performs the whole load test and prints the report to w. It returns
// an error when any level had an error (wrong reward, non-200 other than
// 503).
func run(w io.Writer, cfg config) error {
	items, files, err := corpus(cfg.specs)
	if err != nil {
		return err
	}
	srv, err := serve.New(serve.Config{
		Specs: files, Compile: serve.CompileSpec(grade.Options{}), Grade: serve.GradeStrings(grade.Options{}),
		MaxInFlight: cfg.maxInFlight, NoWatch: true,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String()

	host, _ := os.Hostname()
	fmt.Fprintf(w, "poly serve load test  %s  %s %s/%s  GOMAXPROCS=%d  host=%s\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), host)
	fmt.Fprintf(w, "corpus: %d items (%d gold/pred, %d spec items from %d spec files); per level: %v or %d requests, whichever first\n",
		len(items), len(goldPairs), len(items)-len(goldPairs), len(files), cfg.duration, cfg.maxRequests)

	// The machine is shared (other processes come and go), so the
	// in-process baseline is measured in slices interleaved with each
	// level's load, and each level's overhead is against its own slices.
	fmt.Fprintf(w, "in-process grader: %d goroutines on the same items, in %d slices interleaved with each level's load\n", runtime.GOMAXPROCS(0), rounds)
	where := "in this process (their CPU counts as the service's)"
	if cfg.subprocess {
		where = "in a child process (µs/check is the service's CPU alone)"
	}
	fmt.Fprintf(w, "clients: %s\n\n", where)
	fmt.Fprintf(w, "%7s %6s %9s %10s %9s %9s %9s %6s %5s %12s %8s %8s %8s %8s\n", "clients", "batch", "requests", "checks/s", "p50", "p99", "max",
		"errors", "503s", "in-process/s", "wall ×", "µs/check", "in-proc", "CPU ×")
	var failed []string
	for _, b := range cfg.batches {
		bodies, wants := batches(items, b, 64)
		raw := make([]json.RawMessage, len(bodies))
		for i, body := range bodies {
			raw[i] = body
		}
		for _, c := range cfg.clients {
			var parts []level
			var baseChecks, baseSecs, baseCPU float64
			for range rounds {
				n, secs, cpu := inProcess(items, cfg.duration/(2*rounds), cfg.maxRequests*int64(b)/rounds)
				baseChecks += n
				baseSecs += secs
				baseCPU += cpu
				lv, err := runLoad(cfg, clientJob{URL: url, Clients: c, Duration: cfg.duration / rounds,
					MaxRequests: max(cfg.maxRequests/rounds, 1), VerifyEvery: 4, Bodies: raw, Wants: wants})
				if err != nil {
					return err
				}
				parts = append(parts, lv)
			}
			lv := merge(parts)
			base := baseChecks / baseSecs
			lv.OverheadVsInternal = base / lv.ChecksPerSec
			cpuServed := lv.CPU / float64(max(lv.Checks, 1)) * 1e6
			cpuBase := baseCPU / max(baseChecks, 1) * 1e6
			lv.CPUOverhead = cpuServed / cpuBase
			fmt.Fprintf(w, "%7d %6d %9d %10.0f %9s %9s %9s %6d %5d %12.0f %7.2fx %8.1f %8.1f %7.2fx\n", lv.Clients, lv.Batch, lv.Requests, lv.ChecksPerSec,
				round(lv.P50), round(lv.P99), round(lv.Max), lv.Errors, lv.Rejected, base, lv.OverheadVsInternal, cpuServed, cpuBase, lv.CPUOverhead)
			if lv.Errors > 0 {
				failed = append(failed, fmt.Sprintf("%d clients, batch %d: %d errors, first: %s", c, b, lv.Errors, lv.FirstError))
			}
		}
	}
	if cfg.mixedClients > 0 {
		// Valid and malformed batches together: every valid item must be
		// graded right, every bad request answered with its 4xx, and the
		// heap must not grow from one half of the run to the other.
		bodies, wants := batches(items, cfg.batches[0], 64)
		raw := make([]json.RawMessage, len(bodies))
		for i, body := range bodies {
			raw[i] = body
		}
		job := clientJob{URL: url, Clients: cfg.mixedClients, Duration: cfg.duration, MaxRequests: cfg.maxRequests,
			BadEvery: 4, VerifyEvery: 1, Bodies: raw, Wants: wants}
		heap := func() float64 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return float64(ms.HeapAlloc) / (1 << 20)
		}
		h0 := heap()
		a, err := runLoad(cfg, job)
		if err != nil {
			return err
		}
		h1 := heap()
		b, err := runLoad(cfg, job)
		if err != nil {
			return err
		}
		h2 := heap()
		lv := merge([]level{a, b})
		fmt.Fprintf(w, "\nmixed: %d clients, 1 request in 4 malformed (%d kinds): %d valid requests (%d checks, %d errors, %d 503s), %d malformed answered with their 4xx; live heap %.1f -> %.1f -> %.1f MiB\n",
			cfg.mixedClients, len(malformed), lv.Requests, lv.Checks, lv.Errors, lv.Rejected, lv.Bad, h0, h1, h2)
		if lv.Errors > 0 {
			failed = append(failed, fmt.Sprintf("mixed: %d errors, first: %s", lv.Errors, lv.FirstError))
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "\n"))
	}
	return nil
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func main() {
	clients := flag.String("clients", "1,8,64", "concurrent clients, comma-separated")
	batch := flag.String("batch", "64", "items per request, comma-separated")
	duration := flag.Duration("duration", 5*time.Second, "time per level (and for the in-process baseline)")
	maxReq := flag.Int64("max-requests", 20000, "most requests per level")
	specs := flag.String("specs", "specs", "spec directory whose samples and family problems join the corpus (\"\": gold/pred items only)")
	inflight := flag.Int("max-in-flight", serve.DefaultMaxInFlight, "the service's concurrency limit")
	client := flag.String("client", "", "internal: run as the client process of a load slice described in FILE")
	mixed := flag.Int("mixed", 64, "clients of the final run mixing valid and malformed batches (0: skip it)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (client and service) to FILE")
	flag.Parse()
	if *client != "" {
		if err := clientMain(*client); err != nil {
			fmt.Fprintln(os.Stderr, "bench/serve client:", err)
			os.Exit(1)
		}
		return
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serve.GCPercent) // as poly serve does
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench/serve:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	cs, err := parseInts(*clients)
	if err == nil {
		var bs []int
		bs, err = parseInts(*batch)
		if err == nil {
			err = run(os.Stdout, config{clients: cs, batches: bs, duration: *duration, maxRequests: *maxReq, specs: *specs, maxInFlight: *inflight, mixedClients: *mixed, subprocess: true})
		}
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench/serve:", err)
		os.Exit(1)
	}
}
