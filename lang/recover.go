package lang

import (
	"errors"
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Error recovery. participle stops at the first syntax error, so after a
// failed whole-file parse the token stream is split and re-parsed in
// pieces: top-level declarations (at `sample`, `family`, `element` and
// `import`), and inside a broken block its header and each statement
// (split at statement keywords, which never occur inside expressions).
// Each piece that fails gets its own diagnostic.

func isKw(t lexer.Token, set map[string]bool) bool {
	return t.Type == tokKeyword && set[t.Value]
}

// recoverFile re-parses toks (no EOF) piecewise after first failed.
func (p *parser) recoverFile(toks []lexer.Token, first error) {
	n0 := len(p.ds)
	for i := 0; i < len(toks); {
		t := toks[i]
		if !isKw(t, declKeywords) {
			j := i + 1
			for j < len(toks) && !isTopStart(toks, j) &&
				!(toks[j].Pos.Column == 1 && toks[j].Pos.Line > toks[j-1].Pos.Line) {
				j++
			}
			if isKw(t, stmtKeywords) {
				p.errorf(p.tokRange(toks[i:i+1]), "`%s` statement outside a sample, family or element block", t.Value)
			} else {
				p.errorf(p.tokRange(toks[i:i+1]), "unexpected %s; expected `sample`, `family`, `element` or `import`%s", tokDesc(t), suggest(t, declKeywords))
			}
			i = j
			continue
		}
		end := p.itemEnd(toks, i)
		if d := p.parseDecl(toks[i:end], true); d != nil {
			switch d := d.(type) {
			case *Import:
				p.sf.Imports = append(p.sf.Imports, d)
			case Decl:
				p.sf.Decls = append(p.sf.Decls, d)
			}
		}
		i = end
	}
	if len(p.ds) == n0 {
		p.syntaxError(first, toks, "")
	}
}

// isTopStart reports whether toks[j] can start a top-level declaration:
// `sample`, `family` or `import` anywhere, `element` in column 1.
func isTopStart(toks []lexer.Token, j int) bool {
	t := toks[j]
	if t.Type != tokKeyword {
		return false
	}
	switch t.Value {
	case "sample", "family", "import":
		return true
	case "element":
		return t.Pos.Column == 1
	}
	return false
}

// itemEnd returns the end (exclusive) of the declaration starting at i.
func (p *parser) itemEnd(toks []lexer.Token, i int) int {
	if toks[i].Value == "import" {
		j := i + 1
		for j < len(toks) && !isKw(toks[j], declKeywords) && !isKw(toks[j], stmtKeywords) {
			j++
		}
		return j
	}
	if c := blockClose(toks, i, true); c >= 0 {
		return c + 1
	}
	j := i + 1
	for j < len(toks) && !isTopStart(toks, j) {
		j++
	}
	return j
}

// blockClose finds the `}` closing the first `{` after toks[i] by brace
// depth. When braces do not balance it falls back to the first `}` that
// starts a line at or left of the keyword's column. top stops the search
// at the next top-level declaration keyword. It returns -1 if none.
func blockClose(toks []lexer.Token, i int, top bool) int {
	depth := 0
	opened := false
	limit := len(toks)
	for j := i + 1; j < len(toks); j++ {
		t := toks[j]
		if top && isTopStart(toks, j) && (t.Value != "element" || depth == 0 || t.Pos.Column == 1) {
			limit = j
			break
		}
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "{":
			depth++
			opened = true
		case "}":
			depth--
			if opened && depth == 0 {
				return j
			}
		}
	}
	col := toks[i].Pos.Column
	for j := i + 1; j < limit; j++ {
		t := toks[j]
		if t.Type == tokPunct && t.Value == "}" && t.Pos.Column <= col && (j == 0 || toks[j-1].Pos.Line < t.Pos.Line) {
			return j
		}
	}
	return -1
}

