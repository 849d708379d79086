package compiler

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/polylearn/poly/lang"
)

// compilation is the state of one Compile call.
type compilation struct {
	opts      *Options
	spec      *Spec
	root      *unit
	diags     lang.Diagnostics
	trainSeen map[string]lang.Range
	warnedTol map[*lang.Answer]bool
}

// Compile compiles the spec named name with source src. Imports are read
// relative to name's directory. It always returns a non-nil Spec (with
// whatever could be compiled) and the diagnostics, sorted; the spec is
// usable only when the diagnostics hold no error.
func Compile(name string, src []byte, opts *Options) (spec *Spec, diags lang.Diagnostics) {
	if opts == nil {
		opts = &Options{}
	}
	files := opts.Files
	if files == nil {
		files = lang.NewFileSet()
	}
	cache := opts.cache
	if cache == nil {
		cache = &importCache{files: map[string]*unit{}}
	}
	spec = &Spec{Path: name, Files: files, Samples: []*Sample{}, Families: []*Family{}}
	defer func() {
		// Never panic on any input: an internal error becomes a diagnostic.
		if v := recover(); v != nil {
			diags = append(diags, lang.Errorf(lang.Range{Start: lang.Pos{File: name, Line: 1, Col: 1}}, "internal compiler error: %v", v))
			spec.Samples, spec.Families = []*Sample{}, []*Family{}
		}
	}()
	if len(src) > maxFileSize {
		diags.Errorf(lang.Range{Start: lang.Pos{File: name, Line: 1, Col: 1}}, "file too large (%d bytes, at most %d)", len(src), maxFileSize)
		return spec, diags
	}
	l := &loader{opts: opts, files: files, cache: cache}
	root := l.load(name, src)
	spec.Hash = specHash(root)
	c := &compilation{opts: opts, spec: spec, root: root, trainSeen: map[string]lang.Range{}, warnedTol: map[*lang.Answer]bool{}}
	if !syntaxErrors(root) {
		// Syntax errors first, as go does: evaluating a half-parsed file
		// would add confusing follow-on errors.
		c.run()
	}
	// Diagnostics of every file reached, each file's once per cache.
	var all lang.Diagnostics
	seen := map[*unit]bool{}
	var walk func(u *unit)
	walk = func(u *unit) {
		if u == nil || seen[u] {
			return
		}
		seen[u] = true
		fileScope(u)
		if !u.emitted {
			all = append(all, u.diags...)
			u.emitted = true
			if u != root {
				c.evalFile(u)
			}
		}
		for _, ui := range u.imports {
			walk(ui.u)
		}
	}
	walk(root)
	all = append(all, c.diags...)
	all.Sort()
	if all.HasErrors() {
		// A spec with errors must not be served or trained on.
		for _, s := range spec.Samples {
			s.Answer.Check = nil
		}
	}
	return spec, all
}

// syntaxErrors reports whether u or a file it imports failed to parse.
func syntaxErrors(u *unit) bool {
	seen := map[*unit]bool{}
	var walk func(u *unit) bool
	walk = func(u *unit) bool {
		if u == nil || seen[u] {
			return false
		}
		seen[u] = true
		if u.parseErr {
			return true
		}
		for _, ui := range u.imports {
			if walk(ui.u) {
				return true
			}
		}
		return false
	}
	return walk(u)
}

