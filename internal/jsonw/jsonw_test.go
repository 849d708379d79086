package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

var nasty = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\r\b\f",
	"\x00\x01\x1f\x7f", "U+2028 \u2028 U+2029 \u2029", "héllo wörld ½ ∅ 答案", "bad \xff utf8 \xc3",
	"\xed\xa0\x80 surrogate", strings.Repeat("abcdefgh", 9) + "<", `\boxed{\frac{1}{2}}`,
	"12345678\"", "1234567\x80", "emoji 😀 end",
}

func TestAppendStringMatchesMarshal(t *testing.T) {
	for _, s := range nasty {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, json.Marshal %s", s, got, want)
		}
	}
}

func TestAppendFloatMatchesMarshal(t *testing.T) {
	for _, x := range []float64{0, 1, -1, 0.5, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 1.5e300, -2.5e-9, 123456789, 0.1 + 0.2, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Copysign(0, -1)} {
		want, _ := json.Marshal(x)
		if got := AppendFloat(nil, x); !bytes.Equal(got, want) {
			t.Errorf("AppendFloat(%v) = %s, json.Marshal %s", x, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range nasty {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString([]byte("x"), s); !bytes.Equal(got[1:], want) {
			t.Fatalf("AppendString(%q) = %s, json.Marshal %s", s, got[1:], want)
		}
	})
}

func FuzzAppendFloat(f *testing.F) {
	f.Add(1.0)
	f.Add(1e-7)
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		want, _ := json.Marshal(x)
		if got := AppendFloat(nil, x); !bytes.Equal(got, want) {
			t.Fatalf("AppendFloat(%v) = %s, json.Marshal %s", x, got, want)
		}
	})
}
