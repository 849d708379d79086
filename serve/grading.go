package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/polylearn/poly/grade"
)

// ItemResult is the answer for one item: the grade result's fields (reward,
// format_ok, extracted, method, parsed, gold, reason), the spec that graded
// it, or an error for an item that could not be graded.
type ItemResult struct {
	// ID echoes the item's "id", when it had one.
	ID json.RawMessage `json:"id,omitempty"`
	*grade.Result
	// Spec is the id of the spec that graded the item ("" for gold items).
	Spec string `json:"spec,omitempty"`
	// Hash is the hash of the spec version that graded the item.
	Hash string `json:"hash,omitempty"`
	// StaleData is set when the item named the spec hash its data was
	// exported from (verl's extra_info.spec_hash) and the served version
	// differs: the prompt came from another version of the spec.
	StaleData bool `json:"stale_data,omitempty"`
	// Error is set, and the grade fields absent, when the item itself is
	// bad (an unknown spec, a missing or mistyped field).
	Error *APIError `json:"error,omitempty"`
}

// job is one item resolved and ready to grade, or the error that stops it.
type job struct {
	gold, pred string // a gold item
	entry      *Entry // a spec item (pred is the completion)
	stale      bool   // the item's spec_hash differs from the served one
	err        *APIError
}

// resolve checks a spec id against the served specs.
func (s *Server) resolve(id string) (*Entry, *APIError) {
	e, ok := s.store.Lookup(id)
	if !ok {
		return nil, apiErr(http.StatusNotFound, CodeUnknownSpec,
			fmt.Sprintf("no served spec has id %q (GET /v1/specs lists them)", id))
	}
	return e, nil
}

// slotItems is how many items a worker grades per turn on a core.
const slotItems = 8

// gradeAll grades jobs into out, spreading large batches over the cores.
// At most Config.Workers checks run at once over all requests: checks are
// CPU-bound, and the grader's per-check wall-time budget must measure the
// check, not a wait for a core among many concurrent requests. A worker
// holds its core for a few items at a time, which keeps hand-offs between
// goroutines rare. Each item runs under its own recover: a grader bug
// fails that item, not the process. Items left when ctx ends get a
// canceled error.
func (s *Server) gradeAll(ctx context.Context, jobs []job, out []ItemResult) {
	n := len(jobs)
	var next atomic.Int64
	work := func() {
		for {
			s.cpu <- struct{}{}
			k := 0
			for ; k < slotItems; k++ {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				s.gradeOne(ctx, &jobs[i], &out[i])
			}
			<-s.cpu
			if k < slotItems {
				return
			}
		}
	}
	w := s.workers(n)
	var wg sync.WaitGroup
	for range w - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}

func (s *Server) gradeOne(ctx context.Context, j *job, out *ItemResult) {
	if j.err != nil {
		out.Error = j.err
		s.m.itemErrors.WithLabelValues(j.err.Code).Inc()
		return
	}
	if ctx.Err() != nil {
		out.Error = apiErr(http.StatusServiceUnavailable, CodeCanceled, "the request ended before this item was graded")
		return
	}
	defer func() {
		if p := recover(); p != nil {
			s.m.panics.Inc()
			s.m.itemErrors.WithLabelValues(CodeInternal).Inc()
			s.cfg.Log.Error("panic while grading an item", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			out.Result = nil
			out.Error = apiErr(http.StatusInternalServerError, CodeInternal, "internal error while grading this item (a bug; it was logged)")
		}
	}()
	check := func() grade.Result { return s.cfg.Grade(j.gold, j.pred) }
	source := "gold"
	if j.entry != nil {
		source = "spec"
		check = func() grade.Result { return j.entry.Grade(j.pred) }
		out.Spec, out.Hash, out.StaleData = j.entry.ID, j.entry.Hash, j.stale
		if j.stale {
			s.m.stale.Inc()
		}
	}
	// One try: the grader's budgets are deterministic (the wall clock is
	// only a backstop a well-formed answer never meets), so a second run
	// would give the same result.
	r := check()
	out.Result = &r
	s.m.countCheck(source == "spec", r.Correct())
}

// batchStatus is the status of a batch response: 200 when any item was
// graded; else the status of the first item's error, so that a request
// holding nothing gradable is a 4xx.
func batchStatus(out []ItemResult) (status int, failed int, first *APIError) {
	for i := range out {
		if out[i].Error != nil {
			failed++
			if first == nil {
				first = out[i].Error
			}
		}
	}
	if failed == len(out) && first != nil {
		return first.Status, failed, first
	}
	return http.StatusOK, failed, nil
}