// run compiles the root file's declarations.
func (c *compilation) run() {
	if c.root.ast == nil {
		return
	}
	fileScope(c.root)
	c.evalFile(c.root)
	ids := map[string]lang.Range{}
	for _, d := range c.root.ast.Decls {
		var b *block
		switch d := d.(type) {
		case *lang.Sample:
			b = c.newBlock("sample", d.Name, d.Title, nil, d.Body, d.Range)
		case *lang.Family:
			b = c.newBlock("family", d.Name, d.Title, d.Discipline, d.Body, d.Range)
		default:
			continue
		}
		if prev, ok := ids[b.id]; ok && b.id != "" {
			c.diags.Errorf(b.idR, "duplicate %s name `%s` (first at %s)", b.kind, b.id, prev.Start)
			continue
		}
		ids[b.id] = b.idR
		c.compileCheck(b)
		if b.kind == "sample" {
			s, ok := c.buildSample(b, nil, "")
			if ok {
				c.runExpects(b, s, nil)
				c.spec.Samples = append(c.spec.Samples, s)
			}
			continue
		}
		if f := c.buildFamily(b); f != nil {
			c.spec.Families = append(c.spec.Families, f)
		}
	}
}

// evalFile evaluates every top-level element value of u once, so that
// errors in a shared file are reported even where nothing uses them.
func (c *compilation) evalFile(u *unit) {
	sc := fileScope(u)
	ev := newEvaluator(c.opts.MaxSteps, &c.diags)
	for _, b := range sc.own {
		ev.get(b, b.nameR)
	}
}

// compileCheck compiles a block's check program against its names.
func (c *compilation) compileCheck(b *block) {
	if b.check == nil {
		return
	}
	for _, n := range b.names {
		first, _, _ := strings.Cut(n, ".")
		if checkReserved[first] {
			if bd := b.sc.lookup(n); bd != nil && bd.file == c.root.path {
				c.diags.Add(lang.Warningf(bd.nameR, "`%s` is hidden in the check program by the built-in `%s`", n, first))
			}
		}
	}
	prog, diags := compileCheck(b.check, b.names)
	c.diags = append(c.diags, diags...)
	if diags.HasErrors() {
		b.checkBroken = true
		return
	}
	b.prog = prog
}

// buildSample evaluates b with the vary values in fixed (nil for a
// sample) and builds the Sample. Errors go to c.diags (with detail when
// note is not empty); ok is false when the sample is unusable.
func (c *compilation) buildSample(b *block, fixed map[*binding]value, note string) (*Sample, bool) {
	var diags lang.Diagnostics
	ev := newEvaluator(c.opts.MaxSteps, &diags)
	ev.fixed = fixed
	defer func() {
		if note != "" {
			for _, d := range diags {
				if d.Detail == "" {
					d.Detail = note
				} else {
					d.Detail += "\n" + note
				}
			}
		}
		c.diags = append(c.diags, diags...)
	}()
	for _, bd := range b.sc.own {
		ev.get(bd, bd.nameR)
	}
	if b.check != nil {
		// The check program may read any visible name, used or not.
		for _, n := range b.names {
			if bd := b.sc.lookup(n); bd != nil && bd.kind != "vary" {
				ev.get(bd, bd.nameR)
			}
		}
	}
	s := &Sample{
		ID: b.id, Title: b.title, Disciplines: nonNil(b.disciplines), Skills: nonNil(b.skills),
		SpecHash: c.spec.Hash, Range: b.declR, Meta: c.metaValues(b),
	}
	text := func(str *lang.String) string {
		if str == nil {
			return ""
		}
		out, err := ev.interpolate(str, b.sc, "")
		if err != nil {
			ev.report(err)
		}
		return strings.TrimSpace(out)
	}
	s.Prompt = text(b.prompt)
	if b.prompt != nil && s.Prompt == "" && !diags.HasErrors() {
		diags.Errorf(b.prompt.Range, "empty prompt")
	}
	s.System = text(b.system)
	s.Solution = text(b.solution)
	if b.answer != nil {
		ans, err := c.buildAnswer(ev, b, b.answer)
		if err != nil {
			ev.report(err)
		} else {
			s.Answer = ans
			g, gerr := goldOf(&s.Answer)
			if gerr != nil {
				ev.report(errAt(b.answer.Range, "the grader cannot use this answer: %s", gerr.Error()))
			}
			s.gold = g
			s.Prompt = withChoices(s.Prompt, ans.Choices)
			s.GroundTruth = ans.groundTruth()
			s.GroundTruthLaTeX = ans.groundTruthLaTeX()
		}
	}
	s.Answer.Check = b.prog
	if b.check != nil {
		s.Answer.CheckSource = b.check.Src
	}
	s.Values, s.checkEnv = c.values(ev, b)
	return s, !diags.HasErrors() && b.answer != nil && b.prompt != nil && !b.checkBroken
}

