package grade

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// num is a real number: an exact rational when r != nil, else the float f.
type num struct {
	r *big.Rat
	f float64
}

// maxRatBits bounds the size of exact rationals; beyond it arithmetic
// falls back to float64, which keeps hostile inputs (10^{10^{10}}) cheap.
const maxRatBits = 4096

func exact(r *big.Rat) num {
	if r.Num().BitLen() > maxRatBits || r.Denom().BitLen() > maxRatBits {
		f, _ := r.Float64()
		if math.IsInf(f, 0) || f == 0 {
			// too large or small for float64 (2^{10000}): unknown, not
			// infinite or 0, so it equals nothing (and not \infty)
			f = math.NaN()
		}
		return num{f: f}
	}
	return num{r: r}
}

func fnum(f float64) num { return num{f: f} }

func intNum(i int64) num { return num{r: smallRat(i)} }

// smallRats holds the integers 0..1023 as shared rationals: answers are
// mostly small integers, and a num's rational is never modified once
// made (arithmetic always builds a new one), so they can be shared.
var smallRats = func() (t [1024]*big.Rat) {
	for i := range t {
		t[i] = new(big.Rat).SetInt64(int64(i))
	}
	return t
}()

// smallRat returns i as a rational that must not be modified.
func smallRat(i int64) *big.Rat {
	if i >= 0 && i < int64(len(smallRats)) {
		return smallRats[i]
	}
	return intRat(i)
}

// smallInts holds the canonical texts of 0..1023.
var smallInts = func() (t [1024]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func (a num) isExact() bool { return a.r != nil }

func (a num) float() float64 {
	if a.r != nil {
		// Below 2^53 both parts are exact float64s and IEEE division is
		// correctly rounded (to nearest, ties to even), as Rat.Float64
		// is; this path allocates nothing.
		if n := a.r.Num(); n.IsInt64() {
			if ni := n.Int64(); ni > -1<<53 && ni < 1<<53 {
				if a.r.IsInt() {
					return float64(ni)
				}
				if d := a.r.Denom(); d.IsInt64() && d.Int64() < 1<<53 {
					return float64(ni) / float64(d.Int64())
				}
			}
		}
		f, _ := a.r.Float64()
		return f
	}
	return a.f
}

func (a num) isInt() bool { return a.r != nil && a.r.IsInt() }

func (a num) sign() int {
	if a.r != nil {
		return a.r.Sign()
	}
	switch {
	case a.f > 0:
		return 1
	case a.f < 0:
		return -1
	}
	return 0
}

// parseNumLit turns a lexed number ("1234", "1.5", ".5", "1.2e-3") into an
// exact rational, together with the count of decimals written (-1 when no
// decimal point) and of significant figures.
func parseNumLit(s string) (num, int, int) { return parseNumLitIn(nil, s) }

// parseNumLitIn is parseNumLit with a small result made in sc (nil: the
// heap).
func parseNumLitIn(sc *scratch, s string) (num, int, int) {
	if r, ok := smallDecimalIn(sc, s); ok {
		// no exponent and at most 18 digits: what the general path
		// below computes, without its searches and size checks
		dec := -1
		if i := strings.IndexByte(s, '.'); i >= 0 {
			dec = len(s) - i - 1
		}
		return num{r: r}, dec, sigFigs(s)
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
	}
	dec := -1
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		dec = len(mant) - i - 1
	}
	sig := sigFigs(mant)
	var r *big.Rat
	if k, ok := smallDecimal(mant); ok {
		r = k
	} else {
		var ok bool
		r, ok = new(big.Rat).SetString(mant)
		if !ok {
			return fnum(math.NaN()), dec, sig
		}
	}
	if exp != "" {
		e := 0
		neg := false
		for i := 0; i < len(exp); i++ {
			switch {
			case exp[i] == '-':
				neg = true
			case isDigit(exp[i]):
				if e < 1e6 {
					e = e*10 + int(exp[i]-'0')
				}
			}
		}
		if neg {
			e = -e
		}
		if e > 1000 || e < -1000 {
			f, _ := r.Float64()
			return fnum(f * math.Pow(10, float64(e))), dec, sig
		}
		if x, ok := smallScale10(r, e); ok {
			r = x
		} else {
			p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil)
			if e >= 0 {
				r = new(big.Rat).Mul(r, new(big.Rat).SetInt(p))
			} else {
				r = new(big.Rat).Quo(r, new(big.Rat).SetInt(p))
			}
		}
		// decimals of 1.23e-3 as written are 2+3
		if dec >= 0 {
			dec -= e
		} else {
			dec = -e
		}
	}
	return exact(r), dec, sig
}

