package compiler

import (
	"strconv"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/lang"
)

// block is a sample or family declaration with its statements sorted out
// and its scope built.
type block struct {
	kind        string // "sample" or "family"
	id          string
	idR         lang.Range
	declR       lang.Range
	title       string
	disciplines []string
	skills      []string
	sc          *scope
	u           *unit
	varys       []*binding
	prompt      *lang.String
	system      *lang.String
	solution    *lang.String
	answer      *lang.Answer
	check       *lang.Check
	expects     []*lang.Expect
	meta        []*lang.KeyValue
	prog        *CheckProgram // compiled check program (nil when none or broken)
	names       []string      // every value name in scope, for check programs
	checkBroken bool
}

// newBlock sorts out the statements of a sample or family body.
func (c *compilation) newBlock(kind string, name *lang.Ident, title *lang.String, discipline *lang.Ident, body []lang.Stmt, declR lang.Range) *block {
	b := &block{kind: kind, declR: declR, u: c.root, sc: newScope(fileScope(c.root))}
	diags := &c.diags
	if name != nil {
		b.id, b.idR = name.Name, name.Range
	} else {
		b.idR = declR
	}
	if title != nil {
		b.title = title.Value
		if title.HasHoles() {
			diags.Errorf(title.Range, "a title cannot interpolate values")
		}
	}
	if discipline != nil {
		b.disciplines = append(b.disciplines, discipline.Name)
	}
	seen := map[string]lang.Range{}
	once := func(what string, st lang.Stmt) bool {
		if prev, ok := seen[what]; ok {
			diags.Errorf(st.Span(), "duplicate %s (first at %s)", what, prev.Start)
			return false
		}
		seen[what] = st.Span()
		return true
	}
	for _, st := range body {
		switch st := st.(type) {
		case *lang.Disciplines:
			if once("disciplines", st) {
				for _, n := range st.Names {
					if discipline != nil && n.Name == discipline.Name {
						continue
					}
					b.disciplines = append(b.disciplines, n.Name)
				}
			}
		case *lang.Skills:
			if once("skills", st) {
				for _, n := range st.Names {
					b.skills = append(b.skills, n.Name)
				}
			}
		case *lang.Given:
			if st.Name != nil {
				b.sc.declare(&binding{name: st.Name.Name, kind: "given", nameR: st.Name.Range, value: st.Value, sc: b.sc, file: c.root.path}, diags)
			}
		case *lang.Let:
			if st.Name != nil {
				b.sc.declare(&binding{name: st.Name.Name, kind: "let", nameR: st.Name.Range, value: st.Value, sc: b.sc, file: c.root.path}, diags)
			}
		case *lang.Vary:
			if kind != "family" {
				diags.Errorf(st.Range, "vary is only allowed in a family (a sample has one fixed problem)")
				continue
			}
			if st.Name != nil {
				bd := &binding{name: st.Name.Name, kind: "vary", nameR: st.Name.Range, vary: st, sc: b.sc, file: c.root.path}
				n := len(b.sc.own)
				b.sc.declare(bd, diags)
				if len(b.sc.own) > n {
					b.varys = append(b.varys, bd)
				}
			}
		case *lang.Element:
			if st.Name != nil {
				declareElement(b.sc, st, "", c.root.path, diags)
			}
		case *lang.Prompt:
			if once("prompt", st) {
				b.prompt = st.Text
			}
		case *lang.System:
			if once("system", st) {
				b.system = st.Text
			}
		case *lang.Solution:
			if once("solution", st) {
				b.solution = st.Text
			}
		case *lang.Answer:
			if once("answer", st) {
				b.answer = st
			}
		case *lang.Check:
			if once("check", st) {
				b.check = st
			}
		case *lang.Expect:
			b.expects = append(b.expects, st)
		case *lang.Train:
			c.addTrain(st)
		case *lang.Meta:
			if once("meta", st) {
				b.meta = st.Fields
			}
		default:
			diags.Errorf(st.Span(), "%s is not allowed here", stmtName(st))
		}
	}
	if b.prompt == nil {
		diags.Errorf(b.idR, "%s `%s` has no prompt", kind, b.id)
	}
	if b.answer == nil {
		diags.Errorf(b.idR, "%s `%s` has no answer", kind, b.id)
	}
	if kind == "family" && len(b.varys) == 0 {
		diags.Add(lang.Warningf(b.idR, "family `%s` has no vary: it generates a single problem", b.id))
	}
	b.names = b.sc.visible()
	return b
}

// addTrain merges a `train {}` block into the spec's hyper-parameters.
func (c *compilation) addTrain(t *lang.Train) {
	if c.spec.Train == nil {
		c.spec.Train = Train{}
	}
	for _, kv := range t.Fields {
		if kv.Key == nil {
			continue
		}
		key := kv.Key.Name
		if prev, ok := c.trainSeen[key]; ok {
			c.diags.Errorf(kv.Key.Range, "duplicate train setting `%s` (first at %s)", key, prev.Start)
			continue
		}
		c.trainSeen[key] = kv.Key.Range
		v, ok := c.constValue(kv.Value)
		if ok {
			c.spec.Train[key] = v
		}
	}
}

