package main

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/jsonw"
)

// The output side of `poly grade`'s JSON: appendOut writes the bytes that
// json.Marshal writes for a gradeOut, without reflection per line. The
// fields of grade.Result are read once, at start-up; a Result with a
// field this encoder does not know how to write exactly as encoding/json
// does (another type, a tag option, an embedded struct) turns it off, and
// every line goes through json.Marshal.

// resultField is one field of grade.Result as encoding/json writes it.
type resultField struct {
	index     int
	key       string // `,"name":`
	kind      reflect.Kind
	omitEmpty bool
}

// resultFields are grade.Result's fields in order; fastResult reports
// whether appendOut can write them.
var resultFields, fastResult = resultLayout(reflect.TypeFor[grade.Result]())

// resultLayout reads the JSON layout of t, a struct of plain fields.
func resultLayout(t reflect.Type) ([]resultField, bool) {
	marshaler := reflect.TypeFor[json.Marshaler]()
	text := reflect.TypeFor[encoding.TextMarshaler]()
	implements := func(t reflect.Type) bool {
		p := reflect.PointerTo(t)
		return t.Implements(marshaler) || t.Implements(text) || p.Implements(marshaler) || p.Implements(text)
	}
	if implements(t) {
		return nil, false
	}
	taken := map[string]bool{"line": true, "id": true, "error": true} // gradeOut's own
	var fields []resultField
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || implements(f.Type) || f.Type.PkgPath() != "" {
			return nil, false
		}
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if !hasTag {
			opts = ""
		}
		if opts != "" && opts != "omitempty" || !plainKey(name) || taken[name] {
			return nil, false
		}
		taken[name] = true
		switch f.Type.Kind() {
		case reflect.String, reflect.Bool, reflect.Float64,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		default:
			return nil, false
		}
		fields = append(fields, resultField{i, `,"` + name + `":`, f.Type.Kind(), opts == "omitempty"})
	}
	return fields, true
}

// plainKey reports whether encoding/json writes name as it is.
func plainKey(name string) bool {
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return name != ""
}

// outEncoder writes output lines. It reads the result it writes from its
// own copy, through a reflect.Value made once: no allocation per line.
type outEncoder struct {
	res    grade.Result
	fields []reflect.Value // res's fields, as resultFields lists them
}

// appendOut appends the output line (with its newline) of line n: its
// id (a raw JSON value or nil) and either err or, when err is nil, res.
// malformed is err != nil, or a result encoding/json cannot write either.
func (e *outEncoder) appendOut(dst []byte, n int, id []byte, res grade.Result, err error) (out []byte, malformed bool) {
	if !fastResult {
		return appendOutStd(dst, n, id, res, err)
	}
	start := len(dst)
	dst = append(dst, `{"line":`...)
	dst = strconv.AppendInt(dst, int64(n), 10)
	if len(id) > 0 {
		dst = append(dst, `,"id":`...)
		dst = appendRaw(dst, id)
	}
	if err != nil {
		if msg := err.Error(); msg != "" {
			dst = append(dst, `,"error":`...)
			dst = jsonw.AppendString(dst, msg)
		}
		return append(dst, '}', '\n'), true
	}
	if e.fields == nil {
		v := reflect.ValueOf(&e.res).Elem()
		for _, f := range resultFields {
			e.fields = append(e.fields, v.Field(f.index))
		}
	}
	e.res = res
	for i, f := range resultFields {
		fv := e.fields[i]
		switch f.kind {
		case reflect.String:
			if s := fv.String(); s != "" || !f.omitEmpty {
				dst = append(dst, f.key...)
				dst = jsonw.AppendString(dst, s)
			}
		case reflect.Bool:
			if b := fv.Bool(); b || !f.omitEmpty {
				dst = append(dst, f.key...)
				dst = strconv.AppendBool(dst, b)
			}
		case reflect.Float64:
			x := fv.Float()
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return appendOutStd(dst[:start], n, id, res, err)
			}
			if x != 0 || !f.omitEmpty {
				dst = append(dst, f.key...)
				dst = jsonw.AppendFloat(dst, x)
			}
		default:
			if i := fv.Int(); i != 0 || !f.omitEmpty {
				dst = append(dst, f.key...)
				dst = strconv.AppendInt(dst, i, 10)
			}
		}
	}
	return append(dst, '}', '\n'), false
}

// appendOutStd is appendOut by json.Marshal.
func appendOutStd(dst []byte, n int, id []byte, res grade.Result, err error) ([]byte, bool) {
	o := gradeOut{Line: n, ID: id}
	if err != nil {
		o.Error = err.Error()
	} else {
		o.Result = &res
	}
	b, merr := json.Marshal(o)
	if merr != nil {
		b, _ = json.Marshal(gradeOut{Line: n, Error: "cannot encode result: " + merr.Error()})
		err = merr
	}
	dst = append(dst, b...)
	return append(dst, '\n'), err != nil
}

// appendRaw appends a raw JSON value the way encoding/json writes a
// json.RawMessage: compacted, with <, >, &, U+2028 and U+2029 escaped.
func appendRaw(dst, raw []byte) []byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r', '<', '>', '&', 0xE2:
			b, err := json.Marshal(json.RawMessage(raw))
			if err != nil { // cannot happen: raw was decoded as JSON
				return append(dst, raw...)
			}
			return append(dst, b...)
		}
	}
	return append(dst, raw...)
}
