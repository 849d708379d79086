package lang

import (
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// Lowering: participle grammar structs -> AST nodes.

func (p *parser) lowerItem(it *gItem) {
	switch {
	case it.Import != nil:
		p.sf.Imports = append(p.sf.Imports, p.lowerImport(it.Import))
	case it.Sample != nil:
		p.sf.Decls = append(p.sf.Decls, p.lowerSample(it.Sample))
	case it.Family != nil:
		p.sf.Decls = append(p.sf.Decls, p.lowerFamily(it.Family))
	case it.Element != nil:
		p.sf.Decls = append(p.sf.Decls, p.lowerElement(it.Element))
	}
}

func (p *parser) lowerImport(g *gImport) *Import {
	n := &Import{Range: p.tokRange(g.Tokens)}
	if g.Alias != nil {
		n.Alias = p.ident(g.Alias)
	}
	s := p.lowerString(g.Path, false)
	n.Path = s.Value
	n.PathRange = s.Range
	if strings.TrimSpace(n.Path) == "" {
		p.errorf(s.Range, "empty import path")
	}
	return n
}

func (p *parser) ident(g *gIdent) *Ident {
	if g == nil {
		return nil
	}
	return &Ident{Range: p.tokRange(g.Tokens), Name: g.Name}
}

func (p *parser) optString(g *gString) *String {
	if g == nil {
		return nil
	}
	return p.lowerString(g, true)
}

func (p *parser) closeRange(g *gClose) Range {
	if g == nil {
		return Range{}
	}
	return p.tokRange(g.Tokens)
}

func (p *parser) lowerSample(g *gSample) *Sample {
	return &Sample{
		Range: p.tokRange(g.Tokens),
		Name:  p.ident(g.Name),
		Title: p.optString(g.Title),
		Body:  p.lowerBody(g.Body),
		Close: p.closeRange(g.Close),
	}
}

func (p *parser) lowerFamily(g *gFamily) *Family {
	return &Family{
		Range:      p.tokRange(g.Tokens),
		Name:       p.ident(g.Name),
		Discipline: p.ident(g.Discipline),
		Title:      p.optString(g.Title),
		Body:       p.lowerBody(g.Body),
		Close:      p.closeRange(g.Close),
	}
}

func (p *parser) lowerElement(g *gElement) *Element {
	return &Element{
		Range:      p.tokRange(g.Tokens),
		Name:       p.ident(g.Name),
		Discipline: p.ident(g.Discipline),
		Body:       p.lowerBody(g.Body),
		Close:      p.closeRange(g.Close),
	}
}

func (p *parser) lowerBody(gs []*gStmt) []Stmt {
	var out []Stmt
	for _, g := range gs {
		if s := p.lowerStmt(g); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) idents(gs []*gIdent) []*Ident {
	out := make([]*Ident, len(gs))
	for i, g := range gs {
		out[i] = p.ident(g)
	}
	return out
}

func (p *parser) lowerStmt(g *gStmt) Stmt {
	switch {
	case g.Element != nil:
		return p.lowerElement(g.Element)
	case g.Disciplines != nil:
		return &Disciplines{Range: p.tokRange(g.Disciplines.Tokens), Names: p.idents(g.Disciplines.Names)}
	case g.Skills != nil:
		return &Skills{Range: p.tokRange(g.Skills.Tokens), Names: p.idents(g.Skills.Names)}
	case g.Given != nil:
		return &Given{Range: p.tokRange(g.Given.Tokens), Name: p.ident(g.Given.Name), Value: p.lowerExpr(g.Given.Value)}
	case g.Let != nil:
		return &Let{Range: p.tokRange(g.Let.Tokens), Name: p.ident(g.Let.Name), Value: p.lowerExpr(g.Let.Value)}
	case g.Vary != nil:
		return p.lowerVary(g.Vary)
	case g.Prompt != nil:
		r := p.tokRange(g.Prompt.Tokens)
		t := p.lowerString(g.Prompt.Text, true)
		switch g.Prompt.Keyword {
		case "prompt":
			return &Prompt{Range: r, Text: t}
		case "system":
			return &System{Range: r, Text: t}
		default:
			return &Solution{Range: r, Text: t}
		}
	case g.Answer != nil:
		return p.lowerAnswer(g.Answer)
	case g.Check != nil:
		c := &Check{Range: p.tokRange(g.Check.Tokens)}
		if g.Check.Src != nil {
			c.Src = g.Check.Src.Text
			c.SrcRange = p.tokRange(g.Check.Src.Tokens)
		} else {
			c.Str = p.lowerString(g.Check.Str, false)
			c.Src = c.Str.Value
			c.SrcRange = c.Str.Range
			if len(c.Str.segs) > 0 {
				c.SrcRange.Start = c.Str.PosAt(0)
			}
		}
		if strings.TrimSpace(c.Src) == "" {
			p.errorf(c.Range, "empty checker program after `check`")
		}
		return c
	case g.Expect != nil:
		return &Expect{Range: p.tokRange(g.Expect.Tokens), Pass: g.Expect.Verdict == "pass", Text: p.lowerString(g.Expect.Text, true)}
	case g.Train != nil:
		var fields []*KeyValue
		for _, kv := range g.Train.Fields {
			fields = append(fields, &KeyValue{Range: p.tokRange(kv.Tokens), Key: p.ident(kv.Key), Value: p.lowerExpr(kv.Value)})
		}
		r := p.tokRange(g.Train.Tokens)
		if g.Train.Keyword == "meta" {
			return &Meta{Range: r, Fields: fields, Close: p.closeRange(g.Train.Close)}
		}
		return &Train{Range: r, Fields: fields, Close: p.closeRange(g.Train.Close)}
	}
	return nil
}

func (p *parser) lowerVary(g *gVary) *Vary {
	v := &Vary{Range: p.tokRange(g.Tokens), Name: p.ident(g.Name)}
	if g.Set != nil {
		s := &VarySet{Range: p.tokRange(g.Set.Tokens)}
		for _, e := range g.Set.Elems {
			s.Elems = append(s.Elems, p.lowerExpr(e))
		}
		if g.Set.Unit != nil {
			s.Unit = p.lowerUnit(g.Set.Unit)
		}
		v.Domain = s
		return v
	}
	r := &VaryRange{Range: p.tokRange(g.Range.Tokens), From: p.lowerExpr(g.Range.From), To: p.lowerExpr(g.Range.To)}
	if g.Range.Step != nil {
		r.Step = p.lowerExpr(g.Range.Step)
	}
	// `5..40 step 5 m/s`: the unit after the last bound applies to all.
	last := r.To
	if r.Step != nil {
		last = r.Step
	}
	if n, ok := last.(*Number); ok && n.Unit != nil {
		shared := true
		for _, b := range []Expr{r.From, r.To, r.Step} {
			if b == nil || b == last {
				continue
			}
			if u, ok := b.(*Unary); ok && (u.Op == "-" || u.Op == "+") {
				b = u.X // `-8..8 m`: a signed bound
			}
			if bn, ok := b.(*Number); !ok || bn.Unit != nil {
				shared = false
			}
		}
		if shared {
			r.Unit = n.Unit
			n.Unit = nil
			n.Range.End = advance(n.Range.Start, n.Text)
		}
	}
	v.Domain = r
	return v
}

func (p *parser) lowerAnswer(g *gAnswer) *Answer {
	a := &Answer{Range: p.tokRange(g.Tokens), Value: p.lowerExpr(g.Value)}
	if g.Kind != nil {
		a.KindRange = p.tokRange(g.Kind.Tokens)
		k, ok := answerKinds[g.Kind.Name]
		if !ok {
			p.errorf(a.KindRange, "unknown answer kind `%s`", g.Kind.Name).Detail =
				"an answer is written `answer [KIND] VALUE [in UNIT] [, OPTION...]`\nwith KIND one of " + kindList()
			k = KindAuto
		}
		a.Kind = k
	}
	if g.Unit != nil {
		a.Unit = p.lowerUnit(g.Unit)
	}
	for _, o := range g.Options {
		r := p.tokRange(o.Tokens)
		var val Expr
		if o.Value != nil {
			val = p.lowerExpr(o.Value)
		}
		switch o.Name.Name {
		case "abs", "rel", "sig":
			kind := map[string]TolKind{"abs": TolAbs, "rel": TolRel, "sig": TolSig}[o.Name.Name]
			if val == nil {
				p.errorf(r, "expected a value after `%s`", o.Name.Name)
				continue
			}
			a.Tolerances = append(a.Tolerances, &Tolerance{Range: r, Kind: kind, Value: val})
		default:
			a.Options = append(a.Options, &Option{Range: r, Name: p.ident(o.Name), Value: val})
		}
	}
	for _, c := range g.Choices {
		a.Choices = append(a.Choices, &Choice{Range: p.tokRange(c.Tokens), Label: p.ident(c.Label), Text: p.lowerString(c.Text, true)})
	}
	if len(a.Choices) > 0 && a.Kind != KindChoice {
		p.errorf(a.Range, "choices given but the answer kind is not `choice`").Detail = "write `answer choice LABEL { LABEL \"text\" ... }`"
	}
	if a.Kind == KindInterval {
		switch v := a.Value.(type) {
		case *List:
			if len(v.Elems) == 2 {
				a.Value = &Interval{Range: v.Range, Lo: v.Elems[0], Hi: v.Elems[1]}
			}
		case *Tuple:
			if len(v.Elems) == 2 {
				a.Value = &Interval{Range: v.Range, Lo: v.Elems[0], Hi: v.Elems[1], LoOpen: true, HiOpen: true}
			}
		}
	}
	return a
}

func kindList() string {
	var ks []string
	for k := range answerKinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// Expressions.

func (p *parser) lowerExpr(g *gOr) Expr {
	if g == nil {
		return nil
	}
	x := p.lowerAnd(g.Left)
	for _, op := range g.Rest {
		x = p.binary(x, "or", op.Tokens, p.lowerAnd(op.Right))
	}
	return x
}

func (p *parser) lowerAnd(g *gAnd) Expr {
	x := p.lowerCmp(g.Left)
	for _, op := range g.Rest {
		x = p.binary(x, "and", op.Tokens, p.lowerCmp(op.Right))
	}
	return x
}

func (p *parser) lowerCmp(g *gCmp) Expr {
	x := p.lowerAdd(g.Left)
	if g.Op != "" {
		y := p.lowerAdd(g.Right)
		b := &Binary{Range: Range{Start: x.Span().Start, End: y.Span().End}, Op: g.Op, X: x, Y: y}
		b.OpPos = p.findOp(g.Tokens, g.Op, x.Span().End.Offset)
		return b
	}
	return x
}

func (p *parser) lowerAdd(g *gAdd) Expr {
	x := p.lowerMul(g.Left)
	for _, op := range g.Rest {
		x = p.binary(x, op.Op, op.Tokens, p.lowerMul(op.Right))
	}
	return x
}

func (p *parser) lowerMul(g *gMul) Expr {
	x := p.lowerUnary(g.Left)
	for _, op := range g.Rest {
		x = p.binary(x, op.Op, op.Tokens, p.lowerUnary(op.Right))
	}
	return x
}

// binary builds X op Y where opToks are the tokens of the operator and its
// right operand (the op is the first token).
func (p *parser) binary(x Expr, op string, opToks []lexer.Token, y Expr) Expr {
	b := &Binary{Range: Range{Start: x.Span().Start, End: y.Span().End}, Op: canonOp(op), X: x, Y: y}
	if len(opToks) > 0 {
		b.OpPos = p.tokRange(opToks[:1])
	}
	return b
}

func canonOp(op string) string {
	switch op {
	case "&&":
		return "and"
	case "||":
		return "or"
	case "!":
		return "not"
	}
	return op
}

// findOp finds the range of the operator token op at or after offset.
func (p *parser) findOp(toks []lexer.Token, op string, after int) Range {
	for i, t := range toks {
		if t.Value == op && t.Pos.Offset >= after && t.Type == tokPunct {
			return p.tokRange(toks[i : i+1])
		}
	}
	return Range{}
}

func (p *parser) lowerUnary(g *gUnary) Expr {
	if g.Pow != nil {
		return p.lowerPow(g.Pow)
	}
	x := p.lowerUnary(g.X)
	return &Unary{Range: p.tokRange(g.Tokens), Op: canonOp(g.Op), X: x}
}

func (p *parser) lowerPow(g *gPow) Expr {
	x := p.lowerPrimary(g.Base)
	if g.Op == "" {
		return x
	}
	y := p.lowerUnary(g.Exp)
	b := &Binary{Range: Range{Start: x.Span().Start, End: y.Span().End}, Op: g.Op, X: x, Y: y}
	b.OpPos = p.findOp(g.Tokens, g.Op, x.Span().End.Offset)
	return b
}

func (p *parser) lowerPrimary(g *gPrimary) Expr {
	r := p.tokRange(g.Tokens)
	switch {
	case g.Number != nil:
		n := &Number{Range: r, Text: g.Number.Text}
		if g.Number.Unit != nil {
			n.Unit = p.lowerUnit(g.Number.Unit)
		}
		return n
	case g.Str != nil:
		return p.lowerString(g.Str, true)
	case g.Bool != "":
		return &Bool{Range: r, Value: g.Bool == "true"}
	case g.Name != nil:
		name := &Name{}
		for _, part := range g.Name.Parts {
			name.Parts = append(name.Parts, part.Name)
			name.PartRanges = append(name.PartRanges, p.tokRange(part.Tokens))
		}
		name.Range = Range{Start: name.PartRanges[0].Start, End: name.PartRanges[len(name.PartRanges)-1].End}
		if g.Name.Args == nil {
			return name
		}
		c := &Call{Range: r, Fun: name}
		for _, a := range g.Name.Args.Args {
			c.Args = append(c.Args, p.lowerExpr(a))
		}
		return c
	case g.Group != nil:
		var elems []Expr
		for _, e := range g.Group.Elems {
			elems = append(elems, p.lowerExpr(e))
		}
		open, close := g.Group.Open, g.Group.Close
		switch {
		case open == "(" && close == ")":
			if len(elems) == 1 && g.Group.Trailing == "" {
				return &Paren{Range: r, X: elems[0]}
			}
			if len(elems) == 0 {
				p.errorf(r, "empty parentheses `()`")
			}
			return &Tuple{Range: r, Elems: elems}
		case open == "[" && close == "]":
			return &List{Range: r, Elems: elems}
		default:
			if len(elems) != 2 {
				p.errorf(r, "mismatched brackets `%s ... %s`", open, close).Detail =
					"a half-open interval has exactly two bounds: [a, b) or (a, b]"
				return &List{Range: r, Elems: elems}
			}
			return &Interval{Range: r, Lo: elems[0], Hi: elems[1], LoOpen: open == "(", HiOpen: close == ")"}
		}
	case g.Set != nil:
		s := &Set{Range: r}
		for _, e := range g.Set.Elems {
			s.Elems = append(s.Elems, p.lowerExpr(e))
		}
		return s
	}
	return &Name{Range: r}
}

// Units.

func (p *parser) lowerUnit(g *gUnit) *UnitExpr {
	r := p.tokRange(g.Tokens)
	u := &UnitExpr{Range: r, Text: g.Text}
	up := unitParser{s: g.Text, base: r.Start.Offset, file: p.file}
	up.expr(1, 0)
	u.Factors = up.factors
	return u
}

// unitParser flattens a unit's text (already validated by the lexer's
// scanUnit) into factors with integer exponents.
type unitParser struct {
	s       string
	i       int
	base    int
	file    *File
	factors []*UnitFactor
}

func (u *unitParser) expr(sign, depth int) {
	u.term(sign, depth)
	for u.i < len(u.s) {
		switch {
		case u.s[u.i] == '/':
			u.i++
			u.term(-sign, depth)
		case u.s[u.i] == '*' || u.s[u.i] == '.':
			u.i++
			u.term(sign, depth)
		case strings.HasPrefix(u.s[u.i:], "·"):
			u.i += len("·")
			u.term(sign, depth)
		default:
			return
		}
	}
}

func (u *unitParser) term(sign, depth int) {
	if u.i >= len(u.s) {
		return
	}
	var group []*UnitFactor
	switch {
	case u.s[u.i] == '(':
		saved := u.factors
		u.factors = nil
		u.i++
		u.expr(1, depth+1)
		if u.i < len(u.s) && u.s[u.i] == ')' {
			u.i++
		}
		group = u.factors
		u.factors = saved
	case u.s[u.i] == '1':
		u.i++
		return
	default:
		start := u.i
		u.i = scanAtom(u.s, u.i)
		if u.i == start { // cannot happen for lexer-validated text
			u.i = len(u.s)
			return
		}
		group = []*UnitFactor{{
			Range: Range{Start: u.file.Pos(u.base + start), End: u.file.Pos(u.base + u.i)},
			Name:  u.s[start:u.i],
			Exp:   1,
		}}
	}
	exp := 1
	if u.i < len(u.s) && u.s[u.i] == '^' {
		j := u.i + 1
		neg := false
		if j < len(u.s) && u.s[j] == '-' {
			neg = true
			j++
		}
		k := scanDigits(u.s, j)
		if k > j {
			exp = 0
			for _, c := range u.s[j:k] {
				exp = min(exp*10+int(c-'0'), 1000)
			}
			if neg {
				exp = -exp
			}
			u.i = k
		}
	} else if e, n := superExp(u.s[u.i:]); n > 0 {
		exp = e
		u.i += n
	}
	for _, f := range group {
		f.Exp *= exp * sign
		u.factors = append(u.factors, f)
	}
}

// superExp reads a superscript exponent (², ⁻¹, ...).
func superExp(s string) (exp, n int) {
	digits := map[rune]int{'⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9}
	neg := false
	any := false
	for _, r := range s {
		if r == '⁻' && !any && !neg {
			neg = true
			n += len(string(r))
			continue
		}
		d, ok := digits[r]
		if !ok {
			break
		}
		any = true
		exp = min(exp*10+d, 1000)
		n += len(string(r))
	}
	if !any {
		return 1, 0
	}
	if neg {
		exp = -exp
	}
	return exp, n
}