// parseDecl parses one declaration (or a nested element when !top) from
// chunk, recovering inside its block. It returns the lowered node or nil.
func (p *parser) parseDecl(chunk []lexer.Token, top bool) Node {
	g, err := itemParser().ParseFromLexer(peekable(p.withEOF(chunk)))
	if err == nil {
		switch {
		case g.Import != nil:
			return p.lowerImport(g.Import)
		case g.Sample != nil:
			return p.lowerSample(g.Sample)
		case g.Family != nil:
			return p.lowerFamily(g.Family)
		case g.Element != nil:
			return p.lowerElement(g.Element)
		}
		return nil
	}
	kw := chunk[0].Value
	b := -1
	for j, t := range chunk {
		if t.Type == tokPunct && t.Value == "{" {
			b = j
			break
		}
		if j > 0 && (t.Type == tokKeyword || t.Type == tokPunct && t.Value == "}") {
			break
		}
	}
	if kw == "import" || b < 0 {
		p.syntaxError(err, chunk, kw)
		return nil
	}
	c := blockClose(chunk, 0, false)
	var trailing []lexer.Token
	if c < 0 {
		p.errorf(p.tokRange(chunk[b:b+1]), "missing `}` to close the `%s` block", kw)
		c = len(chunk)
	} else {
		trailing = chunk[c+1:]
	}
	// The header, with an empty body.
	hdr := append(append([]lexer.Token{}, chunk[:b+1]...), lexer.Token{Type: tokPunct, Value: "}", Pos: chunk[b].Pos})
	var decl Node
	if gh, err := itemParser().ParseFromLexer(peekable(p.withEOF(hdr))); err != nil {
		p.syntaxError(err, chunk[:b+1], kw)
	} else {
		switch {
		case gh.Sample != nil:
			decl = p.lowerSample(gh.Sample)
		case gh.Family != nil:
			decl = p.lowerFamily(gh.Family)
		case gh.Element != nil:
			decl = p.lowerElement(gh.Element)
		}
	}
	body := p.parseBody(chunk[b+1 : c])
	var closeR Range
	if c < len(chunk) {
		closeR = p.tokRange(chunk[c : c+1])
	}
	switch d := decl.(type) {
	case *Sample:
		d.Body, d.Close = body, closeR
		d.Range.End = p.endOf(chunk, c)
	case *Family:
		d.Body, d.Close = body, closeR
		d.Range.End = p.endOf(chunk, c)
	case *Element:
		d.Body, d.Close = body, closeR
		d.Range.End = p.endOf(chunk, c)
	}
	if len(trailing) > 0 {
		p.errorf(p.tokRange(trailing[:1]), "unexpected %s after the `%s` block", tokDesc(trailing[0]), kw)
	}
	if decl == nil {
		return nil
	}
	return decl
}

func (p *parser) endOf(chunk []lexer.Token, c int) Pos {
	if c < len(chunk) {
		return p.tokRange(chunk[c : c+1]).End
	}
	return p.tokRange(chunk).End
}

// parseBody parses the statements of a block body one by one.
func (p *parser) parseBody(body []lexer.Token) []Stmt {
	var out []Stmt
	for i := 0; i < len(body); {
		t := body[i]
		if !isKw(t, stmtKeywords) {
			j := i + 1
			for j < len(body) && !isKw(body[j], stmtKeywords) {
				j++
			}
			p.errorf(p.tokRange(body[i:i+1]), "unexpected %s; expected a statement (given, let, vary, prompt, answer, ...)%s", tokDesc(t), suggest(t, stmtKeywords))
			i = j
			continue
		}
		var end int
		switch t.Value {
		case "element", "train", "meta":
			if c := blockClose(body, i, false); c >= 0 {
				end = c + 1
				break
			}
			fallthrough
		default:
			end = i + 1
			for end < len(body) && !isKw(body[end], stmtKeywords) {
				end++
			}
		}
		chunk := body[i:end]
		if t.Value == "element" {
			if d, ok := p.parseDecl(chunk, false).(*Element); ok {
				out = append(out, d)
			}
		} else if g, err := stmtParser().ParseFromLexer(peekable(p.withEOF(chunk))); err != nil {
			p.syntaxError(err, chunk, t.Value)
		} else if s := p.lowerStmt(g); s != nil {
			out = append(out, s)
		}
		i = end
	}
	return out
}

