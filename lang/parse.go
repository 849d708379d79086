package lang

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// ParseFile parses one .poly source file. It never panics: every problem
// is returned as a positioned diagnostic (sorted by position), and the
// returned file is never nil; after syntax errors it holds the
// declarations and statements that could still be parsed.
//
// A syntax error does not stop the parse: the file is re-parsed piecewise
// (each top-level declaration, then each statement of a broken block,
// split at statement keywords) so that every broken statement is
// reported.
func ParseFile(name string, src []byte) (sf *SpecFile, ds Diagnostics) {
	file := NewFile(name, src)
	sf = &SpecFile{Name: name, Source: file}
	sf.Range = Range{Start: file.Pos(0), End: file.Pos(len(src))}
	defer func() {
		if r := recover(); r != nil {
			ds.Errorf(sf.Range, "internal error: the parser failed on this file: %v", r)
			ds[len(ds)-1].Detail = "please report this input as a bug\n" + string(debug.Stack())
		}
		ds.Sort()
	}()
	p := &parser{file: file, sf: sf}
	lr := lex(file, string(src), 0)
	sf.Comments = lr.comments
	p.ds = append(p.ds, lr.diags...)
	if p.tooDeep(lr.toks) {
		return sf, p.ds
	}
	g, err := fileParser().ParseFromLexer(peekable(lr.toks))
	if err == nil {
		for _, it := range g.Items {
			p.lowerItem(it)
		}
	} else {
		p.recoverFile(lr.toks[:len(lr.toks)-1], err)
		p.ds = dropCascades(p.ds, lr.diags, lr.runaway)
	}
	return sf, p.ds
}

// ParseExpr parses a single expression (as written after `let x =`),
// for tools and tests. name is used in positions.
func ParseExpr(name string, src []byte) (e Expr, ds Diagnostics) {
	file := NewFile(name, src)
	defer func() {
		if r := recover(); r != nil {
			ds.Errorf(Range{Start: file.Pos(0)}, "internal error: the parser failed: %v", r)
		}
	}()
	p := &parser{file: file, sf: &SpecFile{Name: name, Source: file}}
	lr := lex(file, string(src), 0)
	p.ds = append(p.ds, lr.diags...)
	toks := lr.toks
	if p.tooDeep(toks) {
		return nil, p.ds
	}
	g, err := holeParser().ParseFromLexer(peekable(toks))
	if err != nil {
		p.syntaxError(err, toks[:len(toks)-1], "expression")
		return nil, p.ds
	}
	if g.Unit != nil {
		p.errorf(p.tokRange(g.Unit.Tokens), "unexpected `in` after expression")
	}
	return p.lowerExpr(g.Expr), p.ds
}

// parser holds the state of one ParseFile call.
type parser struct {
	file *File
	sf   *SpecFile
	ds   Diagnostics
}

func (p *parser) errorf(r Range, format string, args ...any) *Diagnostic {
	d := Errorf(r, format, args...)
	p.ds.Add(d)
	return d
}

// peekable wraps tokens (ending with EOF) for participle.
func peekable(toks []lexer.Token) *lexer.PeekingLexer {
	pl, err := lexer.Upgrade(&tokenLexer{toks: toks})
	if err != nil { // tokenLexer never fails
		panic(err)
	}
	return pl
}

// withEOF returns toks followed by an EOF token placed right after the
// last token.
func (p *parser) withEOF(toks []lexer.Token) []lexer.Token {
	out := make([]lexer.Token, len(toks), len(toks)+1)
	copy(out, toks)
	return append(out, lexer.EOFToken(p.endPos(toks)))
}

// endPos is the lexer position just after the last token of toks.
func (p *parser) endPos(toks []lexer.Token) lexer.Position {
	if len(toks) == 0 {
		return lexer.Position{Filename: p.file.Name, Line: 1, Column: 1}
	}
	t := toks[len(toks)-1]
	pos := p.file.Pos(t.Pos.Offset + len(t.Value))
	return lexer.Position{Filename: pos.File, Offset: pos.Offset, Line: pos.Line, Column: pos.Col}
}

