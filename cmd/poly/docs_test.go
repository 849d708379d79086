package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/internal/pyref"
	"github.com/polylearn/poly/train/run"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the command outputs in docs/language.md and docs/example-check.txt from real poly output")

// docBlock is one fenced code block of a markdown file.
type docBlock struct {
	info string // the fence's info string: "poly", "text poly check x.poly"
	body string
	line int // line of the opening fence
	// start and end are the byte offsets of body in the file.
	start, end int
}

var fenceRE = regexp.MustCompile("(?m)^```(.*)$")

// docBlocks splits markdown into its fenced code blocks.
func docBlocks(t *testing.T, md string) []docBlock {
	t.Helper()
	var out []docBlock
	locs := fenceRE.FindAllStringSubmatchIndex(md, -1)
	if len(locs)%2 != 0 {
		t.Fatalf("unbalanced code fences")
	}
	for i := 0; i < len(locs); i += 2 {
		open, close := locs[i], locs[i+1]
		out = append(out, docBlock{
			info:  strings.TrimSpace(md[open[2]:open[3]]),
			body:  md[open[1]+1 : close[0]],
			line:  strings.Count(md[:open[0]], "\n") + 1,
			start: open[1] + 1,
			end:   close[0],
		})
	}
	return out
}

// runCLI parses `poly ARGS...` with the real CLI and runs check or export
// in-process, returning stdout, stderr (with the error main would print)
// and the exit code main would use. A flag error is exit 2, as in main.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var cli CLI
	parser, err := kong.New(&cli, kong.Name("poly"), kong.Exit(func(int) { t.Fatalf("kong exited on %v", args) }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := parser.Parse(args)
	if err != nil {
		return "", err.Error(), 2
	}
	var stdout, stderr bytes.Buffer
	switch ctx.Command() {
	case "check <path>", "check":
		err = cli.Check.run(&stdout, &stderr)
	case "export <spec>":
		err = cli.Export.run(&stdout, &stderr)
	default:
		t.Fatalf("cannot run %q in-process", ctx.Command())
	}
	code := 0
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.code
		if ee.err != nil {
			stderr.WriteString("poly: " + ee.err.Error() + "\n")
		}
	default:
		code = 1
		stderr.WriteString("poly: " + err.Error() + "\n")
	}
	return stdout.String(), stderr.String(), code
}

// runPoly runs a command named in the doc: `check ...` in-process, or the
// pseudo command `prompt FILE` (the rendered prompt of the file's first
// sample). It returns stdout followed by stderr, and the exit code.
func runPoly(t *testing.T, args ...string) (string, int) {
	t.Helper()
	if args[0] == "prompt" {
		spec, diags := compiler.CompileFile(args[1])
		if diags.HasErrors() || len(spec.Samples) == 0 {
			t.Fatalf("%s: %v", args[1], diags.Err())
		}
		return spec.Samples[0].Prompt + "\n", 0
	}
	stdout, stderr, code := runCLI(t, args...)
	return stdout + stderr, code
}

var docFileRE = regexp.MustCompile(`^// file: (\S+\.poly)\n`)

