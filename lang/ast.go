package lang

// This file holds the .poly abstract syntax tree. The participle grammar
// (grammar.go) is private to this package; ParseFile lowers it into these
// nodes. Every node carries the source Range it was parsed from (Span), so
// later phases can report positioned diagnostics.
//
// Shape of a file:
//
//	SpecFile
//	 ├─ Imports []*Import                 import "x.poly" / import alias "x.poly"
//	 ├─ Decls   []Decl                    *Sample | *Family | *Element
//	 └─ Comments []*Comment               every comment, in source order
//
// Block bodies are []Stmt: *Disciplines, *Skills, *Given, *Let, *Vary,
// *Prompt, *System, *Answer, *Check, *Expect, *Solution, *Train, *Meta and
// nested *Element. Expressions are Expr: *Number, *Name, *Binary, *Unary,
// *Call, *Paren, *List, *Set, *Tuple, *Interval, *String, *Bool.

// Node is implemented by every AST node.
type Node interface {
	// Span returns the source range of the node.
	Span() Range
}

// Comment is one `// line` or `/* block */` comment. Text is the comment as
// written, including its delimiters.
type Comment struct {
	Range Range
	Text  string
}

// Span returns the comment's range.
func (c *Comment) Span() Range { return c.Range }

// Ident is a simple name.
type Ident struct {
	Range Range
	Name  string
}

// Span returns the identifier's range.
func (n *Ident) Span() Range { return n.Range }

// SpecFile is one parsed .poly file (the root of the AST). It is not
// called File because File (pos.go) is the source file.
type SpecFile struct {
	// Name is the file name given to ParseFile (used in positions).
	Name  string
	Range Range
	// Imports are the file's import declarations, in source order.
	Imports []*Import
	// Decls are the top-level declarations in source order.
	Decls []Decl
	// Comments holds every comment in the file in source order.
	Comments []*Comment
	// Source is the source file (name, bytes, line table); add it to a
	// FileSet to render diagnostics with carets.
	Source *File
}

// Span returns the file's range.
func (f *SpecFile) Span() Range { return f.Range }

// Samples returns the file's sample declarations.
func (f *SpecFile) Samples() []*Sample {
	var out []*Sample
	for _, d := range f.Decls {
		if s, ok := d.(*Sample); ok {
			out = append(out, s)
		}
	}
	return out
}

// Families returns the file's family declarations.
func (f *SpecFile) Families() []*Family {
	var out []*Family
	for _, d := range f.Decls {
		if s, ok := d.(*Family); ok {
			out = append(out, s)
		}
	}
	return out
}

// Elements returns the file's top-level element declarations (the ones an
// importing file can use).
func (f *SpecFile) Elements() []*Element {
	var out []*Element
	for _, d := range f.Decls {
		if s, ok := d.(*Element); ok {
			out = append(out, s)
		}
	}
	return out
}

// Import is `import "path"` or `import alias "path"`. Path is the decoded
// string (relative to the importing file's directory); Alias is nil when
// absent.
type Import struct {
	Range     Range
	Alias     *Ident
	Path      string
	PathRange Range
}

// Span returns the import's range.
func (n *Import) Span() Range { return n.Range }

// Decl is a top-level declaration: *Sample, *Family or *Element.
type Decl interface {
	Node
	// DeclName returns the declared name.
	DeclName() *Ident
	declNode()
}

// Sample is `sample NAME ["title"] { body }`: one engineered training
// sample.
type Sample struct {
	Range Range
	Name  *Ident
	Title *String // nil when absent
	Body  []Stmt
	// Close is the range of the closing `}`.
	Close Range
}

// Family is `family NAME [DISCIPLINE] ["title"] { body }`: a parameterised
// problem generator (its body holds `vary` statements).
type Family struct {
	Range      Range
	Name       *Ident
	Discipline *Ident  // nil when absent
	Title      *String // nil when absent
	Body       []Stmt
	Close      Range
}

