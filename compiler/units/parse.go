package units

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// maxUnitDepth bounds parenthesis nesting in a unit expression.
const maxUnitDepth = 64

type tokKind int

const (
	tEOF   tokKind = iota
	tIdent         // a unit symbol
	tNum           // digits
	tMul           // * · ⋅
	tDiv           // /
	tPow           // ^ or **
	tSup           // superscript exponent, value in n
	tMinus         // -
	tPlus          // +
	tLParen
	tRParen
	tNewline // ends a scan
	tOther   // anything else
)

type token struct {
	kind       tokKind
	text       string
	off, end   int
	n          int  // tSup value
	spaceAfter bool // followed by spaces or tabs
}

// lexUnit splits s into tokens. It never fails: unknown bytes become tOther.
func lexUnit(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		start := i
		switch {
		case r == ' ' || r == '\t':
			i += w
			if len(toks) > 0 {
				toks[len(toks)-1].spaceAfter = true
			}
			continue
		case r == '\n' || r == '\r':
			toks = append(toks, token{kind: tNewline, off: i, end: i + w})
			i += w
			continue
		case r == '*' && i+1 < len(s) && s[i+1] == '*':
			toks = append(toks, token{kind: tPow, text: "**", off: i, end: i + 2})
			i += 2
			continue
		case r == '*' || r == '·' || r == '⋅' || r == '.':
			toks = append(toks, token{kind: tMul, text: s[i : i+w], off: i, end: i + w})
		case r == '/':
			toks = append(toks, token{kind: tDiv, text: "/", off: i, end: i + 1})
		case r == '^' && strings.HasPrefix(s[i+1:], "°"):
			// "^°C" (from LaTeX "^{\circ}C"): the caret adds nothing.
			i++
			continue
		case r == '^':
			toks = append(toks, token{kind: tPow, text: "^", off: i, end: i + 1})
		case r == '-':
			toks = append(toks, token{kind: tMinus, text: "-", off: i, end: i + 1})
		case r == '+':
			toks = append(toks, token{kind: tPlus, text: "+", off: i, end: i + 1})
		case r == '(':
			toks = append(toks, token{kind: tLParen, text: "(", off: i, end: i + 1})
		case r == ')':
			toks = append(toks, token{kind: tRParen, text: ")", off: i, end: i + 1})
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tNum, text: s[i:j], off: i, end: j})
			i = j
			continue
		case isSup(r):
			j, sign, val, digits := i, 1, 0, 0
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if r2 == '⁻' && j == i {
					sign = -1
				} else if r2 == '⁺' && j == i {
				} else if d := supValue(r2); d >= 0 {
					if val < 1000 {
						val = val*10 + d
					}
					digits++
				} else {
					break
				}
				j += w2
			}
			t := token{kind: tSup, text: s[i:j], off: i, end: j, n: sign * val}
			if digits == 0 {
				t.kind = tOther
			}
			toks = append(toks, t)
			i = j
			continue
		case isIdentStart(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isIdentStart(r2) && !(r2 >= '0' && r2 <= '9') {
					break
				}
				j += w2
			}
			toks = append(toks, token{kind: tIdent, text: s[i:j], off: i, end: j})
			i = j
			continue
		default:
			toks = append(toks, token{kind: tOther, text: s[i : i+w], off: i, end: i + w})
		}
		i = start + w
	}
	toks = append(toks, token{kind: tEOF, off: len(s), end: len(s)})
	return toks
}

func isIdentStart(r rune) bool {
	switch r {
	case '_', '%', '‰', '°', '℃', '℉', 'Ω', 'Å':
		return true
	}
	return unicode.IsLetter(r)
}

func isSup(r rune) bool { return r == '⁻' || r == '⁺' || supValue(r) >= 0 }

func supValue(r rune) int {
	switch r {
	case '⁰':
		return 0
	case '¹':
		return 1
	case '²':
		return 2
	case '³':
		return 3
	}
	if r >= '⁴' && r <= '⁹' {
		return int(r-'⁴') + 4
	}
	return -1
}

type unitParser struct {
	src   string
	toks  []token
	pos   int
	depth int
	scan  bool              // ScanUnit mode: stop at what cannot continue
	stop  func(string) bool // ScanUnit: words that end the unit
}

func (p *unitParser) peek() token { return p.toks[p.pos] }
func (p *unitParser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *unitParser) errAt(t token, format string, args ...any) error {
	end := t.end
	if end <= t.off {
		end = t.off
	}
	return &ParseError{Text: p.src, Offset: t.off, End: end, Msg: fmt.Sprintf(format, args...)}
}

