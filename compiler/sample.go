package compiler

import (
	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/lang"
)

// Sample is one compiled problem: a `sample` block, or one problem
// generated from a family. It is immutable once built and safe for
// concurrent use (Grade included).
type Sample struct {
	// ID is the sample's name; a generated problem is "family#index"
	// where index numbers the combination of vary values.
	ID string `json:"id"`
	// Title is the optional title string.
	Title string `json:"title,omitempty"`
	// Family is the id of the family a generated problem came from.
	Family string `json:"family,omitempty"`
	// Disciplines and Skills are the block's metadata (a family's
	// discipline is its only discipline).
	Disciplines []string `json:"disciplines"`
	Skills      []string `json:"skills"`
	// System is the optional system message.
	System string `json:"system,omitempty"`
	// Prompt is the rendered problem text.
	Prompt string `json:"prompt"`
	// Answer is the gold answer.
	Answer Answer `json:"answer"`
	// GroundTruth is the gold answer as plain text, with its unit
	// ("159.04 mV", "7/18", "{-3, 10}").
	GroundTruth string `json:"ground_truth"`
	// GroundTruthLaTeX is the gold answer in LaTeX.
	GroundTruthLaTeX string `json:"ground_truth_latex"`
	// Solution is the rendered worked solution ("" when none).
	Solution string `json:"solution,omitempty"`
	// Values are every named quantity of the sample, in scope order.
	Values []Value `json:"values"`
	// Meta holds `meta {}` fields (numbers as float64, strings, bools).
	Meta map[string]any `json:"meta,omitempty"`
	// SpecHash is the hash of the spec the sample came from.
	SpecHash string `json:"spec_hash"`
	// Range is where the sample (or family) is declared.
	Range lang.Range `json:"-"`

	checkEnv map[string]float64 // Values by name, for check programs
	gold     grade.Gold         // the grader's form of Answer
}

// Value returns the named value and whether it exists.
func (s *Sample) Value(name string) (Value, bool) {
	for _, v := range s.Values {
		if v.Name == name {
			return v, true
		}
	}
	return Value{}, false
}
