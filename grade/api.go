// Package grade is poly's grader: it extracts the final answer from a model
// completion, normalises its LaTeX, parses it into a value (numbers with
// exact rationals, units, percentages; sets, tuples, intervals, matrices,
// equations, multiple choice, symbolic expressions) and compares it with a
// gold answer under a tolerance. The result is a Result, not a bare float.
//
// Every entry point works under a Budget: input length, parse depth, node
// count, evaluation steps and comparison work are bounded deterministically
// (a reward is a pure function of gold, completion and options; a generous
// wall-clock limit is only a backstop), so a hostile completion cannot hang
// or crash a trainer, and no function here panics.
package grade

import (
	"time"
)

// Tolerance says how close a predicted number must be to the gold one.
// A number passes when any set bound admits it: |pred-gold| <= Abs, or
// |pred-gold| <= Rel*|gold|, or both rounded to Sig significant figures are
// equal. The zero Tolerance means the defaults (see DefaultRel).
type Tolerance struct {
	Abs float64 `json:"abs,omitempty"`
	Rel float64 `json:"rel,omitempty"`
	Sig int     `json:"sig,omitempty"`
}

// IsZero reports whether no bound is set.
func (t Tolerance) IsZero() bool { return t.Abs == 0 && t.Rel == 0 && t.Sig == 0 }

// DefaultRel is the relative tolerance used for inexact numbers when neither
// the gold answer nor the Options set one. It is relative, so 1e-9 and 2e-9
// differ, and it is loose enough for float round-off in evaluated
// expressions. Two exact rationals are compared exactly.
const DefaultRel = 1e-8

// Budget bounds the work of one check. Zero fields take the defaults of
// DefaultBudget.
type Budget struct {
	// MaxInput is the most bytes of a completion looked at; longer input
	// keeps its tail (where final answers are), and in it only a box or
	// an answer line counts (as with Options.Strict).
	MaxInput int `json:"max_input,omitempty"`
	// MaxAnswer is the most bytes of an extracted answer that are parsed.
	MaxAnswer int `json:"max_answer,omitempty"`
	// MaxDepth bounds the nesting of the parsed answer.
	MaxDepth int `json:"max_depth,omitempty"`
	// MaxNodes bounds the size of the parsed answer.
	MaxNodes int `json:"max_nodes,omitempty"`
	// MaxSteps bounds evaluation steps (all points of a symbolic comparison).
	MaxSteps int `json:"max_steps,omitempty"`
	// Timeout is a wall-clock backstop for one check, far above what the
	// deterministic limits above allow (a well-formed answer never meets
	// it): rewards do not depend on how loaded the machine is.
	Timeout time.Duration `json:"timeout,omitempty"`
}

// DefaultBudget is the budget used for zero Budget fields.
var DefaultBudget = Budget{
	MaxInput:  64 << 10,
	MaxAnswer: 4 << 10,
	MaxDepth:  64,
	MaxNodes:  4096,
	MaxSteps:  200000,
	Timeout:   2 * time.Second,
}

func (b Budget) withDefaults() Budget {
	d := DefaultBudget
	if b.MaxInput > 0 {
		d.MaxInput = b.MaxInput
	}
	if b.MaxAnswer > 0 {
		d.MaxAnswer = b.MaxAnswer
	}
	if b.MaxDepth > 0 {
		d.MaxDepth = b.MaxDepth
	}
	if b.MaxNodes > 0 {
		d.MaxNodes = b.MaxNodes
	}
	if b.MaxSteps > 0 {
		d.MaxSteps = b.MaxSteps
	}
	if b.Timeout > 0 {
		d.Timeout = b.Timeout
	}
	return d
}

// Options tune a check. The zero Options is the default: binary reward,
// default tolerance, default budget, lenient extraction.
type Options struct {
	// Tolerance applies to numbers whose gold answer sets none.
	Tolerance Tolerance `json:"tolerance,omitempty"`
	// FormatReward, when > 0, is the reward of a wrong answer that was
	// given in the expected format (\boxed{} or an "Answer:" line); a
	// correct answer still gets 1.
	FormatReward float64 `json:"format_reward,omitempty"`
	// Partial, when set, gives partial credit for sets, tuples and matrices:
	// the fraction of elements that match.
	Partial bool `json:"partial,omitempty"`
	// Strict accepts only answers in \boxed{}/\fbox{} or on an "Answer:" /
	// "final answer is" line: no last-number or bare-text fallback.
	Strict bool `json:"strict,omitempty"`
	// Budget bounds the work of one check.
	Budget Budget `json:"budget,omitempty"`
	// NoCache turns off the caches of parsed gold answers and extracted
	// answers (for benchmarks of the cold path).
	NoCache bool `json:"-"`
}

// Result is the outcome of one check.
type Result struct {
	// Reward is 1 for a correct answer, 0 for a wrong one (or the
	// format/partial reward when Options ask for them).
	Reward float64 `json:"reward"`
	// FormatOK reports whether the answer was given in the expected format:
	// \boxed{}/\fbox{}, an "Answer:" line or a "final answer is" phrase.
	FormatOK bool `json:"format_ok"`
	// Extracted is the answer text taken from the completion.
	Extracted string `json:"extracted"`
	// Method says how it was extracted: boxed, fbox, answer_line,
	// final_answer, choice, whole, last_number ("" when nothing was found).
	Method string `json:"method,omitempty"`
	// Parsed is the canonical form of the parsed prediction.
	Parsed string `json:"parsed"`
	// Gold is the canonical form of the gold answer.
	Gold string `json:"gold"`
	// Reason says why the answer is wrong; "" when it is correct.
	Reason string `json:"reason"`
	// Budget names the budget that ran out in a check that was not judged
	// correct (BudgetInput, BudgetAnswer, BudgetDepth, BudgetNodes,
	// BudgetSteps, BudgetComparison, BudgetTime); "" when none did.
	Budget string `json:"budget,omitempty"`
}

// Correct reports whether the answer was judged equal to the gold one.
func (r Result) Correct() bool { return r.Reason == "" }
