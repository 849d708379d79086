package lang

import (
	"sync"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The participle grammar. These structs are private: ParseFile lowers them
// into the AST of ast.go. Every struct that becomes a node records its
// Tokens, from which lowering computes exact source ranges.

type gFile struct {
	Items []*gItem `parser:"@@*"`
}

type gItem struct {
	Import  *gImport  `parser:"  @@"`
	Sample  *gSample  `parser:"| @@"`
	Family  *gFamily  `parser:"| @@"`
	Element *gElement `parser:"| @@"`
}

type gImport struct {
	Tokens []lexer.Token
	Alias  *gIdent  `parser:"\"import\" @@?"`
	Path   *gString `parser:"@@"`
}

type gIdent struct {
	Tokens []lexer.Token
	Name   string `parser:"@Ident"`
}

type gString struct {
	Tokens []lexer.Token
	Raw    string `parser:"@String"`
}

type gClose struct {
	Tokens []lexer.Token
	Brace  string `parser:"@\"}\""`
}

type gSample struct {
	Tokens []lexer.Token
	Name   *gIdent  `parser:"\"sample\" @@"`
	Title  *gString `parser:"@@?"`
	Body   []*gStmt `parser:"\"{\" @@*"`
	Close  *gClose  `parser:"@@"`
}

type gFamily struct {
	Tokens     []lexer.Token
	Name       *gIdent  `parser:"\"family\" @@"`
	Discipline *gIdent  `parser:"@@?"`
	Title      *gString `parser:"@@?"`
	Body       []*gStmt `parser:"\"{\" @@*"`
	Close      *gClose  `parser:"@@"`
}

type gElement struct {
	Tokens     []lexer.Token
	Name       *gIdent  `parser:"\"element\" @@"`
	Discipline *gIdent  `parser:"@@?"`
	Body       []*gStmt `parser:"\"{\" @@*"`
	Close      *gClose  `parser:"@@"`
}

type gStmt struct {
	Element     *gElement     `parser:"  @@"`
	Disciplines *gDisciplines `parser:"| @@"`
	Skills      *gSkills      `parser:"| @@"`
	Given       *gGiven       `parser:"| @@"`
	Let         *gLet         `parser:"| @@"`
	Vary        *gVary        `parser:"| @@"`
	Prompt      *gTextStmt    `parser:"| @@"`
	Answer      *gAnswer      `parser:"| @@"`
	Check       *gCheck       `parser:"| @@"`
	Expect      *gExpect      `parser:"| @@"`
	Train       *gBlock       `parser:"| @@"`
}

type gDisciplines struct {
	Tokens []lexer.Token
	Names  []*gIdent `parser:"\"disciplines\" @@ (\",\" @@)*"`
}

type gSkills struct {
	Tokens []lexer.Token
	Names  []*gIdent `parser:"\"skills\" @@ (\",\" @@)*"`
}

type gGiven struct {
	Tokens []lexer.Token
	Name   *gIdent `parser:"\"given\" @@"`
	Value  *gOr    `parser:"\"=\" @@"`
}

type gLet struct {
	Tokens []lexer.Token
	Name   *gIdent `parser:"\"let\" @@"`
	Value  *gOr    `parser:"\"=\" @@"`
}

type gVary struct {
	Tokens []lexer.Token
	Name   *gIdent     `parser:"\"vary\" @@ \"in\""`
	Set    *gVarySet   `parser:"( @@"`
	Range  *gVaryRange `parser:"| @@ )"`
}

type gVarySet struct {
	Tokens []lexer.Token
	Elems  []*gOr `parser:"\"{\" @@ (\",\" @@)* \",\"? \"}\""`
	Unit   *gUnit `parser:"@@?"`
}

type gVaryRange struct {
	Tokens []lexer.Token
	From   *gOr `parser:"@@ \"..\""`
	To     *gOr `parser:"@@"`
	Step   *gOr `parser:"(\"step\" @@)?"`
}

type gUnit struct {
	Tokens []lexer.Token
	Text   string `parser:"@Unit"`
}

// gTextStmt is prompt, system and solution: a keyword and a string.
type gTextStmt struct {
	Tokens  []lexer.Token
	Keyword string   `parser:"@(\"prompt\" | \"system\" | \"solution\")"`
	Text    *gString `parser:"@@"`
}

type gAnswer struct {
	Tokens  []lexer.Token
	Kind    *gKind     `parser:"\"answer\" ( @@ (?= Ident | Number | String | \"(\" | \"[\" | \"{\" | \"-\" | \"+\" | \"!\" | \"not\" | \"true\" | \"false\") )?"`
	Value   *gOr       `parser:"@@"`
	Unit    *gUnit     `parser:"(\"in\" @@)?"`
	Options []*gOption `parser:"(\",\" @@)*"`
	Choices []*gChoice `parser:"(\"{\" @@* \"}\")?"`
}

// gKind is an answer kind word (see answerKinds).
type gKind struct {
	Tokens []lexer.Token
	Name   string `parser:"@(\"number\" | \"exact\" | \"fraction\" | \"integer\" | \"choice\" | \"set\" | \"tuple\" | \"interval\" | \"expr\")"`
}

type gOption struct {
	Tokens []lexer.Token
	Name   *gIdent `parser:"@@"`
	Value  *gOr    `parser:"@@?"`
}

type gChoice struct {
	Tokens []lexer.Token
	Label  *gIdent  `parser:"@@"`
	Text   *gString `parser:"@@"`
}

type gCheck struct {
	Tokens []lexer.Token
	Src    *gCheckSrc `parser:"\"check\" ( @@"`
	Str    *gString   `parser:"| @@ )"`
}

type gCheckSrc struct {
	Tokens []lexer.Token
	Text   string `parser:"@Check"`
}

type gExpect struct {
	Tokens  []lexer.Token
	Verdict string   `parser:"\"expect\" @(\"pass\" | \"fail\")"`
	Text    *gString `parser:"@@"`
}

// gBlock is train { ... } and meta { ... }.
type gBlock struct {
	Tokens  []lexer.Token
	Keyword string  `parser:"@(\"train\" | \"meta\") \"{\""`
	Fields  []*gKV  `parser:"@@*"`
	Close   *gClose `parser:"@@"`
}

type gKV struct {
	Tokens []lexer.Token
	Key    *gIdent `parser:"@@ \"=\""`
	Value  *gOr    `parser:"@@"`
}

// Expressions, lowest precedence first.

type gOr struct {
	Tokens []lexer.Token
	Left   *gAnd    `parser:"@@"`
	Rest   []*gOrOp `parser:"@@*"`
}

type gOrOp struct {
	Tokens []lexer.Token
	Op     string `parser:"@(\"or\" | \"||\")"`
	Right  *gAnd  `parser:"@@"`
}

type gAnd struct {
	Tokens []lexer.Token
	Left   *gCmp     `parser:"@@"`
	Rest   []*gAndOp `parser:"@@*"`
}

type gAndOp struct {
	Tokens []lexer.Token
	Op     string `parser:"@(\"and\" | \"&&\")"`
	Right  *gCmp  `parser:"@@"`
}

type gCmp struct {
	Tokens []lexer.Token
	Left   *gAdd  `parser:"@@"`
	Op     string `parser:"( @(\"==\" | \"!=\" | \"<=\" | \">=\" | \"<\" | \">\")"`
	Right  *gAdd  `parser:"  @@ )?"`
}

type gAdd struct {
	Tokens []lexer.Token
	Left   *gMul     `parser:"@@"`
	Rest   []*gAddOp `parser:"@@*"`
}

type gAddOp struct {
	Tokens []lexer.Token
	Op     string `parser:"@(\"+\" | \"-\")"`
	Right  *gMul  `parser:"@@"`
}

type gMul struct {
	Tokens []lexer.Token
	Left   *gUnary   `parser:"@@"`
	Rest   []*gMulOp `parser:"@@*"`
}

type gMulOp struct {
	Tokens []lexer.Token
	Op     string  `parser:"@(\"*\" | \"/\" | \"%\")"`
	Right  *gUnary `parser:"@@"`
}

type gUnary struct {
	Tokens []lexer.Token
	Op     string  `parser:"( @(\"-\" | \"+\" | \"not\" | \"!\")"`
	X      *gUnary `parser:"  @@ )"`
	Pow    *gPow   `parser:"| @@"`
}

type gPow struct {
	Tokens []lexer.Token
	Base   *gPrimary `parser:"@@"`
	Op     string    `parser:"( @(\"^\" | \"**\")"`
	Exp    *gUnary   `parser:"  @@ )?"`
}

type gPrimary struct {
	Tokens []lexer.Token
	Number *gNumber `parser:"  @@"`
	Str    *gString `parser:"| @@"`
	Bool   string   `parser:"| @(\"true\" | \"false\")"`
	Name   *gName   `parser:"| @@"`
	Group  *gGroup  `parser:"| @@"`
	Set    *gSetLit `parser:"| @@"`
}

type gNumber struct {
	Tokens []lexer.Token
	Text   string `parser:"@Number"`
	Unit   *gUnit `parser:"@@?"`
}

type gName struct {
	Tokens []lexer.Token
	Parts  []*gIdent `parser:"@@ (\".\" @@)*"`
	Args   *gArgs    `parser:"@@?"`
}

type gArgs struct {
	Tokens []lexer.Token
	Args   []*gOr `parser:"\"(\" ( @@ (\",\" @@)* \",\"? )? \")\""`
}

type gGroup struct {
	Tokens   []lexer.Token
	Open     string `parser:"@(\"(\" | \"[\")"`
	Elems    []*gOr `parser:"( @@ ( \",\" @@ )*"`
	Trailing string `parser:"  @\",\"? )?"`
	Close    string `parser:"@(\")\" | \"]\")"`
}

type gSetLit struct {
	Tokens []lexer.Token
	Elems  []*gOr `parser:"\"{\" ( @@ (\",\" @@)* \",\"? )? \"}\""`
}

// gHole is the inside of a string interpolation: EXPR [in UNIT].
type gHole struct {
	Tokens []lexer.Token
	Expr   *gOr   `parser:"@@"`
	Unit   *gUnit `parser:"(\"in\" @@)?"`
}

var parserOpts = []participle.Option{
	participle.Lexer(lexDef{}),
	participle.UseLookahead(3),
}

// The parsers are built on first use (about 30 ms together), so commands
// that never parse a spec, such as poly grade, do not pay for them at start.
var (
	fileParser = sync.OnceValue(func() *participle.Parser[gFile] { return participle.MustBuild[gFile](parserOpts...) })
	itemParser = sync.OnceValue(func() *participle.Parser[gItem] { return participle.MustBuild[gItem](parserOpts...) })
	stmtParser = sync.OnceValue(func() *participle.Parser[gStmt] { return participle.MustBuild[gStmt](parserOpts...) })
	holeParser = sync.OnceValue(func() *participle.Parser[gHole] { return participle.MustBuild[gHole](parserOpts...) })
)