// values lists every named quantity visible in b that evaluated.
func (c *compilation) values(ev *evaluator, b *block) ([]Value, map[string]float64) {
	var out []Value
	env := map[string]float64{}
	add := func(name string, bd *binding) {
		var v value
		if fv, ok := ev.fixed[bd]; ok {
			v = fv
		} else if s := ev.slots[bd]; s != nil && s.state == 2 {
			v = s.v
		} else {
			return
		}
		val := Value{Name: name, Kind: v.kind.String(), Float: math.NaN()}
		if v.kind == vNum {
			val.Float = qMag(v.q).Float64()
			val.Unit = qUnitString(v.q)
			if r, ok := qMag(v.q).Rat(); ok {
				val.Exact = r.RatString()
			}
			env[name] = val.Float
		}
		val.Text, _ = formatValue(v, "", lang.Range{})
		out = append(out, val)
	}
	for _, bd := range b.sc.own {
		add(bd.name, bd)
	}
	// Names from the file scope (top-level and imported elements) that
	// this sample used.
	fs := b.sc.parent
	var names []string
	for n := range fs.names {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		add(n, fs.names[n])
	}
	return out, env
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CheckResult is the outcome of CheckFiles.
type CheckResult struct {
	// Diagnostics of all files, sorted and de-duplicated.
	Diagnostics lang.Diagnostics
	// Files holds every source read, for rendering.
	Files *lang.FileSet
	// Specs are the compiled specs, one per path, in order.
	Specs []*Spec
	// Samples and Families count what compiled.
	Samples, Families int
}

// CheckFiles compiles every path (sharing parsed imports between them)
// and runs the expect self-tests: what `poly check` does.
func CheckFiles(paths []string) *CheckResult {
	res := &CheckResult{Files: lang.NewFileSet()}
	cache := &importCache{files: map[string]*unit{}}
	for _, p := range paths {
		opts := &Options{Files: res.Files, cache: cache}
		spec, diags := compileFile(p, opts)
		res.Specs = append(res.Specs, spec)
		res.Diagnostics = append(res.Diagnostics, diags...)
		res.Samples += len(spec.Samples)
		res.Families += len(spec.Families)
	}
	res.Diagnostics.Sort()
	if res.Diagnostics == nil {
		res.Diagnostics = lang.Diagnostics{}
	}
	return res
}

// describeFixed formats the vary values of a generated problem for
// diagnostics: "in problem v0 = 5 m/s, theta = 30°".
func describeFixed(b *block, fixed map[*binding]value) string {
	var parts []string
	for _, bd := range b.varys {
		v, ok := fixed[bd]
		if !ok {
			continue
		}
		s, _ := formatValue(v, "", lang.Range{})
		parts = append(parts, fmt.Sprintf("%s = %s", bd.name, s))
	}
	if len(parts) == 0 {
		return ""
	}
	return "in the problem with " + strings.Join(parts, ", ")
}

// withChoices appends the options of a multiple-choice answer to the
// prompt, unless the prompt already lists every option's text.
func withChoices(prompt string, choices []Choice) string {
	if len(choices) == 0 {
		return prompt
	}
	listed := true
	for _, ch := range choices {
		if ch.Text == "" || !strings.Contains(prompt, ch.Text) {
			listed = false
		}
	}
	if listed {
		return prompt
	}
	var b strings.Builder
	b.WriteString(prompt)
	b.WriteString("\n")
	for _, ch := range choices {
		fmt.Fprintf(&b, "\n(%s) %s", ch.Label, ch.Text)
	}
	return b.String()
}
