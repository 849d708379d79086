package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fileJSON is the subset of tokenizer.json this package reads.
type fileJSON struct {
	AddedTokens   []addedJSON     `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
	Model         modelJSON       `json:"model"`
}

type addedJSON struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

type modelJSON struct {
	Type                    string            `json:"type"`
	Vocab                   map[string]int    `json:"vocab"`
	Merges                  []json.RawMessage `json:"merges"`
	UnkToken                *string           `json:"unk_token"`
	ContinuingSubwordPrefix *string           `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string           `json:"end_of_word_suffix"`
	ByteFallback            bool              `json:"byte_fallback"`
	IgnoreMerges            bool              `json:"ignore_merges"`
	Dropout                 *float64          `json:"dropout"`
}

type componentJSON struct {
	Type string `json:"type"`
	// Sequence
	Normalizers   []json.RawMessage `json:"normalizers"`
	PreTokenizers []json.RawMessage `json:"pretokenizers"`
	// ByteLevel
	AddPrefixSpace bool  `json:"add_prefix_space"`
	UseRegex       *bool `json:"use_regex"`
	// Split
	Pattern struct {
		Regex  *string `json:"Regex"`
		String *string `json:"String"`
	} `json:"pattern"`
	Behavior string `json:"behavior"`
	Invert   bool   `json:"invert"`
	// Digits
	IndividualDigits bool `json:"individual_digits"`
}

// Load reads a tokenizer from a tokenizer.json file or from a directory
// holding tokenizer.json (and, optionally, tokenizer_config.json with the
// chat template and the EOS token).
func Load(path string) (*Tokenizer, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		dir = path
		path = filepath.Join(path, "tokenizer.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("tokenizer %s: %w", path, err)
	}
	if cfg, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json")); err == nil {
		if err := t.applyConfig(cfg); err != nil {
			return nil, fmt.Errorf("tokenizer %s: %w", filepath.Join(dir, "tokenizer_config.json"), err)
		}
	}
	return t, nil
}

// ParseWithConfig builds a tokenizer from the bytes of a tokenizer.json and
// of a tokenizer_config.json (nil for none).
func ParseWithConfig(tokenizerJSON, configJSON []byte) (*Tokenizer, error) {
	t, err := Parse(tokenizerJSON)
	if err != nil {
		return nil, err
	}
	if configJSON != nil {
		if err := t.applyConfig(configJSON); err != nil {
			return nil, fmt.Errorf("tokenizer_config.json: %w", err)
		}
	}
	return t, nil
}