// smallDecimal reads "123" or "1.25" (at most 18 digits) without
// big.Rat.SetString. The result must not be modified (see smallRat).
func smallDecimal(m string) (*big.Rat, bool) { return smallDecimalIn(nil, m) }

// smallDecimalIn is smallDecimal with the result made in sc (nil: the
// heap).
func smallDecimalIn(sc *scratch, m string) (*big.Rat, bool) {
	if len(m) == 0 || len(m) > 18 {
		return nil, false
	}
	var v int64
	dot := -1
	for i := 0; i < len(m); i++ {
		c := m[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
		case c == '.' && dot < 0:
			dot = i
		default:
			return nil, false
		}
	}
	if dot < 0 {
		return scratchFrac(sc, v, 1), true
	}
	return ratFracIn(sc, v, pow10[len(m)-dot-1]), true
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// sigFigs counts the significant figures of a decimal mantissa as written.
// It counts m without its first '.' and without leading zeros (and,
// without a '.', trailing zeros), building no string.
func sigFigs(m string) int {
	n := 0
	if dot := strings.IndexByte(m, '.'); dot < 0 {
		n = len(strings.TrimRight(strings.TrimLeft(m, "0"), "0"))
	} else if a, b := m[:dot], m[dot+1:]; len(strings.TrimLeft(a, "0")) > 0 {
		n = len(strings.TrimLeft(a, "0")) + len(b)
	} else {
		n = len(strings.TrimLeft(b, "0"))
	}
	if n == 0 {
		return 1
	}
	return n
}

func (a num) neg() num { return negIn(nil, a) }

// negIn is -a with a small result made in sc (nil: the heap).
func negIn(sc *scratch, a num) num {
	if a.r != nil {
		if n, d, ok := small31(a.r); ok {
			// the same rational as big.Rat.Neg, in fewer allocations
			return num{r: scratchFrac(sc, -n, d)}
		}
		return num{r: new(big.Rat).Neg(a.r)}
	}
	return fnum(-a.f)
}

func add(a, b num) num { return addIn(nil, a, b) }
func sub(a, b num) num { return subIn(nil, a, b) }
func mul(a, b num) num { return mulIn(nil, a, b) }
func quo(a, b num) num { return quoIn(nil, a, b) }

// addIn is a+b with a small rational result made in sc (nil: the heap);
// subIn, mulIn and quoIn likewise.
func addIn(sc *scratch, a, b num) num {
	if a.r != nil && b.r != nil {
		if r, ok := smallArithIn(sc, '+', a.r, b.r); ok {
			return num{r: r}
		}
		return exact(new(big.Rat).Add(a.r, b.r))
	}
	return fnum(a.float() + b.float())
}

func subIn(sc *scratch, a, b num) num {
	if a.r != nil && b.r != nil {
		if r, ok := smallArithIn(sc, '-', a.r, b.r); ok {
			return num{r: r}
		}
		return exact(new(big.Rat).Sub(a.r, b.r))
	}
	return fnum(a.float() - b.float())
}

func mulIn(sc *scratch, a, b num) num {
	if a.r != nil && b.r != nil {
		if r, ok := smallArithIn(sc, '*', a.r, b.r); ok {
			return num{r: r}
		}
		return exact(new(big.Rat).Mul(a.r, b.r))
	}
	return fnum(a.float() * b.float())
}

func quoIn(sc *scratch, a, b num) num {
	if a.r != nil && b.r != nil {
		if b.r.Sign() == 0 {
			return fnum(math.NaN())
		}
		if r, ok := smallArithIn(sc, '/', a.r, b.r); ok {
			return num{r: r}
		}
		return exact(new(big.Rat).Quo(a.r, b.r))
	}
	x, y := a.float(), b.float()
	if q := x / y; q != 0 || x == 0 || math.IsInf(x, 0) || math.IsNaN(y) {
		return fnum(q)
	}
	// a nonzero quotient that float64 cannot hold (1/2004!, whose
	// divisor overflowed): unknown, not 0, so it equals nothing
	return fnum(math.NaN())
}

// pow raises a to b exactly when b is a small integer and the result stays
// small, and in float64 otherwise (also for roots of perfect powers).
func pow(a, b num) num {
	if a.r != nil && b.r != nil && b.r.IsInt() && b.r.Num().IsInt64() {
		e := b.r.Num().Int64()
		bits := int64(a.r.Num().BitLen() + a.r.Denom().BitLen())
		if e == 0 {
			return intNum(1)
		}
		ae := e
		if ae < 0 {
			ae = -ae
		}
		if a.r.Sign() == 0 && e < 0 {
			return fnum(math.NaN())
		}
		if ae <= 1<<16 && bits*ae <= 2*maxRatBits {
			if r, ok := smallPow(a.r, e); ok {
				return num{r: r}
			}
			n := new(big.Int).Exp(a.r.Num(), big.NewInt(ae), nil)
			d := new(big.Int).Exp(a.r.Denom(), big.NewInt(ae), nil)
			r := new(big.Rat).SetFrac(n, d)
			if e < 0 {
				r.Inv(r)
			}
			return exact(r)
		}
	}
	// exact rational roots: 8^{1/3}, (4/9)^{1/2}
	if a.r != nil && b.r != nil && a.r.Sign() > 0 && !b.r.IsInt() && b.r.Num().IsInt64() && b.r.Denom().IsInt64() {
		p, q := b.r.Num().Int64(), b.r.Denom().Int64()
		if q <= 16 && p >= -64 && p <= 64 {
			if rn, ok := intRoot(a.r.Num(), q); ok {
				if rd, ok := intRoot(a.r.Denom(), q); ok {
					return pow(exact(new(big.Rat).SetFrac(rn, rd)), intNum(p))
				}
			}
		}
	}
	x, y := a.float(), b.float()
	if x < 0 && b.r != nil && !b.r.IsInt() && b.r.Denom().IsInt64() && b.r.Denom().Int64()%2 == 1 {
		// odd roots of negatives: (-8)^{1/3} = -2
		r := math.Pow(-x, y)
		if b.r.Num().Bit(0) == 1 {
			r = -r
		}
		return fnum(r)
	}
	r := math.Pow(x, y)
	if (r == 0 || math.IsInf(r, 0)) && x != 0 && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		// underflow (2^{-5000}) or overflow (10^{10^{10}}): unknown,
		// not 0 or \infty
		return fnum(math.NaN())
	}
	return fnum(r)
}

