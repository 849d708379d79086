package lang

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity ranks a diagnostic.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
	Note
)

// String returns "error", "warning" or "note".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "note"
	}
}

// MarshalJSON writes the severity as its name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Diagnostic is one problem found in a source file, in the shape of HCL's
// Diagnostic: a severity, a one-line summary, an optional detail and the
// source range it is about.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	Range    Range    `json:"range"`
}

// Error formats the diagnostic as "file:line:col: severity: summary".
func (d *Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s: %s", d.Range.Start, d.Severity, d.Summary)
}

// Errorf returns an error diagnostic at r.
func Errorf(r Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: Error, Summary: fmt.Sprintf(format, args...), Range: r}
}

// Warningf returns a warning diagnostic at r.
func Warningf(r Range, format string, args ...any) *Diagnostic {
	return &Diagnostic{Severity: Warning, Summary: fmt.Sprintf(format, args...), Range: r}
}

// Diagnostics is a list of diagnostics. The zero value is ready to use.
type Diagnostics []*Diagnostic

// Add appends d and returns the list, for chaining.
func (ds *Diagnostics) Add(d ...*Diagnostic) { *ds = append(*ds, d...) }

// Errorf appends an error at r.
func (ds *Diagnostics) Errorf(r Range, format string, args ...any) {
	ds.Add(Errorf(r, format, args...))
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool { return ds.Count(Error) > 0 }

// Count returns the number of diagnostics of severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders diagnostics by file, position and severity and removes exact
// duplicates (same range and summary), as go/scanner's ErrorList does.
func (ds *Diagnostics) Sort() {
	l := *ds
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Range.Start, l[j].Range.Start
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return l[i].Severity < l[j].Severity
	})
	out := l[:0]
	for i, d := range l {
		if i > 0 && d.Range == l[i-1].Range && d.Summary == l[i-1].Summary {
			continue
		}
		out = append(out, d)
	}
	*ds = out
}

// Err returns the list as an error when it holds an error, else nil.
func (ds Diagnostics) Err() error {
	if ds.HasErrors() {
		return DiagnosticsError(ds)
	}
	return nil
}

// DiagnosticsError is a Diagnostics list used as an error value.
type DiagnosticsError Diagnostics

// Error joins the first few errors, one per line.
func (e DiagnosticsError) Error() string {
	var parts []string
	for _, d := range e {
		if d.Severity == Error {
			parts = append(parts, d.Error())
		}
	}
	if len(parts) > 3 {
		parts = append(parts[:3], fmt.Sprintf("(and %d more errors)", len(parts)-3))
	}
	return strings.Join(parts, "\n")
}

// Render writes every diagnostic in the text format of `poly check`:
//
//	file:line:col: error: summary
//	   12 |   let n = colony.n0 * 2 ** (t / colony.doubling)
//	      |                       ^^^^^^^^^^^^^^^^^^^^^^^^
//	  detail
//
// Source lines come from files (by file name); a diagnostic whose file is
// not in files is rendered without the caret view.
func (ds Diagnostics) Render(w io.Writer, files *FileSet) {
	for _, d := range ds {
		fmt.Fprintf(w, "%s: %s: %s\n", d.Range.Start, d.Severity, d.Summary)
		if f := files.File(d.Range.Start.File); f != nil {
			renderCaret(w, f, d.Range)
		}
		if d.Detail != "" {
			for _, line := range strings.Split(d.Detail, "\n") {
				fmt.Fprintf(w, "  %s\n", line)
			}
		}
	}
}

func renderCaret(w io.Writer, f *File, r Range) {
	line, ok := f.Line(r.Start.Line)
	if !ok {
		return
	}
	line = strings.ReplaceAll(line, "\t", " ")
	num := fmt.Sprint(r.Start.Line)
	pad := strings.Repeat(" ", len(num))
	col := max(r.Start.Col, 1)
	width := 1
	if r.End.Line == r.Start.Line && r.End.Col > col {
		width = r.End.Col - col
	}
	runes := []rune(line)
	if col-1 > len(runes) {
		col = len(runes) + 1
	}
	if col-1+width > len(runes)+1 {
		width = max(len(runes)+1-(col-1), 1)
	}
	fmt.Fprintf(w, " %s | %s\n", num, line)
	fmt.Fprintf(w, " %s | %s%s\n", pad, strings.Repeat(" ", col-1), strings.Repeat("^", width))
}