// Parse builds a tokenizer from the bytes of a tokenizer.json. Only BPE
// models with a byte-level pre-tokenizer are supported; anything else is a
// clear error naming what is unsupported.
func Parse(data []byte) (*Tokenizer, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse tokenizer.json: %w", err)
	}
	m := f.Model
	if m.Type != "" && m.Type != "BPE" {
		return nil, fmt.Errorf("unsupported model type %q (only BPE)", m.Type)
	}
	if m.Vocab == nil {
		return nil, errors.New("model has no vocab")
	}
	if m.ByteFallback {
		return nil, errors.New("unsupported: BPE byte_fallback (not a byte-level tokenizer)")
	}
	if (m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "") || (m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "") {
		return nil, errors.New("unsupported: BPE continuing_subword_prefix/end_of_word_suffix")
	}
	t := &Tokenizer{vocab: make(map[string]int, len(m.Vocab)+len(f.AddedTokens)), cache: map[string][]int{}}
	maxID := -1
	for s, id := range m.Vocab {
		if id < 0 {
			return nil, fmt.Errorf("vocab entry %q has negative id %d", s, id)
		}
		t.vocab[s] = id
		maxID = max(maxID, id)
	}
	for _, a := range f.AddedTokens {
		if a.ID < 0 || a.Content == "" {
			return nil, fmt.Errorf("added token %q has a bad id %d or is empty", a.Content, a.ID)
		}
		maxID = max(maxID, a.ID)
	}
	t.tokens = make([]string, maxID+1)
	t.known = make([]bool, maxID+1)
	t.special = make([]bool, maxID+1)
	for s, id := range m.Vocab {
		t.tokens[id], t.known[id] = s, true
	}
	t.addedID = map[int]bool{}
	for _, a := range f.AddedTokens {
		t.tokens[a.ID], t.known[a.ID] = a.Content, true
		t.special[a.ID] = a.Special
		t.addedID[a.ID] = true
		if _, ok := t.vocab[a.Content]; !ok {
			t.vocab[a.Content] = a.ID
		}
		t.added = append(t.added, addedToken{id: a.ID, content: a.Content, singleWord: a.SingleWord, lstrip: a.LStrip, rstrip: a.RStrip, normalized: a.Normalized, special: a.Special})
	}

	// BPE model.
	t.model.unk = -1
	if m.UnkToken != nil {
		id, ok := m.Vocab[*m.UnkToken]
		if !ok {
			return nil, fmt.Errorf("unk_token %q is not in the vocab", *m.UnkToken)
		}
		t.model.unk = int32(id)
	}
	t.model.ignoreMerges = m.IgnoreMerges
	for b := 0; b < 256; b++ {
		t.model.byteID[b] = -1
		if id, ok := m.Vocab[string(byteToRune[b])]; ok {
			t.model.byteID[b] = int32(id)
		}
	}
	t.model.merges = make(map[uint64]uint64, len(m.Merges))
	for rank, raw := range m.Merges {
		a, b, err := parseMerge(raw)
		if err != nil {
			return nil, fmt.Errorf("merge %d: %w", rank, err)
		}
		ia, oka := m.Vocab[a]
		ib, okb := m.Vocab[b]
		inew, okn := m.Vocab[a+b]
		if !oka || !okb || !okn {
			return nil, fmt.Errorf("merge %d (%q %q): token not in the vocab", rank, a, b)
		}
		k := pairKey(int32(ia), int32(ib))
		if _, dup := t.model.merges[k]; !dup {
			t.model.merges[k] = uint64(rank)<<32 | uint64(uint32(inew))
		}
	}

	norm, err := parseNormalizer(f.Normalizer)
	if err != nil {
		return nil, err
	}
	t.normalize = norm
	pre, byteLevel, err := parsePreTokenizer(f.PreTokenizer)
	if err != nil {
		return nil, err
	}
	if !byteLevel {
		return nil, errors.New("unsupported: pre-tokenizer without ByteLevel (only byte-level BPE)")
	}
	t.pre = pre
	if err := checkDecoder(f.Decoder); err != nil {
		return nil, err
	}
	t.prepareAdded()
	t.Chat = ParseChatTemplate("")
	for _, name := range []string{"<|im_end|>", "<|endoftext|>"} {
		if id, ok := t.vocab[name]; ok {
			t.stop = append(t.stop, id)
		}
	}
	return t, nil
}

// parseMerge reads a merge in the old "a b" or the new ["a","b"] format.
func parseMerge(raw json.RawMessage) (string, string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", "", err
		}
		a, b, ok := strings.Cut(s, " ")
		if !ok || a == "" || b == "" {
			return "", "", fmt.Errorf("bad merge %q", s)
		}
		return a, b, nil
	}
	var p []string
	if err := json.Unmarshal(raw, &p); err != nil {
		return "", "", err
	}
	if len(p) != 2 {
		return "", "", fmt.Errorf("merge has %d parts, want 2", len(p))
	}
	return p[0], p[1], nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// parseNormalizer returns the normalization function (nil for none).
func parseNormalizer(raw json.RawMessage) (func(string) string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c componentJSON
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	switch c.Type {
	case "NFC":
		return norm.NFC.String, nil
	case "NFD":
		return norm.NFD.String, nil
	case "NFKC":
		return norm.NFKC.String, nil
	case "NFKD":
		return norm.NFKD.String, nil
	case "Lowercase":
		return strings.ToLower, nil
	case "Sequence":
		var fns []func(string) string
		for _, sub := range c.Normalizers {
			fn, err := parseNormalizer(sub)
			if err != nil {
				return nil, err
			}
			if fn != nil {
				fns = append(fns, fn)
			}
		}
		return func(s string) string {
			for _, fn := range fns {
				s = fn(s)
			}
			return s
		}, nil
	}
	return nil, fmt.Errorf("unsupported normalizer %q", c.Type)
}

