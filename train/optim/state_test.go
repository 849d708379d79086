package optim

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestAdamWStateRoundTrip: a restored optimiser continues bit for bit like
// the original.
func TestAdamWStateRoundTrip(t *testing.T) {
	const n = 37
	o := NewAdamW(n)
	o.WeightDecay = 0.1
	o.Decay = [][2]int{{0, 20}, {30, 37}}
	p := make([]float32, n)
	g := make([]float32, n)
	for i := range p {
		p[i] = float32(i%5) - 2
		g[i] = float32(i%7)*0.01 - 0.03
	}
	for s := 0; s < 3; s++ {
		if err := o.Update(p, g, 0.01); err != nil {
			t.Fatal(err)
		}
	}
	b, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	o2 := NewAdamW(n)
	o2.Decay = o.Decay
	if err := o2.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if o2.Step != 3 || o2.WeightDecay != 0.1 || o2.Beta1 != o.Beta1 || o2.Beta2 != o.Beta2 || o2.Eps != o.Eps {
		t.Fatalf("restored hyper-parameters %+v", o2)
	}
	p1, p2 := append([]float32(nil), p...), append([]float32(nil), p...)
	for s := 0; s < 2; s++ {
		if err := o.Update(p1, g, 0.01); err != nil {
			t.Fatal(err)
		}
		if err := o2.Update(p2, g, 0.01); err != nil {
			t.Fatal(err)
		}
	}
	for i := range p1 {
		if p1[i] != p2[i] {
			t.Fatalf("restored optimiser diverges at %d: %v vs %v", i, p1[i], p2[i])
		}
	}
}

// TestAdamWStateFormat pins the checkpoint byte format (old checkpoints
// must keep resuming): built here field by field from its description.
func TestAdamWStateFormat(t *testing.T) {
	o := NewAdamW(2)
	o.Step, o.Beta1, o.Beta2, o.Eps, o.WeightDecay = 7, 0.9, 0.95, 1e-6, 0.02
	o.M = []float32{1.5, -2}
	o.V = []float32{0.25, 3}
	var want bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&want, le, uint64(7))
	binary.Write(&want, le, []float64{0.9, 0.95, 1e-6, 0.02})
	binary.Write(&want, le, uint64(2))
	binary.Write(&want, le, []float32{1.5, -2, 0.25, 3})
	got, err := o.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("state bytes\n got %x\nwant %x", got, want.Bytes())
	}
	// the first bytes, literally: step 7, then beta1 = 0.9
	if !bytes.HasPrefix(got, []byte{7, 0, 0, 0, 0, 0, 0, 0, 0xcd, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xec, 0x3f}) || len(got) != 48+16 {
		t.Fatalf("state header %x (%d bytes)", got[:16], len(got))
	}
}

// TestAdamWStateBad: truncated, overlong and wrong-size states are refused
// with an error and leave the optimiser unchanged.
func TestAdamWStateBad(t *testing.T) {
	src := NewAdamW(3)
	src.Step = 4
	for i := range src.M {
		src.M[i], src.V[i] = float32(i+1), float32(i+2)
	}
	b, err := src.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		n    int
		want string
	}{
		{"empty", nil, 3, "truncated"},
		{"header cut", b[:47], 3, "truncated"},
		{"moments cut", b[:len(b)-1], 3, "truncated"},
		{"moments missing", b[:48], 3, "truncated"},
		{"trailing bytes", append(append([]byte(nil), b...), 0), 3, "truncated or corrupt"},
		{"other model", b, 4, "the model has 4"},
	}
	for _, tt := range tests {
		o := NewAdamW(tt.n)
		before := *o
		err := o.UnmarshalBinary(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if o.Step != before.Step || o.Beta1 != before.Beta1 || o.M[0] != 0 || o.V[0] != 0 {
			t.Errorf("%s: optimiser changed by a refused state: %+v", tt.name, o)
		}
	}
	// every strict prefix is refused
	for k := 0; k < len(b); k++ {
		if err := NewAdamW(3).UnmarshalBinary(b[:k]); err == nil {
			t.Fatalf("prefix of %d of %d bytes accepted", k, len(b))
		}
	}
	if _, err := (&AdamW{M: make([]float32, 2), V: make([]float32, 1)}).MarshalBinary(); err == nil {
		t.Error("unequal moments marshalled")
	}
}
