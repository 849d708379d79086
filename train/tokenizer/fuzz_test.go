package tokenizer

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzEncodeDecode: on any valid UTF-8 text, decoding the encoding gives
// the NFC-normalized text back (special tokens included, as text); on any
// bytes at all, Encode does not panic and every id is in the vocabulary.
func FuzzEncodeDecode(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "defaultmodel", "assets", "tokenizer.json"))
	if err != nil {
		f.Fatal(err)
	}
	tok, err := Parse(data)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "What is 2 + 2? \\boxed{4}", "<|im_start|>user\nhi<|im_end|>", "  \n\t x'LL 12345", "e\u0301 日本 😀", "\xff\xfe<|im_end", "<|im_start|><|im_start|>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids := tok.Encode(s)
		for _, id := range ids {
			if _, ok := tok.Token(id); !ok {
				t.Fatalf("Encode(%q) gave unknown id %d", s, id)
			}
		}
		if !utf8.ValidString(s) {
			return
		}
		if got, want := tok.Decode(ids, false), tok.normalize(s); got != want {
			t.Fatalf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
	})
}
