package tokenizer

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// tinyJSON builds a small byte-level BPE tokenizer.json: the 256 byte
// runes, merges for "he", "ll", "hell", "hello", " w", and the given added
// tokens; newMerges selects the [a,b] merge format.
func tinyJSON(newMerges bool, added string) string {
	vocab := map[string]int{}
	for b := 0; b < 256; b++ {
		vocab[string(byteToRune[b])] = b
	}
	merges := [][2]string{{"h", "e"}, {"l", "l"}, {"he", "ll"}, {"hell", "o"}, {"Ġ", "w"}, {"Ġw", "o"}}
	for _, m := range merges {
		vocab[m[0]+m[1]] = len(vocab)
	}
	var ms []any
	for _, m := range merges {
		if newMerges {
			ms = append(ms, []string{m[0], m[1]})
		} else {
			ms = append(ms, m[0]+" "+m[1])
		}
	}
	v, _ := json.Marshal(vocab)
	mj, _ := json.Marshal(ms)
	if added == "" {
		added = "[]"
	}
	return fmt.Sprintf(`{"version":"1.0","added_tokens":%s,"normalizer":{"type":"NFC"},
"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":%q},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":false,"use_regex":false}]},
"post_processor":null,"decoder":{"type":"ByteLevel"},
"model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":"","end_of_word_suffix":"","fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":%s,"merges":%s}}`,
		added, qwenPattern, v, mj)
}

func mustParse(t testing.TB, js string) *Tokenizer {
	t.Helper()
	tok, err := Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestMergeFormats(t *testing.T) {
	for _, newFmt := range []bool{false, true} {
		tok := mustParse(t, tinyJSON(newFmt, ""))
		hello, _ := tok.TokenID("hello")
		wo, _ := tok.TokenID("Ġwo")
		got := tok.Encode("hello world")
		want := []int{hello, wo, 'r', 'l', 'd'}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("newMerges=%v: Encode = %v, want %v", newFmt, got, want)
		}
		if s := tok.Decode(got, false); s != "hello world" {
			t.Errorf("Decode = %q", s)
		}
	}
}

func TestMergePriority(t *testing.T) {
	tok := mustParse(t, tinyJSON(false, ""))
	// "hhell": "he" (rank 0) then "ll" (rank 1) then "hell"; the first h
	// stays alone.
	hell, _ := tok.TokenID("hell")
	if got, want := tok.Encode("hhell"), []int{'h', hell}; !reflect.DeepEqual(got, want) {
		t.Errorf("Encode(hhell) = %v, want %v", got, want)
	}
	// "lll": leftmost "ll" merges first.
	ll, _ := tok.TokenID("ll")
	if got, want := tok.Encode("lll"), []int{ll, 'l'}; !reflect.DeepEqual(got, want) {
		t.Errorf("Encode(lll) = %v, want %v", got, want)
	}
}

