package tensor

import "math"

// Exp returns e^x in float32 (Cephes' expf polynomial after reduction by
// ln 2; relative error below 2e-7 over the float32 range). Inputs below
// -87.3 give 0, above 88.7 give +Inf; NaN gives NaN.
func Exp(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
		round = 12582912 // 1.5 * 2^23: adding and subtracting rounds to an integer
	)
	if x > 88.72283 {
		return float32(math.Inf(1))
	}
	if x < -87.33654 {
		return 0
	}
	if x != x {
		return x
	}
	n := (x*log2e + round) - round
	r := x - n*ln2hi - n*ln2lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	// times 2^n; n is in [-126, 128] here, 128 needs two factors
	ni := int32(n)
	if ni > 127 {
		return p * 2 * math.Float32frombits(uint32(ni-1+127)<<23)
	}
	return p * math.Float32frombits(uint32(ni+127)<<23)
}

func expSubGo(y, x []float32, m float32) float32 {
	x = x[:len(y)]
	var s float32
	for i, v := range x {
		e := Exp(v - m)
		y[i] = e
		s += e
	}
	return s
}

func sigmoidGo(y, x []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] = 1 / (1 + Exp(-v))
	}
}
