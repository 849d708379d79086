package compiler

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/polylearn/poly/lang"
)

// errorComment matches the expectations written in testdata/errors files:
//
//	let x = y + 1   // ERROR "unknown name `y`"
//	let z = 1 m + 1 s   // ERROR "unit mismatch" WARNING "..."
//
// Each quoted text is a regular expression that must match the summary of
// a diagnostic of that severity reported on the same line (of the same
// file), and every diagnostic must be matched by one expectation.
var errorComment = regexp.MustCompile(`(ERROR|WARNING) "((?:[^"\\]|\\.)*)"`)

type expectation struct {
	file     string
	line     int
	severity lang.Severity
	re       *regexp.Regexp
	matched  bool
}

func readExpectations(t *testing.T, path string) []*expectation {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*expectation
	for i, line := range strings.Split(string(src), "\n") {
		_, comment, ok := strings.Cut(line, "//")
		if !ok {
			continue
		}
		for _, m := range errorComment.FindAllStringSubmatch(comment, -1) {
			sev := lang.Error
			if m[1] == "WARNING" {
				sev = lang.Warning
			}
			pat := strings.ReplaceAll(m[2], `\"`, `"`)
			re, err := regexp.Compile(pat)
			if err != nil {
				t.Fatalf("%s:%d: bad expectation %q: %v", path, i+1, pat, err)
			}
			out = append(out, &expectation{file: path, line: i + 1, severity: sev, re: re})
		}
	}
	return out
}

// TestErrors compiles every file in testdata/errors (files named
// *_import.poly or under a lib/ folder are only imported) and matches the
// diagnostics both ways against the ERROR comments, in the file itself and
// in the files it imports.
func TestErrors(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.poly")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/errors files")
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_import.poly") {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".poly"), func(t *testing.T) {
			spec, diags := CompileFile(path)
			if spec == nil {
				t.Fatal("CompileFile returned a nil spec")
			}
			exps := readExpectations(t, path)
			for _, imp := range importedFiles(path) {
				exps = append(exps, readExpectations(t, imp)...)
			}
			if len(exps) == 0 {
				t.Fatalf("%s has no ERROR comments", path)
			}
			for _, d := range diags {
				if d.Severity == lang.Note {
					continue
				}
				found := false
				for _, e := range exps {
					if filepath.Clean(d.Range.Start.File) == filepath.Clean(e.file) && d.Range.Start.Line == e.line &&
						d.Severity == e.severity && e.re.MatchString(d.Summary) {
						e.matched, found = true, true
					}
				}
				if !found {
					t.Errorf("unexpected diagnostic: %s", d.Error())
				}
			}
			for _, e := range exps {
				if !e.matched {
					t.Errorf("%s:%d: no %s matching %q", e.file, e.line, e.severity, e.re)
				}
			}
			if t.Failed() {
				var b strings.Builder
				diags.Render(&b, spec.Files)
				t.Logf("all diagnostics:\n%s", b.String())
			}
		})
	}
}

// importedFiles lists the *_import.poly files next to path that path's
// name prefix claims (cycle.poly -> cycle_*_import.poly).
func importedFiles(path string) []string {
	base := strings.TrimSuffix(path, ".poly")
	m, _ := filepath.Glob(base + "_*import.poly")
	return m
}
