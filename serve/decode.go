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
)

// readBody reads the request body under the size limit.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *APIError) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, s.tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, s.tooLarge()
		}
		return nil, apiErr(http.StatusBadRequest, CodeBadJSON, "cannot read the request body: "+err.Error())
	}
	return body, nil
}

func (s *Server) tooLarge() *APIError {
	return apiErr(http.StatusRequestEntityTooLarge, CodeBodyTooLarge,
		fmt.Sprintf("the request body is larger than the limit of %d bytes; split the batch", s.cfg.MaxBodyBytes))
}

// decodeStrict decodes one JSON value from data into v, refusing unknown
// fields and trailing data. what names the value in messages ("the request
// body", "item 3").
func decodeStrict(data []byte, v any, what string) *APIError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonErr(err, data, what)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": more than one JSON value")
	}
	return nil
}

// jsonErr turns an encoding/json error into a client error with a useful
// message.
func jsonErr(err error, data []byte, what string) *APIError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": the JSON ends too early")
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1)
		return apiErr(http.StatusBadRequest, CodeBadJSON, fmt.Sprintf("%s: malformed JSON at line %d, column %d: %s", what, line, col, syn.Error()))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s: expected a JSON object, got %s", what, typ.Value))
		}
		return apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s: field %q must be %s, got %s", what, typ.Field, jsonKind(typ.Type.String()), typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return apiErr(http.StatusBadRequest, CodeUnknownField, what+": "+strings.TrimPrefix(err.Error(), "json: "))
	default:
		return apiErr(http.StatusBadRequest, CodeBadJSON, what+": "+strings.TrimPrefix(err.Error(), "json: "))
	}
}

// jsonKind names a Go type the way a JSON user thinks of it.
func jsonKind(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map[") || strings.HasPrefix(goType, "struct") || strings.HasPrefix(goType, "serve."):
		return "an object"
	case strings.HasPrefix(goType, "float") || strings.HasPrefix(goType, "int"):
		return "a number"
	case goType == "bool":
		return "true or false"
	}
	return goType
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

// object decodes raw as a JSON object whose keys must be among allowed.
// what names the object in messages ("item 3").
func object(raw []byte, what string, allowed ...string) (map[string]json.RawMessage, *APIError) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, apiErr(http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("%s must be a JSON object, got %s", what, describeJSON(raw)))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, jsonErr(err, raw, what)
	}
	var unknown []string
	for k := range m {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, apiErr(http.StatusBadRequest, CodeUnknownField, fmt.Sprintf("%s: unknown field %q (known fields: %s)", what, unknown[0], strings.Join(allowed, ", ")))
	}
	return m, nil
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
		if err := json.Unmarshal(raw, &s); err != nil {
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
