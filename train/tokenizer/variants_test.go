package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestVariantsMatchHF checks the less common tokenizer.json components
// against HF tokenizers: the default vocabulary with other normalizers,
// pre-tokenizers and BPE options.
func TestVariantsMatchHF(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("..", "defaultmodel", "assets", "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	bl := func(prefix, regex bool) map[string]any {
		return map[string]any{"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": false, "use_regex": regex}
	}
	variants := []struct {
		name string
		edit func(f map[string]any)
	}{
		{"gpt2 byte-level regex", func(f map[string]any) { f["pre_tokenizer"] = bl(false, true) }},
		{"add_prefix_space", func(f map[string]any) { f["pre_tokenizer"] = bl(true, true) }},
		{"digits then byte-level", func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Digits", "individual_digits": true}, bl(false, true)}}
		}},
		{"digit runs", func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Digits", "individual_digits": false}, bl(false, false)}}
		}},
		{"split string merged with previous", func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Split", "pattern": map[string]any{"String": " "}, "behavior": "MergedWithPrevious", "invert": false}, bl(false, false)}}
		}},
		{"split regex merged with next", func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `\s+`}, "behavior": "MergedWithNext", "invert": false}, bl(false, false)}}
		}},
		{"split regex removed", func(f map[string]any) {
			f["pre_tokenizer"] = map[string]any{"type": "Sequence", "pretokenizers": []any{
				map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `[,.]`}, "behavior": "Removed", "invert": false}, bl(false, false)}}
		}},
		{"nfkc lowercase", func(f map[string]any) {
			f["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "NFKC"}, map[string]any{"type": "Lowercase"}}}
		}},
		{"nfd", func(f map[string]any) { f["normalizer"] = map[string]any{"type": "NFD"} }},
		{"ignore_merges", func(f map[string]any) { f["model"].(map[string]any)["ignore_merges"] = true }},
		{"old merge format", func(f map[string]any) {
			m := f["model"].(map[string]any)
			var old []any
			for _, p := range m["merges"].([]any) {
				pair := p.([]any)
				old = append(old, pair[0].(string)+" "+pair[1].(string))
			}
			m["merges"] = old
		}},
	}
	texts := testTexts(400)
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			var f map[string]any
			if err := json.Unmarshal(base, &f); err != nil {
				t.Fatal(err)
			}
			v.edit(f)
			data, _ := json.Marshal(f)
			path := filepath.Join(t.TempDir(), "tokenizer.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			tok, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			compareEncode(t, tok, path, texts)
		})
	}
}
