package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/polylearn/poly/lang"
)

// FmtCmd is `poly fmt`: it rewrites specs in the canonical layout
// (lang.Format), like gofmt.
type FmtCmd struct {
	Paths []string `arg:"" optional:"" name:"path" help:"Spec files or directories (searched recursively for *.poly; testdata and hidden directories are skipped). Without paths, format standard input to standard output."`
	Write bool     `short:"w" help:"Write the result back to each file (atomically) instead of printing it."`
	List  bool     `short:"l" help:"List the files whose formatting differs from poly fmt's."`
	Diff  bool     `short:"d" help:"Print a unified diff of the changes instead of the formatted source."`
}

// Run runs the command.
func (c *FmtCmd) Run() error { return c.run(os.Stdin, os.Stdout, os.Stderr) }

func (c *FmtCmd) run(stdin io.Reader, stdout, stderr io.Writer) error {
	files := lang.NewFileSet()
	syntaxErrors := false
	if len(c.Paths) == 0 {
		if c.Write {
			return exitCode(2, errors.New("poly fmt: -w needs file paths, not standard input"))
		}
		src, err := io.ReadAll(stdin)
		if err != nil {
			return exitCode(2, fmt.Errorf("poly fmt: reading standard input: %w", err))
		}
		ok, err := c.one("<stdin>", src, stdout, files, stderr)
		if err != nil {
			return exitCode(2, err)
		}
		if !ok {
			return exitCode(1, nil)
		}
		return nil
	}
	paths, err := fmtCollect(c.Paths)
	if err != nil {
		return exitCode(2, err)
	}
	ioFailed := false
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(stderr, "poly fmt:", err)
			ioFailed = true
			continue
		}
		ok, err := c.one(path, src, stdout, files, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "poly fmt:", err)
			ioFailed = true
		}
		if !ok {
			syntaxErrors = true
		}
	}
	switch {
	case ioFailed:
		return exitCode(2, nil)
	case syntaxErrors:
		return exitCode(1, nil)
	}
	return nil
}

// one formats one source. ok is false on syntax errors (rendered to
// stderr); err reports an I/O failure.
func (c *FmtCmd) one(path string, src []byte, stdout io.Writer, files *lang.FileSet, stderr io.Writer) (ok bool, err error) {
	f, ds := lang.ParseFile(path, src)
	files.Add(f.Source)
	if ds.HasErrors() {
		ds.Render(stderr, files)
		return false, nil
	}
	out := lang.Format(f)
	changed := !bytes.Equal(out, src)
	if c.List && changed {
		fmt.Fprintln(stdout, path)
	}
	if c.Diff && changed {
		if _, err := io.WriteString(stdout, unifiedDiff(path, string(src), string(out))); err != nil {
			return true, err
		}
	}
	if c.Write && changed {
		if err := writeFileAtomic(path, out); err != nil {
			return true, err
		}
	}
	if !c.List && !c.Diff && !c.Write {
		if _, err := stdout.Write(out); err != nil {
			return true, err
		}
	}
	return true, nil
}

// fmtCollect expands directories into their *.poly files (sorted, testdata
// and hidden directories skipped); files named explicitly are kept.
func fmtCollect(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && (name == "testdata" || strings.HasPrefix(name, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(name, ".poly") && !strings.HasPrefix(name, ".") {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, fsync, then rename, keeping the original permissions.
func writeFileAtomic(path string, data []byte) (err error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// unifiedDiff returns a unified diff (3 lines of context) from a to b,
// labelled path.orig and path.
func unifiedDiff(path, a, b string) string {
	al, bl := splitLines(a), splitLines(b)
	ops := diffLines(al, bl)
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s.orig\n+++ %s\n", path, path)
	const ctx = 3
	// Group ops into hunks.
	i := 0
	for i < len(ops) {
		// find next change
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i >= len(ops) {
			break
		}
		start := max(i-ctx, 0)
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			// extend while the next change is within 2*ctx
			j := end
			for j < len(ops) && ops[j].kind == ' ' && j-end < 2*ctx {
				j++
			}
			if j < len(ops) && ops[j].kind != ' ' {
				end = j
				continue
			}
			end = min(end+ctx, len(ops))
			break
		}
		hunk := ops[start:end]
		aStart, bStart := hunk[0].ai, hunk[0].bi
		aN, bN := 0, 0
		for _, o := range hunk {
			if o.kind != '+' {
				aN++
			}
			if o.kind != '-' {
				bN++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(aStart, aN), hunkRange(bStart, bN))
		for _, o := range hunk {
			sb.WriteByte(o.kind)
			sb.WriteString(o.text)
			sb.WriteByte('\n')
		}
		i = end
	}
	return sb.String()
}

func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

type diffOp struct {
	kind   byte // ' ', '-', '+'
	text   string
	ai, bi int // line index in a and b where the op applies
}

// diffLines computes a line diff by longest common subsequence.
func diffLines(a, b []string) []diffOp {
	// Trim common prefix and suffix to keep the table small.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(am), len(bm)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if am[i] == bm[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	for k := 0; k < pre; k++ {
		ops = append(ops, diffOp{' ', a[k], k, k})
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && am[i] == bm[j]:
			ops = append(ops, diffOp{' ', am[i], pre + i, pre + j})
			i++
			j++
		case i < n && (j >= m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', am[i], pre + i, pre + j})
			i++
		default:
			ops = append(ops, diffOp{'+', bm[j], pre + i, pre + j})
			j++
		}
	}
	for k := 0; k < suf; k++ {
		ops = append(ops, diffOp{' ', a[len(a)-suf+k], len(a) - suf + k, len(b) - suf + k})
	}
	return ops
}
