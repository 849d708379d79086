package lang

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types of the .poly lexer. The lexer is hand-written (not a regexp
// lexer) because units depend on context: a unit is only read right after
// a number, after the keyword `in`, and after the `}` of a set (see
// scanUnit and docs/lang-syntax.md).
const (
	tokEOF     = lexer.EOF
	tokIdent   = lexer.TokenType(-2 - iota)
	tokKeyword // reserved word
	tokNumber  // 12, 3.5, 6.02e23
	tokUnit    // m/s^2 after a number, `in` or a set
	tokString  // "..." or """..."""
	tokCheck   // raw rest-of-line program after `check`
	tokPunct   // operators and punctuation
)

var tokNames = map[string]lexer.TokenType{
	"EOF": tokEOF, "Ident": tokIdent, "Keyword": tokKeyword, "Number": tokNumber,
	"Unit": tokUnit, "String": tokString, "Check": tokCheck, "Punct": tokPunct,
}

// keywords are reserved: they cannot name quantities, elements or units.
var keywords = map[string]bool{
	"sample": true, "family": true, "element": true, "import": true,
	"disciplines": true, "skills": true, "given": true, "let": true,
	"vary": true, "prompt": true, "system": true, "answer": true,
	"check": true, "expect": true, "solution": true, "train": true,
	"meta": true, "in": true, "step": true, "pass": true, "fail": true,
	"and": true, "or": true, "not": true, "true": true, "false": true,
}

// stmtKeywords start a statement inside a block.
var stmtKeywords = map[string]bool{
	"element": true, "disciplines": true, "skills": true, "given": true,
	"let": true, "vary": true, "prompt": true, "system": true,
	"answer": true, "check": true, "expect": true, "solution": true,
	"train": true, "meta": true,
}

// declKeywords start a top-level declaration.
var declKeywords = map[string]bool{"sample": true, "family": true, "element": true, "import": true}

// puncts are the multi-character operators, longest first.
var puncts = []string{"**", "..", "==", "!=", "<=", ">=", "&&", "||"}

// lexResult is what lexing a source produces.
type lexResult struct {
	toks     []lexer.Token // ends with an EOF token
	comments []*Comment
	diags    Diagnostics
	// runaway is the unterminated """ string or block comment that ran
	// to the end of the file, if any.
	runaway *Diagnostic
}

// polyLexer scans .poly source.
type polyLexer struct {
	src  string
	file *File
	base int // offset of src[0] in file (for hole sub-lexing)
	pos  int
	out  lexResult
	// prev is the type and value of the last token emitted.
	prevType lexer.TokenType
	prevVal  string
}

// lex tokenises src (which starts at byte offset base of file).
func lex(file *File, src string, base int) lexResult {
	l := &polyLexer{src: src, file: file, base: base}
	l.run()
	return l.out
}

func (l *polyLexer) position(off int) lexer.Position {
	p := l.file.Pos(l.base + off)
	return lexer.Position{Filename: p.File, Offset: p.Offset, Line: p.Line, Column: p.Col}
}

func (l *polyLexer) rng(start, end int) Range {
	return Range{Start: l.file.Pos(l.base + start), End: l.file.Pos(l.base + end)}
}

func (l *polyLexer) emit(t lexer.TokenType, start, end int) {
	v := l.src[start:end]
	l.out.toks = append(l.out.toks, lexer.Token{Type: t, Value: v, Pos: l.position(start)})
	l.prevType, l.prevVal = t, v
}

func (l *polyLexer) errorf(start, end int, format string, args ...any) {
	l.out.diags.Errorf(l.rng(start, end), format, args...)
}

func (l *polyLexer) run() {
	if l.base == 0 && strings.HasPrefix(l.src, "\uFEFF") {
		l.pos = len("\uFEFF") // a byte order mark is ignored
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f':
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], "//"):
			end := strings.IndexByte(l.src[l.pos:], '\n')
			if end < 0 {
				end = len(l.src)
			} else {
				end += l.pos
			}
			text := strings.TrimRight(l.src[l.pos:end], " \t\r")
			l.out.comments = append(l.out.comments, &Comment{Range: l.rng(l.pos, l.pos+len(text)), Text: text})
			l.pos = end
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				l.errorf(l.pos, l.pos+2, "unterminated block comment")
				l.out.runaway = l.out.diags[len(l.out.diags)-1]
				end = len(l.src)
			} else {
				end += l.pos + 4
			}
			l.out.comments = append(l.out.comments, &Comment{Range: l.rng(l.pos, end), Text: l.src[l.pos:end]})
			l.pos = end
		case c == '"':
			l.lexString()
		case c >= '0' && c <= '9':
			l.lexNumber()
		case isIdentStart(l.src[l.pos:]):
			start := l.pos
			l.pos = scanIdent(l.src, l.pos)
			word := l.src[start:l.pos]
			if keywords[word] {
				l.emit(tokKeyword, start, l.pos)
				switch word {
				case "in":
					// `vary NAME in FROM..TO`: a domain follows, not a unit.
					if n := len(l.out.toks); n < 3 || l.out.toks[n-3].Value != "vary" || l.out.toks[n-3].Type != tokKeyword {
						l.maybeUnit(false)
					}
				case "check":
					l.lexCheck()
				}
			} else {
				l.emit(tokIdent, start, l.pos)
			}
		default:
			start := l.pos
			for _, p := range puncts {
				if strings.HasPrefix(l.src[l.pos:], p) {
					l.pos += len(p)
					l.emit(tokPunct, start, l.pos)
					break
				}
			}
			if l.pos > start {
				continue
			}
			if strings.IndexByte("+-*/%^()[]{},=<>!.:", c) >= 0 {
				l.pos++
				l.emit(tokPunct, start, l.pos)
				if c == '}' {
					l.maybeUnit(false)
				}
				continue
			}
			r, size := utf8.DecodeRuneInString(l.src[l.pos:])
			if r == utf8.RuneError && size <= 1 {
				l.errorf(start, start+1, "invalid UTF-8 byte 0x%02x", c)
				size = 1
			} else {
				l.errorf(start, start+size, "unexpected character %q", r)
			}
			l.pos += size
		}
	}
	l.out.toks = append(l.out.toks, lexer.EOFToken(l.position(len(l.src))))
}

