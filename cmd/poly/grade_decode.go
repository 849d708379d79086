package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The input side of `poly grade`'s JSON. encoding/json spends several
// microseconds on a line (a Decoder, reflection, a second pass over the
// gold value); lineDecoder reads the flat objects of the common case in
// one pass and leaves every other line (malformed, a field of the wrong
// type, an escaped or case-folded key, deep nesting) to encoding/json, so
// results and error messages are those of encoding/json. The tests check
// the two against each other.

// lineIn is one decoded input line.
type lineIn struct {
	id, gold      []byte // raw JSON values; nil when absent
	pred          string
	hasPred       bool // pred was a string (not absent, not null)
	spec, sample  string
	completion    string
	hasCompletion bool
}

// lineDecoder decodes input lines; its scratch buffer makes it
// single-goroutine.
type lineDecoder struct {
	buf []byte
}

// maxFastDepth bounds the nesting the fast path skips over; deeper values
// go to encoding/json, whose limit (10000) decides.
const maxFastDepth = 256

// Field names of gradeIn, as encoding/json matches them.
const (
	fieldNone = iota
	fieldID
	fieldGold
	fieldPred
	fieldSpec
	fieldSample
	fieldCompletion
	fieldFolded // matches a field only ignoring case: left to encoding/json
)

var fieldNames = [...]string{
	fieldID: "id", fieldGold: "gold", fieldPred: "pred", fieldSpec: "spec",
	fieldSample: "sample", fieldCompletion: "completion",
}

// fieldOf names the gradeIn field of an ASCII key without escapes.
func fieldOf(key []byte) int {
	for f := fieldID; f <= fieldCompletion; f++ {
		if string(key) == fieldNames[f] {
			return f
		}
	}
	for f := fieldID; f <= fieldCompletion; f++ {
		if bytes.EqualFold(key, []byte(fieldNames[f])) {
			return fieldFolded
		}
	}
	return fieldNone
}

// decode decodes line as encoding/json's Decoder would decode it into a
// gradeIn, followed by nothing but white space; ok is false when it
// leaves the line to encoding/json.
func (d *lineDecoder) decode(line []byte) (in lineIn, ok bool) {
	i := skipSpace(line, 0)
	if i >= len(line) || line[i] != '{' {
		return in, false
	}
	i = skipSpace(line, i+1)
	if i < len(line) && line[i] == '}' {
		i++
	} else {
		for {
			// a key: plain ASCII, else encoding/json matches it
			if i >= len(line) || line[i] != '"' {
				return in, false
			}
			k := i + 1
			for k < len(line) && keyChar[line[k]] {
				k++
			}
			if k >= len(line) || line[k] != '"' {
				return in, false
			}
			field := fieldOf(line[i+1 : k])
			if field == fieldFolded {
				return in, false
			}
			i = skipSpace(line, k+1)
			if i >= len(line) || line[i] != ':' {
				return in, false
			}
			i = skipSpace(line, i+1)
			start := i
			var flags int
			if i < len(line) && line[i] == '"' {
				i, flags = scanString(line, i)
			} else {
				i = skipValue(line, i, 1)
			}
			if i < 0 {
				return in, false
			}
			v := line[start:i]
			switch field {
			case fieldID:
				in.id = v
			case fieldGold:
				in.gold = v
			case fieldPred, fieldCompletion, fieldSpec, fieldSample:
				var s string
				var set bool
				switch v[0] {
				case '"':
					s, set = d.str(v, flags), true
				case 'n':
					// null: a *string becomes nil, a string is left as it is
				default:
					return in, false // a type error, in encoding/json's words
				}
				switch field {
				case fieldPred:
					in.pred, in.hasPred = s, set
				case fieldCompletion:
					in.completion, in.hasCompletion = s, set
				case fieldSpec:
					if set {
						in.spec = s
					}
				case fieldSample:
					if set {
						in.sample = s
					}
				}
			}
			i = skipSpace(line, i)
			if i >= len(line) {
				return in, false
			}
			if line[i] == ',' {
				i = skipSpace(line, i+1)
				continue
			}
			if line[i] != '}' {
				return in, false
			}
			i++
			break
		}
	}
	if skipSpace(line, i) != len(line) {
		return in, false
	}
	return in, true
}

// str returns the text of the JSON string literal v (quotes included)
// with the flags scanString gave it.
func (d *lineDecoder) str(v []byte, flags int) string {
	body := v[1 : len(v)-1]
	if flags == 0 || flags == strNonASCII && utf8.Valid(body) {
		return string(body)
	}
	d.buf = appendUnquoted(d.buf[:0], body)
	return string(d.buf)
}

