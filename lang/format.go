package lang

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Format returns the canonical source text of f, which must come from
// ParseFile without syntax errors (f.Source supplies the comments' and
// blank lines' positions). The layout:
//
//   - two-space indentation, one statement per line, `{` on the header
//     line and `}` on its own line;
//   - one blank line between top-level declarations; inside blocks, blank
//     lines are kept (at most one in a row) but none after `{` or before
//     `}`;
//   - in a run of consecutive one-line given/let/vary statements the
//     keywords, names and `=`/`in` are aligned, as are the keywords of
//     consecutive disciplines/skills lines and the `=` of train/meta
//     fields;
//   - spaces around binary operators except `^`; `a, b` in lists;
//   - every comment is kept: own-line comments stay before what follows
//     them, trailing comments stay at the end of their line, aligned in
//     runs of consecutive commented lines;
//   - multi-line """ strings are re-indented one level deeper than their
//     statement, with the closing """ on its own line.
//
// Format is idempotent: formatting its output again gives the same bytes.
func Format(f *SpecFile) []byte {
	p := &printer{file: f}
	p.comments = f.Comments
	p.printFile()
	return p.render()
}

// FormatSource parses src and formats it. On syntax errors it returns nil
// and the diagnostics.
func FormatSource(name string, src []byte) ([]byte, Diagnostics) {
	f, ds := ParseFile(name, src)
	if ds.HasErrors() {
		return nil, ds
	}
	return Format(f), ds
}

type outLine struct {
	indent  int
	text    string
	comment string
	blank   bool
	raw     bool // text printed as is (string content lines)
}

type printer struct {
	file     *SpecFile
	comments []*Comment
	ci       int
	lines    []outLine
	// lastLine is the source line where the last printed thing ended.
	lastLine int
}

func (p *printer) add(l outLine) { p.lines = append(p.lines, l) }

func (p *printer) blank() {
	if n := len(p.lines); n > 0 && !p.lines[n-1].blank {
		p.add(outLine{blank: true})
	}
}

// flushComments prints the comments that start before offset off as
// their own lines at indent. first says the next thing opens a block (no
// blank line before it).
func (p *printer) flushComments(off, indent int, first bool) {
	for p.ci < len(p.comments) && p.comments[p.ci].Range.Start.Offset < off {
		c := p.comments[p.ci]
		p.ci++
		if !first && p.lastLine > 0 && c.Range.Start.Line > p.lastLine+1 {
			p.blank()
		}
		first = false
		p.commentLines(c, indent)
		p.lastLine = c.Range.End.Line
	}
}

func (p *printer) commentLines(c *Comment, indent int) {
	lines := strings.Split(c.Text, "\n")
	p.add(outLine{indent: indent, text: lines[0]})
	for _, l := range lines[1:] {
		p.add(outLine{raw: true, text: strings.TrimRight(l, " \t\r")})
	}
}

// trailing returns the comment that starts on source line line at or
// after offset off (a trailing comment), consuming it; "" if none.
func (p *printer) trailing(line, off int) string {
	if p.ci < len(p.comments) {
		c := p.comments[p.ci]
		if c.Range.Start.Line == line && c.Range.Start.Offset >= off && !strings.Contains(c.Text, "\n") {
			p.ci++
			return c.Text
		}
	}
	return ""
}

// item is a top-level import or declaration.
type item struct {
	node Node
	off  int
}

