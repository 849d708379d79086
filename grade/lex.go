package grade

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// tkind is the kind of a LaTeX token.
type tkind uint8

const (
	tEOF     tkind = iota
	tNum           // 12, 1.5, .5, 1.2e3 (s holds the digits, normalised)
	tVar           // a single letter or a Greek letter (s holds the name)
	tWord          // a run of ≥2 letters that is no known function
	tText          // the content of \text{...}, \mathrm{...}, ...
	tFunc          // sin, cos, ln, log, exp, ... (s holds the name)
	tConst         // pi, e, infinity (s: "pi", "e", "inf")
	tOp            // + - * / ^ _ ! ' = < > <= >= != | (s holds it)
	tPM            // \pm
	tComma         // ,
	tSemi          // ;
	tLParen        // (
	tRParen        // )
	tLBrack        // [
	tRBrack        // ]
	tLBrace        // { (grouping)
	tRBrace        // }
	tLSet          // \{ or \lbrace
	tRSet          // \} or \rbrace
	tFrac          // \frac \dfrac \tfrac \cfrac
	tBinom         // \binom \dbinom \tbinom \choose
	tSqrt          // \sqrt
	tPercent       // % or \%
	tDegree        // ^\circ, ^{\circ}, °, \degree
	tAmp           // &
	tRowSep        // \\ (matrix rows)
	tBegin         // \begin{env} (s holds env)
	tEnd           // \end{env}
	tCup           // \cup
	tCap           // \cap
	tIn            // \in
	tAbs           // | or \lvert \rvert \mid (as a bracket)
	tColon         // :
	tCmd           // an unknown command (s holds its name)
	tAnd           // "and", "or", \text{ and }
)

// token is one lexical unit with its byte offset and whether white space
// (or a LaTeX spacing command) preceded it.
type token struct {
	s     string
	pos   int
	k     tkind
	space bool
}

// spacing commands are dropped (they only set the space flag).
var spacingCmds = map[string]bool{
	",": true, "!": true, ";": true, ":": true, " ": true, "quad": true, "qquad": true,
	"displaystyle": true, "textstyle": true, "left": true, "right": true, "big": true,
	"Big": true, "bigg": true, "Bigg": true, "bigl": true, "bigr": true, "Bigl": true,
	"Bigr": true, "biggl": true, "biggr": true, "middle": true, "limits": true,
	"nolimits": true, "hspace": true, "enspace": true, "thinspace": true, "negthinspace": true,
	"medspace": true, "thickspace": true, "mathstrut": true, "strut": true, "phantom": true,
	"tfrac_": true, "boxed": true, "fbox": true, "mathbf": true, "bm": true, "boldsymbol": true,
	"mathit": true, "mathnormal": true, "mathsf": true, "mathtt": true, "mathcal": true,
	"mathbb": true, "mathscr": true, "underline": true, "overline": true, "emph": true,
	"large": true, "Large": true, "small": true, "normalsize": true, "color": false,
	"leavevmode": true, "allowbreak": true, "nobreak": true,
}

// textCmds take one braced argument whose content is text.
var textCmds = map[string]bool{
	"text": true, "textrm": true, "textnormal": true, "mathrm": true, "mbox": true,
	"textit": true, "textbf": true, "textsf": true, "texttt": true, "operatorname": true,
	"textup": true, "hbox": true, "unit": true, "si": true,
}

var greek = map[string]bool{
	"alpha": true, "beta": true, "gamma": true, "delta": true, "epsilon": true, "varepsilon": true,
	"zeta": true, "eta": true, "theta": true, "vartheta": true, "iota": true, "kappa": true,
	"lambda": true, "mu": true, "nu": true, "xi": true, "rho": true, "sigma": true, "tau": true,
	"upsilon": true, "phi": true, "varphi": true, "chi": true, "psi": true, "omega": true,
	"Gamma": true, "Delta": true, "Theta": true, "Lambda": true, "Xi": true, "Pi": true,
	"Sigma": true, "Upsilon": true, "Phi": true, "Psi": true, "Omega": true, "ell": true,
}