// Element is `element NAME [DISCIPLINE] { body }`. It appears inside a
// sample or family body (as a Stmt) or at top level (as a Decl, shareable
// through import). Its names are reached as NAME.field.
type Element struct {
	Range      Range
	Name       *Ident
	Discipline *Ident // nil when absent
	Body       []Stmt
	Close      Range
}

// Span returns the declaration's range.
func (n *Sample) Span() Range { return n.Range }

// Span returns the declaration's range.
func (n *Family) Span() Range { return n.Range }

// Span returns the declaration's range.
func (n *Element) Span() Range { return n.Range }

// DeclName returns the sample's name.
func (n *Sample) DeclName() *Ident { return n.Name }

// DeclName returns the family's name.
func (n *Family) DeclName() *Ident { return n.Name }

// DeclName returns the element's name.
func (n *Element) DeclName() *Ident { return n.Name }

func (*Sample) declNode()  {}
func (*Family) declNode()  {}
func (*Element) declNode() {}

// Stmt is a statement inside a sample, family or element body.
type Stmt interface {
	Node
	stmtNode()
}

// Disciplines is `disciplines a, b, c`.
type Disciplines struct {
	Range Range
	Names []*Ident
}

// Skills is `skills a, b, c`.
type Skills struct {
	Range Range
	Names []*Ident
}

// Given is `given NAME = EXPR`: an input quantity stated in the problem.
type Given struct {
	Range Range
	Name  *Ident
	Value Expr
}

// Let is `let NAME = EXPR`: a derived quantity.
type Let struct {
	Range Range
	Name  *Ident
	Value Expr
}

// Vary is `vary NAME in DOMAIN` in a family: DOMAIN is a *VaryRange
// (`5..40 step 5 m/s`) or a *VarySet (`{30, 45, 60} deg`).
type Vary struct {
	Range  Range
	Name   *Ident
	Domain VaryDomain
}

// VaryDomain is *VaryRange or *VarySet.
type VaryDomain interface {
	Node
	varyDomain()
}

// VaryRange is `FROM..TO [step STEP] [UNIT]`. Step is nil when absent.
// Unit is the unit written once after the last bound (`5..40 step 5 m/s`
// gives From=5, To=40, Step=5, Unit=m/s, all bounds unitless Numbers); it
// applies to every bound. Bounds may instead carry their own units
// (`1 m..5 m`), then Unit is nil.
type VaryRange struct {
	Range          Range
	From, To, Step Expr
	Unit           *UnitExpr
}

// VarySet is `{a, b, c} [UNIT]`: the values to draw from. Unit, when not
// nil, applies to every element.
type VarySet struct {
	Range Range
	Elems []Expr
	Unit  *UnitExpr
}

// Span returns the range.
func (n *VaryRange) Span() Range { return n.Range }

// Span returns the range.
func (n *VarySet) Span() Range { return n.Range }

func (*VaryRange) varyDomain() {}
func (*VarySet) varyDomain()   {}

// Prompt is `prompt STRING`: the problem text shown to the model.
type Prompt struct {
	Range Range
	Text  *String
}

// System is `system STRING`: an optional system message for chat exports.
type System struct {
	Range Range
	Text  *String
}

// AnswerKind is the declared kind of an answer.
type AnswerKind int

// Answer kinds. KindAuto means none was written: the compiler infers it
// from the value (a number with tolerance, or an exact value).
const (
	KindAuto     AnswerKind = iota
	KindNumber              // number, compared with a tolerance
	KindExact               // exact rational: fraction or integer
	KindFraction            // exact fraction
	KindInteger             // exact integer
	KindChoice              // multiple choice: Value names a label of Choices
	KindSet                 // unordered set
	KindTuple               // ordered tuple
	KindInterval            // interval
	KindExpr                // symbolic expression, checked at random points
)

// answerKinds maps the keyword written after `answer` to its kind.
var answerKinds = map[string]AnswerKind{
	"number": KindNumber, "exact": KindExact, "fraction": KindFraction,
	"integer": KindInteger, "choice": KindChoice, "set": KindSet,
	"tuple": KindTuple, "interval": KindInterval, "expr": KindExpr,
}

