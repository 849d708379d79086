package serve

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"unicode/utf8"
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
		b = appendString(b, r.Extracted)
		if r.Method != "" {
			key("method")
			b = appendString(b, r.Method)
		}
		key("parsed")
		b = appendString(b, r.Parsed)
		key("gold")
		b = appendString(b, r.Gold)
		key("reason")
		b = appendString(b, r.Reason)
		if r.Budget != "" {
			key("budget")
			b = appendString(b, r.Budget)
		}
	}
	if it.Spec != "" {
		key("spec")
		b = appendString(b, it.Spec)
	}
	if it.Hash != "" {
		key("hash")
		b = appendString(b, it.Hash)
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
	b = appendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = appendString(b, e.Message)
	return append(b, '}')
}

// appendFloat writes f as encoding/json does (ES6 number formatting); a
// NaN or infinity, which JSON cannot hold, is written as 0.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, '0')
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// e-09 -> e-9, as encoding/json writes exponents
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does by
// default: quotes, backslashes and control characters escaped, <, > and &
// as \u003c \u003e \u0026, invalid UTF-8 as \ufffd, U+2028 and U+2029
// escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	run := 0 // start of the pending run of bytes copied as they are
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[run:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			run = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[run:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[run:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		run = i
	}
	b = append(b, s[run:]...)
	return append(b, '"')
}