func (p *printer) printFile() {
	var items []item
	for _, im := range p.file.Imports {
		items = append(items, item{im, im.Range.Start.Offset})
	}
	for _, d := range p.file.Decls {
		items = append(items, item{d, d.Span().Start.Offset})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].off < items[j].off })
	var prev Node
	for _, it := range items {
		_, isImp := it.node.(*Import)
		_, prevImp := prev.(*Import)
		startLine := it.node.Span().Start.Line
		if p.ci < len(p.comments) && p.comments[p.ci].Range.Start.Offset < it.off {
			startLine = p.comments[p.ci].Range.Start.Line
		}
		if prev != nil && (!isImp || !prevImp || startLine > p.lastLine+1) {
			p.blank()
		}
		before := p.ci
		p.flushComments(it.off, 0, prev == nil || p.lastLine == 0 || startLine <= p.lastLine+1 && !(isImp && prevImp))
		if p.ci > before && it.node.Span().Start.Line > p.lastLine+1 {
			p.blank()
		}
		switch n := it.node.(type) {
		case *Import:
			t := "import "
			if n.Alias != nil {
				t += n.Alias.Name + " "
			}
			t += p.rawOf(n.PathRange)
			p.endLine(0, t, n.Range)
		case *Sample:
			h := "sample " + n.Name.Name
			if n.Title != nil {
				h += " " + p.str(n.Title, 0)
			}
			p.block(0, h, n.Name.Range, n.Body, n.Close, n.Range)
		case *Family:
			h := "family " + n.Name.Name
			if n.Discipline != nil {
				h += " " + n.Discipline.Name
			}
			if n.Title != nil {
				h += " " + p.str(n.Title, 0)
			}
			p.block(0, h, n.Name.Range, n.Body, n.Close, n.Range)
		case *Element:
			p.element(0, n)
		}
		prev = it.node
	}
	// Comments after the last declaration.
	if p.ci < len(p.comments) {
		if prev != nil {
			p.blank()
		}
		p.flushComments(len(p.file.Source.Src)+1, 0, true)
	}
}