func TestAddedTokens(t *testing.T) {
	added := `[{"id":300,"content":"<|im_end|>","special":true,"normalized":false},
{"id":301,"content":"<|im_start|>","special":true,"normalized":false},
{"id":302,"content":"<X>","special":false,"normalized":false,"lstrip":true,"rstrip":true},
{"id":303,"content":"<|im","special":false,"normalized":false}]`
	tok := mustParse(t, tinyJSON(true, added))
	hello, _ := tok.TokenID("hello")
	tests := []struct {
		in   string
		want []int
	}{
		{"<|im_start|>hello<|im_end|>", []int{301, hello, 300}},
		{"<|imhello", []int{303, hello}},                // a shorter token when the longest does not match
		{"hello  <X>  hello", []int{hello, 302, hello}}, // lstrip and rstrip eat the spaces
		{"<|im_end", []int{303, '_', 'e', 'n', 'd'}},
	}
	for _, tt := range tests {
		if got := tok.Encode(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Encode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := tok.EncodeOrdinary("<|im_end|>"); len(got) < 5 {
		t.Errorf("EncodeOrdinary split out the special token: %v", got)
	}
	if got := tok.Decode([]int{301, hello, 300}, true); got != "hello" {
		t.Errorf("Decode(skipSpecial) = %q", got)
	}
	if got := tok.Decode([]int{301, hello, 300}, false); got != "<|im_start|>hello<|im_end|>" {
		t.Errorf("Decode = %q", got)
	}
	if got := tok.StopIDs(); !reflect.DeepEqual(got, []int{300}) {
		t.Errorf("StopIDs = %v", got)
	}
}

func TestDecodeInvalidUTF8(t *testing.T) {
	tok := mustParse(t, tinyJSON(false, ""))
	tests := []struct {
		bytes []int
		want  string
	}{
		{[]int{0xE2, 0x82, 0xAC}, "€"},
		{[]int{0xE2, 0x82}, "\uFFFD"},                   // truncated: one replacement (maximal subpart)
		{[]int{0xE2, 0x82, 'a'}, "\uFFFDa"},             // likewise before ASCII
		{[]int{0xFF, 0xFE}, "\uFFFD\uFFFD"},             // each invalid byte
		{[]int{0xED, 0xA0, 0x80}, "\uFFFD\uFFFD\uFFFD"}, // surrogate: three
		{[]int{0xF0, 0x9F, 0x98}, "\uFFFD"},
	}
	for _, tt := range tests {
		if got := tok.Decode(tt.bytes, false); got != tt.want {
			t.Errorf("Decode(% x) = %q, want %q", tt.bytes, got, tt.want)
		}
	}
}

func TestStreamDecoder(t *testing.T) {
	tok := mustParse(t, tinyJSON(false, ""))
	ids := tok.Encode("a€😀b")
	d := tok.NewStreamDecoder(false)
	var parts []string
	for _, id := range ids {
		parts = append(parts, d.Add(id))
	}
	parts = append(parts, d.Flush())
	if got := strings.Join(parts, ""); got != "a€😀b" {
		t.Fatalf("stream = %q", got)
	}
	// each character comes out whole, once its last byte arrives
	want := []string{"a", "", "", "€", "", "", "", "😀", "b", ""}
	if !reflect.DeepEqual(parts, want) {
		t.Errorf("parts = %q, want %q", parts, want)
	}
}

func TestRoundTripRandom(t *testing.T) {
	tok := mustParse(t, tinyJSON(true, ""))
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 2000; i++ {
		s := genText(r, 10)
		// The NFC normalizer changes decomposed input; compare with it.
		want := tok.normalize(s)
		if got := tok.Decode(tok.EncodeOrdinary(s), false); got != want {
			t.Fatalf("round trip of %q = %q", s, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{`, "parse tokenizer.json"},
		{`{"model":{"type":"WordPiece","vocab":{}}}`, `unsupported model type "WordPiece"`},
		{`{"model":{"type":"BPE","vocab":{"a":0},"merges":["a b"]}}`, "not in the vocab"},
		{`{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"Metaspace"}}`, `unsupported pre_tokenizer "Metaspace"`},
		{`{"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}`, "without ByteLevel"},
		{`{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"normalizer":{"type":"Precompiled"}}`, `unsupported normalizer "Precompiled"`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s) error = %v, want %q", tt.json, err, tt.want)
		}
	}
}

func TestChatTemplateParse(t *testing.T) {
	qwen25 := `{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}{%- else %}{{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}{%- endif %}`
	c := ParseChatTemplate(qwen25)
	if c.DefaultSystem != "You are Qwen, created by Alibaba Cloud. You are a helpful assistant." {
		t.Errorf("DefaultSystem = %q", c.DefaultSystem)
	}
	got, err := c.Render([]Message{{Role: "user", Content: "hi"}}, true)
	want := "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
	if err != nil || got != want {
		t.Errorf("Render = %q, %v", got, err)
	}
	if _, err := ParseChatTemplate("{{ bos_token }}[INST]").Render(nil, true); err == nil {
		t.Error("a non-ChatML template rendered")
	}
}

func BenchmarkEncode(b *testing.B) {
	tok := loadQwen(b)
	r := rand.New(rand.NewPCG(9, 9))
	var texts []string
	for i := 0; i < 500; i++ {
		texts = append(texts, genText(r, 40))
	}
	n := 0
	for _, s := range texts {
		n += len(tok.Encode(s))
	}
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				tok.Encode(s)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			for _, s := range texts {
				clear(tok.cache)
				tok.Encode(s)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
}

func TestChatTemplateMathSystem(t *testing.T) {
	// Qwen2.5-Math's default system prompt holds braces and an escaped
	// backslash.
	src := `{%- else %}{{- '<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n' }}{%- endif %}`
	c := ParseChatTemplate(src)
	if want := `Please reason step by step, and put your final answer within \boxed{}.`; c.DefaultSystem != want {
		t.Errorf("DefaultSystem = %q, want %q", c.DefaultSystem, want)
	}
}
