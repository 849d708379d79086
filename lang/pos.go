// Package lang holds the .poly language front end: source files and
// positions, diagnostics, the AST and the parser.
package lang

import (
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// runes (what an editor shows). Offset is the 0-based byte offset.
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Col    int    `json:"col"`
	Offset int    `json:"offset"`
}

// IsValid reports whether p names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as file:line:col (or file when p has no line).
func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.File != "":
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	case p.File != "":
		return p.File
	default:
		return "-"
	}
}

// Range is a half-open source range [Start, End).
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// String formats the start of r.
func (r Range) String() string { return r.Start.String() }

// File is one source file held in memory.
type File struct {
	Name     string
	Src      []byte
	lines    []int  // byte offset of each line start
	nonASCII []bool // whether line i holds a non-ASCII byte

	// marks[i] holds, for non-ASCII line i, (byte offset, rune count)
	// pairs at rune boundaries about every markEvery bytes (built on
	// first use), so a column costs O(markEvery) even on long lines.
	mu    sync.Mutex
	marks map[int][]runeMark
}

type runeMark struct{ off, runes int }

const markEvery = 64

// NewFile returns a File for src named name.
func NewFile(name string, src []byte) *File {
	f := &File{Name: name, Src: src, lines: []int{0}, nonASCII: []bool{false}}
	for i, c := range src {
		switch {
		case c == '\n':
			f.lines = append(f.lines, i+1)
			f.nonASCII = append(f.nonASCII, false)
		case c >= 0x80:
			f.nonASCII[len(f.nonASCII)-1] = true
		}
	}
	return f
}

// Line returns the text of 1-based line n without its newline.
func (f *File) Line(n int) (string, bool) {
	if n < 1 || n > len(f.lines) {
		return "", false
	}
	start := f.lines[n-1]
	end := len(f.Src)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	if end > start && f.Src[end-1] == '\r' {
		end--
	}
	return string(f.Src[start:end]), true
}

// Pos converts a byte offset into a position.
func (f *File) Pos(offset int) Pos {
	offset = min(max(offset, 0), len(f.Src))
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > offset }) - 1
	col := 1 + offset - f.lines[i]
	if f.nonASCII[i] {
		start := f.lines[i]
		if offset-start < markEvery {
			col = 1 + utf8.RuneCount(f.Src[start:offset])
		} else {
			m := f.lineMarks(i)
			k := sort.Search(len(m), func(k int) bool { return m[k].off > offset }) - 1
			col = 1 + m[k].runes + utf8.RuneCount(f.Src[m[k].off:offset])
		}
	}
	return Pos{File: f.Name, Line: i + 1, Col: col, Offset: offset}
}

// lineMarks returns the rune marks of line i.
func (f *File) lineMarks(i int) []runeMark {
	f.mu.Lock()
	defer f.mu.Unlock()
	if m, ok := f.marks[i]; ok {
		return m
	}
	start, end := f.lines[i], len(f.Src)
	if i+1 < len(f.lines) {
		end = f.lines[i+1]
	}
	m := []runeMark{{start, 0}}
	n := 0
	for o := start; o < end; {
		if o-m[len(m)-1].off >= markEvery {
			m = append(m, runeMark{o, n})
		}
		_, size := utf8.DecodeRune(f.Src[o:end])
		o += size
		n++
	}
	if f.marks == nil {
		f.marks = map[int][]runeMark{}
	}
	f.marks[i] = m
	return m
}

// FileSet is a set of source files by name, safe for concurrent use.
type FileSet struct {
	mu    sync.Mutex
	files map[string]*File
}

// NewFileSet returns an empty set.
func NewFileSet() *FileSet { return &FileSet{files: map[string]*File{}} }

// Add adds (or replaces) f.
func (s *FileSet) Add(f *File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[f.Name] = f
}

// File returns the file named name, or nil. A nil set holds no files.
func (s *FileSet) File(name string) *File {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.files[name]
}
