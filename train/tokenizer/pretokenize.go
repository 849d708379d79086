package tokenizer

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// qwenPattern is the Split regex of Qwen2, Qwen2.5 and Qwen3 (and of our
// default tokenizer); qwenSplit implements it without a regex engine.
const qwenPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`

// gpt2Pattern is the regex of the ByteLevel pre-tokenizer with use_regex.
const gpt2Pattern = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`

// preTokenizer splits a piece of normalized text into smaller pieces,
// appending them to dst.
type preTokenizer interface {
	split(dst []string, s string) []string
}

// seqPre applies its pre-tokenizers in turn to every piece.
type seqPre []preTokenizer

func (q seqPre) split(dst []string, s string) []string {
	pieces := []string{s}
	var next []string
	for _, p := range q {
		next = next[:0]
		for _, piece := range pieces {
			next = p.split(next, piece)
		}
		pieces, next = next, pieces
	}
	return append(dst, pieces...)
}

// byteLevelPre is HF's ByteLevel pre-tokenizer: the byte mapping itself is
// done by the BPE stage; here only add_prefix_space and the optional GPT-2
// regex split.
type byteLevelPre struct {
	addPrefixSpace bool
	re             preTokenizer // nil unless use_regex
}

func (b byteLevelPre) split(dst []string, s string) []string {
	if b.addPrefixSpace && !strings.HasPrefix(s, " ") {
		s = " " + s
	}
	if b.re == nil {
		return append(dst, s)
	}
	return b.re.split(dst, s)
}

// splitBehavior is HF's SplitDelimiterBehavior.
type splitBehavior int

const (
	isolated splitBehavior = iota
	removed
	mergedWithPrevious
	mergedWithNext
)

// matcher finds the matches of a pattern in a string as byte ranges.
type matcher interface {
	matches(s string, fn func(start, end int))
}

// splitPre is HF's Split pre-tokenizer.
type splitPre struct {
	m        matcher
	behavior splitBehavior
}

func (p splitPre) split(dst []string, s string) []string {
	last := 0 // start of the piece being built
	p.m.matches(s, func(a, b int) {
		switch p.behavior {
		case isolated:
			if a > last {
				dst = append(dst, s[last:a])
			}
			dst = append(dst, s[a:b])
			last = b
		case removed:
			if a > last {
				dst = append(dst, s[last:a])
			}
			last = b
		case mergedWithPrevious:
			dst = append(dst, s[last:b])
			last = b
		case mergedWithNext:
			if a > last {
				dst = append(dst, s[last:a])
			}
			last = a
		}
	})
	if last < len(s) {
		dst = append(dst, s[last:])
	}
	return dst
}

// qwenMatcher is the hand-written scanner for qwenPattern.
type qwenMatcher struct{}

func (qwenMatcher) matches(s string, fn func(a, b int)) {
	for i := 0; i < len(s); {
		n := qwenNext(s[i:])
		fn(i, i+n)
		i += n
	}
}

// qwenSplitAll returns the pieces qwenPattern splits s into.
func qwenSplitAll(s string) []string {
	var out []string
	qwenMatcher{}.matches(s, func(a, b int) { out = append(out, s[a:b]) })
	return out
}

// asciiClass holds the character class of every ASCII byte.
var asciiClass [128]uint8

const (
	clLetter uint8 = 1 << iota
	clNumber
	clSpace
)

func init() {
	for c := 0; c < 128; c++ {
		r := rune(c)
		switch {
		case unicode.IsLetter(r):
			asciiClass[c] = clLetter
		case unicode.IsNumber(r):
			asciiClass[c] = clNumber
		case unicode.IsSpace(r):
			asciiClass[c] = clSpace
		}
	}
}

// class returns the class bits of r: \p{L}, \p{N}, \s (White_Space), or 0.
func class(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.IsLetter(r):
		return clLetter
	case unicode.IsNumber(r):
		return clNumber
	case unicode.IsSpace(r):
		return clSpace
	}
	return 0
}

