package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/bits"
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
	goldText      string // the text of gold, when goldIsText
	goldIsText    bool   // gold is a string and goldText its text
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
	switch string(key) {
	case "id":
		return fieldID
	case "gold":
		return fieldGold
	case "pred":
		return fieldPred
	case "spec":
		return fieldSpec
	case "sample":
		return fieldSample
	case "completion":
		return fieldCompletion
	}
	for _, name := range fieldNames[fieldID:] {
		if foldsTo(key, name) {
			return fieldFolded
		}
	}
	return fieldNone
}

// foldsTo reports whether the ASCII key equals name, a lower-case word,
// ignoring case.
func foldsTo(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i := range key {
		if key[i]|0x20 != name[i] {
			return false
		}
	}
	return true
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
			var text []byte // the text of a string value of a known field
			switch {
			case i < len(line) && line[i] == '"' && field != fieldNone && field != fieldID:
				i, text = d.readString(line, i)
			case i < len(line) && line[i] == '"':
				i = scanString(line, i)
			default:
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
				in.goldIsText = v[0] == '"'
				if in.goldIsText {
					in.goldText = string(text)
				}
			case fieldPred, fieldCompletion, fieldSpec, fieldSample:
				var s string
				var set bool
				switch v[0] {
				case '"':
					s, set = string(text), true
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
		return scanString(b, i)
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
			if i = scanString(b, i); i < 0 {
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

// nextSpecial returns the index of the first byte of b[i:] that is a
// quote, a backslash, a control character or non-ASCII, or len(b).
func nextSpecial(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		// eight bytes at a time; each test flags its first match exactly
		// (a borrow can only flag bytes above it)
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ (lsb * '"')
		s := x ^ (lsb * '\\')
		if m := ((x-lsb*0x20)&^x | (q-lsb)&^q | (s-lsb)&^s | x) & msb; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return i
		}
	}
	return i
}

// scanString returns the end of the JSON string literal at b[i] (a
// quote), or -1 when it is not valid JSON.
func scanString(b []byte, i int) int {
	i++
	for {
		if i = nextSpecial(b, i); i >= len(b) {
			return -1
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1
		case c == '\\':
			if i = skipEscape(b, i); i < 0 {
				return -1
			}
		case c < 0x20:
			return -1
		default:
			i++
		}
	}
}

// skipEscape returns the end of the escape at b[i] (a backslash), or -1.
func skipEscape(b []byte, i int) int {
	if i+1 >= len(b) {
		return -1
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2
	case 'u':
		if getu4(b[i:]) < 0 {
			return -1
		}
		return i + 6
	}
	return -1
}

// readString reads the JSON string literal at b[i] (a quote). It returns
// the literal's end, or -1 when it is not valid JSON, and its text as
// encoding/json decodes it: invalid UTF-8 and unpaired surrogates become
// U+FFFD. The text is a piece of b when it is the literal's body as it
// is, else of d.buf, valid until the next call.
func (d *lineDecoder) readString(b []byte, i int) (int, []byte) {
	i++
	start := i // b[start:i] is text not yet copied to d.buf
	copied := false
	d.buf = d.buf[:0]
	for {
		if i = nextSpecial(b, i); i >= len(b) {
			return -1, nil
		}
		switch c := b[i]; {
		case c == '"':
			if !copied {
				return i + 1, b[start:i]
			}
			d.buf = append(d.buf, b[start:i]...)
			return i + 1, d.buf
		case c == '\\':
			end := skipEscape(b, i)
			if end < 0 {
				return -1, nil
			}
			d.buf = append(d.buf, b[start:i]...)
			copied = true
			switch e := b[i+1]; e {
			case 'b':
				d.buf = append(d.buf, '\b')
			case 'f':
				d.buf = append(d.buf, '\f')
			case 'n':
				d.buf = append(d.buf, '\n')
			case 'r':
				d.buf = append(d.buf, '\r')
			case 't':
				d.buf = append(d.buf, '\t')
			case 'u':
				rr := getu4(b[i:])
				if utf16.IsSurrogate(rr) {
					// a pair, or U+FFFD for the first half alone
					if dec := utf16.DecodeRune(rr, getu4(b[end:])); dec != unicode.ReplacementChar {
						rr, end = dec, end+6
					} else {
						rr = unicode.ReplacementChar
					}
				}
				d.buf = utf8.AppendRune(d.buf, rr)
			default: // '"', '\\', '/'
				d.buf = append(d.buf, e)
			}
			i, start = end, end
		case c < 0x20:
			return -1, nil
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				d.buf = append(d.buf, b[start:i]...)
				d.buf = append(d.buf, "\uFFFD"...)
				copied = true
				start = i + 1
			}
			i += size
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
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
		if end, text := d.readString(raw, 0); end == len(raw) {
			return string(text), nil
		}
	case c == 'n':
		return "", nil
	case c == '-' || '0' <= c && c <= '9':
		return string(raw), nil
	}
	return "", errors.New(`"gold" must be a string or a number`)
}
