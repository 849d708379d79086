package compiler

import (
	"encoding/json"
	"math"
)

// jsonFloat writes a float64 as a JSON number, NaN as null and ±Inf as
// the strings "inf" and "-inf" (JSON has no such numbers).
type jsonFloat float64

// MarshalJSON implements json.Marshaler.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte("null"), nil
	case math.IsInf(x, 1):
		return []byte(`"inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-inf"`), nil
	}
	return json.Marshal(x)
}

// MarshalJSON writes the value with NaN/Inf made JSON-safe.
func (v Value) MarshalJSON() ([]byte, error) {
	type plain Value
	return json.Marshal(struct {
		plain
		Float jsonFloat `json:"value"`
	}{plain(v), jsonFloat(v.Float)})
}

// MarshalJSON writes the answer with NaN/Inf made JSON-safe.
func (a Answer) MarshalJSON() ([]byte, error) {
	type plain Answer
	var els []jsonFloat
	for _, e := range a.Elements {
		els = append(els, jsonFloat(e))
	}
	var val *jsonFloat
	if a.Kind == KindNumber || a.Kind == KindExact {
		f := jsonFloat(a.Float)
		val = &f
	}
	return json.Marshal(struct {
		plain
		Float    *jsonFloat  `json:"value,omitempty"`
		Elements []jsonFloat `json:"elements,omitempty"`
	}{plain(a), val, els})
}
