package compiler

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestCompileGolden compiles every testdata/compile/*.poly and compares
// the JSON that `poly compile` prints (seed 1, 3 problems per family)
// with the .golden file next to it.
func TestCompileGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/compile/*.poly")
	if len(files) == 0 {
		t.Fatal("no testdata/compile files")
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".poly"), func(t *testing.T) {
			spec, diags := CompileFile(path)
			if diags.HasErrors() {
				var b strings.Builder
				diags.Render(&b, spec.Files)
				t.Fatalf("compile errors:\n%s", b.String())
			}
			out, err := NewOutput(spec, 1, 3)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := out.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := strings.TrimSuffix(path, ".poly") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run go test -update after checking):\n%s", golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first differing line.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return ""
}
