package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds every .poly file under testdata and ../specs to f.
func addSeeds(f *testing.F) {
	for _, root := range []string{"testdata", "../specs"} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".poly") || strings.HasSuffix(path, ".golden")) {
				if b, err := os.ReadFile(path); err == nil {
					f.Add(b)
				}
			}
			return nil
		})
	}
	for _, s := range []string{
		"", "sample", "sample a {", "}", "given x = 3 m/s^2", `prompt "{x"`,
		"family f physics {\n vary v in 5..40 step 5 m/s\n vary t in {30, 45} deg\n}",
		"sample a {\n let x = 1 +\n let y = (2\n answer\n}",
		"sample a { answer choice b { a \"x\" b \"y\" } }",
		"sample a { prompt \"\"\"\n  a {x:.3g} \\frac{1}{2} {{lit}}\n  \"\"\" }",
		"element c physics {\n given R = 8.314 J/(mol*K)\n given NA = 6.02e23 1/mol\n}",
		"sample s { check abs(pred - gold) < 1e-3 // c\n expect pass \"1\" }",
		"sample s { train { rollouts = 8  lr = 1e-6 } }",
		"\xff\xfe", "sample \"\"\"", "/* unterminated", "sample a { answer interval [1, 2) }",
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse checks that no input makes the parser panic and that every
// diagnostic has a position.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file, ds := ParseFile("fuzz.poly", src)
		if file == nil {
			t.Fatal("nil file")
		}
		for _, d := range ds {
			if strings.HasPrefix(d.Summary, "internal error") {
				t.Fatalf("parser panicked: %s\n%s", d.Summary, d.Detail)
			}
			if !d.Range.Start.IsValid() {
				t.Fatalf("diagnostic without position: %s", d.Summary)
			}
		}
		var buf bytes.Buffer
		fs := NewFileSet()
		fs.Add(file.Source)
		ds.Render(&buf, fs)
		checkRanges(t, file, len(src))
		// Formatting a partial tree (after errors) must not panic either.
		_ = Format(file)
	})
}

// checkRanges checks that every node's range lies inside the source and
// starts before it ends.
func checkRanges(t *testing.T, f *SpecFile, n int) {
	t.Helper()
	Inspect(f, func(node Node) bool {
		r := node.Span()
		if r == (Range{}) {
			return true
		}
		if r.Start.Offset < 0 || r.End.Offset > n || r.Start.Offset > r.End.Offset || !r.Start.IsValid() {
			t.Fatalf("%T has bad range %v-%v (source %d bytes)", node, r.Start, r.End, n)
		}
		return true
	})
}

// FuzzFormatRoundTrip checks that formatting a file that parses gives a
// file that parses to the same tree with the same comments, and that
// formatting is idempotent.
func FuzzFormatRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		checkRoundTrip(t, src)
	})
}

func checkRoundTrip(t *testing.T, src []byte) {
	t.Helper()
	f1, ds := ParseFile("in.poly", src)
	if ds.HasErrors() {
		return
	}
	out1 := Format(f1)
	f2, ds := ParseFile("out.poly", out1)
	if ds.HasErrors() {
		t.Fatalf("formatted output does not parse: %v\ninput:\n%s\noutput:\n%s", ds.Err(), src, out1)
	}
	if a, b := sexpr(f1), sexpr(f2); a != b {
		t.Fatalf("format changed the tree:\nbefore: %s\nafter:  %s\ninput:\n%s\noutput:\n%s", a, b, src, out1)
	}
	if a, b := commentTexts(f1), commentTexts(f2); a != b {
		t.Fatalf("format changed the comments:\nbefore: %q\nafter:  %q\noutput:\n%s", a, b, out1)
	}
	if out2 := Format(f2); !bytes.Equal(out1, out2) {
		t.Fatalf("format is not idempotent:\nfirst:\n%s\nsecond:\n%s", out1, out2)
	}
}

func commentTexts(f *SpecFile) string {
	var parts []string
	for _, c := range f.Comments {
		lines := strings.Split(c.Text, "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " \t\r")
		}
		parts = append(parts, strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\x00")
}

// tokenVocab is what FuzzTokens builds sources from: each input byte picks
// one piece, so most inputs are made of real tokens and far more of them
// parse than random bytes do.
var tokenVocab = []string{
	"\n  given a = ", "\n  let b = ", "\n  vary c in ", "\n  answer ", "\n  answer exact ",
	"\n  answer choice ", "\n  prompt ", "\n  expect pass ", "\n  check ", "\n  train {", "\n  element e x {",
	"}", "\n", " ", "1", "2.5", "3e-2", "x", "a.b", "m", "m/s^2", "(", ")", "[", "]", "{", ",",
	"+", "-", "*", "/", "%", "^", "**", "==", "<", "and", "not", "sin(", `"s {x}"`, `"\frac{1}{2}"`,
	"\"\"\"\n    a {y:.2f}\n  \"\"\"", "// c\n", "/* c */", " in ", "km", "..", " step ", "true", "°C", "1/mol",
	"J/(mol*K)", "²", ":", "µ", "rel 1e-3", "sig 3", "a \"t\"", "k = 1", "{1, 2} deg", "50%", "7 % 3",
}

// FuzzTokens round-trips sample bodies assembled from tokenVocab.
func FuzzTokens(f *testing.F) {
	f.Add([]byte{0, 14, 27, 15, 1, 15, 29, 16})
	f.Add([]byte{2, 14, 51, 15, 20, 3, 18, 55, 60})
	f.Add([]byte{10, 63, 11, 5, 17, 11, 6, 17, 63})
	f.Fuzz(func(t *testing.T, picks []byte) {
		var b strings.Builder
		b.WriteString("sample s {")
		for _, p := range picks {
			b.WriteString(tokenVocab[int(p)%len(tokenVocab)])
		}
		b.WriteString("\n}\n")
		src := []byte(b.String())
		_, ds := ParseFile("tok.poly", src)
		for _, d := range ds {
			if strings.HasPrefix(d.Summary, "internal error") {
				t.Fatalf("parser panicked: %s\n%s", d.Summary, d.Detail)
			}
		}
		checkRoundTrip(t, src)
	})
}
