package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// GradeResponse is the body of a POST /v1/grade answer: one result per item,
// in order.
type GradeResponse struct {
	// Results holds one entry per request item, in order.
	Results []ItemResult `json:"results"`
	// Graded counts the items that got a grade; Failed those that got an
	// error.
	Graded int `json:"graded"`
	Failed int `json:"failed"`
	// Error is set (and the status is the error's) when no item could be
	// graded.
	Error *APIError `json:"error,omitempty"`
}

// handleGrade serves POST /v1/grade:
//
//	{"items":[{"gold":"3/4","pred":"... \\boxed{0.75}"},
//	          {"spec":"colony_capacitor","completion":"..."}]}
//
// Items may carry an "id" (any JSON value), echoed in their result.
func (s *Server) handleGrade(w http.ResponseWriter, r *http.Request) {
	body, e := s.readBody(w, r)
	if e != nil {
		s.fail(w, e)
		return
	}
	if e := validate(body, "the request body"); e != nil {
		s.fail(w, e)
		return
	}
	top, e := object(body, "the request body", "items")
	if e != nil {
		s.fail(w, e)
		return
	}
	rawItems, ok := top["items"]
	if !ok || isNull(rawItems) {
		s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, `the request body needs "items": an array of {"gold","pred"} or {"spec","completion"} objects`))
		return
	}
	if rawItems[0] != '[' {
		s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf(`"items" must be an array, got %s`, describeJSON(rawItems))))
		return
	}
	items := elements(rawItems)
	if e := s.checkBatch(len(items)); e != nil {
		s.fail(w, e)
		return
	}
	s.m.batchSize.WithLabelValues("/v1/grade").Observe(float64(len(items)))
	jobs := make([]job, len(items))
	out := make([]ItemResult, len(items))
	for i, raw := range items {
		jobs[i], out[i].ID = s.gradeJob(raw, i)
	}
	s.gradeAll(r.Context(), jobs, out)
	status, failed, first := batchStatus(out)
	resp := GradeResponse{Results: out, Graded: len(out) - failed, Failed: failed}
	if status != http.StatusOK {
		resp.Error = &APIError{Status: status, Code: first.Code, Message: "no item could be graded; the first error: " + first.Message}
	}
	writeEncoded(w, status, func(b []byte) []byte { return appendGradeResponse(b, &resp) })
}

// checkBatch enforces the batch size limits.
func (s *Server) checkBatch(n int) *APIError {
	switch {
	case n == 0:
		return apiErr(http.StatusBadRequest, CodeEmptyBatch, "the batch is empty; send at least one item")
	case n > s.cfg.MaxItems:
		return apiErr(http.StatusRequestEntityTooLarge, CodeTooManyItems,
			fmt.Sprintf("%d items is more than the limit of %d per request; split the batch", n, s.cfg.MaxItems))
	}
	return nil
}

// gradeJob parses item i of a /v1/grade batch.
func (s *Server) gradeJob(raw json.RawMessage, i int) (job, json.RawMessage) {
	what := fmt.Sprintf("item %d", i)
	m, e := object(raw, what, "gold", "pred", "spec", "completion", "id")
	if e != nil {
		return job{err: e}, nil
	}
	id := m["id"]
	if isNull(id) {
		id = nil
	}
	gold, hasGold, e1 := str(m, "gold", what, true)
	pred, hasPred, e2 := str(m, "pred", what, true)
	spec, hasSpec, e3 := str(m, "spec", what, false)
	comp, hasComp, e4 := str(m, "completion", what, false)
	for _, e := range []*APIError{e1, e2, e3, e4} {
		if e != nil {
			return job{err: e}, id
		}
	}
	switch {
	case hasSpec && !hasGold && !hasPred:
		if !hasComp {
			return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, what+`: a "spec" item needs "completion"`)}, id
		}
		entry, e := s.resolve(spec)
		if e != nil {
			e.Message = what + ": " + e.Message
			return job{err: e}, id
		}
		return job{entry: entry, pred: comp}, id
	case hasGold && !hasSpec && !hasComp:
		if !hasPred {
			return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, what+`: a "gold" item needs "pred"`)}, id
		}
		return job{gold: gold, pred: pred}, id
	case !hasGold && !hasSpec:
		return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, what+`: needs {"gold","pred"} or {"spec","completion"}`)}, id
	default:
		return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, what+`: give either {"gold","pred"} or {"spec","completion"}, not a mix`)}, id
	}
}
