// Package tokenizer implements Hugging Face tokenizer.json byte-level BPE
// tokenizers (GPT-2, Qwen2/Qwen2.5/Qwen3 and the embedded default model):
// normalizer (NFC, NFKC, NFD, NFKD, Lowercase, Sequence), added and special
// tokens split out before BPE, the pre-tokenizers Split / ByteLevel /
// Digits / Sequence, the BPE model with merges in both the old "a b" and the
// new ["a","b"] formats, the ByteLevel decoder (with a streaming decoder
// that holds back partial UTF-8 across tokens) and the ChatML chat template
// used by Qwen models.
//
// The Qwen2/Qwen3 Split regex
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// needs a look-ahead, which Go's regexp lacks. It is run by a hand-written
// scanner (qwenSplit) proved equivalent to the regex by tests and a fuzz
// target that compare it with github.com/dlclark/regexp2 running the regex
// itself; any other Split pattern runs on regexp2. Encodings are checked
// for exact id equality against HF tokenizers (Python) in
// tokenizer_pyref_test.go.
package tokenizer
