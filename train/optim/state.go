package optim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// adamwHeader is the size of the state's fixed part: Step, Beta1, Beta2,
// Eps, WeightDecay and the parameter count, 8 bytes each.
const adamwHeader = 48

// MarshalBinary encodes the optimiser's state for a checkpoint, little
// endian: Step (uint64), Beta1, Beta2, Eps, WeightDecay (float64 bits),
// the parameter count n (uint64), then M and V (n float32 bits each).
// Decay is not saved: it comes from the model's layout. This is the
// checkpoint format poly has always written (optimizer state of
// train/ckpt); it must not change, or old checkpoints stop resuming.
func (o *AdamW) MarshalBinary() ([]byte, error) {
	if len(o.V) != len(o.M) {
		return nil, fmt.Errorf("adamw state: %d first and %d second moments", len(o.M), len(o.V))
	}
	buf := make([]byte, 0, adamwHeader+8*len(o.M))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(o.Step))
	for _, f := range []float64{o.Beta1, o.Beta2, o.Eps, o.WeightDecay} {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(f))
	}
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(o.M)))
	for _, s := range [][]float32{o.M, o.V} {
		for _, x := range s {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
	}
	return buf, nil
}

// UnmarshalBinary restores a state written by MarshalBinary into o, which
// must already be sized for the same number of parameters (NewAdamW(n));
// Decay is left as it is. On error o is unchanged.
func (o *AdamW) UnmarshalBinary(b []byte) error {
	if len(b) < adamwHeader {
		return fmt.Errorf("adamw state: truncated (%d bytes, want at least %d)", len(b), adamwHeader)
	}
	u := func() uint64 { x := binary.LittleEndian.Uint64(b); b = b[8:]; return x }
	step := u()
	var hp [4]float64
	for i := range hp {
		hp[i] = math.Float64frombits(u())
	}
	n := u()
	if n != uint64(len(o.M)) || len(o.V) != len(o.M) {
		return fmt.Errorf("adamw state: %d parameters, the model has %d", n, len(o.M))
	}
	if uint64(len(b)) != 8*n {
		return fmt.Errorf("adamw state: %d bytes of moments, want %d (truncated or corrupt)", len(b), 8*n)
	}
	if step > math.MaxInt32 {
		return errors.New("adamw state: corrupt step count")
	}
	o.Step = int(step)
	o.Beta1, o.Beta2, o.Eps, o.WeightDecay = hp[0], hp[1], hp[2], hp[3]
	for _, s := range [][]float32{o.M, o.V} {
		for i := range s {
			s[i] = math.Float32frombits(binary.LittleEndian.Uint32(b))
			b = b[4:]
		}
	}
	return nil
}
