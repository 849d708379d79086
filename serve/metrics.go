package serve

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus metrics, on a registry of its own
// (so several servers in one test process do not collide).
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec   // route, code
	latency    *prometheus.HistogramVec // route
	inFlight   prometheus.Gauge
	rejected   prometheus.Counter
	panics     prometheus.Counter
	stale      prometheus.Counter
	checks     *prometheus.CounterVec   // source (gold|spec), outcome (correct|wrong)
	checkBy    [2][2]prometheus.Counter // [spec][correct], resolved once
	itemErrors *prometheus.CounterVec   // code
	batchSize  *prometheus.HistogramVec
	reloads    *prometheus.CounterVec // result (ok|failed)
	specs      prometheus.GaugeFunc
}

func newMetrics(samples func() float64) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	f := prometheus.WrapRegistererWithPrefix("poly_serve_", m.reg)
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "request_duration_seconds",
		Help:    "Time from request start to response written, by route.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 14), // 100us .. ~15s
	}, []string{"route"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "in_flight_requests", Help: "Grading requests being served now.",
	})
	m.rejected = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "rejected_total", Help: "Requests turned away with 503 because the concurrency limit was reached.",
	})
	m.panics = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "panics_total", Help: "Panics recovered while serving a request or grading an item (each is a bug).",
	})
	m.stale = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "stale_data_total", Help: "verl items whose extra_info.spec_hash differs from the served spec's: the data was exported from another version of the spec.",
	})
	m.checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "checks_total", Help: "Items graded, by source (gold: against a given answer, spec: by a served spec) and outcome.",
	}, []string{"source", "outcome"})
	m.itemErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "errors_total", Help: "Errors returned to clients, for whole requests and single items, by code.",
	}, []string{"code"})
	m.batchSize = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "batch_items", Help: "Items per grading request.", Buckets: prometheus.ExponentialBuckets(1, 4, 7),
	}, []string{"route"})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "reloads_total", Help: "Spec reloads after a save, by result (ok, failed: the last good version stays).",
	}, []string{"result"})
	m.specs = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "specs_served", Help: "Samples being served.",
	}, samples)
	f.MustRegister(m.requests, m.latency, m.inFlight, m.rejected, m.panics, m.stale, m.checks,
		m.itemErrors, m.batchSize, m.reloads, m.specs)
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Pre-create the common series so they read 0 rather than missing.
	for i, src := range []string{"gold", "spec"} {
		for j, o := range []string{"wrong", "correct"} {
			m.checkBy[i][j] = m.checks.WithLabelValues(src, o)
		}
	}
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("failed")
	return m
}

// countCheck counts one graded item.
func (m *metrics) countCheck(spec, correct bool) {
	i, j := 0, 0
	if spec {
		i = 1
	}
	if correct {
		j = 1
	}
	m.checkBy[i][j].Inc()
}

func (m *metrics) reload(ok bool) {
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
	} else {
		m.reloads.WithLabelValues("failed").Inc()
	}
}