// lexNumber scans digits [. digits] [e [+-] digits] and an optional unit.
func (l *polyLexer) lexNumber() {
	start := l.pos
	s := l.src
	i := scanDigits(s, l.pos)
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i = scanDigits(s, i+1)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = scanDigits(s, j)
		}
	}
	l.pos = i
	l.emit(tokNumber, start, i)
	l.maybeUnit(true)
}

// maybeUnit reads a unit token at l.pos when one follows on the same line
// (after spaces). afterNumber allows the `%` and `1/x` forms.
func (l *polyLexer) maybeUnit(afterNumber bool) {
	s := l.src
	i := l.pos
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) {
		return
	}
	if s[i] == '%' {
		// `50%`, `50 %` and `{5, 10} %` are percent; `7 % 3` and `7%x`
		// (an operand follows) are the modulo operator.
		j := i + 1
		k := j
		for k < len(s) {
			if s[k] == ' ' || s[k] == '\t' {
				k++
			} else if e := strings.Index(s[k:], "*/"); strings.HasPrefix(s[k:], "/*") && e > 0 {
				k += e + 2
			} else {
				break
			}
		}
		operand := k < len(s) && (isDigit(s[k]) || s[k] == '(')
		if k < len(s) && isIdentStart(s[k:]) {
			w := s[k:scanIdent(s, k)]
			operand = !keywords[w] || w == "not" || w == "true" || w == "false"
		}
		if operand {
			return
		}
		l.pos = j
		l.emit(tokUnit, i, j)
		return
	}
	if !afterNumber && !isUnitStart(s[i:]) && !(s[i] == '1' && i+1 < len(s) && s[i+1] == '/') {
		return
	}
	end, ok := scanUnit(s, i, true)
	if !ok {
		return
	}
	// A word followed by `=` is the key of the next field
	// (`rollouts = 8  lr = 1e-6`), not a unit.
	j := end
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j < len(s) && s[j] == '=' && (j+1 >= len(s) || s[j+1] != '=') {
		return
	}
	l.pos = end
	l.emit(tokUnit, i, end)
}

// scanUnit scans a unit starting at s[i] and returns its end. A unit is
//
//	unit := term {("/" | "*" | "." | "·") term}
//	term := (atom | "(" unit ")" | "1") [exponent]
//	exponent := "^" ["-"] digits | superscript digits
//
// with no spaces inside; the first atom must not be a keyword. ok is false
// when no unit starts at i.
func scanUnit(s string, i int, allowOne bool) (int, bool) {
	if !allowOne && !isUnitStart(s[i:]) && s[i] != '(' {
		return 0, false
	}
	// The first atom may not be a keyword.
	if isUnitStart(s[i:]) {
		e := scanAtom(s, i)
		if keywords[s[i:e]] {
			return 0, false
		}
	}
	end, ok := scanUnitExpr(s, i, 0, allowOne)
	return end, ok
}