// decode returns the first rune of s and its width; an invalid byte
// decodes as U+FFFD (width 1), which is neither letter, number nor space,
// as in Oniguruma. s must not be empty.
func decode(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

// runLen returns the byte length of the longest prefix of s whose runes all
// have class c.
func runLen(s string, c uint8) int {
	i := 0
	for i < len(s) {
		r, n := decode(s[i:])
		if class(r)&c == 0 {
			break
		}
		i += n
	}
	return i
}

// foldEq reports whether r equals the lower-case ASCII letter l under
// Unicode simple case folding (so 'S' and U+017F LONG S match 's').
func foldEq(r rune, l byte) bool {
	if r == rune(l) || r == rune(l-'a'+'A') {
		return true
	}
	return l == 's' && r == 0x17F
}

// contractionLen returns the length of one of s, t, re, ve, m, ll, d
// (case-insensitive) at the start of s, or 0.
func contractionLen(s string) int {
	if s == "" {
		return 0
	}
	r0, n0 := decode(s)
	for _, c := range [...]byte{'s', 't', 'm', 'd'} {
		if foldEq(r0, c) {
			return n0
		}
	}
	if len(s) == n0 {
		return 0
	}
	r1, n1 := decode(s[n0:])
	for _, c := range [...][2]byte{{'r', 'e'}, {'v', 'e'}, {'l', 'l'}} {
		if foldEq(r0, c[0]) && foldEq(r1, c[1]) {
			return n0 + n1
		}
	}
	return 0
}

// qwenNext returns the byte length of the match of qwenPattern at the start
// of the non-empty s. Every rune is matched by some alternative, so the
// matches tile the input. Each step below is one alternative of the regex,
// tried in order, with the backtracking the regex engine would do written
// out.
func qwenNext(s string) int {
	r0, n0 := decode(s)
	c0 := class(r0)
	// 1. (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if r0 == '\'' {
		if l := contractionLen(s[n0:]); l > 0 {
			return n0 + l
		}
	}
	// 2. [^\r\n\p{L}\p{N}]?\p{L}+
	if c0 == clLetter {
		return n0 + runLen(s[n0:], clLetter)
	}
	if r0 != '\r' && r0 != '\n' && c0 != clNumber && len(s) > n0 {
		if r1, n1 := decode(s[n0:]); class(r1) == clLetter {
			return n0 + n1 + runLen(s[n0+n1:], clLetter)
		}
	}
	// 3. \p{N}
	if c0 == clNumber {
		return n0
	}
	// 4. ' ?[^\s\p{L}\p{N}]+[\r\n]*'
	i := 0
	if r0 == ' ' {
		i = 1
	}
	if j := i + otherLen(s[i:]); j > i {
		return j + crlfLen(s[j:])
	}
	// r0 is whitespace from here on.
	ws := runLen(s, clSpace)
	// 5. \s*[\r\n]+ : the run up to its last CR or LF.
	if k := strings.LastIndexAny(s[:ws], "\r\n"); k >= 0 {
		return k + 1
	}
	// 6. \s+(?!\S) : the whole run at the end of the text, else the run
	// less its last rune when that leaves at least one.
	if ws == len(s) {
		return ws
	}
	if _, last := utf8.DecodeLastRuneInString(s[:ws]); ws > last {
		return ws - last
	}
	// 7. \s+
	return ws
}

// otherLen is the byte length of the longest prefix of s of runes that are
// neither letters, numbers nor whitespace.
func otherLen(s string) int {
	i := 0
	for i < len(s) {
		r, n := decode(s[i:])
		if class(r) != 0 {
			break
		}
		i += n
	}
	return i
}

// crlfLen is the length of the longest prefix of s of CR and LF bytes.
func crlfLen(s string) int {
	i := 0
	for i < len(s) && (s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// regexMatcher runs a pattern with regexp2 (for patterns with look-around
// that are not qwenPattern).
type regexMatcher struct{ re *regexp2.Regexp }

func newRegexMatcher(pattern string) (regexMatcher, error) {
	re, err := regexp2.Compile(pattern, regexp2.Unicode)
	if err != nil {
		return regexMatcher{}, fmt.Errorf("pre-tokenizer regex %q: %v", pattern, err)
	}
	return regexMatcher{re}, nil
}

func (m regexMatcher) matches(s string, fn func(a, b int)) {
	// Runes and the byte offset of every rune index; an invalid byte is one
	// U+FFFD rune of width 1, as both []rune(s) and range do.
	rs := make([]rune, 0, len(s))
	off := make([]int, 0, len(s)+1)
	for i, r := range s {
		rs = append(rs, r)
		off = append(off, i)
	}
	off = append(off, len(s))
	match, err := m.re.FindRunesMatch(rs)
	for err == nil && match != nil {
		if match.Length > 0 {
			fn(off[match.Index], off[match.Index+match.Length])
		}
		match, err = m.re.FindNextMatch(match)
	}
}

// stringMatcher matches a literal string.
type stringMatcher string

func (m stringMatcher) matches(s string, fn func(a, b int)) {
	if m == "" {
		return
	}
	for i := 0; ; {
		k := strings.Index(s[i:], string(m))
		if k < 0 {
			return
		}
		fn(i+k, i+k+len(m))
		i += k + len(m)
	}
}

// digitsPre is HF's Digits pre-tokenizer.
type digitsPre struct{ individual bool }

func (d digitsPre) split(dst []string, s string) []string {
	start := 0
	prevDigit := false
	for i, r := range s {
		isD := unicode.IsNumber(r)
		if i > start && (isD != prevDigit || (isD && d.individual)) {
			dst = append(dst, s[start:i])
			start = i
		}
		prevDigit = isD
	}
	if start < len(s) {
		dst = append(dst, s[start:])
	}
	return dst
}
