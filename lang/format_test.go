package lang

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/fmt")

// TestFormatGolden formats each testdata/fmt/*.poly and compares it with
// the .golden file next to it (go test -run TestFormatGolden -update
// rewrites them).
func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/fmt/*.poly")
	if len(files) == 0 {
		t.Fatal("no testdata/fmt files")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, ds := FormatSource(path, src)
			if ds.HasErrors() {
				t.Fatal(ds.Err())
			}
			golden := strings.TrimSuffix(path, ".poly") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestFormatGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("format of %s differs from %s:\n%s", path, golden, got)
			}
			checkRoundTrip(t, src)
			checkRoundTrip(t, got)
		})
	}
}

// TestFormatIdempotentSpecs checks the round trip (same tree, same
// comments, idempotent) on every spec of the library and every valid
// file in testdata.
func TestFormatIdempotentSpecs(t *testing.T) {
	var files []string
	for _, root := range []string{"../specs", "testdata/fmt"} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".poly") || strings.HasSuffix(path, ".golden")) {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skip("no specs found")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(path, func(t *testing.T) {
			if _, ds := ParseFile(path, src); ds.HasErrors() {
				t.Skipf("does not parse (reported by poly check): %v", ds.Err())
			}
			checkRoundTrip(t, src)
		})
	}
}