// proseWords are short English words that would otherwise split into
// single-letter variables.
var proseWords = map[string]bool{
	"is": true, "it": true, "the": true, "so": true, "we": true, "be": true, "are": true,
	"was": true, "of": true, "to": true, "in": true, "on": true, "at": true, "by": true,
	"as": true, "an": true, "if": true, "for": true, "get": true, "has": true, "its": true,
	"my": true, "not": true, "all": true, "can": true, "but": true, "yes": true, "no": true,
	"let": true, "thus": true, "then": true, "this": true, "that": true, "with": true,
	"hence": true, "which": true, "where": true, "when": true, "from": true, "gives": true,
	"final": true, "answer": true, "there": true, "therefore": true, "equals": true,
}

var funcNames = map[string]bool{
	"sin": true, "cos": true, "tan": true, "sec": true, "csc": true, "cot": true,
	"arcsin": true, "arccos": true, "arctan": true, "sinh": true, "cosh": true, "tanh": true,
	"ln": true, "log": true, "exp": true, "lg": true, "abs": true,
}

// lexer turns LaTeX or plain text into tokens. Errors are reported through
// err; the lexer never panics and stops after maxTokens tokens.
type lexer struct {
	src   string
	i     int
	toks  []token
	space bool
	err   string
	max   int
	depth int
}

func lex(src string, maxTokens int) ([]token, string) {
	return lexInto(nil, src, maxTokens)
}

// lexInto is lex appending to buf[:0] (a buffer from tokenPool).
func lexInto(buf []token, src string, maxTokens int) ([]token, string) {
	n := len(src)/3 + 8
	if n > maxTokens+1 {
		n = maxTokens + 1
	}
	if cap(buf) < n {
		buf = make([]token, 0, n)
	}
	l := lexer{src: src, max: maxTokens, toks: buf[:0]}
	l.run()
	l.toks = append(l.toks, token{k: tEOF, pos: len(src)})
	return l.toks, l.err
}

// tokenPool recycles token slices between parses: tokens are dropped once
// the parser is done (nodes copy what they need).
var tokenPool = sync.Pool{New: func() any { return new([]token) }}

// maxPooledTokens bounds the slices kept in tokenPool.
const maxPooledTokens = 1024

func getTokens() *[]token { return tokenPool.Get().(*[]token) }

func putTokens(b *[]token, toks []token) {
	if cap(toks) > maxPooledTokens {
		return
	}
	clear(toks) // drop the references into the answer text
	*b = toks[:0]
	tokenPool.Put(b)
}

