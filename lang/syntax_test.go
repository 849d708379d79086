package lang

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// expectation is one `// ERROR "regexp"` annotation of a testdata file.
type expectation struct {
	line int
	re   *regexp.Regexp
	used bool
}

var errorAnnot = regexp.MustCompile(`ERROR(-ABOVE|-BELOW)? "((?:[^"\\]|\\.)*)"`)

// expectations reads the ERROR annotations of f: `// ERROR "re"` expects
// an error on its own line whose summary matches re; `// ERROR-ABOVE
// "re"` and `// ERROR-BELOW "re"` one on the line above or below (for
// lines a comment cannot end, such as an unterminated string).
func expectations(t *testing.T, f *SpecFile) []*expectation {
	var out []*expectation
	for _, c := range f.Comments {
		for _, m := range errorAnnot.FindAllStringSubmatchIndex(c.Text, -1) {
			line := c.Range.Start.Line + strings.Count(c.Text[:m[0]], "\n")
			switch {
			case m[2] >= 0 && c.Text[m[2]:m[3]] == "-ABOVE":
				line--
			case m[2] >= 0:
				line++
			}
			pat := strings.ReplaceAll(c.Text[m[4]:m[5]], `\"`, `"`)
			re, err := regexp.Compile(pat)
			if err != nil {
				t.Fatalf("%s:%d: bad pattern %q: %v", f.Name, line, pat, err)
			}
			out = append(out, &expectation{line: line, re: re})
		}
	}
	return out
}

// TestSyntaxErrors parses every file in testdata/syntax and matches its
// diagnostics against the files' ERROR annotations, like go/types' tests.
func TestSyntaxErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/syntax/*.poly")
	if len(files) == 0 {
		t.Fatal("no testdata/syntax files")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, ds := ParseFile(path, src)
			exps := expectations(t, f)
			if len(exps) == 0 {
				t.Fatal("file has no ERROR annotations")
			}
			for _, d := range ds {
				found := false
				for _, e := range exps {
					if !e.used && e.line == d.Range.Start.Line && e.re.MatchString(d.Summary) {
						e.used, found = true, true
						break
					}
				}
				if !found {
					t.Errorf("unexpected diagnostic %s", d.Error())
				}
			}
			for _, e := range exps {
				if !e.used {
					t.Errorf("%s:%d: missing error matching %q", path, e.line, e.re)
				}
			}
		})
	}
}
