// Package jsonw writes JSON strings and numbers byte for byte as
// encoding/json's Marshal does, without reflection or allocation: the
// encoders of poly grade's output lines and poly serve's responses use it.
package jsonw

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// lsb and msb are the low and high bit of each byte of a uint64, for
// checking eight bytes at a time.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// AppendFloat appends x as encoding/json writes a float64.
func AppendFloat(dst []byte, x float64) []byte {
	switch {
	case x == 1:
		return append(dst, '1')
	case x == 0 && !math.Signbit(x):
		return append(dst, '0')
	}
	abs := math.Abs(x)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, x, format, -1, 64)
	if format == 'e' {
		// e-09 is written e-9
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// AppendString appends s as a JSON string the way json.Marshal writes it:
// <, > and & escaped (HTML-safe), U+2028 and U+2029 escaped, invalid
// UTF-8 replaced by U+FFFD.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		// eight bytes at a time while all are written as they are
		for i+8 <= len(s) && htmlSafe8(s[i:i+8]) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		if b := s[i]; b < utf8.RuneSelf {
			if htmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// htmlSafe8 reports whether json.Marshal writes the eight bytes of s as
// they are: none is a control character, non-ASCII, or one of "\<>&.
func htmlSafe8(s string) bool {
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	l := x ^ (lsb * '<')
	g := x ^ (lsb * '>')
	a := x ^ (lsb * '&')
	return ((x-lsb*0x20)&^x|(q-lsb)&^q|(b-lsb)&^b|(l-lsb)&^l|(g-lsb)&^g|(a-lsb)&^a|x)&msb == 0
}

// htmlSafe is the ASCII bytes json.Marshal writes as they are.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