// tokRange is the source range covered by toks.
func (p *parser) tokRange(toks []lexer.Token) Range {
	if len(toks) == 0 {
		return Range{}
	}
	first, last := toks[0], toks[len(toks)-1]
	if first.EOF() {
		pos := p.file.Pos(first.Pos.Offset)
		return Range{Start: pos, End: pos}
	}
	return Range{
		Start: p.file.Pos(first.Pos.Offset),
		End:   p.file.Pos(last.Pos.Offset + len(last.Value)),
	}
}

// tokDesc describes a token for a message: "name `x`", "number `4`",
// "`)`", "end of file".
func tokDesc(t lexer.Token) string {
	switch t.Type {
	case tokEOF:
		return "end of file"
	case tokIdent:
		return fmt.Sprintf("name `%s`", t.Value)
	case tokNumber:
		return fmt.Sprintf("number `%s`", t.Value)
	case tokUnit:
		return fmt.Sprintf("unit `%s`", t.Value)
	case tokString:
		return "string"
	case tokCheck:
		return fmt.Sprintf("`%s`", clip(t.Value))
	default:
		return fmt.Sprintf("`%s`", t.Value)
	}
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 20 {
		return string(r[:20]) + "..."
	}
	return s
}

// dropCascades removes syntax errors reported on a line that already has
// a lexical error (an invalid character or an unterminated string): the
// lexical error is the cause. After a """ string or block comment that
// runs to the end of the file, later errors and unclosed blocks are
// dropped too.
func dropCascades(ds, lexDiags Diagnostics, runaway *Diagnostic) Diagnostics {
	if len(lexDiags) == 0 {
		return ds
	}
	lexical := map[*Diagnostic]bool{}
	lines := map[int]bool{}
	for _, d := range lexDiags {
		lexical[d] = true
		lines[d.Range.Start.Line] = true
	}
	out := ds[:0]
	for _, d := range ds {
		if !lexical[d] && lines[d.Range.Start.Line] {
			continue
		}
		if runaway != nil && !lexical[d] && (d.Range.Start.Offset >= runaway.Range.Start.Offset || strings.HasPrefix(d.Summary, "missing `}`")) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// maxNesting bounds how deeply brackets, unary operators and powers
// (which nest to the right) may nest: the parser is recursive, and a spec
// is untrusted input.
const maxNesting = 100

// tooDeep reports (as an error) an expression nested deeper than
// maxNesting; the file is then not parsed further.
func (p *parser) tooDeep(toks []lexer.Token) bool {
	depth, unary, pow := 0, 0, 0
	prevOperand := false
	for i, t := range toks {
		v := t.Value
		isPunct := t.Type == tokPunct
		switch {
		case isPunct && (v == "(" || v == "[" || v == "{"):
			depth++
		case isPunct && (v == ")" || v == "]" || v == "}"):
			depth = max(depth-1, 0)
		}
		isUnary := (isPunct && (v == "-" || v == "+" || v == "!") || t.Type == tokKeyword && v == "not") && !prevOperand
		operand := t.Type == tokIdent || t.Type == tokNumber || t.Type == tokString || t.Type == tokUnit ||
			t.Type == tokKeyword && (v == "true" || v == "false")
		if isUnary {
			unary++
		} else {
			unary = 0
		}
		// `a^b^c` nests to the right; `a^2 + b^2` does not.
		switch {
		case isPunct && (v == "^" || v == "**"):
			pow++
		case operand || isUnary || isPunct && v == ".":
		default:
			pow = 0
		}
		prevOperand = operand || isPunct && (v == ")" || v == "]" || v == "}")
		if depth > maxNesting || unary > maxNesting || pow > maxNesting {
			p.errorf(p.tokRange(toks[i:i+1]), "expression nested too deeply (more than %d levels)", maxNesting)
			return true
		}
	}
	return false
}
