package safetensors

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	in := []Named{{"a", []int{2, 3}, []float32{1, 2, 3, 4, 5, -6.5}}, {"b.bias", []int{1}, []float32{float32(math.Inf(-1))}}}
	if err := WriteFile(path, in, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["format"] != "pt" || f.Metadata["k"] != "v" {
		t.Fatalf("metadata %v", f.Metadata)
	}
	for _, n := range in {
		tt, ok := f.Tensors[n.Name]
		if !ok {
			t.Fatalf("missing %s", n.Name)
		}
		got := make([]float32, len(n.Data))
		if err := tt.Float32s(got); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != n.Data[i] {
				t.Fatalf("%s[%d] = %v, want %v", n.Name, i, got[i], n.Data[i])
			}
		}
	}
	// the data section starts 8-byte aligned
	raw, _ := os.ReadFile(path)
	if binary.LittleEndian.Uint64(raw)%8 != 0 {
		t.Fatal("header not padded to 8 bytes")
	}
}

func TestHalf(t *testing.T) {
	cases := map[uint16]float32{0x3c00: 1, 0xc000: -2, 0x0001: 5.960464477539063e-08, 0x7bff: 65504, 0x3555: 0.333251953125, 0x8000: float32(math.Copysign(0, -1))}
	for h, want := range cases {
		if got := HalfToFloat32(h); got != want || math.Signbit(float64(got)) != math.Signbit(float64(want)) {
			t.Errorf("HalfToFloat32(%#x) = %v, want %v", h, got, want)
		}
	}
	if !math.IsInf(float64(HalfToFloat32(0x7c00)), 1) || !math.IsNaN(float64(HalfToFloat32(0x7e00))) {
		t.Error("inf/nan")
	}
}

func header(h string, data int) []byte {
	b := make([]byte, 8+len(h)+data)
	binary.LittleEndian.PutUint64(b, uint64(len(h)))
	copy(b[8:], h)
	return b
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		buf  []byte
		want string
	}{
		{[]byte{1, 2}, "too short"},
		{header("", 0)[:8], "bad header"},
		{func() []byte { b := header("{}", 0); binary.LittleEndian.PutUint64(b, 1<<40); return b }(), "exceeds file size"},
		{header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 4), "outside"},
		{header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 8), "want 12"},
		{header(`{"a":{"dtype":"Q9","shape":[2],"data_offsets":[0,8]}}`, 8), "unknown dtype"},
		{header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), "overlap"},
		{header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}`, 8), "bad shape"},
		{header(`{"a":`, 8), "bad header"},
	}
	for _, c := range cases {
		_, err := Parse(c.buf)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) error %v, want %q", c.buf, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(header(`{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}`, 4))
	f.Add(header(`{"__metadata__":{"format":"pt"}}`, 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b)
		if err != nil {
			return
		}
		for _, tt := range file.Tensors {
			n := 1
			for _, d := range tt.Shape {
				n *= d
			}
			if n < 1<<20 {
				_ = tt.Float32s(make([]float32, n))
			}
		}
	})
}
