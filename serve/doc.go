// Package serve is poly's reward service (`poly serve`): compiled spec
// checkers and the grader behind a batch HTTP/JSON API, for trainers that
// run elsewhere (verl on Ray, TRL), so that they train on exactly the
// reward `poly check` verified.
//
// Routes:
//
//	POST /v1/grade          {"items":[{"gold","pred"} | {"spec","completion"}]} -> one result per item
//	POST /v1/compute_score  verl's reward arguments, one item or a batch -> score(s)
//	GET  /v1/specs          served ids, spec hashes and files (with reload diagnostics)
//	GET  /healthz           liveness and counts
//	GET  /metrics           Prometheus metrics
//
// Limits: a body size limit (413), a batch size limit (413), the grader's
// per-check budget, and a concurrency limit that answers 503 with
// Retry-After at once instead of queueing. Every error is a JSON body
// {"error":{"code","message"}}; a bad item in a batch gets its own error
// while the others are graded. Panics are recovered per request and per
// item and counted in poly_serve_panics_total.
//
// Served spec files are recompiled when saved (internal/watch); a save that
// does not compile keeps the last good version serving and its
// diagnostics are logged and listed in GET /v1/specs.
//
// docs/serve.md documents the API for users, with the verl and TRL set-up.
package serve
