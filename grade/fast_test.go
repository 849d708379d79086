package grade

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fastShapes are answers in and just outside the shapes the fast paths
// read (and the full path reads differently: thousands, exponents,
// spaces, signs, brackets).
var fastShapes = []string{
	"42", "-7", "0.25", "1000", "007", "3.10", "1234567890123", "-0",
	"\\frac{1}{2}", "-\\frac{3}{4}", "\\dfrac{10}{4}", "\\tfrac{2}{6}", "\\cfrac{1}{3}", "\\frac{1.5}{2}", "\\frac{0}{5}",
	"\\frac{1}{0}", "\\frac{2}{1}", "\\frac{-1}{2}", "\\frac 1 2", "\\frac12", "\\frac{1}{2}x", "\\frac{1}{2}\\%",
	"1/2", "-1/2", "10/4", "3/0", "1/2/3", "1/2.5", "1/s", "5 1/s", "0.5/2",
	"28\\%", "28%", "12.5\\%", "-28\\%", "100%", "0\\%",
	"1, 2, 3", "1,2,3", "-1, 2", "1, -2, 3", "1,234", "1,234, 5", "1, 234", "12,345,678", "1 , 2", "1,2", "0.5, 1.5",
	"(1, 2)", "(1,2,3)", "(-1, 2)", "[1, 2]", "[0, 1)", "(0, 1]", "[1, 2, 3)", "[1, 2, 3]", "(1)", "(1, 2", "(1,234)",
	"\\{1, 2, 3\\}", "\\{1\\}", "\\{\\}", "\\{-1, 2\\}", "\\{1,234\\}", "\\{1, 2\\} ", "{1, 2}",
	"1e3", "1.2e-3", "2x", "1.", ".5", "1 000", "1.5.2", "1, 2, 3, ...", "(1, 2), (3, 4)", "\\left(1, 2\\right)",
}

// readFuzzSeeds returns the strings of the fuzz corpus under testdata/fuzz.
func readFuzzSeeds(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/fuzz/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "string(") && strings.HasSuffix(line, ")") {
				s, err := strconv.Unquote(line[len("string(") : len(line)-1])
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// withoutFastPaths runs f with the fast paths off.
func withoutFastPaths(f func()) {
	fastPathsOff = true
	defer func() { fastPathsOff = false }()
	f()
}

// TestFastPathsMatchFullPath grades every case of testdata/cases.jsonl,
// every fuzz seed and the shapes above (each against each) with the fast
// paths and without, caches off, and requires identical Results and
// parsed values.
func TestFastPathsMatchFullPath(t *testing.T) {
	var pairs [][2]string
	for _, c := range loadCases(t) {
		pairs = append(pairs, [2]string{c.Gold, c.Pred}, [2]string{c.Pred, c.Gold})
	}
	seeds := append(append([]string{}, fuzzSeeds...), readFuzzSeeds(t)...)
	seeds = append(seeds, fastShapes...)
	for _, g := range seeds {
		for _, p := range seeds {
			pairs = append(pairs, [2]string{g, p})
		}
		pairs = append(pairs, [2]string{g, "The answer is $" + g + "$."}, [2]string{g, "\\boxed{" + g + "}"})
	}
	opts := []Options{{NoCache: true}, {NoCache: true, Partial: true, Strict: true}}
	fast := make([]Result, 0, len(pairs)*len(opts))
	for _, o := range opts {
		for _, p := range pairs {
			fast = append(fast, CheckStrings(p[0], p[1], o))
		}
	}
	var full []Result
	withoutFastPaths(func() {
		for _, o := range opts {
			for _, p := range pairs {
				full = append(full, CheckStrings(p[0], p[1], o))
			}
		}
	})
	bad := 0
	for i := range fast {
		if fast[i] != full[i] {
			p := pairs[i%len(pairs)]
			t.Errorf("gold %q pred %q:\n fast %+v\n full %+v", p[0], clip(p[1], 80), fast[i], full[i])
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
	}
	// the parsed values themselves (read before the ctx is handed back:
	// they live in its scratch memory)
	parse := func(s string) string {
		c := getCtx(Budget{})
		defer putCtx(c)
		v, err := c.parse(s)
		if err != nil {
			return "error: " + err.Error()
		}
		out := string(v.Kind()) + " " + v.String()
		if n, ok := v.(*numberV); ok {
			out += " " + printNode(n.src) + " " + strconv.Itoa(n.dec) + " " + strconv.Itoa(n.sig)
		}
		return out
	}
	for _, s := range seeds {
		got := parse(s)
		var want string
		withoutFastPaths(func() { want = parse(s) })
		if got != want {
			t.Errorf("parse %q: %s, want %s", s, got, want)
		}
	}
}
