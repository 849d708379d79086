package lang

import "unicode/utf8"

// Inspect walks the tree rooted at n in depth-first source order, calling
// f for every node; when f returns false the node's children are skipped.
// Nil nodes are not visited.
func Inspect(n Node, f func(Node) bool) {
	if isNil(n) || !f(n) {
		return
	}
	visit := func(c Node) { Inspect(c, f) }
	switch n := n.(type) {
	case *SpecFile:
		for _, c := range n.Imports {
			visit(c)
		}
		for _, c := range n.Decls {
			visit(c)
		}
	case *Import:
		if n.Alias != nil {
			visit(n.Alias)
		}
	case *Sample:
		visit(n.Name)
		if n.Title != nil {
			visit(n.Title)
		}
		visitStmts(n.Body, f)
	case *Family:
		visit(n.Name)
		if n.Discipline != nil {
			visit(n.Discipline)
		}
		if n.Title != nil {
			visit(n.Title)
		}
		visitStmts(n.Body, f)
	case *Element:
		visit(n.Name)
		if n.Discipline != nil {
			visit(n.Discipline)
		}
		visitStmts(n.Body, f)
	case *Disciplines:
		for _, c := range n.Names {
			visit(c)
		}
	case *Skills:
		for _, c := range n.Names {
			visit(c)
		}
	case *Given:
		visit(n.Name)
		visit(n.Value)
	case *Let:
		visit(n.Name)
		visit(n.Value)
	case *Vary:
		visit(n.Name)
		visit(n.Domain)
	case *VaryRange:
		visit(n.From)
		visit(n.To)
		visit(n.Step)
		if n.Unit != nil {
			visit(n.Unit)
		}
	case *VarySet:
		for _, c := range n.Elems {
			visit(c)
		}
		if n.Unit != nil {
			visit(n.Unit)
		}
	case *Prompt:
		visit(n.Text)
	case *System:
		visit(n.Text)
	case *Answer:
		visit(n.Value)
		if n.Unit != nil {
			visit(n.Unit)
		}
		for _, c := range n.Tolerances {
			visit(c)
		}
		for _, c := range n.Options {
			visit(c)
		}
		for _, c := range n.Choices {
			visit(c)
		}
	case *Tolerance:
		visit(n.Value)
	case *Option:
		visit(n.Name)
		visit(n.Value)
	case *Choice:
		visit(n.Label)
		visit(n.Text)
	case *Check:
		if n.Str != nil {
			visit(n.Str)
		}
	case *Expect:
		visit(n.Text)
	case *Solution:
		visit(n.Text)
	case *Train:
		for _, c := range n.Fields {
			visit(c)
		}
	case *Meta:
		for _, c := range n.Fields {
			visit(c)
		}
	case *KeyValue:
		visit(n.Key)
		visit(n.Value)
	case *Number:
		if n.Unit != nil {
			visit(n.Unit)
		}
	case *Binary:
		visit(n.X)
		visit(n.Y)
	case *Unary:
		visit(n.X)
	case *Call:
		visit(n.Fun)
		for _, c := range n.Args {
			visit(c)
		}
	case *Paren:
		visit(n.X)
	case *List:
		for _, c := range n.Elems {
			visit(c)
		}
	case *Set:
		for _, c := range n.Elems {
			visit(c)
		}
	case *Tuple:
		for _, c := range n.Elems {
			visit(c)
		}
	case *Interval:
		visit(n.Lo)
		visit(n.Hi)
	case *String:
		for _, c := range n.Parts {
			visit(c)
		}
	case *Hole:
		visit(n.Expr)
		if n.Unit != nil {
			visit(n.Unit)
		}
	case *UnitExpr:
		for _, c := range n.Factors {
			visit(c)
		}
	}
}

func visitStmts(body []Stmt, f func(Node) bool) {
	for _, s := range body {
		Inspect(s, f)
	}
}

// isNil reports whether n is nil or a typed nil pointer.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	switch v := n.(type) {
	case *Ident:
		return v == nil
	case *String:
		return v == nil
	case *UnitExpr:
		return v == nil
	case *Name:
		return v == nil
	case *Number:
		return v == nil
	}
	return false
}

// decodeRune decodes the first rune of s.
func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// advance returns p moved over text (lines and rune columns).
func advance(p Pos, text string) Pos {
	for _, r := range text {
		if r == '\n' {
			p.Line++
			p.Col = 1
		} else {
			p.Col++
		}
	}
	p.Offset += len(text)
	return p
}