// String returns the keyword of the kind ("" for KindAuto).
func (k AnswerKind) String() string {
	for s, v := range answerKinds {
		if v == k {
			return s
		}
	}
	return ""
}

// Answer is
//
//	answer [KIND] EXPR [in UNIT] {, OPTION} [{ CHOICES }]
//
// e.g. `answer n in cell, rel 1e-3`, `answer exact neither`,
// `answer range in m, sig 3`, `answer choice b { a "12 m"  b "24 m" }`,
// `answer interval [2, 5)`, `answer expr "2*x + 1", vars [x]`.
// Options abs/rel/sig become Tolerances; any other `NAME [EXPR]` option is
// kept in Options for the compiler to check.
type Answer struct {
	Range     Range
	Kind      AnswerKind
	KindRange Range // range of the kind keyword; zero when Kind is KindAuto
	Value     Expr
	Unit      *UnitExpr // after `in`; nil when absent
	// Tolerances in source order (`abs 0.5 cell`, `rel 1e-3`, `sig 3`).
	Tolerances []*Tolerance
	// Options are the other comma-separated options, in source order.
	Options []*Option
	// Choices are the labelled options of a multiple-choice answer.
	Choices []*Choice
}

// TolKind is the kind of a tolerance.
type TolKind int

// Tolerance kinds.
const (
	TolAbs TolKind = iota // absolute: |pred-gold| <= X (X may carry a unit)
	TolRel                // relative: |pred-gold| <= X*|gold|
	TolSig                // significant figures: agree to N significant digits
)

// String returns "abs", "rel" or "sig".
func (k TolKind) String() string { return [...]string{"abs", "rel", "sig"}[k] }

// Tolerance is one `abs X`, `rel X` or `sig N` option of an answer.
type Tolerance struct {
	Range Range
	Kind  TolKind
	Value Expr
}

// Option is any other `NAME [EXPR]` answer option.
type Option struct {
	Range Range
	Name  *Ident
	Value Expr // nil when the option is a bare flag
}

// Choice is one `LABEL STRING` line of a multiple-choice answer.
type Choice struct {
	Range Range
	Label *Ident
	Text  *String
}

// Span returns the range.
func (n *Tolerance) Span() Range { return n.Range }

// Span returns the range.
func (n *Option) Span() Range { return n.Range }

// Span returns the range.
func (n *Choice) Span() Range { return n.Range }

// Check is a custom checker: `check EXPR-PROGRAM` (the rest of the line,
// up to a `//` comment outside string literals) or `check STRING` for a
// multi-line program. Src is the program text handed to expr; SrcRange is
// where it starts in the file. Use Pos to map expr's line:col back to the
// file.
type Check struct {
	Range    Range
	Src      string
	SrcRange Range
	// Str is the string literal when the program was written as one
	// (`check """..."""`), else nil.
	Str *String
}

// Pos maps a 1-based line and column (in runes) of Src, as expr reports
// them, to a position in the file.
func (c *Check) Pos(line, col int) Pos {
	off := 0
	for l := 1; l < line && off < len(c.Src); off++ {
		if c.Src[off] == '\n' {
			l++
		}
	}
	for n := 1; n < col && off < len(c.Src) && c.Src[off] != '\n'; n++ {
		_, size := decodeRune(c.Src[off:])
		off += size
	}
	if c.Str != nil {
		return c.Str.PosAt(off)
	}
	p := c.SrcRange.Start
	return advance(p, c.Src[:off])
}

// Expect is `expect pass STRING` or `expect fail STRING`: a self-test of
// the grader on a sample completion.
type Expect struct {
	Range Range
	Pass  bool
	Text  *String
}

// Solution is `solution STRING`: a worked solution.
type Solution struct {
	Range Range
	Text  *String
}

// KeyValue is one `key = EXPR` field of a train or meta block.
type KeyValue struct {
	Range Range
	Key   *Ident
	Value Expr
}

