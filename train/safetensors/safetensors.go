// Package safetensors reads and writes the safetensors format
// (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
// length, a JSON header mapping tensor names to dtype, shape and byte
// offsets, then the raw little-endian data. Reading converts F32, F16 and
// BF16 tensors to float32; writing produces F32 tensors with the
// "format": "pt" metadata that HF transformers expects. Files are written
// atomically (temporary file, fsync, rename).
package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// Tensor is one named tensor as stored in a file.
type Tensor struct {
	DType string // "F32", "F16", "BF16", ...
	Shape []int
	Data  []byte // raw little-endian bytes
}

// File is a parsed safetensors file.
type File struct {
	Tensors  map[string]Tensor
	Metadata map[string]string
}

type headerEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// maxHeader bounds the JSON header (the format's reference reader uses 100 MB).
const maxHeader = 100 << 20

// DTypeSize returns the bytes per element of a dtype, or 0 if unknown.
func DTypeSize(dt string) int {
	switch dt {
	case "F64", "I64", "U64":
		return 8
	case "F32", "I32", "U32":
		return 4
	case "F16", "BF16", "I16", "U16":
		return 2
	case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2":
		return 1
	}
	return 0
}

// ReadFile reads and validates a safetensors file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse parses a safetensors file held in memory; tensor data aliases buf.
func Parse(buf []byte) (*File, error) {
	if len(buf) < 8 {
		return nil, fmt.Errorf("safetensors: file too short (%d bytes)", len(buf))
	}
	n := binary.LittleEndian.Uint64(buf)
	if n > maxHeader || n > uint64(len(buf)-8) {
		return nil, fmt.Errorf("safetensors: header length %d exceeds file size %d", n, len(buf))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(buf[8:8+n], &raw); err != nil {
		return nil, fmt.Errorf("safetensors: bad header: %w", err)
	}
	data := buf[8+n:]
	f := &File{Tensors: map[string]Tensor{}}
	type span struct {
		lo, hi int64
		name   string
	}
	var spans []span
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return nil, fmt.Errorf("safetensors: bad __metadata__: %w", err)
			}
			continue
		}
		var e headerEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("safetensors: tensor %q: %w", name, err)
		}
		size := DTypeSize(e.DType)
		if size == 0 {
			return nil, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", name, e.DType)
		}
		count := int64(1)
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && count > math.MaxInt64/int64(d)/8) {
				return nil, fmt.Errorf("safetensors: tensor %q: bad shape %v", name, e.Shape)
			}
			count *= int64(d)
		}
		lo, hi := e.Offsets[0], e.Offsets[1]
		if lo < 0 || hi < lo || hi > int64(len(data)) {
			return nil, fmt.Errorf("safetensors: tensor %q: offsets [%d, %d) outside the %d data bytes", name, lo, hi, len(data))
		}
		if hi-lo != count*int64(size) {
			return nil, fmt.Errorf("safetensors: tensor %q: %d bytes for shape %v of %s (want %d)", name, hi-lo, e.Shape, e.DType, count*int64(size))
		}
		spans = append(spans, span{lo, hi, name})
		f.Tensors[name] = Tensor{DType: e.DType, Shape: e.Shape, Data: data[lo:hi:hi]}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	for i := 1; i < len(spans); i++ {
		if spans[i].lo < spans[i-1].hi {
			return nil, fmt.Errorf("safetensors: tensors %q and %q overlap", spans[i-1].name, spans[i].name)
		}
	}
	return f, nil
}

// Float32s converts a tensor's data to float32 (from F32, F16, BF16 or F64).
func (t Tensor) Float32s(dst []float32) error {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	if len(dst) != n {
		return fmt.Errorf("safetensors: destination holds %d values, tensor %v has %d", len(dst), t.Shape, n)
	}
	b := t.Data
	switch t.DType {
	case "F32":
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case "BF16":
		for i := range dst {
			dst[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
		}
	case "F16":
		for i := range dst {
			dst[i] = HalfToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case "F64":
		for i := range dst {
			dst[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	default:
		return fmt.Errorf("safetensors: cannot convert dtype %s to float32", t.DType)
	}
	return nil
}

// HalfToFloat32 converts an IEEE 754 binary16 value to float32 exactly.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		// subnormal: value = mant * 2^-24
		v := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// Named is a float32 tensor to write.
type Named struct {
	Name  string
	Shape []int
	Data  []float32
}

// WriteFile writes tensors as F32 to path atomically (a temporary file in
// the same directory, fsync, rename). metadata may be nil; "format": "pt"
// is added when absent.
func WriteFile(path string, tensors []Named, metadata map[string]string) error {
	header := map[string]any{}
	md := map[string]string{"format": "pt"}
	for k, v := range metadata {
		md[k] = v
	}
	header["__metadata__"] = md
	var off int64
	for _, t := range tensors {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v needs %d values, have %d", t.Name, t.Shape, n, len(t.Data))
		}
		if _, dup := header[t.Name]; dup {
			return fmt.Errorf("safetensors: duplicate tensor %q", t.Name)
		}
		header[t.Name] = headerEntry{DType: "F32", Shape: append([]int{}, t.Shape...), Offsets: [2]int64{off, off + 4*int64(n)}}
		off += 4 * int64(n)
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(hj)%8 != 0 { // align the data section to 8 bytes, as the reference writer does
		hj = append(hj, ' ')
	}
	return WriteAtomic(path, func(w *os.File) error {
		var lenbuf [8]byte
		binary.LittleEndian.PutUint64(lenbuf[:], uint64(len(hj)))
		if _, err := w.Write(lenbuf[:]); err != nil {
			return err
		}
		if _, err := w.Write(hj); err != nil {
			return err
		}
		buf := make([]byte, 1<<16)
		for _, t := range tensors {
			d := t.Data
			for len(d) > 0 {
				c := min(len(d), len(buf)/4)
				for i, v := range d[:c] {
					binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
				}
				if _, err := w.Write(buf[:4*c]); err != nil {
					return err
				}
				d = d[c:]
			}
		}
		return nil
	})
}

// WriteAtomic creates path by writing a temporary file in the same
// directory with write, syncing it and renaming it over path.
func WriteAtomic(path string, write func(*os.File) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
