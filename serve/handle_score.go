package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// SpecPrefix marks a verl data_source that names a served spec:
// "poly/<spec id>".
const SpecPrefix = "poly/"

// ScoreResult is the answer for one verl item: Score is what verl's
// compute_score returns (the reward), with the grade details beside it.
type ScoreResult struct {
	// Score is the reward; absent when Error is set.
	Score *float64 `json:"score,omitempty"`
	ItemResult
}

// ScoreBatchResponse is the answer to a batched POST /v1/compute_score.
type ScoreBatchResponse struct {
	// Scores holds one score per item, in order; null for an item that
	// got an error.
	Scores []*float64 `json:"scores"`
	// Results holds the details, one per item.
	Results []ScoreResult `json:"results"`
	Graded  int           `json:"graded"`
	Failed  int           `json:"failed"`
	// Error is set (and the status is the error's) when no item could be
	// graded.
	Error *APIError `json:"error,omitempty"`
}

var scoreFields = []string{
	"data_source", "solution_str", "ground_truth", "extra_info",
	"data_sources", "solution_strs", "ground_truths", "extra_infos",
}

// handleComputeScore serves POST /v1/compute_score with verl's reward
// function arguments, one item
//
//	{"data_source":"poly/colony_capacitor","solution_str":"...","ground_truth":"...","extra_info":{...}}
//
// or a batch, with the plural names of verl's batched reward manager
//
//	{"data_sources":[...],"solution_strs":[...],"ground_truths":[...],"extra_infos":[...]}
//
// An item is graded by a served spec when extra_info.sample_id or
// extra_info.spec_id names one, or else when data_source is
// "poly/<spec id>"; otherwise solution_str is graded against ground_truth.
func (s *Server) handleComputeScore(w http.ResponseWriter, r *http.Request) {
	body, e := s.readBody(w, r)
	if e != nil {
		s.fail(w, e)
		return
	}
	if e := validate(body, "the request body"); e != nil {
		s.fail(w, e)
		return
	}
	m, e := object(body, "the request body", scoreFields...)
	if e != nil {
		s.fail(w, e)
		return
	}
	_, single := m["solution_str"]
	_, batch := m["solution_strs"]
	for _, k := range scoreFields {
		if _, ok := m[k]; ok && strings.HasSuffix(k, "s") != batch && batch {
			s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("a batch (solution_strs) cannot mix in the single-item field %q", k)))
			return
		}
	}
	switch {
	case single && batch:
		s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, `give "solution_str" (one item) or "solution_strs" (a batch), not both`))
	case batch:
		s.scoreBatch(w, r, m)
	case single:
		for _, k := range scoreFields {
			if _, ok := m[k]; ok && strings.HasSuffix(k, "s") {
				s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("a single item (solution_str) cannot mix in the batch field %q", k)))
				return
			}
		}
		j := s.scoreJob(m["data_source"], m["solution_str"], m["ground_truth"], m["extra_info"], "the request")
		out := []ItemResult{{}}
		s.m.batchSize.WithLabelValues("/v1/compute_score").Observe(1)
		s.gradeAll(r.Context(), []job{j}, out)
		if out[0].Error != nil {
			writeJSON(w, out[0].Error.Status, errorBody{Error: out[0].Error})
			return
		}
		reward := out[0].Reward
		writeEncoded(w, http.StatusOK, func(b []byte) []byte { return appendItem(b, &reward, &out[0]) })
	default:
		s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, `the request body needs "solution_str" (one item) or "solution_strs" (a batch)`))
	}
}

