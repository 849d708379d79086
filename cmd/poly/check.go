package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/polylearn/poly/compiler"
	"github.com/polylearn/poly/lang"
)

// CheckCmd is `poly check`: it compiles every spec, evaluates every
// quantity, compiles the check programs and runs the expect self-tests.
type CheckCmd struct {
	Paths  []string `arg:"" optional:"" name:"path" help:"Spec files or directories (searched recursively for *.poly; testdata and hidden directories are skipped). Default: the current directory."`
	Format string   `enum:"text,json,github" default:"text" help:"Output format: text (caret view), json, or github (workflow commands)."`
}

// checkReport is the JSON shape of `poly check --format json`.
type checkReport struct {
	Valid        bool             `json:"valid"`
	ErrorCount   int              `json:"error_count"`
	WarningCount int              `json:"warning_count"`
	Diagnostics  lang.Diagnostics `json:"diagnostics"`
}

// Run runs the command.
func (c *CheckCmd) Run() error {
	return c.run(os.Stdout, os.Stderr)
}

func (c *CheckCmd) run(stdout, stderr io.Writer) error {
	paths := c.Paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	files, err := collectSpecs(paths)
	if err != nil {
		return exitCode(2, err)
	}
	res := compiler.CheckFiles(files)
	diags := res.Diagnostics
	if diags == nil {
		diags = lang.Diagnostics{}
	}
	nerr, nwarn := diags.Count(lang.Error), diags.Count(lang.Warning)
	switch c.Format {
	case "json":
		rep := checkReport{Valid: nerr == 0, ErrorCount: nerr, WarningCount: nwarn, Diagnostics: diags}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return exitCode(2, err)
		}
	case "github":
		for _, d := range diags {
			fmt.Fprintln(stdout, githubCommand(d))
		}
	default:
		diags.Render(stdout, res.Files)
		fmt.Fprintf(stderr, "poly check: %d %s, %d %s, %d %s: %d %s, %d %s\n",
			len(files), plural(len(files), "file", "files"),
			res.Samples, plural(res.Samples, "sample", "samples"),
			res.Families, plural(res.Families, "family", "families"),
			nerr, plural(nerr, "error", "errors"), nwarn, plural(nwarn, "warning", "warnings"))
	}
	if nerr > 0 {
		return exitCode(1, nil)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// collectSpecs expands paths into a sorted list of .poly files. A named
// file is taken whatever its extension; directories are walked for
// *.poly, skipping testdata and hidden directories below the named one.
// An unreadable or missing path is an error (exit 2).
func collectSpecs(paths []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPathErr(err))
		}
		if !info.IsDir() {
			f, err := os.Open(p)
			if err != nil {
				return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPathErr(err))
			}
			f.Close()
			add(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("cannot read %s: %w", path, unwrapPathErr(err))
			}
			if d.IsDir() {
				name := d.Name()
				if path != p && (name == "testdata" || (strings.HasPrefix(name, ".") && name != ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".poly") {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// githubCommand formats d as a GitHub Actions workflow command.
func githubCommand(d *lang.Diagnostic) string {
	kind := "error"
	switch d.Severity {
	case lang.Warning:
		kind = "warning"
	case lang.Note:
		kind = "notice"
	}
	r := d.Range
	var props []string
	if r.Start.File != "" {
		props = append(props, "file="+ghProp(r.Start.File))
	}
	if r.Start.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", r.Start.Line), fmt.Sprintf("col=%d", r.Start.Col))
		if r.End.Line >= r.Start.Line {
			props = append(props, fmt.Sprintf("endLine=%d", r.End.Line), fmt.Sprintf("endColumn=%d", r.End.Col))
		}
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += "\n" + d.Detail
	}
	cmd := "::" + kind
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + ghData(msg)
}

func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