// Parse parses a unit expression: unit symbols (with SI prefixes where the
// unit takes them) combined with "*", "·", "⋅", "." ("N.m"), "/", juxtaposition (a space),
// parentheses and integer exponents ("^2", "^-1", "^(-1)", "**2", "²",
// "⁻¹"). Juxtaposition binds tighter than "*" and "/", so "J/mol K" is
// J/(mol*K); "*" and "/" associate to the left ("m/s/s" is m/s^2). "1" may
// stand for the dimensionless unit ("1/s"). Errors are *ParseError values
// with byte offsets into s.
func Parse(s string) (Unit, error) {
	if u, ok := parseCache.Load(s); ok {
		return u.(Unit), nil
	}
	u, err := parse(s)
	if err == nil && len(s) <= maxCachedLen && parseCacheLen.Load() < maxCached {
		if _, loaded := parseCache.LoadOrStore(s, u); !loaded {
			parseCacheLen.Add(1)
		}
	}
	return u, err
}

// The parse cache: units are immutable, so successfully parsed texts are
// kept (a bounded number of short ones) and shared.
var (
	parseCache    sync.Map
	parseCacheLen atomic.Int64
)

const (
	maxCached    = 4096
	maxCachedLen = 64
)

func parse(s string) (Unit, error) {
	p := &unitParser{src: s, toks: lexUnit(s)}
	if p.peek().kind == tEOF {
		return Unit{}, &ParseError{Text: s, Msg: "empty unit"}
	}
	terms, err := p.expr()
	if err != nil {
		return Unit{}, err
	}
	if t := p.peek(); t.kind != tEOF {
		return Unit{}, p.unexpected(t)
	}
	return p.unit(terms)
}

// unit builds the unit of the parsed terms; an error (an exponent out of
// range) is placed on the whole text.
func (p *unitParser) unit(terms []term) (Unit, error) {
	u, err := newUnit(terms)
	if err != nil {
		end := 0
		if p.pos > 0 {
			end = p.toks[p.pos-1].end
		}
		return Unit{}, &ParseError{Text: p.src, Offset: 0, End: end, Msg: err.Error()}
	}
	return u, nil
}

// ScanUnit parses the longest unit expression at the start of s and
// returns it with the number of bytes it used (trailing spaces not
// included). It stops before a newline, before any token that cannot
// continue a unit (",", "+", "=", an unmatched ")" ...) and before a word
// for which stop returns true when that word would be a juxtaposed factor
// (so in "m in km" with stop("in") the unit is "m"). A unit operator that is
// not followed by a unit is an error, as in Parse.
func ScanUnit(s string, stop func(word string) bool) (Unit, int, error) {
	p := &unitParser{src: s, toks: lexUnit(s), scan: true, stop: stop}
	if !p.startsFactor(p.peek()) {
		return Unit{}, 0, p.errAt(p.peek(), "expected a unit")
	}
	terms, err := p.expr()
	if err != nil {
		return Unit{}, 0, err
	}
	end := 0
	if p.pos > 0 {
		end = p.toks[p.pos-1].end
	}
	u, err := p.unit(terms)
	if err != nil {
		return Unit{}, 0, err
	}
	return u, end, nil
}

func (p *unitParser) unexpected(t token) error {
	switch t.kind {
	case tRParen:
		return p.errAt(t, "unmatched \")\"")
	case tNewline:
		return p.errAt(t, "unexpected newline in unit")
	case tNum:
		return p.errAt(t, "unexpected number %q in unit (write exponents as ^%s)", t.text, t.text)
	}
	return p.errAt(t, "unexpected %q in unit", t.text)
}

// startsFactor reports whether t can start a factor.
func (p *unitParser) startsFactor(t token) bool {
	switch t.kind {
	case tIdent, tLParen:
		return true
	case tNum:
		return t.text == "1"
	}
	return false
}

// expr := prod (("*" | "/") prod)*
func (p *unitParser) expr() ([]term, error) {
	u, err := p.prod()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tMul && t.kind != tDiv {
			return u, nil
		}
		p.next()
		v, err := p.prod()
		if err != nil {
			return nil, err
		}
		sign := 1
		if t.kind == tDiv {
			sign = -1
		}
		if u, err = mergeTerms(u, v, sign); err != nil {
			return nil, p.errAt(t, "%v", err)
		}
	}
}