// writeDocExamples writes every ```poly block of md into dir under the name
// on its first line, and returns the names and which are marked mistakes.
func writeDocExamples(t *testing.T, md, dir string) ([]string, map[string]bool) {
	t.Helper()
	var files []string
	mistakes := map[string]bool{}
	for _, b := range docBlocks(t, md) {
		if b.info != "poly" && b.info != "poly mistake" {
			continue
		}
		m := docFileRE.FindStringSubmatch(b.body)
		if m == nil {
			t.Fatalf("language.md:%d: a poly block must start with // file: NAME.poly", b.line)
		}
		if err := os.WriteFile(filepath.Join(dir, m[1]), []byte(b.body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, m[1])
		mistakes[m[1]] = b.info == "poly mistake"
	}
	return files, mistakes
}

// TestLanguageDoc keeps docs/language.md true: every ```poly block is a
// file that poly check accepts (```poly mistake blocks must be rejected),
// and every block whose info string names a command (```text poly check
// x.poly) shows exactly what that command prints.
func TestLanguageDoc(t *testing.T) {
	root := pyref.RepoRoot()
	md, err := os.ReadFile(filepath.Join(root, "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	blocks := docBlocks(t, string(md))
	files, mistakes := writeDocExamples(t, string(md), dir)
	if len(files) < 10 {
		t.Fatalf("only %d examples found", len(files))
	}
	t.Chdir(dir)
	for _, f := range files {
		out, code := runPoly(t, "check", f)
		switch {
		case mistakes[f] && code != 1:
			t.Errorf("%s is marked as a mistake but poly check exits %d:\n%s", f, code, out)
		case !mistakes[f] && code != 0:
			t.Errorf("example %s does not pass poly check (exit %d):\n%s", f, code, out)
		}
	}
	shown := 0
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	for _, b := range blocks {
		fields := strings.Fields(b.info)
		if len(fields) < 3 {
			continue
		}
		var args []string
		switch {
		case fields[1] == "poly":
			args = fields[2:]
		case fields[1] == "prompt":
			args = fields[1:]
		default:
			continue
		}
		shown++
		got, _ := runPoly(t, args...)
		if got != b.body {
			edits = append(edits, edit{b.start, b.end, got})
		}
		if fields[0] == "json" {
			var a, b2 any
			if err := json.Unmarshal([]byte(got), &a); err != nil {
				t.Fatalf("poly %v: %v", args, err)
			}
			if err := json.Unmarshal([]byte(b.body), &b2); err != nil {
				t.Fatalf("language.md:%d: %v", b.line, err)
			}
			if !reflect.DeepEqual(a, b2) {
				t.Errorf("language.md:%d: `poly %s` prints\n%s", b.line, strings.Join(args, " "), got)
			}
			continue
		}
		if got != b.body && !*updateDocs {
			t.Errorf("language.md:%d: `%s` prints\n%s\nthe doc shows\n%s\n(go test ./cmd/poly -run TestLanguageDoc -update-docs rewrites it)", b.line, strings.Join(args, " "), got, b.body)
		}
	}
	if *updateDocs && len(edits) > 0 {
		out := string(md)
		for i := len(edits) - 1; i >= 0; i-- {
			e := edits[i]
			out = out[:e.start] + e.text + out[e.end:]
		}
		if err := os.WriteFile(filepath.Join(root, "docs", "language.md"), []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if shown < 4 {
		t.Errorf("only %d command outputs checked", shown)
	}

	// docs/example-check.txt, for the README: the first spec, and what
	// poly check prints for it and for the same spec with a mistake.
	var b strings.Builder
	spec, _ := os.ReadFile("colony.poly")
	b.WriteString("$ cat colony.poly\n")
	b.Write(spec)
	out, _ := runPoly(t, "check", "colony.poly")
	b.WriteString("$ poly check colony.poly\n" + out)
	b.WriteString("\n# The same spec with a mistake: `let t = 120` (the unit of t forgotten).\n")
	out, code := runPoly(t, "check", "colony_mistake.poly")
	b.WriteString("$ poly check colony_mistake.poly\n" + out)
	b.WriteString(fmt.Sprintf("$ echo $?\n%d\n", code))
	golden := filepath.Join(root, "docs", "example-check.txt")
	if *updateDocs {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/poly -run TestLanguageDoc -update-docs)", err)
	}
	if string(want) != b.String() {
		t.Errorf("docs/example-check.txt is out of date (run go test ./cmd/poly -run TestLanguageDoc -update-docs); now:\n%s", b.String())
	}
}

// TestTrainBlocks checks every train {} block of the shipped specs and of
// the language doc's examples against poly train's settings.
func TestTrainBlocks(t *testing.T) {
	root := pyref.RepoRoot()
	files, err := collectSpecs([]string{filepath.Join(root, "specs")})
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(root, "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	examples, _ := writeDocExamples(t, string(md), dir)
	for _, f := range examples {
		files = append(files, filepath.Join(dir, f))
	}
	blocks := 0
	for _, f := range files {
		spec, diags := compiler.CompileFile(f)
		if diags.HasErrors() {
			continue // reported by the tests that own the file
		}
		if spec.Train == nil {
			continue
		}
		blocks++
		if _, _, err := run.Config(spec.Train, nil); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if blocks < 2 {
		t.Errorf("only %d train blocks found", blocks)
	}
}
