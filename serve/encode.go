package serve

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"

	"github.com/polylearn/poly/internal/jsonw"
)

// The grading responses are encoded by hand: they are most of what the
// service writes, and reflection-based encoding/json costs a fair share of
// a batch's time. The output is byte for byte what json.Marshal gives for
// the same values (encode_test.go checks this, and fails when grade.Result
// gains a field that is not encoded here).

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// writeEncoded writes the JSON that enc appends, with the given status.
func writeEncoded(w http.ResponseWriter, status int, enc func([]byte) []byte) {
	bp := bufPool.Get().(*[]byte)
	b := enc((*bp)[:0])
	b = append(b, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
	if cap(b) <= 1<<20 {
		*bp = b
		bufPool.Put(bp)
	}
}

// appendGradeResponse encodes r as json.Marshal does.
func appendGradeResponse(b []byte, r *GradeResponse) []byte {
	b = append(b, `{"results":`...)
	if r.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Results {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendItem(b, nil, &r.Results[i])
		}
		b = append(b, ']')
	}
	return appendTail(b, r.Graded, r.Failed, r.Error)
}

// appendScoreBatch encodes r as json.Marshal does.
func appendScoreBatch(b []byte, r *ScoreBatchResponse) []byte {
	b = append(b, `{"scores":`...)
	if r.Scores == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range r.Scores {
			if i > 0 {
				b = append(b, ',')
			}
			if s == nil {
				b = append(b, "null"...)
			} else {
				b = appendFloat(b, *s)
			}
		}
		b = append(b, ']')
	}
	b = append(b, `,"results":`...)
	if r.Results == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Results {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendItem(b, r.Results[i].Score, &r.Results[i].ItemResult)
		}
		b = append(b, ']')
	}
	return appendTail(b, r.Graded, r.Failed, r.Error)
}

func appendTail(b []byte, graded, failed int, e *APIError) []byte {
	b = append(b, `,"graded":`...)
	b = strconv.AppendInt(b, int64(graded), 10)
	b = append(b, `,"failed":`...)
	b = strconv.AppendInt(b, int64(failed), 10)
	if e != nil {
		b = append(b, `,"error":`...)
		b = appendAPIError(b, e)
	}
	return append(b, '}')
}

// appendItem encodes a ScoreResult (score != nil or not) or an ItemResult
// (score == nil) as json.Marshal does.
func appendItem(b []byte, score *float64, it *ItemResult) []byte {
	b = append(b, '{')
	n := len(b)
	key := func(k string) {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
	}
	if score != nil {
		key("score")
		b = appendFloat(b, *score)
	}
	if len(it.ID) > 0 {
		key("id")
		raw, err := json.Marshal(it.ID) // compacted and escaped as encoding/json does
		if err != nil {
			raw = []byte("null")
		}
		b = append(b, raw...)
	}
	if r := it.Result; r != nil {
		key("reward")
		b = appendFloat(b, r.Reward)
		key("format_ok")
		b = strconv.AppendBool(b, r.FormatOK)
		key("extracted")
		b = jsonw.AppendString(b, r.Extracted)
		if r.Method != "" {
			key("method")
			b = jsonw.AppendString(b, r.Method)
		}
		key("parsed")
		b = jsonw.AppendString(b, r.Parsed)
		key("gold")
		b = jsonw.AppendString(b, r.Gold)
		key("reason")
		b = jsonw.AppendString(b, r.Reason)
		if r.Budget != "" {
			key("budget")
			b = jsonw.AppendString(b, r.Budget)
		}
	}
	if it.Spec != "" {
		key("spec")
		b = jsonw.AppendString(b, it.Spec)
	}
	if it.Hash != "" {
		key("hash")
		b = jsonw.AppendString(b, it.Hash)
	}
	if it.StaleData {
		key("stale_data")
		b = append(b, "true"...)
	}
	if it.Error != nil {
		key("error")
		b = appendAPIError(b, it.Error)
	}
	return append(b, '}')
}

func appendAPIError(b []byte, e *APIError) []byte {
	b = append(b, `{"code":`...)
	b = jsonw.AppendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = jsonw.AppendString(b, e.Message)
	return append(b, '}')
}

// appendFloat writes f as encoding/json does (ES6 number formatting); a
// NaN or infinity, which JSON cannot hold, is written as 0.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	return jsonw.AppendFloat(b, f)
}
