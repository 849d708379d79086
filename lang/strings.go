package lang

import (
	"strings"
	"unicode"
)

// lowerString decodes a string literal token. holes says whether
// interpolation holes are read (not in import paths and check programs).
func (p *parser) lowerString(g *gString, holes bool) *String {
	tok := g.Tokens[0]
	s := &String{Range: p.tokRange(g.Tokens), Raw: g.Raw, file: p.file}
	off := tok.Pos.Offset
	if strings.HasPrefix(g.Raw, `"""`) {
		s.Triple = true
		content := g.Raw[3:]
		if strings.HasSuffix(content, `"""`) {
			content = content[:len(content)-3]
		}
		s.Value, s.segs = dedent(content, off+3)
	} else {
		s.Value, s.segs = unquote(g.Raw, off)
	}
	if holes {
		s.Parts = p.splitHoles(s)
	} else {
		s.Parts = []StringPart{&StringLit{Range: s.Range, Text: s.Value}}
	}
	return s
}

// unquote decodes a "..." literal (raw includes the quotes; src is its
// offset): `\"` is a quote, every other backslash is literal.
func unquote(raw string, src int) (string, []strSeg) {
	var b strings.Builder
	var segs []strSeg
	i := 1
	segStart := i
	flush := func(end int) {
		if end > segStart {
			segs = append(segs, strSeg{val: b.Len(), src: src + segStart, n: end - segStart})
			b.WriteString(raw[segStart:end])
		}
	}
	for i < len(raw) {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) && raw[i+1] == '"' {
			flush(i)
			segStart = i + 1 // the quote itself starts the next segment
			i += 2
			continue
		}
		if c == '"' {
			break
		}
		i++
	}
	flush(i)
	return b.String(), segs
}

// dedent decodes the content of a """ block (src is its offset): a first
// line holding only spaces and the last line holding only spaces are
// dropped, and the longest common leading whitespace of the other
// non-blank lines is removed. A block on one line is trimmed.
func dedent(content string, src int) (string, []strSeg) {
	if !strings.Contains(content, "\n") {
		t := strings.TrimSpace(content)
		if t == "" {
			return "", nil
		}
		return t, []strSeg{{val: 0, src: src + strings.Index(content, t), n: len(t)}}
	}
	type line struct {
		text string
		off  int
	}
	var lines []line
	off := 0
	for _, l := range strings.Split(content, "\n") {
		lines = append(lines, line{strings.TrimSuffix(l, "\r"), off})
		off += len(l) + 1
	}
	firstKept := false
	if strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	} else {
		t := strings.TrimLeft(lines[0].text, " \t")
		lines[0].off += len(lines[0].text) - len(t)
		lines[0].text = t
		firstKept = true
	}
	if n := len(lines); n > 0 && strings.TrimSpace(lines[n-1].text) == "" {
		lines = lines[:n-1]
	}
	indent := ""
	have := false
	for i, l := range lines {
		if (i == 0 && firstKept) || strings.TrimSpace(l.text) == "" {
			continue
		}
		ws := l.text[:len(l.text)-len(strings.TrimLeft(l.text, " \t"))]
		if !have {
			indent, have = ws, true
			continue
		}
		for !strings.HasPrefix(ws, indent) {
			indent = indent[:len(indent)-1]
		}
	}
	var b strings.Builder
	var segs []strSeg
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		text := l.text
		o := l.off
		if strings.TrimSpace(text) == "" {
			continue
		}
		if !(i == 0 && firstKept) {
			text = text[len(indent):]
			o += len(indent)
		}
		segs = append(segs, strSeg{val: b.Len(), src: src + o, n: len(text)})
		b.WriteString(text)
	}
	return b.String(), segs
}