func (l *lexer) emit(k tkind, s string, pos int) {
	if len(l.toks) >= l.max {
		if l.err == "" {
			l.err = "answer too long"
		}
		l.i = len(l.src)
		return
	}
	l.toks = append(l.toks, token{k: k, s: s, pos: pos, space: l.space})
	l.space = false
	switch k {
	case tLParen, tLBrack, tLSet:
		l.depth++
	case tRParen, tRBrack, tRSet:
		l.depth--
	}
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// bracketDepth is the number of open ( [ \{ so that a comma in "1,234"
// inside brackets separates elements instead of grouping thousands.
func (l *lexer) bracketDepth() int { return l.depth }

func (l *lexer) run() {
	s := l.src
	for l.i < len(s) && l.err == "" {
		c := s[l.i]
		start := l.i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~' || c == '$':
			l.space = true
			l.i++
		case isDigit(c) || c == '.' && l.i+1 < len(s) && isDigit(s[l.i+1]):
			l.number()
		case isLetter(c):
			j := l.i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			w := s[l.i:j]
			l.i = j
			l.word(w, start)
		case c == '\\':
			l.command()
		case c == '{':
			l.i++
			// {,} is a LaTeX thousands separator inside a number; handled in number().
			l.emit(tLBrace, "{", start)
		case c == '}':
			l.i++
			l.emit(tRBrace, "}", start)
		case c == '(':
			l.i++
			l.emit(tLParen, "(", start)
		case c == ')':
			l.i++
			l.emit(tRParen, ")", start)
		case c == '[':
			l.i++
			l.emit(tLBrack, "[", start)
		case c == ']':
			l.i++
			l.emit(tRBrack, "]", start)
		case c == ',':
			l.i++
			l.emit(tComma, ",", start)
		case c == ';':
			l.i++
			l.emit(tSemi, ";", start)
		case c == ':':
			l.i++
			// a ratio 7:32 (a colon in prose never reaches the parser)
			l.emit(tOp, ":", start)
		case c == '%':
			l.i++
			l.emit(tPercent, "%", start)
		case c == '&':
			l.i++
			l.emit(tAmp, "&", start)
		case c == '|':
			l.i++
			l.emit(tAbs, "|", start)
		case c == '^':
			l.i++
			if l.degreeAfterCaret() {
				l.emit(tDegree, "°", start)
				continue
			}
			l.emit(tOp, "^", start)
		case c == '<' || c == '>' || c == '!' || c == '=':
			l.i++
			op := s[start:l.i] // a substring: no allocation
			if l.i < len(s) && s[l.i] == '=' {
				l.i++
				op = s[start:l.i]
			}
			if op == "=" && l.i < len(s) && s[l.i] == '=' {
				l.i++
			}
			l.emit(tOp, op, start)
		case c == '+' || c == '-' || c == '*' || c == '/' || c == '_' || c == '\'':
			l.i++
			if c == '*' && l.i < len(s) && s[l.i] == '*' { // python power
				l.i++
				l.emit(tOp, "^", start)
				continue
			}
			l.emit(tOp, s[start:l.i], start)
		case c == '.' && strings.HasPrefix(s[l.i:], "..."):
			l.i += 3
			l.emit(tWord, "...", start)
		case c < utf8.RuneSelf:
			// other ASCII punctuation: treat as space
			l.space = true
			l.i++
		default:
			r, n := utf8.DecodeRuneInString(s[l.i:])
			l.i += n
			l.unicode(r, start)
		}
	}
}

func (l *lexer) unicode(r rune, start int) {
	switch r {
	case '°':
		l.emit(tDegree, "°", start)
	case '×', '·', '⋅':
		l.emit(tOp, "*", start)
	case '÷':
		l.emit(tOp, "/", start)
	case '−', '–', '—':
		l.emit(tOp, "-", start)
	case '≤':
		l.emit(tOp, "<=", start)
	case '≥':
		l.emit(tOp, ">=", start)
	case '≠':
		l.emit(tOp, "!=", start)
	case 'π':
		l.emit(tConst, "pi", start)
	case '∞':
		l.emit(tConst, "inf", start)
	case '√':
		l.emit(tSqrt, "sqrt", start)
	case '±':
		l.emit(tPM, "pm", start)
	case '∪':
		l.emit(tCup, "cup", start)
	case '∩':
		l.emit(tCap, "cap", start)
	case '∈':
		l.emit(tIn, "in", start)
	case 'µ', 'μ':
		l.emit(tVar, "mu", start)
	case 'Ω':
		l.emit(tVar, "Omega", start)
	case '²':
		l.emit(tOp, "^", start)
		l.emit(tNum, "2", start)
	case '³':
		l.emit(tOp, "^", start)
		l.emit(tNum, "3", start)
	case '½', '⅓', '⅔', '¼', '¾', '⅕', '⅖', '⅗', '⅘', '⅙', '⅚', '⅛', '⅜', '⅝', '⅞':
		f := vulgarFractions[r]
		mixed := false
		if n := len(l.toks); n > 0 && l.toks[n-1].k == tNum && !strings.ContainsAny(l.toks[n-1].s, ".e") {
			// 2½ is the mixed number (2 + 1/2): bracketed, so that -2½
			// and 3 - 2½ subtract all of it
			num := l.toks[n-1]
			l.toks = l.toks[:n-1]
			l.space = num.space
			l.emit(tLParen, "(", num.pos)
			l.emit(tNum, num.s, num.pos)
			l.emit(tOp, "+", start)
			mixed = true
		}
		l.emit(tLParen, "(", start)
		l.emit(tNum, f[0], start)
		l.emit(tOp, "/", start)
		l.emit(tNum, f[1], start)
		l.emit(tRParen, ")", start)
		if mixed {
			l.emit(tRParen, ")", start)
		}
	case 'α', 'β', 'γ', 'δ', 'ε', 'θ', 'λ', 'σ', 'τ', 'φ', 'ω', 'ρ', 'η', 'ξ', 'ψ', 'χ', 'κ', 'ν', 'ζ':
		l.emit(tVar, greekLetters[r], start)
	case '\u00a0', '\u2009', '\u202f', '\u2002', '\u2003':
		l.space = true
	default:
		w := l.src[start:l.i] // the rune as written: no allocation
		if r == utf8.RuneError {
			w = string(r) // an invalid byte reads as U+FFFD
		}
		l.emit(tWord, w, start)
	}
}