// constValue evaluates a train/meta value: a number without units, a
// string or a bool (numbers may be expressions of literals: 1e-6, 2*4).
func (c *compilation) constValue(x lang.Expr) (any, bool) {
	switch x := x.(type) {
	case *lang.String:
		if x.HasHoles() {
			c.diags.Errorf(x.Range, "a setting cannot interpolate values")
			return nil, false
		}
		return x.Value, true
	case *lang.Bool:
		return x.Value, true
	case *lang.Name:
		// A bare word: a symbolic setting such as `loss = token_mean`.
		return x.String(), true
	case nil:
		return nil, false
	}
	ev := newEvaluator(10000, &c.diags)
	v, err := ev.eval(x, newScope(nil), "")
	if err != nil {
		ev.report(err)
		return nil, false
	}
	if v.kind != vNum {
		c.diags.Errorf(x.Span(), "a setting must be a number, a string or a bool, got a %s", v.kind)
		return nil, false
	}
	n, nerr := qToScalar(v.q)
	if nerr != nil {
		c.diags.Errorf(x.Span(), "a setting must be a plain number, got unit %s", qUnitText(v.q))
		return nil, false
	}
	return n.Float64(), true
}

// metaValues evaluates meta fields.
func (c *compilation) metaValues(b *block) map[string]any {
	if len(b.meta) == 0 {
		return nil
	}
	m := map[string]any{}
	for _, kv := range b.meta {
		if kv.Key == nil {
			continue
		}
		if v, ok := c.constValue(kv.Value); ok {
			m[kv.Key.Name] = v
		}
	}
	return m
}

// varyValues evaluates the domain of a vary binding: the list of values
// it takes, in order.
func (c *compilation) varyValues(b *block, bd *binding) ([]value, *evalError) {
	ev := newEvaluator(c.opts.MaxSteps, &c.diags)
	v := bd.vary
	var unit *lang.UnitExpr
	var out []value
	switch d := v.Domain.(type) {
	case *lang.VarySet:
		unit = d.Unit
		if len(d.Elems) == 0 {
			return nil, errAt(d.Range, "empty vary set: `%s` has no values", bd.name)
		}
		if len(d.Elems) > maxVaryValues {
			return nil, errAt(d.Range, "vary set too large (%d values, at most %d)", len(d.Elems), maxVaryValues)
		}
		seen := map[string]bool{}
		for _, x := range d.Elems {
			ev2, err := ev.eval(x, b.sc, "")
			if err != nil {
				return nil, err
			}
			if ev2.kind != vNum && ev2.kind != vStr {
				return nil, errAt(x.Span(), "vary values must be numbers or strings, got a %s", ev2.kind)
			}
			key := ev2.s
			if ev2.kind == vNum {
				key = "#" + qMag(ev2.q).FracString() + " " + qUnitString(ev2.q)
			}
			if seen[key] {
				c.diags.Add(lang.Warningf(x.Span(), "duplicate value in vary set (ignored)"))
				continue
			}
			seen[key] = true
			out = append(out, ev2)
		}
	case *lang.VaryRange:
		unit = d.Unit
		lo, err := ev.eval(d.From, b.sc, "")
		if err != nil {
			return nil, err
		}
		hi, err := ev.eval(d.To, b.sc, "")
		if err != nil {
			return nil, err
		}
		var step value
		if d.Step != nil {
			if step, err = ev.eval(d.Step, b.sc, ""); err != nil {
				return nil, err
			}
		} else {
			step = numValue(qScalar(units.Int(1)))
		}
		if lo.kind != vNum || hi.kind != vNum || step.kind != vNum {
			return nil, errAt(d.Range, "vary range bounds must be numbers")
		}
		if _, cerr := qCmp(lo.q, hi.q); cerr != nil {
			return nil, qErr(d.Range, cerr)
		}
		if c, _ := qCmp(step.q, qWithMag(step.q, units.Int(0))); c <= 0 {
			r := d.Range
			if d.Step != nil {
				r = d.Step.Span()
			}
			return nil, errAt(r, "vary step must be positive")
		}
		if cmp, _ := qCmp(lo.q, hi.q); cmp > 0 {
			return nil, errAt(d.Range, "empty vary range: %s is greater than %s", defaultNumber(qMag(lo.q)), defaultNumber(qMag(hi.q)))
		}
		x := lo.q
		for {
			cmp, cerr := qCmp(x, hi.q)
			if cerr != nil {
				return nil, qErr(d.Range, cerr)
			}
			if cmp > 0 {
				break
			}
			if len(out) >= maxVaryValues {
				return nil, errAt(d.Range, "vary range too large (more than %d values)", maxVaryValues)
			}
			out = append(out, numValue(x))
			nx, aerr := qAdd(x, step.q)
			if aerr != nil {
				return nil, qErr(d.Range, aerr)
			}
			x = nx
		}
	default:
		return nil, errAt(v.Range, "vary needs a range (a..b step s) or a set ({a, b, c})")
	}
	if unit != nil {
		u, uerr := parseUnit(unit.Text)
		if uerr != nil {
			return nil, unitErrAt(unit.Range, uerr)
		}
		for i, x := range out {
			if x.kind != vNum {
				return nil, errAt(unit.Range, "a unit applies to numbers only")
			}
			if !x.q.Unit.IsOne() {
				return nil, errAt(unit.Range, "the values already have units (%s)", qUnitText(x.q))
			}
			out[i] = numValue(units.Q(x.q.Value, u))
		}
	}
	return out, nil
}

// maxVaryValues bounds one vary domain.
const maxVaryValues = 100000

// formatIndex is the id suffix of a generated problem.
func formatIndex(id string, i int) string { return id + "#" + strconv.Itoa(i) }
