package tokenizer

import (
	"math/rand/v2"
	"strings"
)

// Test text generator: random strings built from the pieces that stress a
// byte-level BPE tokenizer (Unicode scripts, CJK, emoji, digit runs,
// whitespace runs, newlines, tabs, special tokens, LaTeX, contractions,
// combining marks that NFC composes).
var genPieces = [][]string{
	{"hello", "world", "The", " quick", " brown", "fox", "Über", "naïve", "café", "ΑΒΓ", "привет", "שלום", "مرحبا", "नमस्ते", "ภาษาไทย", "한국어", "日本語", "中文字符", "テスト", "ǅemal"},
	{"'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'Re", "'ſ", "'x", "''", "'", "don't", "I'M", "’s"},
	{"0", "7", "42", "2024", "3.14159", "1,000,000", "12345678901234567890", "٣٤٥", "½", "²", "Ⅻ", "①", "-17", "1e-9", "0x1F"},
	{" ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n", " \n", "\n ", " \t\n", "\u00a0", "\u3000", "\u2028", "\u2003", "\v", "\f", "\u0085", "        "},
	{"\\frac{1}{2}", "\\boxed{42}", "$x^2$", "\\sqrt{2}", "\\times 10^{5}", "\\left(", "\\right)", "\\text{m/s}", "\\pi", "{}", "^\\circ"},
	{"<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "</think>", "<tool_call>", "<|im_start", "im_end|>", "<|fim_prefix|>"},
	{"😀", "👍🏽", "👨‍👩‍👧", "🇺🇸", "❤️", "🙂🙂", "∑", "∫", "≤", "→", "★"},
	{"e\u0301", "a\u0308", "\u1100\u1161", "A\u030a", "\u0915\u094d", "ñ", "o\u0302\u0323"},
	{".", ",", "!", "?", "...", "--", "()", "[]", "#", "@", "&&", "::", "\"", "«»", "、", "。", "…", "—"},
}

// genText returns a random test string of up to n pieces.
func genText(r *rand.Rand, n int) string {
	var b strings.Builder
	k := 1 + r.IntN(n)
	for i := 0; i < k; i++ {
		switch r.IntN(10) {
		case 0:
			// a random code point from a few assigned ranges
			ranges := [][2]rune{{0x20, 0x7e}, {0xa0, 0x17f}, {0x370, 0x3ff}, {0x4e00, 0x4fff}, {0x3040, 0x30ff}, {0xac00, 0xad00}, {0x1f300, 0x1f64f}, {0x2000, 0x206f}, {0x0600, 0x06ff}}
			rg := ranges[r.IntN(len(ranges))]
			b.WriteRune(rg[0] + rune(r.IntN(int(rg[1]-rg[0]+1))))
		case 1:
			b.WriteString(strings.Repeat(string("0123456789"[r.IntN(10)]), 1+r.IntN(30)))
		default:
			g := genPieces[r.IntN(len(genPieces))]
			b.WriteString(g[r.IntN(len(g))])
		}
	}
	return b.String()
}