func (s *Server) scoreBatch(w http.ResponseWriter, r *http.Request, m map[string]json.RawMessage) {
	var lists [4][]json.RawMessage
	n := -1
	for k, key := range []string{"data_sources", "solution_strs", "ground_truths", "extra_infos"} {
		raw := m[key]
		if isNull(raw) {
			if key == "solution_strs" {
				s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, `"solution_strs" must be an array, got null`))
				return
			}
			continue
		}
		if raw[0] != '[' {
			s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%q must be an array, got %s", key, describeJSON(raw))))
			return
		}
		lists[k] = elements(raw)
		if key == "solution_strs" {
			n = len(lists[k])
		}
	}
	for k, key := range []string{"data_sources", "solution_strs", "ground_truths", "extra_infos"} {
		if lists[k] != nil && len(lists[k]) != n {
			s.fail(w, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%q has %d items but \"solution_strs\" has %d", key, len(lists[k]), n)))
			return
		}
	}
	if e := s.checkBatch(n); e != nil {
		s.fail(w, e)
		return
	}
	s.m.batchSize.WithLabelValues("/v1/compute_score").Observe(float64(n))
	at := func(l []json.RawMessage, i int) json.RawMessage {
		if l == nil {
			return nil
		}
		return l[i]
	}
	jobs := make([]job, n)
	for i := range jobs {
		jobs[i] = s.scoreJob(at(lists[0], i), lists[1][i], at(lists[2], i), at(lists[3], i), fmt.Sprintf("item %d", i))
	}
	out := make([]ItemResult, n)
	s.gradeAll(r.Context(), jobs, out)
	status, failed, first := batchStatus(out)
	resp := ScoreBatchResponse{Scores: make([]*float64, n), Results: make([]ScoreResult, n), Graded: n - failed, Failed: failed}
	for i := range out {
		resp.Results[i].ItemResult = out[i]
		if out[i].Error == nil {
			reward := out[i].Reward
			resp.Scores[i] = &reward
			resp.Results[i].Score = &reward
		}
	}
	if status != http.StatusOK {
		resp.Error = &APIError{Status: status, Code: first.Code, Message: "no item could be graded; the first error: " + first.Message}
	}
	writeEncoded(w, status, func(b []byte) []byte { return appendScoreBatch(b, &resp) })
}

// scoreJob resolves one verl item. The served sample is the first of
// extra_info.sample_id (what poly export writes; "family#index" for a
// family problem), extra_info.spec_id and the id in a "poly/<id>"
// data_source; with none, solution_str is graded against ground_truth.
func (s *Server) scoreJob(dataSource, solution, groundTruth, extraInfo json.RawMessage, what string) job {
	m := map[string]json.RawMessage{
		"data_source": dataSource, "solution_str": solution,
		"ground_truth": groundTruth,
	}
	ds, _, e := str(m, "data_source", what, false)
	if e != nil {
		return job{err: e}
	}
	sol, ok, e := str(m, "solution_str", what, false)
	if e != nil {
		return job{err: e}
	}
	if !ok {
		return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, what+`: "solution_str" is missing or null`)}
	}
	gt, hasGT, e := str(m, "ground_truth", what, true)
	if e != nil {
		return job{err: e}
	}
	specID, dataHash := "", ""
	if !isNull(extraInfo) {
		if extraInfo[0] != '{' {
			return job{err: apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s: \"extra_info\" must be an object or null, got %s", what, describeJSON(extraInfo)))}
		}
		ei, e := object(extraInfo, what+": extra_info")
		if e != nil {
			return job{err: e}
		}
		if h, ok, _ := str(ei, "spec_hash", what, false); ok {
			dataHash = h
		}
		for _, key := range []string{"sample_id", "spec_id"} {
			id, ok, e := str(ei, key, what+": extra_info", false)
			if e != nil {
				return job{err: e}
			}
			if ok && id != "" {
				specID = id
				break
			}
		}
	}
	if specID == "" && strings.HasPrefix(ds, SpecPrefix) {
		specID = strings.TrimPrefix(ds, SpecPrefix)
	}
	if specID != "" {
		entry, e := s.resolve(specID)
		if e != nil {
			e.Message = what + ": " + e.Message
			return job{err: e}
		}
		return job{entry: entry, pred: sol, stale: dataHash != "" && dataHash != entry.Hash}
	}
	if !hasGT {
		return job{err: apiErr(http.StatusBadRequest, CodeBadRequest,
			what+`: no spec (extra_info.sample_id, extra_info.spec_id or data_source "poly/<id>") and no "ground_truth" to grade against`)}
	}
	return job{gold: gt, pred: sol}
}
