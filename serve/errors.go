package serve

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Error codes of the JSON error body {"error":{"code":..,"message":..}}.
// A code names the class of problem; the message says what exactly.
const (
	CodeBadJSON          = "bad_json"           // the body is not JSON, or not one JSON value
	CodeBadRequest       = "bad_request"        // a field has the wrong type or is missing
	CodeUnknownField     = "unknown_field"      // a field this API does not have (a typo)
	CodeEmptyBatch       = "empty_batch"        // a batch with no items
	CodeBodyTooLarge     = "body_too_large"     // more than the body limit (413)
	CodeTooManyItems     = "too_many_items"     // more items than the batch limit (413)
	CodeUnknownSpec      = "unknown_spec"       // no served spec has this id (404)
	CodeMethodNotAllowed = "method_not_allowed" // 405, with an Allow header
	CodeNotFound         = "not_found"          // no such route
	CodeOverloaded       = "overloaded"         // the concurrency limit is reached (503 + Retry-After)
	CodeInternal         = "internal"           // a bug: the request panicked (500); the server lives on
	CodeCanceled         = "canceled"           // the client went away or the request ran out of time
)

// APIError is an error reported to a client: an HTTP status, a stable code
// and a human message.
type APIError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *APIError) Error() string { return e.Code + ": " + e.Message }

func apiErr(status int, code, msg string) *APIError {
	return &APIError{Status: status, Code: code, Message: msg}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error *APIError `json:"error"`
}

// writeJSON writes v as the JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"cannot encode the response"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// writeError writes e as a JSON error response.
func writeError(w http.ResponseWriter, e *APIError) {
	if e.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, e.Status, errorBody{Error: e})
}