// syntaxError turns a participle error on chunk (the tokens of one
// statement or declaration, kw its keyword) into a clear diagnostic.
func (p *parser) syntaxError(err error, chunk []lexer.Token, kw string) *Diagnostic {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return p.errorf(p.tokRange(chunk), "syntax error: %v", err)
	}
	off := perr.Position().Offset
	k := len(chunk)
	for j, t := range chunk {
		if t.Pos.Offset >= off {
			k = j
			break
		}
	}
	var unexp lexer.Token
	if k < len(chunk) {
		unexp = chunk[k]
	} else {
		unexp = lexer.EOFToken(p.endPos(chunk))
	}
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) && !ute.Unexpected.EOF() && k < len(chunk) {
		unexp = ute.Unexpected
	}
	at := p.tokRange([]lexer.Token{unexp})
	after := func(format string, args ...any) *Diagnostic {
		r := at
		if k > 0 {
			end := p.tokRange(chunk[k-1 : k]).End
			r = Range{Start: end, End: end}
		}
		return p.errorf(r, format, args...)
	}
	if k == 0 {
		return p.errorf(at, "unexpected %s", tokDesc(unexp))
	}
	prev := chunk[k-1]
	ctx := ""
	if kw != "" && kw != "interpolation" && kw != "expression" {
		ctx = fmt.Sprintf(" in `%s`", kw)
	}
	atEnd := k >= len(chunk)
	// Unclosed brackets before the end of the statement.
	if atEnd {
		if open, ok := unclosed(chunk); ok {
			want := map[string]string{"(": ")", "[": "]", "{": "}"}[open.Value]
			d := after("missing `%s` to close `%s`%s", want, open.Value, ctx)
			d.Detail = fmt.Sprintf("the `%s` is at %s", open.Value, p.tokRange([]lexer.Token{open}).Start)
			return d
		}
	}
	pv := prev.Value
	if unexp.Type == tokIdent && unexp.Pos.Line > prev.Pos.Line && kw != "train" && kw != "meta" && kw != "answer" {
		// A name starting a line after a complete statement: most likely a
		// misspelt statement keyword.
		return p.errorf(at, "unexpected %s at the start of a line; expected a statement (given, let, vary, prompt, answer, ...)%s",
			tokDesc(unexp), suggest(unexp, stmtKeywords))
	}
	if (kw == "train" || kw == "meta") && unexp.Type == tokIdent && k+1 < len(chunk) && chunk[k+1].Value != "=" {
		end := p.tokRange([]lexer.Token{unexp}).End
		return p.errorf(Range{Start: end, End: end}, "expected `=` after `%s`", unexp.Value)
	}
	if kw == "answer" && k == 2 && chunk[1].Type == tokIdent && (unexp.Type == tokIdent || unexp.Type == tokNumber || unexp.Type == tokString) {
		if _, known := answerKinds[chunk[1].Value]; !known {
			return p.errorf(p.tokRange(chunk[1:2]), "unknown answer kind `%s`", chunk[1].Value).SetDetail(
				"an answer is written `answer [KIND] VALUE [in UNIT] [, OPTION...]`\nwith KIND one of " + kindList())
		}
	}
	if kw == "answer" && len(chunk) > 2 && chunk[1].Type == tokIdent && chunk[2].Value == "{" {
		if _, known := answerKinds[chunk[1].Value]; !known {
			return p.errorf(p.tokRange(chunk[1:2]), "choices given but the answer kind is not `choice`").SetDetail(
				"write `answer choice " + chunk[1].Value + " { LABEL \"text\" ... }`")
		}
	}
	switch {
	case prev.Type == tokPunct && pv == "=":
		return after("expected unit or expression after `=`")
	case prev.Type == tokPunct && pv == ",":
		switch kw {
		case "answer":
			return after("expected an answer option (abs, rel, sig, ...) after `,`")
		case "disciplines", "skills":
			return after("expected a name after `,`")
		}
		return after("expected expression after `,`")
	case prev.Type == tokPunct && pv == "..":
		return after("expected the upper bound after `..`")
	case prev.Type == tokKeyword && pv == "step":
		return after("expected the step after `step`")
	case prev.Type == tokKeyword && pv == "in" && kw == "vary":
		return after("expected a range (`1..10 step 1`) or a set (`{1, 2, 3}`) after `in`")
	case prev.Type == tokKeyword && pv == "in":
		return after("expected a unit after `in`")
	case prev.Type == tokPunct && isOperator(pv), prev.Type == tokKeyword && (pv == "and" || pv == "or" || pv == "not"):
		return after("expected expression after `%s`", pv)
	case k == 1:
		switch kw {
		case "given", "let", "vary", "sample", "family", "element", "disciplines", "skills":
			return after("expected a name after `%s`", kw)
		case "prompt", "system", "solution":
			return after("expected a string after `%s`", kw)
		case "expect":
			return after("expected `pass` or `fail` after `expect`")
		case "check":
			return after("expected a checker program after `check`")
		case "answer":
			return after("expected the answer value after `answer`")
		case "train", "meta":
			return after("expected `{` after `%s`", kw)
		case "import":
			return after("expected an import path string after `import`")
		}
	case k == 2 && (kw == "given" || kw == "let"):
		return after("expected `=` after `%s %s`", kw, pv)
	case k == 2 && kw == "vary":
		return after("expected `in` after `vary %s`", pv)
	case k == 2 && kw == "expect":
		return after("expected a string after `expect %s`", pv)
	case kw == "sample" || kw == "family" || kw == "element":
		if !hasBrace(chunk[:k]) {
			if atEnd {
				return after("expected `{` to open the `%s` body", kw)
			}
			return p.errorf(at, "unexpected %s in the `%s` header; expected `{`", tokDesc(unexp), kw)
		}
	case (kw == "train" || kw == "meta") && prev.Type == tokIdent:
		return after("expected `=` after `%s`", pv)
	}
	if atEnd {
		return after("unexpected end of %s", stmtName(kw))
	}
	if unexp.Type == tokUnit {
		return p.errorf(at, "unexpected unit `%s`%s", unexp.Value, ctx).SetDetail(
			"a unit is read after a number, after `in` and after a set's `}`; a word there that is not a unit needs an operator before it")
	}
	return p.errorf(at, "unexpected %s%s", tokDesc(unexp), ctx)
}

