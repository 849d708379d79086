package compiler

// AnswerKind says how a sample's answer is compared.
type AnswerKind string

// Answer kinds.
const (
	// KindNumber is a number (with a unit or none) compared within a
	// tolerance.
	KindNumber AnswerKind = "number"
	// KindExact is an exact integer or fraction: `answer p exact`, or any
	// number answer whose value is an exact rational and which has no
	// tolerance and no unit.
	KindExact AnswerKind = "exact"
	// KindChoice is multiple choice: the gold is a letter.
	KindChoice AnswerKind = "choice"
	// KindSet is an unordered set of numbers.
	KindSet AnswerKind = "set"
	// KindTuple is an ordered tuple of numbers.
	KindTuple AnswerKind = "tuple"
	// KindInterval is an interval with open or closed ends.
	KindInterval AnswerKind = "interval"
	// KindExpression is a symbolic expression in named variables,
	// compared by evaluating both sides at random points.
	KindExpression AnswerKind = "expression"
	// KindText is a literal string compared after normalisation.
	KindText AnswerKind = "text"
)

// Tolerance is how close a numeric prediction must be.
type Tolerance struct {
	// Kind is "abs", "rel", "sig" or "" (exact / grader default).
	Kind string `json:"kind,omitempty"`
	// Value is the absolute or relative tolerance, or the number of
	// significant figures for "sig".
	Value float64 `json:"value,omitempty"`
}

// Choice is one option of a multiple-choice answer.
type Choice struct {
	Label string `json:"label"`
	Text  string `json:"text"`
}

// Answer is a sample's gold answer, computed from the spec (never typed
// by hand), in the form the grader compares against.
type Answer struct {
	Kind AnswerKind `json:"kind"`
	// Text is the gold value as plain text in Unit ("192000", "3/4",
	// "B", "{1, 2}", "[0, 1)", "x^2 + 1").
	Text string `json:"text"`
	// LaTeX is the gold value as LaTeX ("\frac{3}{4}", "1.92 \times 10^{5}").
	LaTeX string `json:"latex"`
	// Float is the numeric value in Unit (number and exact kinds).
	Float float64 `json:"value,omitempty"`
	// Exact is the exact rational in Unit when there is one.
	Exact string `json:"exact,omitempty"`
	// Unit is the unit the answer is asked in ("" when dimensionless).
	Unit string `json:"unit,omitempty"`
	// Tolerance applies to number, set, tuple and interval answers.
	Tolerance Tolerance `json:"tolerance"`
	// Choices are the options of a multiple-choice answer; Text is the
	// correct label.
	Choices []Choice `json:"choices,omitempty"`
	// Elements are the members of a set or tuple answer, or the two ends
	// of an interval, in Unit.
	Elements []float64 `json:"elements,omitempty"`
	// LeftOpen and RightOpen describe an interval's ends.
	LeftOpen  bool `json:"left_open,omitempty"`
	RightOpen bool `json:"right_open,omitempty"`
	// Variables are the free variables of an expression answer.
	Variables []string `json:"variables,omitempty"`
	// Check is the custom check program, or nil.
	Check *CheckProgram `json:"-"`
	// CheckSource is the check program's text ("" when none).
	CheckSource string `json:"check,omitempty"`

	exacts []string // exact texts of Elements ("" where inexact)
}