// intRoot returns the exact q-th root of n when there is one.
func intRoot(n *big.Int, q int64) (*big.Int, bool) {
	if n.Sign() < 0 || n.BitLen() > 2048 {
		return nil, false
	}
	if q == 1 {
		return n, true
	}
	if n.IsInt64() && n.Int64() < 1<<53 {
		return smallIntRoot(n.Int64(), q)
	}
	return bigIntRoot(n, q)
}

// bigIntRoot is intRoot for any n: the float root rounded, checked
// exactly with its neighbours (smallIntRoot is its int64 path).
func bigIntRoot(n *big.Int, q int64) (*big.Int, bool) {
	f, _ := new(big.Float).SetInt(n).Float64()
	g := math.Round(math.Pow(f, 1/float64(q)))
	if math.IsInf(g, 0) || g > 1e15 {
		return nil, false
	}
	for d := -1.0; d <= 1; d++ {
		c := big.NewInt(int64(g + d))
		if c.Sign() < 0 {
			continue
		}
		if new(big.Int).Exp(c, big.NewInt(q), nil).Cmp(n) == 0 {
			return c, true
		}
	}
	return nil, false
}

// factorial of a small non-negative integer; float Gamma otherwise.
func factorial(a num) num {
	if a.isInt() && a.r.Sign() >= 0 && a.r.Num().IsInt64() && a.r.Num().Int64() <= 300 {
		n := a.r.Num().Int64()
		return exact(new(big.Rat).SetInt(new(big.Int).MulRange(1, n)))
	}
	return fnum(math.Gamma(a.float() + 1))
}

// binom of small integers exactly.
func binom(n, k num) num {
	if n.isInt() && k.isInt() && n.r.Num().IsInt64() && k.r.Num().IsInt64() {
		nn, kk := n.r.Num().Int64(), k.r.Num().Int64()
		if nn >= 0 && nn <= 100000 && kk >= 0 && kk <= nn && (kk <= 2000 || nn-kk <= 2000) {
			return exact(new(big.Rat).SetInt(new(big.Int).Binomial(nn, kk)))
		}
		if kk < 0 || kk > nn && nn >= 0 {
			return intNum(0)
		}
	}
	x, y := n.float(), k.float()
	lg := func(v float64) float64 { r, _ := math.Lgamma(v + 1); return r }
	return fnum(math.Round(math.Exp(lg(x) - lg(y) - lg(x-y))))
}

