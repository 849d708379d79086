package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/serve"
)

// ServeCmd is `poly serve`: the compiled checkers and the grader as an
// HTTP reward service for verl and TRL.
type ServeCmd struct {
	Specs []string `arg:"" optional:"" name:"specs" help:"Spec files or directories to serve (a directory serves every .poly file under it). None: only gold/pred grading."`

	Addr            string        `default:"127.0.0.1:8377" help:"Address to listen on. Loopback by default; any other address is reachable from the network and prints a warning (there is no authentication)."`
	MaxBodyMiB      int           `name:"max-body-mib" default:"8" help:"Largest request body in MiB; bigger requests get 413."`
	MaxItems        int           `name:"max-items" default:"1024" help:"Most items in one batch; more get 413."`
	MaxInFlight     int           `name:"max-in-flight" default:"128" help:"Grading requests served at once; more get 503 with Retry-After at once (no queue). Memory is bounded by this times --max-body-mib."`
	Workers         int           `help:"Checks run at once over all requests (default: the number of CPUs). Checks are CPU-bound; more workers only stretch each check's wall time."`
	RetryAfter      time.Duration `name:"retry-after" default:"1s" help:"The wait a 503 asks for (Retry-After, whole seconds)."`
	ReadTimeout     time.Duration `name:"read-timeout" default:"60s" help:"Time to read a whole request, body included."`
	WriteTimeout    time.Duration `name:"write-timeout" default:"120s" help:"Time from the end of the request headers to the end of the response."`
	IdleTimeout     time.Duration `name:"idle-timeout" default:"120s" help:"How long an idle keep-alive connection is kept."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" default:"30s" help:"On SIGINT/SIGTERM, how long in-flight requests may take to finish."`
	NoWatch         bool          `name:"no-watch" help:"Do not reload spec files when they are saved."`
	Debounce        time.Duration `default:"100ms" help:"Quiet period after a save before the spec is recompiled."`
	LogFormat       string        `name:"log-format" enum:"text,json" default:"text" help:"Log line format on stderr: text or json."`

	Abs          float64       `help:"Absolute tolerance for gold/pred numbers whose gold answer sets none." placeholder:"X"`
	Rel          float64       `help:"Relative tolerance for gold/pred numbers whose gold answer sets none (default: exact rationals exactly, else 1e-8)." placeholder:"X"`
	Sig          int           `help:"Significant figures that must agree, for gold/pred numbers whose gold answer sets none." placeholder:"N"`
	FormatReward float64       `name:"format-reward" help:"Reward of a wrong answer given in the expected format (\\boxed{} or an Answer: line); 0 keeps rewards binary. Applies to every item." placeholder:"R"`
	Partial      bool          `help:"Partial credit for sets, tuples and matrices: the fraction of elements that match."`
	Strict       bool          `help:"Only accept answers in \\boxed{} or on an Answer:/final answer line (no last-number fallback)."`
	MaxInput     int           `name:"max-input" default:"65536" help:"Bytes of a completion looked at (its tail is kept): part of the per-check budget."`
	Timeout      time.Duration `default:"2s" help:"Wall-clock backstop of one check; the deterministic budgets (input, depth, nodes, steps) bound hostile input first, so a well-formed answer never reaches it."`
}

// Help is the long help of `poly serve --help`.
func (c *ServeCmd) Help() string {
	return `Routes (all JSON; errors are {"error":{"code":..,"message":..}}):
  POST /v1/grade          {"items":[{"gold":..,"pred":..} | {"spec":"<id>","completion":..}]}
                          -> {"results":[{reward, format_ok, extracted, parsed, gold, reason,
                              spec, hash} | {error}], "graded":n, "failed":m}
  POST /v1/compute_score  verl's arguments: data_source, solution_str, ground_truth, extra_info
                          (or data_sources, solution_strs, ... as lists) -> {"score":..} / {"scores":[..]}
  GET  /v1/specs          served ids, spec hashes, files, reload diagnostics
  GET  /healthz           liveness
  GET  /metrics           Prometheus metrics

A spec id is a sample's id, the file name of a one-sample spec, or
"<family>#<index>" for a family problem. verl rows pick the spec by
extra_info.sample_id (what poly export writes), extra_info.spec_id or a
data_source "poly/<id>"; otherwise solution_str is graded against ground_truth.

Saved spec files are recompiled; a save that does not compile keeps the last
good version serving and logs the diagnostics. SIGINT/SIGTERM stop accepting
connections and finish the requests in flight (a second signal exits at once). See docs/serve.md, and
contrib/verl and contrib/trl for the reward-function shims.`
}

// Run runs the command.
func (c *ServeCmd) Run() error {
	if os.Getenv("GOGC") == "" {
		// Requests allocate and free much short-lived memory; GC less
		// often (memory stays bounded by --max-in-flight x --max-body-mib).
		debug.SetGCPercent(serve.GCPercent)
	}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, nil)
	}
	log := slog.New(h)
	opts := grade.Options{
		Tolerance:    grade.Tolerance{Abs: c.Abs, Rel: c.Rel, Sig: c.Sig},
		FormatReward: c.FormatReward,
		Partial:      c.Partial,
		Strict:       c.Strict,
		Budget:       grade.Budget{MaxInput: c.MaxInput, Timeout: c.Timeout},
	}
	if c.MaxBodyMiB <= 0 || c.MaxItems <= 0 || c.MaxInFlight <= 0 {
		return exitCode(2, errors.New("--max-body-mib, --max-items and --max-in-flight must be positive"))
	}
	srv, err := serve.New(serve.Config{
		Specs:           c.Specs,
		Compile:         serve.CompileSpec(opts),
		Grade:           serve.GradeStrings(opts),
		MaxBodyBytes:    int64(c.MaxBodyMiB) << 20,
		MaxItems:        c.MaxItems,
		MaxInFlight:     c.MaxInFlight,
		Workers:         c.Workers,
		RetryAfter:      c.RetryAfter,
		ReadTimeout:     c.ReadTimeout,
		WriteTimeout:    c.WriteTimeout,
		IdleTimeout:     c.IdleTimeout,
		ShutdownTimeout: c.ShutdownTimeout,
		NoWatch:         c.NoWatch,
		Debounce:        c.Debounce,
		Log:             log,
		DiagOut:         os.Stderr,
	})
	var le *serve.LoadError
	if errors.As(err, &le) {
		fmt.Fprintln(os.Stderr, le.Error())
		return exitCode(1, errors.New("serve: the specs have errors; nothing is served"))
	}
	if err != nil {
		return exitCode(2, err)
	}
	if warn := exposureWarning(c.Addr); warn != "" {
		fmt.Fprintln(os.Stderr, "poly serve: warning:", warn)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return exitCode(2, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second SIGINT/SIGTERM ends the process at once
	}()
	st := srv.Store()
	log.Info("poly serve listening", "url", "http://"+ln.Addr().String(), "samples", st.Len(),
		"families", len(st.Families()), "files", len(st.Files()), "max_in_flight", c.MaxInFlight)
	if err := srv.Serve(ctx, ln); err != nil {
		return exitCode(1, err)
	}
	return nil
}

// exposureWarning says why addr is reachable from other machines, or ""
// for a loopback address.
func exposureWarning(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "" // net.Listen reports the bad address
	}
	if host == "localhost" {
		return ""
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return ""
	}
	what := host
	if host == "" || host == "0.0.0.0" || host == "::" {
		what = "every network interface"
	}
	return fmt.Sprintf("listening on %s (%s): the service has no authentication and anyone who can reach it can use it; bind 127.0.0.1 and tunnel, or put it behind a firewall", what, addr)
}