// degreeAfterCaret consumes "\circ", "{\circ}" or "{}\circ" after a '^'.
func (l *lexer) degreeAfterCaret() bool {
	s := l.src[l.i:]
	t := strings.TrimLeft(s, " ")
	off := len(s) - len(t)
	for _, p := range []string{"\\circ", "{\\circ}", "{ \\circ }", "{\\circ }", "{ \\circ}", "\\degree", "{\\degree}", "o"} {
		if strings.HasPrefix(t, p) {
			rest := t[len(p):]
			if p == "o" && rest != "" && isLetter(rest[0]) {
				continue
			}
			if p == "\\circ" && rest != "" && isLetter(rest[0]) {
				continue
			}
			l.i += off + len(p)
			return true
		}
	}
	return false
}

// number lexes digits with an optional fraction part, thousands
// separators (1,234 outside brackets; 1{,}234; 1\,234 and 1 234 with
// exactly three digits per group) and an exponent (1.2e3, 1.2E-3).
func (l *lexer) number() {
	s := l.src
	start := l.i
	// the digits are collected in b; when they are the source text as
	// written (no separators, a lower-case e), the token is a substring
	var buf [32]byte
	b := buf[:0]
	digits := func() int {
		n := 0
		for l.i < len(s) && isDigit(s[l.i]) {
			b = append(b, s[l.i])
			l.i++
			n++
		}
		return n
	}
	lead := digits()
	seenDot := false
	// thousands groups
	if lead >= 1 && lead <= 3 {
		for {
			sep := 0
			rest := s[l.i:]
			switch {
			case strings.HasPrefix(rest, "{,}"):
				sep = 3
			case strings.HasPrefix(rest, "{, }"):
				sep = 4
			case strings.HasPrefix(rest, " {,}"):
				sep = 4
			case strings.HasPrefix(rest, " {, }"):
				sep = 5
			case strings.HasPrefix(rest, " ") && lead <= 3 && l.bracketDepth() == 0 && len(l.toks) == 0 && spaceGroups(rest):
				// "1 000" and "1 234 567" as a whole answer
				sep = 1
			case strings.HasPrefix(rest, ",\\!"):
				// 10,\!000 (and 11,\! 111 as some models write it)
				sep = 3
				for sep < len(rest) && rest[sep] == ' ' {
					sep++
				}
			case strings.HasPrefix(rest, "\\,") || strings.HasPrefix(rest, "\\ "):
				sep = 2
			case strings.HasPrefix(rest, ",") && l.bracketDepth() == 0:
				sep = 1
			}
			if sep == 0 || !threeDigits(rest[sep:]) {
				break
			}
			l.i += sep
			digits()
		}
	}
	if l.i+1 < len(s) && s[l.i] == '.' && isDigit(s[l.i+1]) || (l.i < len(s) && s[l.i] == '.' && lead > 0 && (l.i+1 >= len(s) || !isLetter(s[l.i+1]))) {
		if l.i+1 < len(s) && isDigit(s[l.i+1]) || lead == 0 {
			seenDot = true
			b = append(b, '.')
			l.i++
			digits()
		}
	}
	_ = seenDot
	// exponent: e/E followed by optional sign and a digit
	if l.i < len(s) && (s[l.i] == 'e' || s[l.i] == 'E') {
		j := l.i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			k := j
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			// not followed by a letter (e.g. "2e3x" stays ambiguous-free enough)
			b = append(b, 'e')
			b = append(b, s[l.i+1:k]...)
			l.i = k
		}
	}
	if text := s[start:l.i]; string(b) == text {
		l.emit(tNum, text, start)
		return
	}
	l.emit(tNum, string(b), start)
}