// Span returns the range.
func (n *KeyValue) Span() Range { return n.Range }

// Train is `train { key = value ... }`: training hyper-parameters
// (rollouts, lr, steps, ...).
type Train struct {
	Range  Range
	Fields []*KeyValue
	Close  Range
}

// Meta is `meta { key = value ... }`: free metadata (ability,
// data_source, ...), carried into exports.
type Meta struct {
	Range  Range
	Fields []*KeyValue
	Close  Range
}

// Span returns the node's range.
func (n *Disciplines) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Skills) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Given) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Let) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Vary) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Prompt) Span() Range { return n.Range }

// Span returns the node's range.
func (n *System) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Answer) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Check) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Expect) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Solution) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Train) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Meta) Span() Range { return n.Range }

func (*Disciplines) stmtNode() {}
func (*Skills) stmtNode()      {}
func (*Given) stmtNode()       {}
func (*Let) stmtNode()         {}
func (*Vary) stmtNode()        {}
func (*Prompt) stmtNode()      {}
func (*System) stmtNode()      {}
func (*Answer) stmtNode()      {}
func (*Check) stmtNode()       {}
func (*Expect) stmtNode()      {}
func (*Solution) stmtNode()    {}
func (*Train) stmtNode()       {}
func (*Meta) stmtNode()        {}
func (*Element) stmtNode()     {}

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Number is a numeric literal with an optional unit: `3.0e3 cell`,
// `47 uF`, `9.81 m/s^2`, `5/12` is a Binary of two Numbers. Text is the
// literal exactly as written (digits, `.`, exponent), so the compiler can
// build an exact rational.
type Number struct {
	Range Range
	Text  string
	Unit  *UnitExpr // nil when absent
}

// IsInt reports whether Text is written as an integer (no `.` or exponent).
func (n *Number) IsInt() bool {
	for _, c := range n.Text {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Name is a (possibly dotted) name: `t`, `colony.n0`, `const.R`.
type Name struct {
	Range Range
	Parts []string
	// PartRanges holds the range of each part.
	PartRanges []Range
}

// String returns the dotted name.
func (n *Name) String() string {
	s := ""
	for i, p := range n.Parts {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// Binary is `X op Y`. Op is one of
// + - * / % ^ ** == != < <= > >= and or
// (`&&` and `||` are read as `and` and `or`; `**` is kept as written and
// means the same as `^`).
type Binary struct {
	Range Range
	Op    string
	OpPos Range
	X, Y  Expr
}

// Unary is `op X` with Op one of - + not (`!` is read as `not`).
type Unary struct {
	Range Range
	Op    string
	X     Expr
}

// Call is `fun(args)`: a function call such as `sin(2*theta)`,
// `log10(x)`, `min(a, b)`.
type Call struct {
	Range Range
	Fun   *Name
	Args  []Expr
}

// Paren is `(X)`.
type Paren struct {
	Range Range
	X     Expr
}

// List is `[a, b, c]`.
type List struct {
	Range Range
	Elems []Expr
}

// Set is `{a, b, c}`.
type Set struct {
	Range Range
	Elems []Expr
}

// Tuple is `(a, b)` (two or more elements; `(a)` is a Paren).
type Tuple struct {
	Range Range
	Elems []Expr
}

// Interval is an interval answer value: `[a, b]`, `(a, b)`, `[a, b)` or
// `(a, b]`. The mixed-bracket forms are always intervals; `[a, b]` and
// `(a, b)` become an Interval only as the value of `answer interval`
// (elsewhere they are a List and a Tuple).
type Interval struct {
	Range          Range
	Lo, Hi         Expr
	LoOpen, HiOpen bool
}

// Bool is `true` or `false`.
type Bool struct {
	Range Range
	Value bool
}

// Span returns the node's range.
func (n *Number) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Name) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Binary) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Unary) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Call) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Paren) Span() Range { return n.Range }

// Span returns the node's range.
func (n *List) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Set) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Tuple) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Interval) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Bool) Span() Range { return n.Range }