// endLine prints text (which may hold newlines from """ strings) as the
// line(s) of a node ending at r, with its trailing comment.
func (p *printer) endLine(indent int, text string, r Range) {
	parts := strings.Split(text, "\n")
	p.add(outLine{indent: indent, text: parts[0]})
	for _, l := range parts[1:] {
		p.add(outLine{raw: true, text: l})
	}
	if c := p.trailing(r.End.Line, r.End.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = r.End.Line
}

func (p *printer) element(indent int, n *Element) {
	h := "element " + n.Name.Name
	if n.Discipline != nil {
		h += " " + n.Discipline.Name
	}
	p.block(indent, h, n.Name.Range, n.Body, n.Close, n.Range)
}

// block prints `header {`, the body one level deeper, and `}`.
func (p *printer) block(indent int, header string, headRange Range, body []Stmt, close, whole Range) {
	if len(body) == 0 && !p.commentsBefore(whole.End.Offset) {
		p.endLine(indent, header+" {}", whole)
		return
	}
	p.add(outLine{indent: indent, text: header + " {"})
	if c := p.trailing(headRange.End.Line, headRange.End.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = headRange.End.Line
	p.stmts(indent+1, body)
	closeOff := close.Start.Offset
	if close == (Range{}) {
		closeOff = whole.End.Offset
	}
	p.flushComments(closeOff, indent+1, false)
	p.add(outLine{indent: indent, text: "}"})
	end := close
	if close == (Range{}) {
		end = Range{Start: whole.End, End: whole.End}
	}
	if c := p.trailing(end.End.Line, end.End.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = end.End.Line
}

// stmts prints a block body.
func (p *printer) stmts(indent int, body []Stmt) {
	pads := alignStmts(body, p.file, p.comments)
	for i, s := range body {
		r := s.Span()
		p.leading(r, indent, i == 0)
		if !isBlockStmt(s) {
			// Comments inside a one-line statement move before it.
			p.flushComments(r.End.Offset, indent, true)
		}
		p.stmt(indent, s, pads[i])
	}
}

// leading prints the comments before a node at r (a blank line before
// them and between them and the node where the source had one).
func (p *printer) leading(r Range, indent int, first bool) {
	startLine := r.Start.Line
	if p.ci < len(p.comments) && p.comments[p.ci].Range.Start.Offset < r.Start.Offset {
		startLine = min(startLine, p.comments[p.ci].Range.Start.Line)
	}
	if !first && startLine > p.lastLine+1 {
		p.blank()
	}
	before := p.ci
	p.flushComments(r.Start.Offset, indent, first)
	if p.ci > before && r.Start.Line > p.lastLine+1 {
		p.blank()
	}
}

func isBlockStmt(s Stmt) bool {
	switch s := s.(type) {
	case *Element, *Train, *Meta:
		return true
	case *Answer:
		return len(s.Choices) > 0
	}
	return false
}

// pad is the alignment of one statement: widths of keyword and name.
type pad struct{ kw, name int }

// alignStmts computes alignment pads for runs of consecutive one-line
// given/let/vary statements and disciplines/skills statements.
func alignStmts(body []Stmt, f *SpecFile, comments []*Comment) []pad {
	pads := make([]pad, len(body))
	// Alignment depends on how statements print (one line unless they
	// hold a multi-line """ string), not on how the source broke them.
	class := func(s Stmt) int {
		switch s.(type) {
		case *Given, *Let, *Vary:
			if printsOneLine(s) {
				return 1
			}
		case *Disciplines, *Skills:
			return 2
		}
		return 0
	}
	// hasCommentBetween reports a comment that will print on its own line
	// between two statements (prev ends at a, the next ends at b): any
	// comment in between except prev's trailing comment, the first one on
	// prev's last line (see printer.trailing).
	hasCommentBetween := func(a, b int) bool {
		first := true
		for _, c := range comments {
			if c.Range.Start.Offset < a || c.Range.Start.Offset >= b {
				continue
			}
			if first && c.Range.Start.Line == lineAt(f, a) && !strings.Contains(c.Text, "\n") {
				first = false
				continue
			}
			return true
		}
		return false
	}
	for i := 0; i < len(body); {
		c := class(body[i])
		if c == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(body) && class(body[j]) == c &&
			body[j].Span().Start.Line <= body[j-1].Span().End.Line+1 &&
			!hasCommentBetween(body[j-1].Span().End.Offset, body[j].Span().End.Offset) {
			j++
		}
		kw, name := 0, 0
		for _, s := range body[i:j] {
			k, n := stmtKeyName(s)
			kw = max(kw, len(k))
			name = max(name, utf8.RuneCountInString(n))
		}
		for k := i; k < j; k++ {
			pads[k] = pad{kw, name}
		}
		i = j
	}
	return pads
}

// printsOneLine reports whether s holds no multi-line """ string.
func printsOneLine(s Stmt) bool {
	one := true
	Inspect(s, func(n Node) bool {
		if str, ok := n.(*String); ok && str.Triple && strings.Contains(str.Raw, "\n") {
			one = false
		}
		return one
	})
	return one
}

func lineAt(f *SpecFile, off int) int {
	if f.Source == nil {
		return 0
	}
	return f.Source.Pos(off).Line
}

func stmtKeyName(s Stmt) (string, string) {
	switch s := s.(type) {
	case *Given:
		return "given", s.Name.Name
	case *Let:
		return "let", s.Name.Name
	case *Vary:
		return "vary", s.Name.Name
	case *Disciplines:
		return "disciplines", ""
	case *Skills:
		return "skills", ""
	}
	return "", ""
}

func padTo(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func (p *printer) stmt(indent int, s Stmt, pd pad) {
	kwPad := func(kw string) string { return padTo(kw, pd.kw) + " " }
	namePad := func(n string) string { return padTo(n, pd.name) }
	var t string
	switch s := s.(type) {
	case *Element:
		p.element(indent, s)
		return
	case *Disciplines:
		t = kwPad("disciplines") + identList(s.Names)
	case *Skills:
		t = kwPad("skills") + identList(s.Names)
	case *Given:
		t = kwPad("given") + namePad(s.Name.Name) + " = " + p.expr(s.Value, indent)
	case *Let:
		t = kwPad("let") + namePad(s.Name.Name) + " = " + p.expr(s.Value, indent)
	case *Vary:
		t = kwPad("vary") + namePad(s.Name.Name) + " in " + p.domain(s.Domain, indent)
	case *Prompt:
		t = "prompt " + p.str(s.Text, indent)
	case *System:
		t = "system " + p.str(s.Text, indent)
	case *Solution:
		t = "solution " + p.str(s.Text, indent)
	case *Expect:
		v := "fail"
		if s.Pass {
			v = "pass"
		}
		t = "expect " + v + " " + p.str(s.Text, indent)
	case *Check:
		if s.Str != nil {
			t = "check " + p.str(s.Str, indent)
		} else {
			t = "check " + s.Src
		}
	case *Answer:
		p.answer(indent, s)
		return
	case *Train:
		p.kvBlock(indent, "train", s.Fields, s.Close, s.Range)
		return
	case *Meta:
		p.kvBlock(indent, "meta", s.Fields, s.Close, s.Range)
		return
	}
	p.endLine(indent, t, s.Span())
}

func identList(ids []*Ident) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, id.Name)
	}
	return strings.Join(parts, ", ")
}

func (p *printer) domain(d VaryDomain, indent int) string {
	switch d := d.(type) {
	case *VaryRange:
		t := p.expr(d.From, indent) + ".." + p.expr(d.To, indent)
		if d.Step != nil {
			t += " step " + p.expr(d.Step, indent)
		}
		if d.Unit != nil {
			t += unitSuffix(d.Unit)
		}
		return t
	case *VarySet:
		t := "{" + p.exprList(d.Elems, indent) + "}"
		if d.Unit != nil {
			t += " " + d.Unit.Text
		}
		return t
	}
	return ""
}

func unitSuffix(u *UnitExpr) string {
	if u.Text == "%" || u.Text == "‰" {
		return u.Text
	}
	return " " + u.Text
}

func (p *printer) answer(indent int, a *Answer) {
	t := "answer "
	if a.Kind != KindAuto {
		t += a.Kind.String() + " "
	}
	t += p.expr(a.Value, indent)
	if a.Unit != nil {
		t += " in " + a.Unit.Text
	}
	type opt struct {
		off  int
		text string
	}
	var opts []opt
	for _, tol := range a.Tolerances {
		opts = append(opts, opt{tol.Range.Start.Offset, tol.Kind.String() + " " + p.expr(tol.Value, indent)})
	}
	for _, o := range a.Options {
		s := o.Name.Name
		if o.Value != nil {
			s += " " + p.expr(o.Value, indent)
		}
		opts = append(opts, opt{o.Range.Start.Offset, s})
	}
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].off < opts[j].off })
	for _, o := range opts {
		t += ", " + o.text
	}
	if len(a.Choices) == 0 {
		p.endLine(indent, t, a.Range)
		return
	}
	// The header line ends before the first choice.
	first := a.Choices[0].Range
	p.add(outLine{indent: indent, text: t + " {"})
	hdrEnd := a.Range.Start
	if v := a.Value.Span(); v.End.Offset > 0 {
		hdrEnd = v.End
	}
	if c := p.trailing(hdrEnd.Line, hdrEnd.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = hdrEnd.Line
	w := 0
	for _, c := range a.Choices {
		w = max(w, utf8.RuneCountInString(c.Label.Name))
	}
	for i, c := range a.Choices {
		p.leading(c.Range, indent+1, i == 0)
		p.flushComments(c.Range.End.Offset, indent+1, true)
		p.endLine(indent+1, padTo(c.Label.Name, w)+" "+p.str(c.Text, indent+1), c.Range)
	}
	_ = first
	p.flushComments(a.Range.End.Offset, indent+1, false)
	p.add(outLine{indent: indent, text: "}"})
	if c := p.trailing(a.Range.End.Line, a.Range.End.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = a.Range.End.Line
}

func (p *printer) kvBlock(indent int, kw string, fields []*KeyValue, close, whole Range) {
	if len(fields) == 0 && !p.commentsBefore(whole.End.Offset) {
		p.endLine(indent, kw+" {}", whole)
		return
	}
	p.add(outLine{indent: indent, text: kw + " {"})
	if c := p.trailing(whole.Start.Line, whole.Start.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = whole.Start.Line
	w := 0
	for _, f := range fields {
		w = max(w, utf8.RuneCountInString(f.Key.Name))
	}
	for i, f := range fields {
		p.leading(f.Range, indent+1, i == 0)
		p.flushComments(f.Range.End.Offset, indent+1, true)
		p.endLine(indent+1, padTo(f.Key.Name, w)+" = "+p.expr(f.Value, indent+1), f.Range)
	}
	p.flushComments(close.Start.Offset, indent+1, len(fields) == 0)
	p.add(outLine{indent: indent, text: "}"})
	if c := p.trailing(whole.End.Line, whole.End.Offset); c != "" {
		p.lines[len(p.lines)-1].comment = c
	}
	p.lastLine = whole.End.Line
}

func (p *printer) commentsBefore(off int) bool {
	return p.ci < len(p.comments) && p.comments[p.ci].Range.Start.Offset < off
}

// rawOf returns the source text of r.
func (p *printer) rawOf(r Range) string {
	src := p.file.Source.Src
	if r.Start.Offset < 0 || r.End.Offset > len(src) || r.Start.Offset > r.End.Offset {
		return ""
	}
	return string(src[r.Start.Offset:r.End.Offset])
}

// str prints a string literal at statement indent.
func (p *printer) str(s *String, indent int) string {
	if !s.Triple || !strings.Contains(s.Raw, "\n") {
		return s.Raw
	}
	var b strings.Builder
	b.WriteString(`"""`)
	pre := strings.Repeat("  ", indent+1)
	if s.Value != "" {
		for _, l := range strings.Split(s.Value, "\n") {
			b.WriteByte('\n')
			if l != "" {
				b.WriteString(pre + l)
			}
		}
	}
	b.WriteString("\n" + strings.Repeat("  ", indent) + `"""`)
	return b.String()
}

func (p *printer) exprList(es []Expr, indent int) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = p.expr(e, indent)
	}
	return strings.Join(parts, ", ")
}

