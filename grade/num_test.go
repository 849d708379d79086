package grade

import (
	"math"
	"math/big"
	"math/rand"
	"strings"
	"testing"
)

// TestFormatFloatMatchesBig checks that formatFloat gives the text the
// canonical form always had (big.Float, 12 significant digits).
func TestFormatFloatMatchesBig(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	fs := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e21, 1e-7, 5e-324, math.MaxFloat64, 999999999999.5, 0.30000000000000004}
	for i := 0; i < 20000; i++ {
		fs = append(fs, math.Float64frombits(r.Uint64()), r.NormFloat64()*math.Pow(10, float64(r.Intn(40)-20)))
	}
	for _, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		if got, want := formatFloat(f), big.NewFloat(f).Text('g', 12); got != want {
			t.Fatalf("formatFloat(%v) = %q, want %q", f, got, want)
		}
	}
}

// TestNumStringFraction checks the int64 fast path of num.String against
// big.Rat's own text.
func TestNumStringFraction(t *testing.T) {
	for _, c := range [][2]int64{{1, 2}, {-3, 4}, {math.MaxInt64, 3}, {math.MinInt64 + 1, 10}, {5, math.MaxInt64}} {
		r := new(big.Rat).SetFrac64(c[0], c[1])
		if got, want := (num{r: r}).String(), r.Num().String()+"/"+r.Denom().String(); got != want {
			t.Errorf("%v/%v: got %q, want %q", c[0], c[1], got, want)
		}
	}
	big1 := new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 100), big.NewInt(3))
	if got := (num{r: big1}).String(); got != "1267650600228229401496703205376/3" {
		t.Errorf("big fraction: %q", got)
	}
}

// TestSigFigs checks sigFigs against its definition: the digits of the
// mantissa without its first '.', leading zeros and (without a '.')
// trailing zeros.
func TestSigFigs(t *testing.T) {
	ref := func(m string) int {
		d := strings.TrimLeft(strings.Replace(m, ".", "", 1), "0")
		if !strings.Contains(m, ".") {
			d = strings.TrimRight(d, "0")
		}
		return max(len(d), 1)
	}
	for _, m := range []string{"", "0", "00", "1", "100", "1200", "0.0", "0.00120", "1.0", "10.50", ".5", "5.", "007.0", "0.", ".", "1.2.3", "0.0.1", "000123000"} {
		if got, want := sigFigs(m), ref(m); got != want {
			t.Errorf("sigFigs(%q) = %d, want %d", m, got, want)
		}
	}
}