// keyChar is the bytes of a key the fast path matches itself.
var keyChar = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value at b[i:], or -1 when it is
// not valid JSON (or nests deeper than maxFastDepth). depth is the nesting
// of the value's container.
func skipValue(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		i, _ = scanString(b, i)
		return i
	case c == '{':
		if depth >= maxFastDepth {
			return -1
		}
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == '}' {
			return i + 1
		}
		for {
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			if i, _ = scanString(b, i); i < 0 {
				return -1
			}
			i = skipSpace(b, i)
			if i >= len(b) || b[i] != ':' {
				return -1
			}
			if i = skipValue(b, skipSpace(b, i+1), depth+1); i < 0 {
				return -1
			}
			i = skipSpace(b, i)
			if i >= len(b) {
				return -1
			}
			if b[i] == '}' {
				return i + 1
			}
			if b[i] != ',' {
				return -1
			}
			i = skipSpace(b, i+1)
		}
	case c == '[':
		if depth >= maxFastDepth {
			return -1
		}
		i = skipSpace(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1
		}
		for {
			if i = skipValue(b, i, depth+1); i < 0 {
				return -1
			}
			i = skipSpace(b, i)
			if i >= len(b) {
				return -1
			}
			if b[i] == ']' {
				return i + 1
			}
			if b[i] != ',' {
				return -1
			}
			i = skipSpace(b, i+1)
		}
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || '0' <= c && c <= '9':
		return skipNumber(b, i)
	}
	return -1
}

func skipLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// skipNumber returns the end of the JSON number at b[i:], or -1. What
// follows it is the caller's to check.
func skipNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return -1
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// Flags of a JSON string literal, from scanString.
const (
	strEscaped  = 1 << iota // has a backslash escape
	strNonASCII             // has bytes >= 0x80
)

// scanString returns the end of the JSON string literal at b[i] (a quote),
// or -1 when it is not valid JSON, and flags saying what is in it.
func scanString(b []byte, i int) (end int, flags int) {
	i++
	var high uint64 // the bytes looked at eight at a time, or'ed
	for {
		// eight bytes at a time while none is a quote, a backslash or a
		// control character (each test is exact when it finds nothing)
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			q := x ^ (lsb * '"')
			s := x ^ (lsb * '\\')
			if ((x-lsb*0x20)&^x|(q-lsb)&^q|(s-lsb)&^s)&msb != 0 {
				break
			}
			high |= x
			i += 8
		}
		if i >= len(b) {
			return -1, 0
		}
		switch c := b[i]; {
		case c == '"':
			if high&msb != 0 {
				flags |= strNonASCII
			}
			return i + 1, flags
		case c == '\\':
			flags |= strEscaped
			i++
			if i >= len(b) {
				return -1, 0
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if len(b)-i < 5 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1, 0
				}
				i += 5
			default:
				return -1, 0
			}
		case c < 0x20:
			return -1, 0
		default:
			high |= uint64(c)
			i++
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// appendUnquoted appends the text of the body s of a valid JSON string
// literal, the way encoding/json unquotes it: invalid UTF-8 and unpaired
// surrogates become U+FFFD.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		// the run up to the next escape
		run := s[r:]
		if k := bytes.IndexByte(run, '\\'); k >= 0 {
			run = run[:k]
		}
		if utf8.Valid(run) {
			dst = append(dst, run...)
		} else {
			for j := 0; j < len(run); {
				rr, size := utf8.DecodeRune(run[j:])
				dst = utf8.AppendRune(dst, rr)
				j += size
			}
		}
		r += len(run)
		if r == len(s) {
			break
		}
		r++ // s[r] is the letter of an escape
		switch s[r] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			rr := getu4(s[r-1:])
			r += 5
			if utf16.IsSurrogate(rr) {
				if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
					dst = utf8.AppendRune(dst, dec)
					r += 6
					continue
				}
				rr = unicode.ReplacementChar
			}
			dst = utf8.AppendRune(dst, rr)
			continue
		default: // '"', '\\', '/'
			dst = append(dst, s[r])
		}
		r++
	}
	return dst
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// decodeStd decodes line with encoding/json: the reference, and the path
// of every line the fast decoder leaves.
func decodeStd(line []byte) (lineIn, error) {
	if len(bytes.TrimSpace(line)) == 0 {
		return lineIn{}, errors.New("empty line")
	}
	var in gradeIn
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return lineIn{}, errors.New("malformed JSON: " + err.Error())
	}
	out := lineIn{id: in.ID, gold: in.Gold, spec: in.Spec, sample: in.Sample}
	if in.Pred != nil {
		out.pred, out.hasPred = *in.Pred, true
	}
	if in.Completion != nil {
		out.completion, out.hasCompletion = *in.Completion, true
	}
	if dec.More() {
		return out, errors.New("malformed JSON: more than one value on the line")
	}
	return out, nil
}

// goldText accepts a gold answer, a valid JSON value, as a string or a
// number (null reads as ""), as encoding/json would decode it into a
// string or else a json.Number.
func goldText(raw []byte) (string, error) {
	switch c := raw[0]; {
	case c == '"':
		var d lineDecoder
		end, flags := scanString(raw, 0)
		if end != len(raw) {
			return "", errors.New(`"gold" must be a string or a number`)
		}
		return d.str(raw, flags), nil
	case c == 'n':
		return "", nil
	case c == '-' || '0' <= c && c <= '9':
		return string(raw), nil
	}
	return "", errors.New(`"gold" must be a string or a number`)
}