// expr prints an expression on one line (""" strings excepted).
func (p *printer) expr(e Expr, indent int) string {
	switch e := e.(type) {
	case nil:
		return ""
	case *Number:
		if e.Unit != nil {
			return e.Text + unitSuffix(e.Unit)
		}
		return e.Text
	case *Name:
		return e.String()
	case *Bool:
		if e.Value {
			return "true"
		}
		return "false"
	case *String:
		return p.str(e, indent)
	case *Binary:
		x, y := p.expr(e.X, indent), p.expr(e.Y, indent)
		switch e.Op {
		case "^":
			if endsWithUnit(e.X) {
				// `(2 m) ^ 2` written tight would extend the unit: `2 m^2`.
				return x + " ^ " + y
			}
			return x + "^" + y
		case "%":
			// After a number, `%` is the modulo operator only when an
			// operand (digit, name or `(`) follows; else it reads as percent.
			if y == "" || !(isDigit(y[0]) || y[0] == '(' || isIdentStart(y)) {
				y = "(" + y + ")"
			}
		}
		return x + " " + e.Op + " " + y
	case *Unary:
		x := p.expr(e.X, indent)
		if e.Op == "not" {
			return "not " + x
		}
		return e.Op + x
	case *Call:
		return e.Fun.String() + "(" + p.exprList(e.Args, indent) + ")"
	case *Paren:
		return "(" + p.expr(e.X, indent) + ")"
	case *List:
		return "[" + p.exprList(e.Elems, indent) + "]"
	case *Set:
		return "{" + p.exprList(e.Elems, indent) + "}"
	case *Tuple:
		if len(e.Elems) == 1 {
			return "(" + p.expr(e.Elems[0], indent) + ",)"
		}
		return "(" + p.exprList(e.Elems, indent) + ")"
	case *Interval:
		open, close := "[", "]"
		if e.LoOpen {
			open = "("
		}
		if e.HiOpen {
			close = ")"
		}
		return open + p.expr(e.Lo, indent) + ", " + p.expr(e.Hi, indent) + close
	}
	return ""
}

