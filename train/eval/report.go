package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/polylearn/poly/compiler"
)

// Report is the outcome of an evaluation (the JSON of --format json and
// --out).
type Report struct {
	Model       string   `json:"model"`
	Specs       []string `json:"specs"`
	Seed        int64    `json:"seed"`
	PerFamily   int      `json:"per_family"`
	Temperature float64  `json:"temperature"`
	TopP        float64  `json:"top_p"`
	TopK        int      `json:"top_k"`
	MaxTokens   int      `json:"max_tokens"`

	Total       Stats    `json:"total"`
	Disciplines []Stats  `json:"disciplines"`
	Groups      []Stats  `json:"families"`
	Problems    []Result `json:"problems"`
}

// Stats aggregate a set of graded problems.
type Stats struct {
	// Name is the discipline, family or sample id ("all" for the total).
	Name string `json:"name"`
	// Kind ("family" or "sample"), Spec and Disciplines describe a group.
	Kind        string   `json:"kind,omitempty"`
	Spec        string   `json:"spec,omitempty"`
	Disciplines []string `json:"disciplines,omitempty"`

	N       int     `json:"n"`
	Correct int     `json:"correct"`
	Acc     float64 `json:"accuracy"`
	// CILow and CIHigh bound the 95% Wilson score interval of Acc.
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// MeanLength is the mean completion length in tokens.
	MeanLength float64 `json:"mean_length"`
	// FormatRate is the fraction of completions with a \boxed{} answer.
	FormatRate float64 `json:"format_rate"`

	tokens, boxed int
}

func (s *Stats) add(r Result) {
	s.N++
	s.tokens += r.Tokens
	if r.Correct {
		s.Correct++
	}
	if r.Boxed {
		s.boxed++
	}
}

func (s *Stats) finish() {
	if s.N > 0 {
		s.Acc = float64(s.Correct) / float64(s.N)
		s.MeanLength = float64(s.tokens) / float64(s.N)
		s.FormatRate = float64(s.boxed) / float64(s.N)
	}
	s.CILow, s.CIHigh = Wilson(s.Correct, s.N, Z95)
}

// Summarize computes the total, per-discipline and per-group statistics
// of results (disciplines sorted by name; groups in order of appearance).
func Summarize(results []Result) (total Stats, disciplines, groups []Stats) {
	total.Name = "all"
	disc := map[string]*Stats{}
	grp := map[string]int{}
	for _, r := range results {
		total.add(r)
		for _, d := range r.Disciplines {
			if disc[d] == nil {
				disc[d] = &Stats{Name: d}
			}
			disc[d].add(r)
		}
		key := r.Spec + "\x00" + r.Group
		i, ok := grp[key]
		if !ok {
			i = len(groups)
			grp[key] = i
			groups = append(groups, Stats{Name: r.Group, Kind: r.Kind, Spec: r.Spec, Disciplines: r.Disciplines})
		}
		groups[i].add(r)
	}
	total.finish()
	for _, s := range disc {
		s.finish()
		disciplines = append(disciplines, *s)
	}
	sort.Slice(disciplines, func(a, b int) bool { return disciplines[a].Name < disciplines[b].Name })
	for i := range groups {
		groups[i].finish()
	}
	return total, disciplines, groups
}

func newReport(modelName string, o Options, specs []*compiler.Spec, results []Result) *Report {
	r := &Report{Model: modelName, Seed: o.Seed, PerFamily: o.PerFamily, Temperature: o.Temperature,
		TopP: o.TopP, TopK: o.TopK, MaxTokens: o.MaxTokens, Problems: results, Specs: []string{}}
	for _, s := range specs {
		r.Specs = append(r.Specs, s.Path)
	}
	r.Total, r.Disciplines, r.Groups = Summarize(results)
	if r.Disciplines == nil {
		r.Disciplines = []Stats{}
	}
	return r
}

// JSON returns the report as indented JSON (with a final newline).
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteText writes the report as tables: per discipline (with the total)
// and per family.
func (r *Report) WriteText(w io.Writer) error {
	decoding := "greedy"
	if r.Temperature > 0 {
		decoding = fmt.Sprintf("temperature %g", r.Temperature)
		if r.TopP > 0 && r.TopP < 1 {
			decoding += fmt.Sprintf(", top-p %g", r.TopP)
		}
		if r.TopK > 0 {
			decoding += fmt.Sprintf(", top-k %d", r.TopK)
		}
	}
	fmt.Fprintf(w, "model %s, %d problems from %d %s (%d per family), seed %d, %s, max %d tokens\n\n",
		r.Model, r.Total.N, len(r.Specs), plural(len(r.Specs), "spec", "specs"), r.PerFamily, r.Seed, decoding, r.MaxTokens)
	width := len("discipline")
	for _, s := range r.Disciplines {
		width = max(width, len(s.Name))
	}
	fmt.Fprintf(w, "%-*s  %5s  %7s  %8s  %-14s  %6s  %6s\n", width, "discipline", "n", "correct", "accuracy", "95% CI", "length", "format")
	for _, s := range append(r.Disciplines, r.Total) {
		fmt.Fprintf(w, "%-*s  %s\n", width, s.Name, s.cells())
	}
	fmt.Fprintln(w)
	width, dwidth := len("family"), len("discipline")
	names := make([]string, len(r.Groups))
	for i, s := range r.Groups {
		names[i] = s.Name
		if s.Kind == "sample" {
			names[i] += " (sample)"
		}
		width = max(width, len(names[i]))
		dwidth = max(dwidth, len(strings.Join(s.Disciplines, ",")))
	}
	fmt.Fprintf(w, "%-*s  %-*s  %5s  %7s  %8s  %-14s  %6s  %6s\n", width, "family", dwidth, "discipline", "n", "correct", "accuracy", "95% CI", "length", "format")
	for i, s := range r.Groups {
		fmt.Fprintf(w, "%-*s  %-*s  %s\n", width, names[i], dwidth, strings.Join(s.Disciplines, ","), s.cells())
	}
	return nil
}

// cells formats the numeric columns of a table row.
func (s Stats) cells() string {
	return fmt.Sprintf("%5d  %7d  %8.3f  %-14s  %6.1f  %6.3f", s.N, s.Correct, s.Acc, fmt.Sprintf("[%.3f, %.3f]", s.CILow, s.CIHigh), s.MeanLength, s.FormatRate)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