// SetDetail sets d's detail and returns d.
func (d *Diagnostic) SetDetail(detail string) *Diagnostic {
	d.Detail = detail
	return d
}

func stmtName(kw string) string {
	switch kw {
	case "":
		return "file"
	case "interpolation", "expression":
		return kw
	}
	return "`" + kw + "` statement"
}

func isOperator(s string) bool {
	switch s {
	case "+", "-", "*", "/", "%", "^", "**", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "(", "[", "{":
		return true
	}
	return false
}

func hasBrace(toks []lexer.Token) bool {
	for _, t := range toks {
		if t.Type == tokPunct && t.Value == "{" {
			return true
		}
	}
	return false
}

// unclosed returns the innermost bracket left open in toks.
func unclosed(toks []lexer.Token) (lexer.Token, bool) {
	var stack []lexer.Token
	for _, t := range toks {
		if t.Type != tokPunct {
			continue
		}
		switch t.Value {
		case "(", "[", "{":
			stack = append(stack, t)
		case ")", "]", "}":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return lexer.Token{}, false
	}
	return stack[len(stack)-1], true
}

// suggest returns "; did you mean `kw`?" when t is a name within edit
// distance 2 of one of the keywords, else "".
func suggest(t lexer.Token, kws map[string]bool) string {
	if t.Type != tokIdent {
		return ""
	}
	best, bestD := "", 3
	for kw := range kws {
		if d := EditDistance(t.Value, kw); d < bestD || d == bestD && kw < best {
			best, bestD = kw, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean `" + best + "`?"
}