// Span returns the node's range.
func (n *String) Span() Range { return n.Range }

func (*Number) exprNode()   {}
func (*Name) exprNode()     {}
func (*Binary) exprNode()   {}
func (*Unary) exprNode()    {}
func (*Call) exprNode()     {}
func (*Paren) exprNode()    {}
func (*List) exprNode()     {}
func (*Set) exprNode()      {}
func (*Tuple) exprNode()    {}
func (*Interval) exprNode() {}
func (*Bool) exprNode()     {}
func (*String) exprNode()   {}

// String is a string literal: "..." (single line; the only escape is \"
// for a quote, every other backslash is literal so LaTeX needs no
// doubling) or """...""" (multi-line, fully raw, common indentation
// stripped). Parts is the decoded value split into literal text and
// interpolation holes (see docs/lang-syntax.md for the hole rule).
type String struct {
	Range Range
	// Raw is the literal exactly as written, quotes included.
	Raw string
	// Triple reports a """ block.
	Triple bool
	// Parts are the literal and hole parts of the decoded value, in order.
	Parts []StringPart
	// Value is the content after quote decoding (`\"`) and, for """
	// blocks, indentation stripping; holes (`{x:.3g}`) and `{{`/`}}`
	// escapes are still as written. Parts holds the interpolated form.
	Value string

	// segs maps byte offsets of Value back to source offsets.
	segs []strSeg
	file *File
}

// strSeg says that Value[val:val+n] came from the source at src.
type strSeg struct{ val, src, n int }

// PosAt maps a byte offset in s.Value to its position in the file.
func (s *String) PosAt(off int) Pos {
	if s.file == nil {
		return s.Range.Start
	}
	for i := len(s.segs) - 1; i >= 0; i-- {
		g := s.segs[i]
		if off >= g.val {
			d := min(off-g.val, g.n)
			return s.file.Pos(g.src + d)
		}
	}
	return s.Range.Start
}

// HasHoles reports whether the string has interpolation holes.
func (s *String) HasHoles() bool {
	for _, p := range s.Parts {
		if _, ok := p.(*Hole); ok {
			return true
		}
	}
	return false
}

// StringPart is *StringLit or *Hole.
type StringPart interface {
	Node
	stringPart()
}

// StringLit is literal text of a string (already decoded: escapes undone,
// indentation stripped).
type StringLit struct {
	Range Range
	Text  string
}

// Hole is an interpolation `{EXPR [in UNIT] [:FORMAT]}` in a string:
// `{colony.n0}`, `{x:.3g}`, `{d in km}`, `{d in km:.2f}`. Format is the
// text after the colon ("" when absent); Unit is nil when absent.
type Hole struct {
	Range  Range
	Expr   Expr
	Unit   *UnitExpr
	Format string
	// FormatRange is the range of Format (zero when absent).
	FormatRange Range
}

// Span returns the node's range.
func (n *StringLit) Span() Range { return n.Range }

// Span returns the node's range.
func (n *Hole) Span() Range    { return n.Range }
func (*StringLit) stringPart() {}
func (*Hole) stringPart()      {}

// UnitExpr is a unit as written after a number, after `in`, or after a
// vary set: `m/s^2`, `kohm`, `uF`, `J/(mol*K)`, `1/mol`, `degC`, `°C`, `%`.
// Text is the source text; Factors is its structure flattened into a
// product of named units with integer exponents (`J/(mol*K)` is J^1
// mol^-1 K^-1; `1/mol` is mol^-1; prefixes are not split: `kohm` is one
// factor, compiler/units resolves it).
type UnitExpr struct {
	Range   Range
	Text    string
	Factors []*UnitFactor
}

// UnitFactor is one named unit with its exponent in a UnitExpr.
type UnitFactor struct {
	Range Range
	Name  string
	Exp   int
}

// Span returns the range.
func (n *UnitExpr) Span() Range { return n.Range }

// Span returns the range.
func (n *UnitFactor) Span() Range { return n.Range }