// endsWithUnit reports whether e prints ending in a unit.
func endsWithUnit(e Expr) bool {
	switch e := e.(type) {
	case *Number:
		return e.Unit != nil
	case *Binary:
		return endsWithUnit(e.Y)
	case *Unary:
		return endsWithUnit(e.X)
	}
	return false
}

// render joins the lines, aligning trailing comments of consecutive
// lines with the same indent.
func (p *printer) render() []byte {
	lines := p.lines
	// Drop trailing blank lines.
	for len(lines) > 0 && lines[len(lines)-1].blank {
		lines = lines[:len(lines)-1]
	}
	width := func(l outLine) int { return 2*l.indent + utf8.RuneCountInString(l.text) }
	col := make([]int, len(lines))
	// Trailing comments of consecutive statement lines line up; those
	// after a `{` or a `}` do not.
	alignable := func(l outLine) bool {
		return l.comment != "" && !l.raw && !l.blank && l.text != "}" && !strings.HasSuffix(l.text, "{")
	}
	for i := 0; i < len(lines); {
		if !alignable(lines[i]) {
			col[i] = width(lines[i]) + 2
			i++
			continue
		}
		j := i
		w := 0
		for j < len(lines) && alignable(lines[j]) && lines[j].indent == lines[i].indent {
			w = max(w, width(lines[j]))
			j++
		}
		for k := i; k < j; k++ {
			col[k] = w + 2
		}
		i = j
	}
	var b strings.Builder
	for i, l := range lines {
		switch {
		case l.blank:
		case l.raw:
			b.WriteString(l.text)
			if l.comment != "" {
				b.WriteString("  " + l.comment)
			}
		default:
			text := strings.Repeat("  ", l.indent) + l.text
			if l.comment != "" {
				if l.text == "" {
					text += l.comment
				} else {
					text = padTo(text, col[i]) + l.comment
				}
			}
			b.WriteString(text)
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
