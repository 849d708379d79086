package tokenizer

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Tokenizer is a loaded byte-level BPE tokenizer. Its methods are safe for
// concurrent use.
type Tokenizer struct {
	vocab   map[string]int // model vocab and added tokens
	tokens  []string       // id -> token string
	known   []bool         // id is a vocab entry or an added token
	special []bool         // id is a special added token
	addedID map[int]bool

	added     []addedToken // longest match first
	rawFirst  firstByteIndex
	normFirst firstByteIndex

	normalize func(string) string
	pre       preTokenizer
	model     bpe

	mu      sync.Mutex
	cache   map[string][]int
	scratch bpeScratch

	eos    int
	hasEOS bool
	stop   []int

	// Chat is the chat template read from tokenizer_config.json (ChatML
	// when there is none).
	Chat ChatTemplate
}

// addedToken is one entry of added_tokens.
type addedToken struct {
	id                         int
	content, match             string
	singleWord, lstrip, rstrip bool
	normalized, special        bool
}

// firstByteIndex lists, per first byte, the added tokens starting with it.
type firstByteIndex struct {
	has [256]bool
	idx [256][]int
}

// cacheLimit bounds the per-piece BPE cache.
const cacheLimit = 1 << 16

// Encode returns the token ids of text. Added tokens (<|im_start|>, ...)
// in the text are recognised and encoded as their ids, as HF tokenizers'
// encode does; no BOS/EOS is added (the Qwen post-processor adds none).
func (t *Tokenizer) Encode(text string) []int {
	return t.AppendEncode(nil, text)
}

// AppendEncode appends the ids of text to dst.
func (t *Tokenizer) AppendEncode(dst []int, text string) []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.splitAdded(text, &t.rawFirst, func(seg string, id int) {
		if id >= 0 {
			dst = append(dst, id)
			return
		}
		if t.normalize != nil {
			seg = t.normalize(seg)
		}
		t.splitAdded(seg, &t.normFirst, func(seg string, id int) {
			if id >= 0 {
				dst = append(dst, id)
				return
			}
			dst = t.encodeText(dst, seg)
		})
	})
	return dst
}

// EncodeOrdinary encodes text without recognising added tokens: "<|im_end|>"
// in text is encoded as plain characters.
func (t *Tokenizer) EncodeOrdinary(text string) []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.normalize != nil {
		text = t.normalize(text)
	}
	return t.encodeText(nil, text)
}

// encodeText pre-tokenizes normalized text and BPE-encodes every piece.
func (t *Tokenizer) encodeText(dst []int, s string) []int {
	if s == "" {
		return dst
	}
	for _, piece := range t.pre.split(nil, s) {
		if piece == "" {
			continue
		}
		if ids, ok := t.cache[piece]; ok {
			dst = append(dst, ids...)
			continue
		}
		n := len(dst)
		if id, ok := t.vocab[byteLevel(piece)]; ok && t.model.ignoreMerges && !t.addedID[id] {
			dst = append(dst, id)
		} else {
			dst = t.model.encodeWord(dst, piece, &t.scratch)
		}
		if len(t.cache) >= cacheLimit {
			clear(t.cache)
		}
		t.cache[strings.Clone(piece)] = append([]int(nil), dst[n:]...)
	}
	return dst
}

// splitAdded cuts s at the added tokens of index, leftmost-longest first,
// and calls fn with each plain segment (id -1) and each added token.
func (t *Tokenizer) splitAdded(s string, index *firstByteIndex, fn func(seg string, id int)) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !index.has[s[i]] {
			continue
		}
		for _, k := range index.idx[s[i]] {
			a := &t.added[k]
			if !strings.HasPrefix(s[i:], a.match) {
				continue
			}
			start, end := i, i+len(a.match)
			if a.singleWord {
				if r, _ := utf8.DecodeLastRuneInString(s[:start]); start > 0 && isWordChar(r) {
					continue
				}
				if r, _ := utf8.DecodeRuneInString(s[end:]); end < len(s) && isWordChar(r) {
					continue
				}
			}
			if a.lstrip {
				start = last + len(strings.TrimRightFunc(s[last:start], unicode.IsSpace))
			}
			if a.rstrip {
				end = len(s) - len(strings.TrimLeftFunc(s[end:], unicode.IsSpace))
			}
			if start > last {
				fn(s[last:start], -1)
			}
			fn(a.match, a.id)
			last = end
			i = end - 1
			break
		}
	}
	if last < len(s) {
		fn(s[last:], -1)
	}
}

