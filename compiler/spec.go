package compiler

import (
	"github.com/polylearn/poly/lang"
)

// Spec is one compiled .poly file.
type Spec struct {
	// Path is the file name the spec was compiled from.
	Path string `json:"path"`
	// Hash is a stable hex sha256 over the file and every file it
	// imports (by import path and content).
	Hash string `json:"hash"`
	// Samples are the file's `sample` blocks, in source order.
	Samples []*Sample `json:"samples"`
	// Families are the file's `family` blocks, in source order.
	Families []*Family `json:"families"`
	// Train holds the `train {}` hyper-parameters (nil when absent).
	Train Train `json:"train,omitempty"`
	// Files holds the sources of the spec and its imports, for rendering
	// diagnostics with lang.Diagnostics.Render.
	Files *lang.FileSet `json:"-"`
}

// Sample finds a sample by id.
func (s *Spec) Sample(id string) *Sample {
	for _, x := range s.Samples {
		if x.ID == id {
			return x
		}
	}
	return nil
}

// Family finds a family by id.
func (s *Spec) Family(id string) *Family {
	for _, x := range s.Families {
		if x.ID == id {
			return x
		}
	}
	return nil
}

// Train holds `train {}` hyper-parameters by name. Values are float64
// (numbers, without units), string or bool.
type Train map[string]any

// Float returns a numeric hyper-parameter.
func (t Train) Float(name string) (float64, bool) {
	v, ok := t[name].(float64)
	return v, ok
}

// Int returns a numeric hyper-parameter that is a whole number.
func (t Train) Int(name string) (int, bool) {
	v, ok := t[name].(float64)
	if !ok || v != float64(int(v)) {
		return 0, false
	}
	return int(v), true
}

// String returns a string hyper-parameter.
func (t Train) String(name string) (string, bool) {
	v, ok := t[name].(string)
	return v, ok
}

// Bool returns a boolean hyper-parameter.
func (t Train) Bool(name string) (bool, bool) {
	v, ok := t[name].(bool)
	return v, ok
}

// Value is one named quantity of a sample, as evaluated.
type Value struct {
	// Name is the dotted name (`colony.n0`, `t`).
	Name string `json:"name"`
	// Kind is "number", "string", "list", "set" or "tuple".
	Kind string `json:"kind"`
	// Float is the magnitude in Unit (NaN for non-numbers).
	Float float64 `json:"value"`
	// Unit is the display unit ("" for dimensionless numbers).
	Unit string `json:"unit,omitempty"`
	// Exact is the exact rational ("3/4", "192000") when the value is
	// exact in Unit, else "".
	Exact string `json:"exact,omitempty"`
	// Text is the value as interpolation `{name}` renders it.
	Text string `json:"text"`
}
