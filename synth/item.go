package synth

import (
	"strings"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/grade"
)

// DefaultSuffix is the instruction the one-shot RLVR recipe appends to
// every prompt (Wang et al., 2025), joined to the question by a space.
const DefaultSuffix = "Let's think step by step and output the final answer within \\boxed{}."

// Options tune rendering. The zero Options renders with DefaultSuffix.
type Options struct {
	// Suffix replaces DefaultSuffix when not empty.
	Suffix string
	// NoSuffix renders the bare prompt, without any suffix.
	NoSuffix bool
}

// suffix returns the instruction to append ("" for none).
func (o Options) suffix() string {
	switch {
	case o.NoSuffix:
		return ""
	case o.Suffix != "":
		return o.Suffix
	default:
		return DefaultSuffix
	}
}

// Item is one final sample: what a trainer or an evaluation harness needs.
type Item struct {
	// ID is the sample id; for a family problem, "family#combination"
	// (the combination index of its vary values, stable across seeds).
	ID string `json:"id"`
	// Family is the family id for a generated problem, "" for a sample.
	Family string `json:"family,omitempty"`
	// Index is the problem's position in its family's generated list (0
	// for a sample).
	Index int `json:"index"`
	// Title is the sample's title ("" for family problems).
	Title string `json:"title,omitempty"`
	// Source is the spec file the item was compiled from.
	Source string `json:"source"`
	// SpecHash is the compiled spec's hash.
	SpecHash string `json:"spec_hash"`
	// Disciplines are the sample's disciplines, the main one first.
	Disciplines []string `json:"disciplines"`
	// Skills are the salient math skills the sample exercises.
	Skills []string `json:"skills"`
	// System is the optional system message ("" when none).
	System string `json:"system,omitempty"`
	// Question is the rendered prompt without the suffix.
	Question string `json:"question"`
	// Prompt is the final prompt: the question and the suffix.
	Prompt string `json:"prompt"`
	// GroundTruth is the exact gold answer as plain text.
	GroundTruth string `json:"ground_truth"`
	// GroundTruthLaTeX is the exact gold answer as LaTeX (what verl's
	// reward_model.ground_truth carries).
	GroundTruthLaTeX string `json:"ground_truth_latex"`
	// Solution is the worked solution ("" when the spec has none).
	Solution string `json:"solution,omitempty"`
	// Meta holds the spec's `meta {}` fields (export reads data_source
	// and ability from it).
	Meta map[string]any `json:"meta,omitempty"`

	sample *compiler.Sample
}

// Discipline returns the main discipline ("" when none is declared).
func (it *Item) Discipline() string {
	if len(it.Disciplines) == 0 {
		return ""
	}
	return it.Disciplines[0]
}

// Sample returns the compiled sample the item was rendered from.
func (it *Item) Sample() *compiler.Sample { return it.sample }

// Grade scores a model completion with the sample's compiled checker (the
// same one `poly check` verified with the spec's expect self-tests).
func (it *Item) Grade(completion string) grade.Result {
	return it.sample.Grade(completion)
}

// GradeWith is Grade with grader options (format reward, strict
// extraction, budget).
func (it *Item) GradeWith(completion string, opts grade.Options) grade.Result {
	return it.sample.GradeWith(completion, opts)
}

// joinPrompt appends the suffix to a question the way the one-shot recipe
// does: question, a space, suffix.
func joinPrompt(question, suffix string) string {
	q := strings.TrimSpace(question)
	if suffix == "" {
		return q
	}
	if q == "" {
		return suffix
	}
	return q + " " + suffix
}

// Render turns one compiled sample of spec into its final form.
func Render(spec *compiler.Spec, s *compiler.Sample, o Options) *Item {
	it := &Item{
		ID:               s.ID,
		Title:            s.Title,
		Source:           spec.Path,
		SpecHash:         spec.Hash,
		Disciplines:      append([]string(nil), s.Disciplines...),
		Skills:           append([]string(nil), s.Skills...),
		System:           strings.TrimSpace(s.System),
		Question:         strings.TrimSpace(s.Prompt),
		GroundTruth:      s.GroundTruth,
		GroundTruthLaTeX: s.GroundTruthLaTeX,
		Solution:         strings.TrimSpace(s.Solution),
		Meta:             s.Meta,
		sample:           s,
	}
	it.Prompt = joinPrompt(it.Question, o.suffix())
	return it
}

// Samples renders every `sample` block of spec, in source order.
func Samples(spec *compiler.Spec, o Options) []*Item {
	items := make([]*Item, 0, len(spec.Samples))
	for _, s := range spec.Samples {
		items = append(items, Render(spec, s, o))
	}
	return items
}