// splitHoles splits s.Value into literal text and interpolation holes.
//
// The rule (docs/lang-syntax.md): `{` opens a hole `{EXPR [in UNIT]
// [:FORMAT]}` unless it
//   - is doubled outside a LaTeX group: `{{` is a literal `{` (and `}}`
//     a literal `}`);
//   - is escaped: `\{` and `\}` are literal;
//   - directly follows a backslash command (`\boxed{`, `\frac{`), `^`, `_`,
//     `]`, or the `}` that closed a LaTeX group (`\frac{1}{2}`): then it
//     opens a LaTeX group, which is literal text up to its matching `}`
//     (holes may appear inside it: `\boxed{ {x} }`).
func (p *parser) splitHoles(s *String) []StringPart {
	v := s.Value
	var parts []StringPart
	var lit strings.Builder
	litStart := 0
	flush := func(end int) {
		if lit.Len() > 0 {
			parts = append(parts, &StringLit{Range: s.rangeOf(litStart, end), Text: lit.String()})
			lit.Reset()
		}
	}
	depth := 0         // open LaTeX groups
	lastGroupEnd := -1 // index just after the `}` that closed a group
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '\\':
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte(c)
			i++
			if i < len(v) && (v[i] == '{' || v[i] == '}' || v[i] == '\\') {
				lit.WriteByte(v[i])
				i++
			}
		case c == '{' && depth == 0 && i+1 < len(v) && v[i+1] == '{':
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte('{')
			i += 2
		case c == '}' && depth == 0 && i+1 < len(v) && v[i+1] == '}':
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte('}')
			i += 2
		case c == '{' && opensGroup(v, i, lastGroupEnd):
			if lit.Len() == 0 {
				litStart = i
			}
			depth++
			lit.WriteByte(c)
			i++
		case c == '}' && depth > 0:
			depth--
			lit.WriteByte(c)
			i++
			lastGroupEnd = i
		case c == '{':
			end := holeEnd(v, i)
			if end < 0 {
				p.errorf(s.rangeOf(i, i+1), "unclosed interpolation `{` in string").Detail =
					"write {{ for a literal {, or close the hole with }"
				if lit.Len() == 0 {
					litStart = i
				}
				lit.WriteString(v[i:])
				i = len(v)
				continue
			}
			flush(i)
			if h := p.parseHole(s, i, end); h != nil {
				parts = append(parts, h)
			}
			i = end + 1
		default:
			if lit.Len() == 0 {
				litStart = i
			}
			lit.WriteByte(c)
			i++
		}
	}
	flush(len(v))
	return parts
}

// opensGroup reports whether the `{` at v[i] opens a literal LaTeX group.
func opensGroup(v string, i, lastGroupEnd int) bool {
	if i == 0 {
		return false
	}
	prev := v[i-1]
	switch {
	case prev == '^' || prev == '_' || prev == ']':
		return true
	case prev == '}':
		return i == lastGroupEnd
	case prev < 0x80 && unicode.IsLetter(rune(prev)):
		j := i - 1
		for j >= 0 && v[j] < 0x80 && unicode.IsLetter(rune(v[j])) {
			j--
		}
		return j >= 0 && v[j] == '\\'
	}
	return false
}

// holeEnd returns the index of the `}` closing the hole opened at v[i],
// or -1. Holes stay on one line.
func holeEnd(v string, i int) int {
	depth := 0
	for j := i + 1; j < len(v); j++ {
		switch v[j] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return j
			}
			depth--
		case '\n':
			return -1
		}
	}
	return -1
}

// rangeOf is the source range of s.Value[a:b].
func (s *String) rangeOf(a, b int) Range {
	return Range{Start: s.PosAt(a), End: s.PosAt(b)}
}

// parseHole parses the hole s.Value[open:close+1] (open is the `{`).
func (p *parser) parseHole(s *String, open, close int) *Hole {
	h := &Hole{Range: s.rangeOf(open, close+1)}
	inner := s.Value[open+1 : close]
	exprEnd := len(inner)
	paren := 0
	for j := 0; j < len(inner); j++ {
		switch inner[j] {
		case '(', '[', '{':
			paren++
		case ')', ']', '}':
			paren--
		case ':':
			if paren == 0 && exprEnd == len(inner) {
				exprEnd = j
			}
		}
	}
	if exprEnd < len(inner) {
		h.Format = inner[exprEnd+1:]
		h.FormatRange = s.rangeOf(open+1+exprEnd+1, close)
		if strings.TrimSpace(h.Format) == "" {
			p.errorf(h.FormatRange, "empty format after `:` in interpolation")
		}
	}
	text := inner[:exprEnd]
	if strings.TrimSpace(text) == "" {
		p.errorf(h.Range, "empty interpolation `{}`").Detail = "write {{ and }} for literal braces"
		return nil
	}
	base := s.PosAt(open + 1).Offset
	lr := lex(p.file, text, base)
	p.ds = append(p.ds, lr.diags...)
	if p.tooDeep(lr.toks) {
		return nil
	}
	g, err := holeParser().ParseFromLexer(peekable(lr.toks))
	if err != nil {
		d := p.syntaxError(err, lr.toks[:len(lr.toks)-1], "interpolation")
		if d != nil {
			d.Summary = "in interpolation `{" + clip(inner) + "}`: " + d.Summary
			d.Detail = "write {{ and }} for literal braces; after a LaTeX command (\\frac{...}), ^ or _ braces are literal"
		}
		return nil
	}
	h.Expr = p.lowerExpr(g.Expr)
	if g.Unit != nil {
		h.Unit = p.lowerUnit(g.Unit)
	}
	return h
}
