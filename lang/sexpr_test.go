package lang

import (
	"fmt"
	"strings"
)

// sexpr renders a node as a compact S-expression without positions, for
// table tests and for comparing trees across a format round trip.
func sexpr(n Node) string {
	var b strings.Builder
	writeSexpr(&b, n)
	return b.String()
}

func writeSexpr(b *strings.Builder, n Node) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	list := func(name string, items ...Node) {
		w("(%s", name)
		for _, it := range items {
			b.WriteByte(' ')
			writeSexpr(b, it)
		}
		b.WriteByte(')')
	}
	if isNil(n) {
		b.WriteString("nil")
		return
	}
	switch n := n.(type) {
	case *SpecFile:
		var items []Node
		for _, im := range n.Imports {
			items = append(items, im)
		}
		for _, d := range n.Decls {
			items = append(items, d)
		}
		list("file", items...)
	case *Import:
		alias := ""
		if n.Alias != nil {
			alias = n.Alias.Name + " "
		}
		w("(import %s%q)", alias, n.Path)
	case *Ident:
		b.WriteString(n.Name)
	case *Sample:
		w("(sample %s ", n.Name.Name)
		writeSexpr(b, n.Title)
		stmtsSexpr(b, n.Body)
		b.WriteByte(')')
	case *Family:
		w("(family %s ", n.Name.Name)
		writeSexpr(b, n.Discipline)
		b.WriteByte(' ')
		writeSexpr(b, n.Title)
		stmtsSexpr(b, n.Body)
		b.WriteByte(')')
	case *Element:
		w("(element %s ", n.Name.Name)
		writeSexpr(b, n.Discipline)
		stmtsSexpr(b, n.Body)
		b.WriteByte(')')
	case *Disciplines:
		list("disciplines", identNodes(n.Names)...)
	case *Skills:
		list("skills", identNodes(n.Names)...)
	case *Given:
		list("given", n.Name, n.Value)
	case *Let:
		list("let", n.Name, n.Value)
	case *Vary:
		list("vary", n.Name, n.Domain)
	case *VaryRange:
		var u Node
		if n.Unit != nil {
			u = n.Unit
		}
		list("range", n.From, n.To, nilExpr(n.Step), u)
	case *VarySet:
		items := exprNodes(n.Elems)
		if n.Unit != nil {
			items = append(items, n.Unit)
		}
		list("set", items...)
	case *Prompt:
		list("prompt", n.Text)
	case *System:
		list("system", n.Text)
	case *Solution:
		list("solution", n.Text)
	case *Expect:
		w("(expect %v ", n.Pass)
		writeSexpr(b, n.Text)
		b.WriteByte(')')
	case *Check:
		w("(check %q)", n.Src)
	case *Answer:
		w("(answer %s ", n.Kind)
		writeSexpr(b, n.Value)
		if n.Unit != nil {
			b.WriteString(" in ")
			writeSexpr(b, n.Unit)
		}
		for _, t := range n.Tolerances {
			w(" (%s ", t.Kind)
			writeSexpr(b, t.Value)
			b.WriteByte(')')
		}
		for _, o := range n.Options {
			w(" (opt %s ", o.Name.Name)
			writeSexpr(b, nilExpr(o.Value))
			b.WriteByte(')')
		}
		for _, c := range n.Choices {
			w(" (choice %s ", c.Label.Name)
			writeSexpr(b, c.Text)
			b.WriteByte(')')
		}
		b.WriteByte(')')
	case *Train:
		kvSexpr(b, "train", n.Fields)
	case *Meta:
		kvSexpr(b, "meta", n.Fields)
	case *Number:
		if n.Unit != nil {
			w("%s[%s]", n.Text, unitSexpr(n.Unit))
		} else {
			b.WriteString(n.Text)
		}
	case *UnitExpr:
		b.WriteString(unitSexpr(n))
	case *Name:
		b.WriteString(n.String())
	case *Bool:
		w("%v", n.Value)
	case *Binary:
		list(n.Op, n.X, n.Y)
	case *Unary:
		list("u"+n.Op, n.X)
	case *Call:
		list("call "+n.Fun.String(), exprNodes(n.Args)...)
	case *Paren:
		// Parentheses are explicit in the tree's shape.
		writeSexpr(b, n.X)
	case *List:
		list("list", exprNodes(n.Elems)...)
	case *Set:
		list("setlit", exprNodes(n.Elems)...)
	case *Tuple:
		list("tuple", exprNodes(n.Elems)...)
	case *Interval:
		w("(interval %v %v ", n.LoOpen, n.HiOpen)
		writeSexpr(b, n.Lo)
		b.WriteByte(' ')
		writeSexpr(b, n.Hi)
		b.WriteByte(')')
	case *String:
		b.WriteString("(str")
		for _, p := range n.Parts {
			b.WriteByte(' ')
			writeSexpr(b, p)
		}
		b.WriteByte(')')
	case *StringLit:
		w("%q", n.Text)
	case *Hole:
		b.WriteString("{")
		writeSexpr(b, n.Expr)
		if n.Unit != nil {
			w(" in %s", unitSexpr(n.Unit))
		}
		if n.Format != "" {
			w(" :%s", n.Format)
		}
		b.WriteString("}")
	default:
		w("?%T", n)
	}
}

func nilExpr(e Expr) Node {
	if e == nil {
		return nil
	}
	return e
}

func unitSexpr(u *UnitExpr) string {
	var parts []string
	for _, f := range u.Factors {
		parts = append(parts, fmt.Sprintf("%s^%d", f.Name, f.Exp))
	}
	return strings.Join(parts, " ")
}

func stmtsSexpr(b *strings.Builder, body []Stmt) {
	for _, s := range body {
		b.WriteByte(' ')
		writeSexpr(b, s)
	}
}

func kvSexpr(b *strings.Builder, kw string, fields []*KeyValue) {
	b.WriteString("(" + kw)
	for _, f := range fields {
		fmt.Fprintf(b, " (%s ", f.Key.Name)
		writeSexpr(b, f.Value)
		b.WriteByte(')')
	}
	b.WriteByte(')')
}

func identNodes(ids []*Ident) []Node {
	out := make([]Node, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func exprNodes(es []Expr) []Node {
	out := make([]Node, len(es))
	for i, e := range es {
		out[i] = nilExpr(e)
	}
	return out
}
