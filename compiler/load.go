package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/polylearn/poly/lang"
)

// Options tune Compile. The zero value (or nil) is the default.
type Options struct {
	// Files receives the sources of the spec and its imports; nil makes
	// a new set (returned in Spec.Files). Share one set between
	// compilations to render all their diagnostics together.
	Files *lang.FileSet
	// ReadFile reads imported files; nil means os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// SkipExpects skips the `expect` self-tests.
	SkipExpects bool
	// MaxSteps bounds evaluation work per sample (0: DefaultMaxSteps).
	MaxSteps int

	cache *importCache
}

// DefaultMaxSteps is the default evaluation budget of one sample: the
// number of expression nodes evaluated plus the cost of big-number
// operations.
const DefaultMaxSteps = 1_000_000

// maxFileSize bounds the size of one source file.
const maxFileSize = 4 << 20

// maxImportDepth bounds chains of imports.
const maxImportDepth = 32

// CompileFile reads and compiles the spec at path with default options.
func CompileFile(path string) (*Spec, lang.Diagnostics) {
	return compileFile(path, &Options{})
}

func compileFile(path string, opts *Options) (*Spec, lang.Diagnostics) {
	src, err := readSource(path, opts)
	if err != nil {
		files := opts.Files
		if files == nil {
			files = lang.NewFileSet()
		}
		var diags lang.Diagnostics
		diags.Add(lang.Errorf(lang.Range{Start: lang.Pos{File: path}, End: lang.Pos{File: path}}, "cannot read %s: %s", path, errText(err)))
		return &Spec{Path: path, Files: files}, diags
	}
	return Compile(path, src, opts)
}

func readSource(path string, opts *Options) ([]byte, error) {
	read := os.ReadFile
	if opts != nil && opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		return nil, err
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("file too large (%d bytes, at most %d)", len(src), maxFileSize)
	}
	return src, nil
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// importCache holds parsed files shared by several compilations (one
// `poly check` run), so a shared element file is parsed once and its own
// diagnostics are reported once.
type importCache struct {
	files map[string]*unit
}

// unit is one loaded source file with its resolved imports.
type unit struct {
	path     string
	src      []byte
	ast      *lang.SpecFile
	imports  []*unitImport
	scope    *scope // file scope: top-level elements and imports
	loading  bool
	failed   bool // unreadable
	parseErr bool // the parser reported errors
	diags    lang.Diagnostics
	emitted  bool // diags already reported by an earlier compilation
}

// unitImport is one resolved import of a unit.
type unitImport struct {
	decl *lang.Import
	u    *unit // nil when the import failed
}

// loader loads a spec and its imports.
type loader struct {
	opts  *Options
	files *lang.FileSet
	cache *importCache
	diags lang.Diagnostics
	stack []*unit
	// following[i] is the import stack[i] is loading now.
	following []*lang.Import
}

// load parses path (with src) and, recursively, its imports.
func (l *loader) load(path string, src []byte) *unit {
	key := filepath.Clean(path)
	if u, ok := l.cache.files[key]; ok {
		return u
	}
	u := &unit{path: path, src: src, loading: true}
	l.cache.files[key] = u
	l.files.Add(lang.NewFile(path, src))
	f, diags := parseFile(path, src)
	u.ast = f
	u.diags = append(u.diags, diags...)
	u.parseErr = diags.HasErrors()
	if f == nil {
		u.loading = false
		return u
	}
	l.stack = append(l.stack, u)
	defer func() { l.stack = l.stack[:len(l.stack)-1]; u.loading = false }()
	for _, imp := range f.Imports {
		ui := &unitImport{decl: imp}
		u.imports = append(u.imports, ui)
		if imp.Path == "" {
			u.diags.Errorf(importRange(imp), "empty import path")
			continue
		}
		target := imp.Path
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		tkey := filepath.Clean(target)
		if dep, ok := l.cache.files[tkey]; ok {
			if dep.loading {
				u.diags.Add(l.cycleDiag(imp, dep))
				continue
			}
			ui.u = dep
			continue
		}
		if len(l.stack) >= maxImportDepth {
			u.diags.Errorf(importRange(imp), "imports nested too deeply (more than %d levels)", maxImportDepth)
			continue
		}
		tsrc, err := readSource(target, l.opts)
		if err != nil {
			u.diags.Errorf(importRange(imp), "cannot import %q: %s", imp.Path, errText(err))
			continue
		}
		l.following = append(l.following, imp)
		ui.u = l.load(target, tsrc)
		l.following = l.following[:len(l.following)-1]
	}
	return u
}

// cycleDiag reports an import that closes a cycle back to dep. The
// detail lists every import line of the cycle.
func (l *loader) cycleDiag(imp *lang.Import, dep *unit) *lang.Diagnostic {
	start := 0
	for i, fr := range l.stack {
		if fr == dep {
			start = i
		}
	}
	var chain, lines []string
	for i, fr := range l.stack[start:] {
		chain = append(chain, filepath.Base(fr.path))
		via := imp
		if start+i+1 < len(l.stack) {
			via = l.following[start+i]
		}
		if via != nil {
			lines = append(lines, fmt.Sprintf("%s: import %q", importRange(via).Start, via.Path))
		}
	}
	chain = append(chain, filepath.Base(dep.path))
	d := lang.Errorf(importRange(imp), "import cycle: %s", strings.Join(chain, " -> "))
	d.Detail = strings.Join(lines, "\n")
	return d
}

func importRange(imp *lang.Import) lang.Range {
	if imp.PathRange.Start.IsValid() {
		return imp.PathRange
	}
	return imp.Range
}

// parseFile parses src, turning a parser panic into a diagnostic.
func parseFile(name string, src []byte) (f *lang.SpecFile, diags lang.Diagnostics) {
	defer func() {
		if v := recover(); v != nil {
			f = nil
			diags = lang.Diagnostics{lang.Errorf(lang.Range{Start: lang.Pos{File: name, Line: 1, Col: 1}}, "internal error in the parser: %v", v)}
		}
	}()
	return lang.ParseFile(name, src)
}

// specHash hashes the main file and every file it imports, transitively,
// by path relative to the main file's directory and by content.
func specHash(root *unit) string {
	seen := map[*unit]bool{}
	var all []*unit
	var walk func(u *unit)
	walk = func(u *unit) {
		if u == nil || seen[u] {
			return
		}
		seen[u] = true
		all = append(all, u)
		for _, ui := range u.imports {
			walk(ui.u)
		}
	}
	walk(root)
	base := filepath.Dir(root.path)
	type entry struct {
		name string
		src  []byte
	}
	var es []entry
	for _, u := range all[1:] {
		rel, err := filepath.Rel(base, u.path)
		if err != nil {
			rel = u.path
		}
		es = append(es, entry{filepath.ToSlash(rel), u.src})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].name < es[j].name })
	h := sha256.New()
	fmt.Fprintf(h, "poly-spec-v1\x00%d\x00", len(root.src))
	h.Write(root.src)
	for _, e := range es {
		fmt.Fprintf(h, "\x00%s\x00%d\x00", e.name, len(e.src))
		h.Write(e.src)
	}
	return hex.EncodeToString(h.Sum(nil))
}
