package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteJSONL writes records repeat times to path as JSON lines in the
// conversational prompt-only shape that TRL's GRPOTrainer and HF datasets
// load:
//
//	{"prompt":[{"role":"user","content":"..."}],"ground_truth":"...",
//	 "data_source":"...","ability":"...","reward_style":"rule",
//	 "index":0,"split":"train", <extra fields>...}
//
// Every column but prompt reaches a TRL reward function as a keyword
// argument (ground_truth, data_source, ...). Extra fields are top-level
// keys in name order; a field a record lacks is null on its line, so every
// line has the same keys. Indices count on across copies as in
// WriteParquet. The file is written atomically.
func WriteJSONL(path string, records []Record, repeat int) error {
	extras, err := checkRecords(records, repeat)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return writeAtomic(path, func(w io.Writer) error {
		return encodeJSONL(w, records, repeat, extras)
	})
}

// EncodeJSONL writes what WriteJSONL writes to w (for stdout or a pipe; a
// file should go through WriteJSONL, which is atomic).
func EncodeJSONL(w io.Writer, records []Record, repeat int) error {
	extras, err := checkRecords(records, repeat)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return encodeJSONL(w, records, repeat, extras)
}

type jsonMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func encodeJSONL(w io.Writer, records []Record, repeat int, extras []extraField) error {
	// Each record's line is the same for every copy but its index: encode
	// the parts once.
	type parts struct{ head, tail []byte }
	lines := make([]parts, len(records))
	for i := range records {
		r := &records[i]
		var head, tail bytes.Buffer
		msgs := make([]jsonMessage, len(r.Prompt))
		for j, m := range r.Prompt {
			msgs[j] = jsonMessage{Role: m.Role, Content: m.Content}
		}
		head.WriteString(`{"prompt":`)
		writeJSON(&head, msgs)
		for _, kv := range []struct{ k, v string }{
			{"ground_truth", r.RewardModel.GroundTruth},
			{"data_source", r.DataSource},
			{"ability", r.Ability},
			{"reward_style", r.RewardModel.Style},
		} {
			head.WriteString(`,"` + kv.k + `":`)
			writeJSON(&head, kv.v)
		}
		head.WriteString(`,"index":`)
		tail.WriteString(`,"split":`)
		writeJSON(&tail, r.ExtraInfo.Split)
		for _, f := range extras {
			tail.WriteString(`,"` + f.name + `":`)
			v, ok := r.ExtraInfo.Fields[f.name]
			if !ok {
				tail.WriteString("null")
				continue
			}
			n, _, _ := normalize(v)
			if f.kind == kindFloat {
				tail.WriteString(formatFloat(n))
				continue
			}
			if s, isList := n.([]string); isList && s == nil {
				n = []string{}
			}
			writeJSON(&tail, n)
		}
		tail.WriteString("}\n")
		lines[i] = parts{head.Bytes(), tail.Bytes()}
	}
	var num []byte
	for k := 0; k < repeat; k++ {
		for i, p := range lines {
			if _, err := w.Write(p.head); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			num = fmt.Appendf(num[:0], "%d", rowIndex(records, i, k))
			if _, err := w.Write(num); err != nil {
				return fmt.Errorf("export: %w", err)
			}
			if _, err := w.Write(p.tail); err != nil {
				return fmt.Errorf("export: %w", err)
			}
		}
	}
	return nil
}

// formatFloat writes a JSON number that JSON readers type as a float
// ("2.0", not "2"), so the column type matches the parquet file's double.
func formatFloat(n any) string {
	var f float64
	switch x := n.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// writeJSON appends v as compact JSON without HTML escaping (prompts keep
// their < > &).
func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only finite numbers, strings, bools and []string reach here.
		panic(err)
	}
	b.Truncate(b.Len() - 1) // Encode's newline
}