// spaceGroups reports whether s is " ddd" groups to its end (optionally
// followed by a decimal part): the whole rest of the answer is one number.
func spaceGroups(s string) bool {
	for len(s) > 0 && s[0] == ' ' {
		if !threeDigits(s[1:]) {
			return false
		}
		s = s[4:]
	}
	if s == "" {
		return true
	}
	if s[0] == '.' {
		for i := 1; i < len(s); i++ {
			if !isDigit(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// threeDigits reports whether s starts with exactly three digits.
func threeDigits(s string) bool {
	if len(s) < 3 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) {
		return false
	}
	return len(s) == 3 || !isDigit(s[3])
}

func (l *lexer) word(w string, start int) {
	if len(w) == 1 {
		// no function, constant or prose word has one letter but e
		if w == "e" {
			l.emit(tConst, "e", start)
		} else {
			l.emit(tVar, w, start)
		}
		return
	}
	lw := w
	if hasUpper(w) {
		lw = strings.ToLower(w)
	}
	switch {
	case funcSet.has(w):
		l.emit(tFunc, w, start)
	case w == "sqrt":
		l.emit(tSqrt, "sqrt", start)
	case lw == "pi":
		l.emit(tConst, "pi", start)
	case lw == "inf" || lw == "infty" || lw == "infinity" || w == "oo":
		l.emit(tConst, "inf", start)
	case lw == "and" || lw == "or":
		l.emit(tAnd, lw, start)
	case proseSet.has(lw) && (w == lw || w[1:] == lw[1:]) && !l.mathWord(start):
		// common English words are prose, never variables ("it is 5")
		l.emit(tText, w, start)
	case w == "e":
		l.emit(tConst, "e", start)
	case len(w) == 1:
		l.emit(tVar, w, start)
	case len(w) <= 3 && l.i < len(l.src) && l.src[l.i] == '^':
		// xy^2 is x·y^2: the power binds to the last letter only
		l.word(w[:len(w)-1], start)
		l.word(w[len(w)-1:], start+len(w)-1)
	default:
		l.emit(tWord, w, start)
	}
}

// command lexes a backslash command.
func (l *lexer) command() {
	s := l.src
	start := l.i
	l.i++ // backslash
	if l.i >= len(s) {
		return
	}
	c := s[l.i]
	if !isLetter(c) {
		l.i++
		switch c {
		case '{':
			l.emit(tLSet, "\\{", start)
		case '}':
			l.emit(tRSet, "\\}", start)
		case '%':
			l.emit(tPercent, "%", start)
		case '\\':
			// "\\frac", "\\left(": a doubled backslash (over-escaped
			// text) before a command name is that command
			j := l.i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			if name := s[l.i:j]; j > l.i && doubledCmd(name) {
				l.i--
				l.command()
				return
			}
			l.emit(tRowSep, "\\\\", start)
		case ',', '!', ';', ':', ' ':
			l.space = true
		case '$', '#', '&', '_':
			if c == '_' {
				l.emit(tOp, "_", start)
			}
		case '(', ')', '[', ']':
			// math delimiters \( \) \[ \]
			l.space = true
		case '|':
			l.emit(tAbs, "|", start)
		default:
			l.space = true
		}
		return
	}
	j := l.i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	name := s[l.i:j]
	l.i = j
	switch {
	case spacingSet.has(name):
		if name == "left" || name == "right" || strings.HasPrefix(name, "big") || strings.HasPrefix(name, "Big") || name == "middle" {
			// drop a following "." (\left. is an invisible delimiter)
			if l.i < len(s) && s[l.i] == '.' {
				l.i++
			}
		}
		if name == "hspace" || name == "phantom" {
			l.skipGroup()
		}
		l.space = true
	case textSet.has(name):
		l.textArg(name, start)
	case name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac":
		l.emit(tFrac, "frac", start)
	case name == "binom" || name == "dbinom" || name == "tbinom":
		l.emit(tBinom, "binom", start)
	case name == "choose":
		l.emit(tOp, "choose", start)
	case name == "sqrt":
		l.emit(tSqrt, "sqrt", start)
	case name == "cdot" || name == "times" || name == "ast" || name == "bullet" || name == "cdotp":
		l.emit(tOp, "*", start)
	case name == "div":
		l.emit(tOp, "/", start)
	case name == "pi":
		l.emit(tConst, "pi", start)
	case name == "infty" || name == "infin" || name == "inf":
		l.emit(tConst, "inf", start)
	case name == "pm" || name == "mp":
		l.emit(tPM, "pm", start)
	case name == "le" || name == "leq" || name == "leqslant":
		l.emit(tOp, "<=", start)
	case name == "ge" || name == "geq" || name == "geqslant":
		l.emit(tOp, ">=", start)
	case name == "lt":
		l.emit(tOp, "<", start)
	case name == "gt":
		l.emit(tOp, ">", start)
	case name == "ne" || name == "neq":
		l.emit(tOp, "!=", start)
	case name == "approx" || name == "simeq" || name == "sim":
		l.emit(tOp, "≈", start)
	case name == "equiv" || name == "coloneqq":
		l.emit(tOp, "=", start)
	case name == "circ" || name == "degree":
		l.emit(tDegree, "°", start)
	case name == "cup":
		l.emit(tCup, "cup", start)
	case name == "cap":
		l.emit(tCap, "cap", start)
	case name == "in":
		l.emit(tIn, "in", start)
	case name == "lbrace":
		l.emit(tLSet, "\\{", start)
	case name == "rbrace":
		l.emit(tRSet, "\\}", start)
	case name == "langle":
		l.emit(tLParen, "(", start)
	case name == "rangle":
		l.emit(tRParen, ")", start)
	case name == "lbrack":
		l.emit(tLBrack, "[", start)
	case name == "rbrack":
		l.emit(tRBrack, "]", start)
	case name == "lvert" || name == "rvert" || name == "vert" || name == "mid":
		l.emit(tAbs, "|", start)
	case name == "lfloor" || name == "rfloor" || name == "lceil" || name == "rceil":
		l.emit(tCmd, name, start)
	case name == "begin" || name == "end":
		env := l.braced()
		env = strings.TrimSuffix(strings.TrimSpace(env), "*")
		if name == "begin" {
			l.emit(tBegin, env, start)
			if env == "array" {
				l.skipGroup() // column spec
			}
		} else {
			l.emit(tEnd, env, start)
		}
	case name == "land" || name == "lor" || name == "wedge" || name == "vee" || name == "text_and":
		l.emit(tAnd, "and", start)
	case name == "dots" || name == "ldots" || name == "cdots":
		l.emit(tWord, "...", start)
	case name == "percent":
		l.emit(tPercent, "%", start)
	case name == "Gamma" && strings.HasPrefix(strings.TrimLeft(l.src[l.i:], " "), "("):
		l.emit(tFunc, "gamma", start) // \Gamma(x), the function
	case greekSet.has(name):
		l.emit(tVar, name, start)
	case funcSet.has(name) || name == "arcsec" || name == "arccsc" || name == "arccot":
		l.emit(tFunc, name, start)
	case name == "exp":
		l.emit(tFunc, "exp", start)
	case name == "color" || name == "textcolor":
		l.skipGroup()
	default:
		l.emit(tCmd, name, start)
	}
}

// doubledCmd reports whether name, after a doubled backslash, is a
// command (not a row break followed by a word).
func doubledCmd(name string) bool {
	switch name {
	case "frac", "dfrac", "tfrac", "sqrt", "left", "right", "pi", "cdot", "times", "le", "leq",
		"ge", "geq", "text", "mathrm", "infty", "pm", "boxed", "circ", "in", "cup", "neq", "approx", "lt", "gt":
		return true
	}
	return false
}

// skipGroup skips white space and one balanced {...} group if present.
func (l *lexer) skipGroup() { _ = l.braced() }

// braced returns the content of a balanced {...} group after optional
// white space, or "" when none follows.
func (l *lexer) braced() string {
	s := l.src
	j := l.i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || s[j] != '{' {
		return ""
	}
	depth := 0
	for k := j; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				l.i = k + 1
				return s[j+1 : k]
			}
		}
	}
	l.i = len(s)
	return s[j+1:]
}

