package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// readBody reads the request body under the size limit.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *APIError) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		s.drain(r, 4*s.cfg.MaxBodyBytes)
		return nil, s.tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.drain(r, 3*s.cfg.MaxBodyBytes)
			return nil, s.tooLarge()
		}
		return nil, apiErr(http.StatusBadRequest, CodeBadJSON, "cannot read the request body: "+err.Error())
	}
	return body, nil
}

// drain reads and discards up to n bytes of a body the handler refuses.
// Clients that send a whole body before reading the answer (Python's
// urllib, requests) would otherwise see the connection reset instead of
// the 413 or 503: net/http closes a connection with much of its body
// unread. Bodies beyond n are still cut off.
func (s *Server) drain(r *http.Request, n int64) {
	io.CopyN(io.Discard, r.Body, n)
}

func (s *Server) tooLarge() *APIError {
	return apiErr(http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
		fmt.Sprintf("the request body is larger than the limit of %d bytes; split the batch", s.cfg.MaxBodyBytes))
}

// jsonErr turns an encoding/json error into a client error with a useful
// message.
func jsonErr(err error, data []byte, what string) *APIError {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": the JSON ends too early")
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1)
		return apiErr(http.StatusBadRequest, CodeBadJSON, fmt.Sprintf("%s: malformed JSON at line %d, column %d: %s", what, line, col, syn.Error()))
	default:
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": "+strings.TrimPrefix(err.Error(), "json: "))
	}
}

func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// validate checks that body is exactly one JSON value. The scanners below
// (object, elements, str) assume input that passed it, so a request is
// scanned once more at most, without copies.
func validate(body []byte, what string) *APIError {
	if json.Valid(body) {
		return nil
	}
	var v any
	err := json.Unmarshal(body, &v) // only for the positioned message
	if err == nil {
		err = errors.New("json: invalid input")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return apiErr(http.StatusBadRequest, CodeBadRequest, what+" must be a JSON object, got nothing")
	}
	return jsonErr(err, body, what)
}

// object reads raw (valid JSON) as an object whose keys must be among
// allowed (any key when allowed is empty). Values alias raw. what names the
// object in messages ("item 3").
func object(raw []byte, what string, allowed ...string) (map[string]json.RawMessage, *APIError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s must be a JSON object, got %s", what, describeJSON(raw)))
	}
	m := make(map[string]json.RawMessage, 4)
	var unknown []string
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != '}' {
		kEnd := stringEnd(raw, i)
		key, err := decodeString(raw[i:kEnd])
		if err != nil {
			return nil, jsonErr(err, raw, what)
		}
		i = skipSpace(raw, kEnd)
		i = skipSpace(raw, i+1) // ':'
		vEnd := valueEnd(raw, i)
		if len(allowed) > 0 && !slices.Contains(allowed, key) {
			unknown = append(unknown, key)
		} else {
			m[key] = raw[i:vEnd]
		}
		i = skipSpace(raw, vEnd)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, apiErr(http.StatusBadRequest, CodeUnknownField, fmt.Sprintf("%s: unknown field %q (known fields: %s)", what, unknown[0], strings.Join(allowed, ", ")))
	}
	return m, nil
}

// elements splits raw (a valid JSON array) into its elements, which alias
// raw.
func elements(raw []byte) []json.RawMessage {
	raw = bytes.TrimSpace(raw)
	out := []json.RawMessage{}
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] != ']' {
		end := valueEnd(raw, i)
		out = append(out, raw[i:end])
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the JSON string starting at b[i].
func stringEnd(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// valueEnd returns the index after the JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// decodeString decodes a JSON string literal (quotes included): without
// escapes and in valid UTF-8 it is the bytes between the quotes.
func decodeString(raw []byte) (string, error) {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// str reads m[key] as a string. A missing key or null gives ok=false. With
// numbers set, a JSON number is accepted too, kept as written (0.10 stays
// "0.10").
func str(m map[string]json.RawMessage, key, what string, numbers bool) (s string, ok bool, e *APIError) {
	raw := bytes.TrimSpace(m[key])
	switch {
	case isNull(raw):
		return "", false, nil
	case raw[0] == '"':
		s, err := decodeString(raw)
		if err != nil {
			return "", false, jsonErr(err, raw, what)
		}
		return s, true, nil
	case numbers && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')):
		return string(raw), true, nil
	}
	want := "a string"
	if numbers {
		want = "a string or a number"
	}
	return "", false, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s: field %q must be %s, got %s", what, key, want, describeJSON(raw)))
}

// describeJSON names the kind of a raw JSON value.
func describeJSON(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// isNull reports whether a raw value is absent or JSON null.
func isNull(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}