// prod := power (power)*   -- juxtaposition
func (p *unitParser) prod() ([]term, error) {
	u, err := p.power()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tIdent && t.kind != tLParen {
			return u, nil
		}
		if p.scan && t.kind == tIdent && p.stop != nil && p.stop(t.text) {
			return u, nil
		}
		v, err := p.power()
		if err != nil {
			return nil, err
		}
		if u, err = mergeTerms(u, v, 1); err != nil {
			return nil, p.errAt(t, "%v", err)
		}
	}
}

// power := atom (("^" | "**") int | superscript)?
func (p *unitParser) power() ([]term, error) {
	at := p.peek()
	u, err := p.atom()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	var k int
	switch t.kind {
	case tSup:
		p.next()
		k = t.n
	case tPow:
		p.next()
		if k, err = p.exponent(); err != nil {
			return nil, err
		}
	default:
		return u, nil
	}
	if k > 127 || k < -127 {
		return nil, p.errAt(t, "unit exponent %d out of range", k)
	}
	v, err := powTerms(u, k)
	if err != nil {
		return nil, p.errAt(at, "%v", err)
	}
	return v, nil
}

// exponent := sign? digits | "(" sign? digits ")"
func (p *unitParser) exponent() (int, error) {
	paren := false
	if p.peek().kind == tLParen {
		p.next()
		paren = true
	}
	sign := 1
	switch p.peek().kind {
	case tMinus:
		p.next()
		sign = -1
	case tPlus:
		p.next()
	}
	t := p.next()
	if t.kind != tNum {
		return 0, p.errAt(t, "expected an integer exponent")
	}
	k, err := strconv.Atoi(t.text)
	if err != nil || k > 127 {
		return 0, p.errAt(t, "unit exponent %s out of range", t.text)
	}
	if paren {
		c := p.next()
		if c.kind == tDiv {
			return 0, p.errAt(c, "unit exponents must be integers")
		}
		if c.kind != tRParen {
			return 0, p.errAt(c, "expected \")\" after exponent")
		}
	} else if n := p.peek(); n.kind == tDiv && p.toks[p.pos+1].kind == tNum && !t.spaceAfter && !n.spaceAfter {
		// "m^1/2" reads as (m^1)/2: reject the number after "/" with a hint.
		return 0, p.errAt(n, "unit exponents must be integers (a fraction exponent needs a dimension that allows it)")
	}
	return sign * k, nil
}

// atom := ident | "1" | "(" expr ")"
func (p *unitParser) atom() ([]term, error) {
	t := p.next()
	switch t.kind {
	case tIdent:
		pre, d, ok := lookupSymbol(t.text)
		if !ok {
			return nil, p.errAt(t, "%s", unknownMsg(t.text))
		}
		return []term{{p: pre, d: d, exp: 1}}, nil
	case tNum:
		if t.text == "1" {
			return nil, nil
		}
		return nil, p.errAt(t, "unexpected number %q in unit", t.text)
	case tLParen:
		p.depth++
		if p.depth > maxUnitDepth {
			return nil, p.errAt(t, "unit nested too deeply")
		}
		u, err := p.expr()
		if err != nil {
			return nil, err
		}
		c := p.next()
		if c.kind != tRParen {
			if c.kind == tEOF || c.kind == tNewline {
				return nil, p.errAt(t, "unclosed \"(\"")
			}
			return nil, p.unexpected(c)
		}
		p.depth--
		return u, nil
	case tEOF:
		return nil, p.errAt(t, "expected a unit at end of text")
	case tNewline:
		return nil, p.errAt(t, "expected a unit before the newline")
	}
	return nil, p.errAt(t, "expected a unit, found %q", t.text)
}

// unknownMsg explains an unknown unit symbol, with a hint where one helps.
func unknownMsg(s string) string {
	msg := fmt.Sprintf("unknown unit %q", s)
	// "m2" / "kmol2": an exponent written without "^".
	i := len(s)
	for i > 0 && isDigit(s[i-1]) {
		i--
	}
	if i > 0 && i < len(s) {
		if _, _, ok := lookupSymbol(s[:i]); ok {
			return msg + fmt.Sprintf(" (did you mean %s^%s?)", s[:i], s[i:])
		}
	}
	// A prefix on a unit that takes none ("kmin").
	for _, pn := range prefixNames {
		if len(s) > len(pn) && strings.HasPrefix(s, pn) {
			if d, ok := unitTable[s[len(pn):]]; ok && !d.prefix {
				return msg + fmt.Sprintf(" (%s takes no SI prefix)", s[len(pn):])
			}
		}
	}
	return msg
}