func scanUnitExpr(s string, i, depth int, allowOne bool) (int, bool) {
	i, ok := scanTerm(s, i, depth, allowOne)
	if !ok {
		return 0, false
	}
	for i < len(s) {
		op := 0
		switch {
		case s[i] == '/' || s[i] == '*' || s[i] == '.':
			op = 1
		case strings.HasPrefix(s[i:], "·"):
			op = len("·")
		}
		if op == 0 {
			break
		}
		if s[i] == '.' && i+1 < len(s) && s[i+1] == '.' {
			break // `5 m..10 m`
		}
		j, ok := scanTerm(s, i+op, depth, false)
		if !ok {
			break
		}
		i = j
	}
	return i, true
}

func scanTerm(s string, i, depth int, allowOne bool) (int, bool) {
	if i >= len(s) {
		return 0, false
	}
	switch {
	case s[i] == '(' && depth < 8:
		j, ok := scanUnitExpr(s, i+1, depth+1, true)
		if !ok || j >= len(s) || s[j] != ')' {
			return 0, false
		}
		i = j + 1
	case allowOne && s[i] == '1' && i+1 < len(s) && s[i+1] == '/' && (i+2 >= len(s) || !isDigit(s[i+2])):
		// `1/mol`: only as the start of a unit, and only if a term follows.
		if _, ok := scanTerm(s, i+2, depth, false); !ok {
			return 0, false
		}
		return i + 1, true
	case isUnitStart(s[i:]):
		i = scanAtom(s, i)
	default:
		return 0, false
	}
	// exponent
	if i < len(s) && s[i] == '^' {
		j := i + 1
		if j < len(s) && s[j] == '-' {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			i = scanDigits(s, j)
		}
	} else {
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isSuperscript(r) {
				break
			}
			i += size
		}
	}
	return i, true
}

// scanAtom scans a unit name: a letter (or °, µ, Ω, Å, %) followed by
// letters, digits and _.
func scanAtom(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	i += size
	if r == '%' || r == '‰' {
		return i
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) && r < 0x80 || r == '_' || r == '°') {
			break
		}
		i += size
	}
	return i
}

func isUnitStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || r == '°' || r == '%' || r == '‰'
}

func isSuperscript(r rune) bool {
	return strings.ContainsRune("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", r)
}

func isIdentStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || r == '_'
}

func scanIdent(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			break
		}
		i += size
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func scanDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// lexString scans "..." (escape \" only, single line) or """...""".
func (l *polyLexer) lexString() {
	start := l.pos
	s := l.src
	if strings.HasPrefix(s[start:], `"""`) {
		end := strings.Index(s[start+3:], `"""`)
		if end < 0 {
			l.errorf(start, start+3, `unterminated """ string`)
			l.out.runaway = l.out.diags[len(l.out.diags)-1]
			l.pos = len(s)
			l.emit(tokString, start, l.pos)
			return
		}
		l.pos = start + 3 + end + 3
		l.emit(tokString, start, l.pos)
		return
	}
	i := start + 1
	for i < len(s) && s[i] != '"' && s[i] != '\n' {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == '"' {
			i++
		}
		i++
	}
	if i >= len(s) || s[i] == '\n' {
		l.errorf(start, i, "unterminated string (use \"\"\" for text over several lines)")
		l.pos = i
		l.emit(tokString, start, l.pos)
		return
	}
	l.pos = i + 1
	l.emit(tokString, start, l.pos)
}

// lexCheck reads the program after `check`: a string literal, or the rest
// of the line up to a `//` comment outside the program's string literals
// or a closing bracket that the program did not open.
func (l *polyLexer) lexCheck() {
	s := l.src
	i := l.pos
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i >= len(s) || s[i] == '"' || s[i] == '\n' || s[i] == '\r' || strings.HasPrefix(s[i:], "//") {
		return
	}
	start := i
	end := i
	depth := 0
	var quote byte
	for i < len(s) && s[i] != '\n' {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && i+1 < len(s) && s[i+1] != '\n' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case strings.HasPrefix(s[i:], "//"):
			goto done
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				// `sample s { check pred > 0 }`: the block's brace.
				goto done
			}
			depth--
		}
		i++
		if c != ' ' && c != '\t' && c != '\r' {
			end = i
		}
	}
done:
	l.pos = end
	l.emit(tokCheck, start, end)
}

// tokenLexer replays a token slice to participle.
type tokenLexer struct {
	toks []lexer.Token
	i    int
}

func (t *tokenLexer) Next() (lexer.Token, error) {
	if t.i >= len(t.toks) {
		return t.toks[len(t.toks)-1], nil
	}
	tok := t.toks[t.i]
	t.i++
	return tok, nil
}

// lexDef is the participle lexer definition. Parsing goes through
// ParseFromLexer with pre-lexed tokens; Lex exists for completeness.
type lexDef struct{}

func (lexDef) Symbols() map[string]lexer.TokenType { return tokNames }

func (lexDef) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	res := lex(NewFile(filename, b), string(b), 0)
	return &tokenLexer{toks: res.toks}, nil
}
