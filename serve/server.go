package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/watch"
)

// GoldGrader grades a prediction (a whole completion or a bare answer)
// against a gold answer.
type GoldGrader func(gold, pred string) grade.Result

// Defaults for the zero fields of Config.
const (
	DefaultAddr              = "127.0.0.1:8377"
	DefaultMaxBodyBytes      = 8 << 20
	DefaultMaxItems          = 1024
	DefaultMaxInFlight       = 128
	DefaultRetryAfter        = time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 120 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
	// GCPercent is the garbage collector setting poly serve uses when the
	// GOGC environment variable is not set (Go's default is 100).
	GCPercent = 400
)

// Config configures a Server. The zero value of every field but Compile and
// Grade means its default.
type Config struct {
	// Specs are the spec files and directories to serve (a directory
	// serves every .poly file under it). None is fine: gold/pred items
	// need no spec.
	Specs []string
	// Compile compiles one spec file.
	Compile Compiler
	// Grade grades gold/pred items.
	Grade GoldGrader
	// MaxBodyBytes is the largest request body accepted (413 beyond).
	MaxBodyBytes int64
	// MaxItems is the largest batch accepted (413 beyond).
	MaxItems int
	// MaxInFlight is how many grading requests run at once; more get 503
	// with Retry-After at once rather than waiting in a queue.
	MaxInFlight int
	// Workers is how many checks run at once, over all requests; the
	// default is GOMAXPROCS.
	Workers int
	// RetryAfter is what a 503 tells the client to wait (whole seconds).
	RetryAfter time.Duration
	// Timeouts of the HTTP server.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds how long Serve waits for in-flight requests
	// after its context is cancelled.
	ShutdownTimeout time.Duration
	// NoWatch turns reload-on-save off.
	NoWatch bool
	// Debounce is the quiet period before a save is reloaded.
	Debounce time.Duration
	// Log receives the service's log lines (nil: discarded).
	Log *slog.Logger
	// DiagOut receives the rendered diagnostics of failed reloads.
	DiagOut io.Writer
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxItems <= 0 {
		c.MaxItems = DefaultMaxItems
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	def(&c.RetryAfter, DefaultRetryAfter)
	def(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	def(&c.ShutdownTimeout, DefaultShutdownTimeout)
	def(&c.Debounce, watch.DefaultDebounce)
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.DiagOut == nil {
		c.DiagOut = io.Discard
	}
}

// Server is the reward service: an http.Handler over a Store of compiled
// specs, with limits, metrics and reload on save.
type Server struct {
	cfg     Config
	store   *Store
	m       *metrics
	sem     chan struct{} // grading requests in flight (MaxInFlight)
	cpu     chan struct{} // checks running now (GOMAXPROCS)
	handler http.Handler
}

// New compiles the specs in cfg and returns a server for them. A spec that
// does not compile makes it fail with a *LoadError.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if cfg.Grade == nil {
		return nil, errors.New("serve: Config.Grade is nil")
	}
	if cfg.Compile == nil && len(cfg.Specs) > 0 {
		return nil, errors.New("serve: Config.Compile is nil")
	}
	st, err := NewStore(cfg.Compile, cfg.Specs, cfg.Log, cfg.DiagOut)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: st, sem: make(chan struct{}, cfg.MaxInFlight), cpu: make(chan struct{}, cfg.Workers)}
	s.m = newMetrics(func() float64 { return float64(st.Len()) })
	st.onReload = s.m.reload
	s.handler = s.routes()
	return s, nil
}

// Store returns the served specs.
func (s *Server) Store() *Store { return s.store }

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler { return s.handler }

