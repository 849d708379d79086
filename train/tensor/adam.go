package tensor

import "math"

func adamGo(p, g, m, v []float32, decay, b1, b2, step, rbc2, eps float32) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		gi := g[i]
		m[i] = b1*m[i] + (1-b1)*gi
		v[i] = b2*v[i] + (1-b2)*gi*gi
		p[i] = p[i]*decay - step*m[i]/(float32(math.Sqrt(float64(v[i])))*rbc2+eps)
	}
}