// parsePreTokenizer returns the pre-tokenizer and whether it contains a
// ByteLevel step.
func parsePreTokenizer(raw json.RawMessage) (preTokenizer, bool, error) {
	if isNull(raw) {
		return seqPre(nil), false, nil
	}
	var c componentJSON
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, false, fmt.Errorf("pre_tokenizer: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var seq seqPre
		anyBL := false
		for _, sub := range c.PreTokenizers {
			p, bl, err := parsePreTokenizer(sub)
			if err != nil {
				return nil, false, err
			}
			anyBL = anyBL || bl
			seq = append(seq, p)
		}
		return seq, anyBL, nil
	case "ByteLevel":
		b := byteLevelPre{addPrefixSpace: c.AddPrefixSpace}
		if c.UseRegex == nil || *c.UseRegex {
			m, err := newRegexMatcher(gpt2Pattern)
			if err != nil {
				return nil, false, err
			}
			b.re = splitPre{m: m, behavior: isolated}
		}
		return b, true, nil
	case "Split":
		var m matcher
		switch {
		case c.Pattern.Regex != nil && *c.Pattern.Regex == qwenPattern:
			m = qwenMatcher{}
		case c.Pattern.Regex != nil:
			rm, err := newRegexMatcher(*c.Pattern.Regex)
			if err != nil {
				return nil, false, err
			}
			m = rm
		case c.Pattern.String != nil:
			m = stringMatcher(*c.Pattern.String)
		default:
			return nil, false, errors.New("Split pre-tokenizer without a pattern")
		}
		if c.Invert {
			return nil, false, errors.New("unsupported: Split with invert")
		}
		var b splitBehavior
		switch c.Behavior {
		case "Isolated":
			b = isolated
		case "Removed":
			b = removed
		case "MergedWithPrevious":
			b = mergedWithPrevious
		case "MergedWithNext":
			b = mergedWithNext
		default:
			return nil, false, fmt.Errorf("unsupported Split behavior %q", c.Behavior)
		}
		return splitPre{m: m, behavior: b}, false, nil
	case "Digits":
		return digitsPre{individual: c.IndividualDigits}, false, nil
	}
	return nil, false, fmt.Errorf("unsupported pre_tokenizer %q", c.Type)
}

func checkDecoder(raw json.RawMessage) error {
	if isNull(raw) {
		return nil
	}
	var c componentJSON
	if err := json.Unmarshal(raw, &c); err != nil {
		return fmt.Errorf("decoder: %w", err)
	}
	if c.Type != "ByteLevel" {
		return fmt.Errorf("unsupported decoder %q (only ByteLevel)", c.Type)
	}
	return nil
}

// prepareAdded sorts the added tokens for leftmost-longest matching and
// normalizes the content of the normalized ones.
func (t *Tokenizer) prepareAdded() {
	for i := range t.added {
		a := &t.added[i]
		a.match = a.content
		if a.normalized && t.normalize != nil {
			a.match = t.normalize(a.content)
		}
	}
	sort.SliceStable(t.added, func(i, j int) bool { return len(t.added[i].match) > len(t.added[j].match) })
	for i, a := range t.added {
		if a.match == "" {
			continue
		}
		set := &t.rawFirst
		if a.normalized {
			set = &t.normFirst
		}
		set.has[a.match[0]] = true
		set.idx[a.match[0]] = append(set.idx[a.match[0]], i)
	}
}

// configJSON is the subset of tokenizer_config.json this package reads.
type configJSON struct {
	ChatTemplate json.RawMessage `json:"chat_template"`
	EOSToken     json.RawMessage `json:"eos_token"`
}

// applyConfig reads the chat template and EOS token of a
// tokenizer_config.json.
func (t *Tokenizer) applyConfig(data []byte) error {
	var c configJSON
	if err := json.Unmarshal(data, &c); err != nil {
		return err
	}
	if eos := tokenString(c.EOSToken); eos != "" {
		if id, ok := t.vocab[eos]; ok {
			t.eos = id
			t.hasEOS = true
			found := false
			for _, s := range t.stop {
				found = found || s == id
			}
			if !found {
				t.stop = append(t.stop, id)
			}
		}
	}
	var tmpl string
	if !isNull(c.ChatTemplate) {
		if err := json.Unmarshal(c.ChatTemplate, &tmpl); err != nil {
			// A list of named templates: take "default".
			var named []struct{ Name, Template string }
			if json.Unmarshal(c.ChatTemplate, &named) == nil {
				for _, n := range named {
					if n.Name == "default" {
						tmpl = n.Template
					}
				}
			}
		}
	}
	t.Chat = ParseChatTemplate(tmpl)
	return nil
}

// tokenString reads a token given as a string or as {"content": ...}.
func tokenString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct{ Content string }
	if json.Unmarshal(raw, &o) == nil {
		return o.Content
	}
	return ""
}

// isWordChar is HF's is_word_character (alphanumeric or '_').
func isWordChar(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}