// textArg lexes \text{...}-like commands: the content becomes a tText
// token, unless it is a function name (\operatorname{sin}) or " and ".
func (l *lexer) textArg(name string, start int) {
	content := l.braced()
	t := strings.TrimSpace(content)
	switch {
	case t == "":
		l.space = true
	case funcSet.has(t):
		l.emit(tFunc, t, start)
	case strings.EqualFold(t, "and") || strings.EqualFold(t, "or") || t == ",":
		l.emit(tAnd, strings.ToLower(t), start)
	default:
		if name == "mathrm" || name == "operatorname" {
			// \mathrm{e} is Euler's number, \mathrm{d}x a differential
			if t == "e" {
				l.emit(tConst, "e", start)
				return
			}
		}
		// a number inside \text{} (e.g. \text{5}) is still a number
		if isNumeric(t) {
			sub := &lexer{src: t, max: l.max - len(l.toks)}
			sub.run()
			for _, tk := range sub.toks {
				tk.pos += start
				l.toks = append(l.toks, tk)
			}
			return
		}
		l.emit(tText, t, start)
	}
}

func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && c != '.' && c != ',' && c != '-' {
			return false
		}
	}
	return true
}

// primePowers reports whether a number after a power of a number starts
// another power factor: "2^6 3^5 5^4" is a product of prime powers.
func primePowers(left *node, t, next token) bool {
	if left != nil && left.op == nMul && len(left.kids) == 2 {
		left = left.kids[1] // 2^6 3^5 | 5^4
	}
	return left != nil && left.op == nPow && len(left.kids) == 2 && left.kids[0].op == nNum &&
		t.k == tNum && next.k == tOp && next.s == "^"
}

