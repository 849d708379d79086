package units

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated unit table in docs/units.md")

const (
	tableBegin = "<!-- BEGIN GENERATED UNIT TABLE (go test ./compiler/units -run TestDocsTable -update) -->"
	tableEnd   = "<!-- END GENERATED UNIT TABLE -->"
)

// unitTableMarkdown renders the unit table and the prefixes as Markdown.
func unitTableMarkdown() string {
	var b strings.Builder
	b.WriteString("| kind | symbol | also accepted | = in SI | prefixes |\n|---|---|---|---|---|\n")
	aliases := map[*unitDef][]string{}
	for s, d := range unitTable {
		if s != d.name {
			aliases[d] = append(aliases[d], s)
		}
	}
	for _, d := range unitDefs {
		al := aliases[d]
		sortStrings(al)
		si := docNumber(d.scale)
		if dim := d.dim.String(); dim != "1" {
			if si == "1" {
				si = dim
			} else {
				si += " " + dim
			}
		}
		if !d.offset.IsZero() {
			off := docNumber(d.offset)
			if strings.Contains(off, "/") {
				off += " (≈" + d.offset.SigString(10) + ")"
			}
			si = fmt.Sprintf("absolute: K = value × %s + %s", docNumber(d.scale), off)
		}
		pre := ""
		if d.prefix {
			pre = "yes"
		}
		quoted := make([]string, len(al))
		for i, a := range al {
			quoted[i] = "`" + a + "`"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", d.kind, d.name, strings.Join(quoted, " "), si, pre)
	}
	b.WriteString("\nSI prefixes (exact powers of ten):\n\n| prefix | factor |\n|---|---|\n")
	for _, p := range prefixes {
		names := []string{"`" + p.name + "`"}
		for n, q := range prefixTable {
			if q == p && n != p.name {
				names = append(names, "`"+n+"`")
			}
		}
		sortStrings(names[1:])
		fmt.Fprintf(&b, "| %s | 10^%d |\n", strings.Join(names, " "), p.exp)
	}
	return b.String()
}

// docNumber writes an exact number in its shortest decimal form when that
// form is exact ("1e-10", "3.15576e+07"), as p/q otherwise, and a float
// as ≈ with 10 significant figures.
func docNumber(n Number) string {
	if !n.IsExact() {
		return "≈" + n.SigString(10)
	}
	short := strconv.FormatFloat(n.Float64(), 'g', -1, 64)
	if m, err := ParseNumber(short); err == nil && m.Equal(n) {
		return short
	}
	return n.FracString()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestDocsTable checks that docs/units.md holds the current unit table.
func TestDocsTable(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "units.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: missing the generated-table markers", path)
	}
	want := tableBegin + "\n" + unitTableMarkdown() + tableEnd
	got := doc[i : j+len(tableEnd)]
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("%s: the unit table is out of date; run go test ./compiler/units -run TestDocsTable -update", path)
	}
	doc = doc[:i] + want + doc[j+len(tableEnd):]
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}
