package synth

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated catalog in specs/README.md")

const (
	catalogBegin = "<!-- BEGIN GENERATED CATALOG (go test ./synth -run TestCatalog -update) -->\n"
	catalogEnd   = "<!-- END GENERATED CATALOG -->\n"
)

// catalog renders the table of every shipped sample and family.
func catalog(t *testing.T) string {
	var b strings.Builder
	b.WriteString("| file | id | kind | disciplines | skills | answer | distinct problems |\n|---|---|---|---|---|---|---|\n")
	type row struct{ dir, line string }
	var rows []row
	for _, dir := range []string{"engineered", "natural", "eval"} {
		for _, f := range shipped(t, dir) {
			spec := compile(t, f)
			rel, _ := filepath.Rel(specsDir, f)
			for _, s := range spec.Samples {
				rows = append(rows, row{rel, fmt.Sprintf("| `%s` | `%s` | sample | %s | %s | %s | 1 |\n",
					rel, s.ID, strings.Join(s.Disciplines, ", "), strings.Join(s.Skills, ", "), answerDesc(s.Answer.Kind, s.Answer.Unit, s.Answer.Tolerance.Kind, s.Answer.Tolerance.Value))})
			}
			for _, fam := range spec.Families {
				probs, err := fam.Generate(1, 1)
				if err != nil {
					t.Fatal(err)
				}
				a := probs[0].Answer
				rows = append(rows, row{rel, fmt.Sprintf("| `%s` | `%s` | family | %s | %s | %s | %d |\n",
					rel, fam.ID, fam.Discipline, strings.Join(fam.Skills, ", "), answerDesc(a.Kind, a.Unit, a.Tolerance.Kind, a.Tolerance.Value), fam.Size())})
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].dir < rows[j].dir })
	for _, r := range rows {
		b.WriteString(r.line)
	}
	return b.String()
}

func answerDesc(kind any, unit, tolKind string, tol float64) string {
	s := fmt.Sprint(kind)
	if unit != "" {
		s += " in " + unit
	}
	if tolKind != "" {
		s += fmt.Sprintf(", %s %g", tolKind, tol)
	}
	return s
}

// TestCatalog keeps the generated table of specs/README.md in sync with
// the shipped specs.
func TestCatalog(t *testing.T) {
	path := filepath.Join(specsDir, "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, catalogBegin), strings.Index(doc, catalogEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no generated catalog markers", path)
	}
	want := doc[:i+len(catalogBegin)] + catalog(t) + doc[j:]
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != doc {
		t.Errorf("specs/README.md is out of date: go test ./synth -run TestCatalog -update")
	}
}