// unitUnlessSumVar is tryUnit, except for a letter after a later term of a
// sum: in "3 + 2m" and "20t - 5t^2" m and t are variables, not metres and
// tonnes (a quantity is a whole answer, "2 m", not a term of a sum).
func (p *parser) unitUnlessSumVar(left *node, start int) (*node, bool) {
	if start > 0 && p.toks[p.p].k == tVar {
		if b := p.toks[start-1]; b.k == tPM || b.k == tOp && (b.s == "+" || b.s == "-") {
			return nil, false
		}
	}
	return p.tryUnit(left)
}

// mathWord reports whether the letters at start (up to l.i) are a product
// of variables rather than an English word: glued to a digit before them
// ("7by", "2an") or followed by an operator ("an + 2a").
func (l *lexer) mathWord(start int) bool {
	if start > 0 && isDigit(l.src[start-1]) {
		return true
	}
	j := l.i
	for j < len(l.src) && l.src[j] == ' ' {
		j++
	}
	return j < len(l.src) && strings.IndexByte("+-*/^=_)}", l.src[j]) >= 0
}

// vulgarFractions are the Unicode fraction characters (½ is (1/2)).
var vulgarFractions = map[rune][2]string{
	'½': {"1", "2"}, '⅓': {"1", "3"}, '⅔': {"2", "3"}, '¼': {"1", "4"}, '¾': {"3", "4"},
	'⅕': {"1", "5"}, '⅖': {"2", "5"}, '⅗': {"3", "5"}, '⅘': {"4", "5"}, '⅙': {"1", "6"},
	'⅚': {"5", "6"}, '⅛': {"1", "8"}, '⅜': {"3", "8"}, '⅝': {"5", "8"}, '⅞': {"7", "8"},
}

// greekLetters are the Unicode Greek letters read as the names \alpha,
// \theta, ... give.
var greekLetters = map[rune]string{
	'α': "alpha", 'β': "beta", 'γ': "gamma", 'δ': "delta", 'ε': "epsilon", 'θ': "theta",
	'λ': "lambda", 'σ': "sigma", 'τ': "tau", 'φ': "phi", 'ω': "omega", 'ρ': "rho",
	'η': "eta", 'ξ': "xi", 'ψ': "psi", 'χ': "chi", 'κ': "kappa", 'ν': "nu", 'ζ': "zeta",
}