// Config returns the configuration in effect (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/v1/grade", s.wrap("/v1/grade", http.MethodPost, true, s.handleGrade))
	mux.Handle("/v1/compute_score", s.wrap("/v1/compute_score", http.MethodPost, true, s.handleComputeScore))
	mux.Handle("/v1/specs", s.wrap("/v1/specs", http.MethodGet, false, s.handleSpecs))
	mux.Handle("/healthz", s.wrap("/healthz", http.MethodGet, false, s.handleHealth))
	prom := promhttp.HandlerFor(s.m.reg, promhttp.HandlerOpts{})
	mux.Handle("/metrics", s.wrap("/metrics", http.MethodGet, false, prom.ServeHTTP))
	mux.Handle("/", s.wrap("other", "", false, func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, apiErr(http.StatusNotFound, CodeNotFound,
			fmt.Sprintf("no route %s; routes: POST /v1/grade, POST /v1/compute_score, GET /v1/specs, GET /healthz, GET /metrics", r.URL.Path)))
	}))
	return mux
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// wrap adds to h what every route has: metrics, panic recovery, the method
// check and, for grading routes (limited), the concurrency limit.
func (s *Server) wrap(route, method string, limited bool, h http.HandlerFunc) http.Handler {
	retry := strconv.Itoa(int(math.Ceil(s.cfg.RetryAfter.Seconds())))
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.m.panics.Inc()
				s.cfg.Log.Error("panic serving request", "route", route, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if w.status == 0 {
					s.fail(w, apiErr(http.StatusInternalServerError, CodeInternal, "internal error while serving the request (a bug; it was logged)"))
				}
			}
			code := w.status
			if code == 0 {
				code = http.StatusOK
			}
			s.m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
			s.m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
		}()
		if method != "" && r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			s.fail(w, apiErr(http.StatusMethodNotAllowed, CodeMethodNotAllowed, fmt.Sprintf("%s %s: use %s", r.Method, route, method)))
			return
		}
		if limited {
			select {
			case s.sem <- struct{}{}:
				defer func() { <-s.sem }()
			default:
				s.m.rejected.Inc()
				s.drain(r, s.cfg.MaxBodyBytes)
				w.Header().Set("Retry-After", retry)
				s.fail(w, apiErr(http.StatusServiceUnavailable, CodeOverloaded,
					fmt.Sprintf("%d grading requests are in flight (the limit); retry after %ss", s.cfg.MaxInFlight, retry)))
				return
			}
			s.m.inFlight.Inc()
			defer s.m.inFlight.Dec()
		}
		h(w, r)
	})
}

// fail writes a whole-request error and counts it.
func (s *Server) fail(w http.ResponseWriter, e *APIError) {
	s.m.itemErrors.WithLabelValues(e.Code).Inc()
	writeError(w, e)
}

// Serve serves on ln until ctx is cancelled, reloading specs on save
// (unless Config.NoWatch). Cancelling ctx shuts down gracefully: no new
// connections, in-flight requests finish (up to ShutdownTimeout). It
// returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.cfg.Log.Handler(), slog.LevelWarn),
	}
	if !s.cfg.NoWatch {
		stop, err := s.StartWatching(ctx)
		if err != nil {
			return err
		}
		defer stop()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.cfg.Log.Info("shutting down: finishing in-flight requests", "timeout", s.cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.cfg.Log.Info("shut down cleanly")
	return nil
}

// StartWatching starts reloading the served specs on save. The watch is in
// place when it returns; stop ends it and waits for a reload in progress.
func (s *Server) StartWatching(ctx context.Context) (stop func(), err error) {
	dirs := s.store.Dirs()
	if len(dirs) == 0 {
		return func() {}, nil
	}
	w, err := watch.New(dirs, watch.Options{
		Debounce: s.cfg.Debounce,
		Match:    s.store.Watches,
		OnError:  func(err error) { s.cfg.Log.Warn("spec watcher", "err", err) },
	})
	if err != nil {
		return nil, err
	}
	s.store.SetAddDir(func(dir string) {
		if err := w.Add(dir); err != nil {
			s.cfg.Log.Warn("cannot watch the directory of an import", "dir", dir, "err", err)
		}
	})
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.Run(ctx, s.store.Reload)
	}()
	s.cfg.Log.Info("watching spec directories for changes", "dirs", len(dirs))
	return func() { s.store.SetAddDir(nil); cancel(); wg.Wait() }, nil
}

// workers is how many goroutines grade one large batch.
func (s *Server) workers(n int) int {
	w := s.cfg.Workers
	if per := n / 16; per < w {
		w = per
	}
	return max(w, 1)
}