// Decode returns the text of ids. Special tokens are dropped when
// skipSpecial is set; ids outside the vocabulary are dropped. Bytes that
// do not form valid UTF-8 become U+FFFD, as HF's ByteLevel decoder does.
func (t *Tokenizer) Decode(ids []int, skipSpecial bool) string {
	var raw []byte
	for _, id := range ids {
		raw = t.appendTokenBytes(raw, id, skipSpecial)
	}
	return string(appendLossyUTF8(nil, raw))
}

// appendTokenBytes appends the bytes token id stands for.
func (t *Tokenizer) appendTokenBytes(dst []byte, id int, skipSpecial bool) []byte {
	if id < 0 || id >= len(t.tokens) || !t.known[id] || (skipSpecial && t.special[id]) {
		return dst
	}
	return appendUnByteLevel(dst, t.tokens[id])
}

// TokenBytes returns the bytes token id decodes to (nil for an unknown id).
func (t *Tokenizer) TokenBytes(id int) []byte { return t.appendTokenBytes(nil, id, false) }

// Token returns the vocabulary string of id (byte-level form) and whether
// the id is known.
func (t *Tokenizer) Token(id int) (string, bool) {
	if id < 0 || id >= len(t.tokens) || !t.known[id] {
		return "", false
	}
	return t.tokens[id], true
}

// TokenID returns the id of a vocabulary string or added token.
func (t *Tokenizer) TokenID(tok string) (int, bool) {
	id, ok := t.vocab[tok]
	return id, ok
}

// IsSpecial reports whether id is a special added token.
func (t *Tokenizer) IsSpecial(id int) bool { return id >= 0 && id < len(t.special) && t.special[id] }

// VocabSize is the largest token id plus one. A model's embedding may be
// larger (Qwen pads it to a multiple of 128).
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// EOS returns the end-of-sequence id from tokenizer_config.json's
// eos_token, if it named one.
func (t *Tokenizer) EOS() (int, bool) { return t.eos, t.hasEOS }

// StopIDs returns the ids that end a generation: <|im_end|> and
// <|endoftext|> when the vocabulary has them, and the configured EOS.
func (t *Tokenizer) StopIDs() []int { return append([]int(nil), t.stop...) }

// StreamDecoder turns ids into text one at a time, holding back the bytes
// of a character split across tokens until it is complete.
type StreamDecoder struct {
	t           *Tokenizer
	skipSpecial bool
	pending     []byte
}

// NewStreamDecoder returns a streaming decoder.
func (t *Tokenizer) NewStreamDecoder(skipSpecial bool) *StreamDecoder {
	return &StreamDecoder{t: t, skipSpecial: skipSpecial}
}

// Add decodes one more id and returns the text completed by it (possibly
// empty). The concatenation of all Add results and Flush equals Decode of
// all ids.
func (d *StreamDecoder) Add(id int) string {
	d.pending = d.t.appendTokenBytes(d.pending, id, d.skipSpecial)
	cut := completePrefix(d.pending)
	if cut == 0 {
		return ""
	}
	out := string(appendLossyUTF8(nil, d.pending[:cut]))
	d.pending = append(d.pending[:0], d.pending[cut:]...)
	return out
}

// Flush returns what is still held back (invalid bytes become U+FFFD).
func (d *StreamDecoder) Flush() string {
	out := string(appendLossyUTF8(nil, d.pending))
	d.pending = d.pending[:0]
	return out
}

// completePrefix returns the length of b less a trailing sequence that is
// the valid beginning of a longer UTF-8 character (which a later token may
// complete).
func completePrefix(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		i := len(b) - k
		c := b[i]
		if c < 0x80 {
			return len(b)
		}
		if c < 0xC0 {
			continue // continuation byte: look further back
		}
		// b[i] is a lead byte: hold b[i:] back if it is an incomplete but
		// so far valid prefix.
		if !utf8.FullRune(b[i:]) && invalidPrefixLen(b[i:]) == k {
			return i
		}
		return len(b)
	}
	return len(b)
}