// String renders a num canonically: integers and fractions exactly, floats
// with up to 12 significant digits.
func (a num) String() string {
	if a.r != nil {
		if a.r.IsInt() {
			if x := a.r.Num(); x.IsInt64() {
				if i := x.Int64(); i >= 0 && i < int64(len(smallInts)) {
					return smallInts[i]
				}
				return strconv.FormatInt(x.Int64(), 10)
			}
			return a.r.Num().String()
		}
		if n, d := a.r.Num(), a.r.Denom(); n.IsInt64() && d.IsInt64() {
			// one allocation instead of three (big.Int.String twice, +)
			var buf [41]byte
			b := strconv.AppendInt(buf[:0], n.Int64(), 10)
			b = append(b, '/')
			return string(strconv.AppendInt(b, d.Int64(), 10))
		}
		return a.r.Num().String() + "/" + a.r.Denom().String()
	}
	switch {
	case math.IsInf(a.f, 1):
		return "inf"
	case math.IsInf(a.f, -1):
		return "-inf"
	case math.IsNaN(a.f):
		return "nan"
	}
	return formatFloat(a.f)
}

func formatFloat(f float64) string {
	// the same text as big.NewFloat(f).Text('g', 12) (both round the
	// exact binary value correctly; TestFormatFloatMatchesBig), without
	// a big.Float
	return strconv.FormatFloat(f, 'g', 12, 64)
}

// mixedNumber reads a whole answer "a b/c" with a proper fraction b/c as
// the mixed number a + b/c ("1 1/2" is 3/2, "-2 3/4" is -11/4).
func mixedNumber(s string) (Value, bool) {
	neg := strings.HasPrefix(s, "-")
	t := strings.TrimPrefix(s, "-")
	sp := strings.IndexByte(t, ' ')
	if sp <= 0 || sp > 9 {
		return nil, false
	}
	whole, frac := t[:sp], t[sp+1:]
	sl := strings.IndexByte(frac, '/')
	if sl <= 0 || sl > 9 || len(frac)-sl-1 > 9 || sl == len(frac)-1 {
		return nil, false
	}
	var part [3]int64
	for k, d := range []string{whole, frac[:sl], frac[sl+1:]} {
		for j := 0; j < len(d); j++ {
			if !isDigit(d[j]) {
				return nil, false
			}
			part[k] = part[k]*10 + int64(d[j]-'0')
		}
	}
	if part[2] == 0 || part[1] >= part[2] {
		return nil, false
	}
	r := new(big.Rat).SetFrac64(part[0]*part[2]+part[1], part[2])
	if neg {
		r.Neg(r)
	}
	return &numberV{n: exact(r), dec: -1}, true
}

// repeatingDecimal reads a whole answer "0.1\overline{6}" (a repeating
// decimal) exactly: 1/6.
func repeatingDecimal(s string) (Value, bool) {
	i := strings.Index(s, "\\overline{")
	if i < 0 || !strings.HasSuffix(s, "}") {
		return nil, false
	}
	head, rep := s[:i], s[i+len("\\overline{"):len(s)-1]
	neg := strings.HasPrefix(head, "-")
	head = strings.TrimPrefix(head, "-")
	dot := strings.IndexByte(head, '.')
	if dot < 0 || len(rep) == 0 || len(rep) > 18 || len(head) > 19 {
		return nil, false
	}
	whole, fixed := head[:dot], head[dot+1:]
	for _, d := range []string{whole, fixed, rep} {
		for j := 0; j < len(d); j++ {
			if !isDigit(d[j]) {
				return nil, false
			}
		}
	}
	// value = whole.fixed + rep / ((10^len(rep) - 1) · 10^len(fixed))
	a, ok := new(big.Rat).SetString("0" + whole + "." + fixed + "0")
	if !ok {
		return nil, false
	}
	r, _ := new(big.Int).SetString(rep, 10)
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(rep))), nil)
	den.Sub(den, big.NewInt(1))
	den.Mul(den, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(fixed))), nil))
	a.Add(a, new(big.Rat).SetFrac(r, den))
	if neg {
		a.Neg(a)
	}
	return &numberV{n: exact(a), dec: -1}, true
}
