// Package export writes engineered samples as training data for other
// trainers: verl's parquet schema (WriteParquet) and the conversational
// JSONL that TRL's GRPOTrainer and HF datasets load (WriteJSONL). Both
// writers repeat the records (--repeat N, as the one-shot RLVR recipes do)
// and write their file atomically. docs/export.md lists the exact schema.
package export

import (
	"fmt"
	"math"
	"sort"
	"unicode/utf8"
)

// Message is one chat turn of a prompt.
type Message struct {
	Role    string // "system", "user", "assistant"
	Content string
}

// RewardModel says how verl scores a completion: Style "rule" with the
// ground truth the rule compares against.
type RewardModel struct {
	Style       string
	GroundTruth string
}

// ExtraInfo is verl's extra_info column: the row index, the split and any
// number of extra fields (spec hash, sample id, skills, disciplines, ...).
type ExtraInfo struct {
	// Index of the record. In the output, copy k of record i (0-based) has
	// index Index + k*len(records), so indices keep counting across copies
	// when the records are numbered 0..n-1.
	Index int
	// Split is "train", "test", ...
	Split string
	// Extra fields. A value is a string, a bool, an integer (int, int8..int64,
	// uint8..uint32), a float (float32, float64; finite) or a []string. A
	// key is [A-Za-z_][A-Za-z0-9_]* and not one of the reserved names (see
	// Reserved). A field missing from some records is null there.
	Fields map[string]any
}

// Record is one row of training data.
type Record struct {
	DataSource  string
	Prompt      []Message
	Ability     string
	RewardModel RewardModel
	ExtraInfo   ExtraInfo
}

// Reserved lists the names an extra field may not take: the columns and
// extra_info fields the writers produce themselves.
var Reserved = []string{"prompt", "data_source", "ability", "reward_model", "extra_info", "ground_truth", "style", "index", "split"}

// fieldKind is the column type of an extra field.
type fieldKind int

const (
	kindString fieldKind = iota
	kindInt
	kindFloat
	kindBool
	kindStrings
)

func (k fieldKind) String() string {
	return [...]string{"string", "int64", "double", "bool", "list<string>"}[k]
}

// extraField is one extra column: its name, type and whether some record
// lacks it (then it is nullable).
type extraField struct {
	name     string
	kind     fieldKind
	optional bool
}

// normalize returns v as string, int64, float64, bool or []string.
func normalize(v any) (any, fieldKind, error) {
	switch x := v.(type) {
	case string:
		if !utf8.ValidString(x) {
			return nil, 0, fmt.Errorf("string is not valid UTF-8")
		}
		return x, kindString, nil
	case bool:
		return x, kindBool, nil
	case int:
		return int64(x), kindInt, nil
	case int8:
		return int64(x), kindInt, nil
	case int16:
		return int64(x), kindInt, nil
	case int32:
		return int64(x), kindInt, nil
	case int64:
		return x, kindInt, nil
	case uint8:
		return int64(x), kindInt, nil
	case uint16:
		return int64(x), kindInt, nil
	case uint32:
		return int64(x), kindInt, nil
	case float32:
		return normalize(float64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, 0, fmt.Errorf("value %v is not a finite number", x)
		}
		return x, kindFloat, nil
	case []string:
		for _, e := range x {
			if !utf8.ValidString(e) {
				return nil, 0, fmt.Errorf("list element is not valid UTF-8")
			}
		}
		return x, kindStrings, nil
	case nil:
		return nil, 0, fmt.Errorf("value is nil")
	}
	return nil, 0, fmt.Errorf("unsupported type %T (want string, bool, integer, float or []string)", v)
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// checkRecords validates records and repeat and returns the extra columns
// in name order. Integers and floats under one name become floats.
func checkRecords(records []Record, repeat int) ([]extraField, error) {
	if repeat < 1 {
		return nil, fmt.Errorf("repeat must be at least 1, got %d", repeat)
	}
	reserved := map[string]bool{}
	for _, r := range Reserved {
		reserved[r] = true
	}
	type seen struct {
		kind  fieldKind
		count int
		first int
	}
	fields := map[string]*seen{}
	for i, r := range records {
		for what, s := range map[string]string{"data_source": r.DataSource, "ability": r.Ability, "reward style": r.RewardModel.Style, "ground truth": r.RewardModel.GroundTruth, "split": r.ExtraInfo.Split} {
			if !utf8.ValidString(s) {
				return nil, fmt.Errorf("record %d: %s is not valid UTF-8", i, what)
			}
		}
		for j, m := range r.Prompt {
			if !utf8.ValidString(m.Role) || !utf8.ValidString(m.Content) {
				return nil, fmt.Errorf("record %d: prompt message %d is not valid UTF-8", i, j)
			}
		}
		if len(r.Prompt) == 0 {
			return nil, fmt.Errorf("record %d: empty prompt", i)
		}
		for j, m := range r.Prompt {
			if m.Role == "" {
				return nil, fmt.Errorf("record %d: prompt message %d has no role", i, j)
			}
		}
		for name, v := range r.ExtraInfo.Fields {
			if !validName(name) {
				return nil, fmt.Errorf("record %d: extra field name %q: want [A-Za-z_][A-Za-z0-9_]*", i, name)
			}
			if reserved[name] {
				return nil, fmt.Errorf("record %d: extra field name %q is reserved", i, name)
			}
			_, k, err := normalize(v)
			if err != nil {
				return nil, fmt.Errorf("record %d: extra field %q: %v", i, name, err)
			}
			s, ok := fields[name]
			if !ok {
				fields[name] = &seen{kind: k, count: 1, first: i}
				continue
			}
			s.count++
			switch {
			case s.kind == k:
			case s.kind == kindInt && k == kindFloat:
				s.kind = kindFloat
			case s.kind == kindFloat && k == kindInt:
			default:
				return nil, fmt.Errorf("extra field %q: %s in record %d but %s in record %d", name, s.kind, s.first, k, i)
			}
		}
	}
	out := make([]extraField, 0, len(fields))
	for name, s := range fields {
		out = append(out, extraField{name: name, kind: s.kind, optional: s.count < len(records)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// rowIndex is the extra_info.index of copy k of record i.
func rowIndex(records []Record, i, k int) int64 {
	return int64(records[i].ExtraInfo.Index) + int64(k)*int64(len(records))
}
