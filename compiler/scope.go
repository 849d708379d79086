package compiler

import (
	"sort"
	"strings"

	"github.com/polylearn/poly/lang"
)

// binding is one named quantity: a given, let or vary.
type binding struct {
	name   string // dotted name in its own file's scope ("colony.n0", "t")
	kind   string // "given", "let", "vary"
	nameR  lang.Range
	value  lang.Expr // given/let
	vary   *lang.Vary
	prefix string // enclosing element name, "" at block level
	sc     *scope // where the value's names are resolved
	file   string
	// family marks a vary of a family (bound per generated problem).
}

// scope maps names to bindings. Lookups fall back to the parent.
type scope struct {
	parent *scope
	names  map[string]*binding
	// prefixes are element names and import aliases reachable here, with
	// where they were declared.
	prefixes map[string]lang.Range
	// own lists the bindings declared in this scope's own file or block,
	// in source order (what an importing file sees of a file scope).
	own []*binding
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, names: map[string]*binding{}, prefixes: map[string]lang.Range{}}
}

func (s *scope) lookup(name string) *binding {
	for ; s != nil; s = s.parent {
		if b, ok := s.names[name]; ok {
			return b
		}
	}
	return nil
}

func (s *scope) isPrefix(name string) bool {
	for ; s != nil; s = s.parent {
		if _, ok := s.prefixes[name]; ok {
			return true
		}
	}
	return false
}

// visible returns every name reachable from s, sorted.
func (s *scope) visible() []string {
	seen := map[string]bool{}
	var out []string
	for ; s != nil; s = s.parent {
		for n := range s.names {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// declare adds b, reporting a duplicate.
func (s *scope) declare(b *binding, diags *lang.Diagnostics) {
	if prev := s.lookup(b.name); prev != nil {
		diags.Add(lang.Errorf(b.nameR, "duplicate name `%s` (first defined at %s)", b.name, prev.nameR.Start))
		return
	}
	for p := s; p != nil; p = p.parent {
		if r, ok := p.prefixes[b.name]; ok {
			diags.Add(lang.Errorf(b.nameR, "`%s` is already the name of an element (at %s)", b.name, r.Start))
			return
		}
	}
	s.names[b.name] = b
	s.own = append(s.own, b)
}

// declarePrefix records an element name or import alias, reporting a
// clash with an existing one.
func (s *scope) declarePrefix(name string, r lang.Range, what string, diags *lang.Diagnostics) bool {
	for p := s; p != nil; p = p.parent {
		if prev, ok := p.prefixes[name]; ok {
			diags.Add(lang.Errorf(r, "duplicate %s `%s` (first defined at %s)", what, name, prev.Start))
			return false
		}
	}
	if prev := s.lookup(name); prev != nil {
		diags.Add(lang.Errorf(r, "%s `%s` has the name of a value (defined at %s)", what, name, prev.nameR.Start))
		return false
	}
	s.prefixes[name] = r
	return true
}

// fileScope returns (building once) the scope of a unit: its own
// top-level elements plus the elements of the files it imports (under the
// import's alias when one is given). Problems go to u.diags.
func fileScope(u *unit) *scope {
	if u.scope != nil {
		return u.scope
	}
	sc := newScope(nil)
	u.scope = sc
	if u.ast == nil {
		return sc
	}
	// Own elements first, so imported clashes point at the import.
	for _, d := range u.ast.Decls {
		el, ok := d.(*lang.Element)
		if !ok || el.Name == nil {
			continue
		}
		declareElement(sc, el, "", u.path, &u.diags)
	}
	for _, ui := range u.imports {
		if ui.u == nil {
			continue
		}
		dep := fileScope(ui.u)
		alias := ""
		if ui.decl.Alias != nil {
			alias = ui.decl.Alias.Name
			if !sc.declarePrefix(alias, ui.decl.Alias.Range, "import alias", &u.diags) {
				continue
			}
		}
		// Element prefixes of dep.
		var prefixes []string
		for p := range dep.prefixes {
			if dep.prefixes[p].Start.File == ui.u.path {
				prefixes = append(prefixes, p)
			}
		}
		sort.Strings(prefixes)
		clash := false
		if alias == "" {
			for _, p := range prefixes {
				if prev, ok := sc.prefixes[p]; ok {
					u.diags.Add(lang.Errorf(importRange(ui.decl), "import %q defines element `%s`, already defined at %s", ui.decl.Path, p, prev.Start))
					clash = true
					continue
				}
				sc.prefixes[p] = dep.prefixes[p]
			}
		}
		if clash {
			continue
		}
		for _, b := range dep.own {
			name := b.name
			if alias != "" {
				name = alias + "." + name
			}
			if _, ok := sc.names[name]; ok {
				continue
			}
			sc.names[name] = b
		}
	}
	return sc
}

// declareElement adds an element's given/let bindings to sc under
// prefix+name.
func declareElement(sc *scope, el *lang.Element, prefix, file string, diags *lang.Diagnostics) {
	name := prefix + el.Name.Name
	if !sc.declarePrefix(name, el.Name.Range, "element", diags) {
		return
	}
	for _, st := range el.Body {
		switch st := st.(type) {
		case *lang.Given:
			if st.Name == nil {
				continue
			}
			sc.declare(&binding{name: name + "." + st.Name.Name, kind: "given", nameR: st.Name.Range,
				value: st.Value, prefix: name, sc: sc, file: file}, diags)
		case *lang.Let:
			if st.Name == nil {
				continue
			}
			sc.declare(&binding{name: name + "." + st.Name.Name, kind: "let", nameR: st.Name.Range,
				value: st.Value, prefix: name, sc: sc, file: file}, diags)
		default:
			diags.Errorf(st.Span(), "%s is not allowed in an element (only given and let)", stmtName(st))
		}
	}
}

// stmtName names a statement kind for messages.
func stmtName(st lang.Stmt) string {
	switch st.(type) {
	case *lang.Disciplines:
		return "disciplines"
	case *lang.Skills:
		return "skills"
	case *lang.Given:
		return "given"
	case *lang.Let:
		return "let"
	case *lang.Vary:
		return "vary"
	case *lang.Prompt:
		return "prompt"
	case *lang.System:
		return "system"
	case *lang.Answer:
		return "answer"
	case *lang.Check:
		return "check"
	case *lang.Expect:
		return "expect"
	case *lang.Solution:
		return "solution"
	case *lang.Train:
		return "train"
	case *lang.Meta:
		return "meta"
	case *lang.Element:
		return "element"
	}
	return "statement"
}

// resolveName finds the binding a name refers to from a binding with
// element prefix (siblings in the same element first).
func resolveName(sc *scope, prefix, name string) *binding {
	if prefix != "" && !strings.Contains(name, ".") {
		if b := sc.lookup(prefix + "." + name); b != nil {
			return b
		}
	}
	return sc.lookup(name)
}
