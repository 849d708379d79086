package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/polylearn/poly/grade"
)

// row is one grader (or mode) of the summary table.
type row struct {
	name    string
	rate    float64   // checks per CPU-second
	rewards []float64 // in corpus order
}

// goal is issue #4's throughput goal: poly at least this many times verl's
// checks per second.
const goal = 3.0

// human writes a rate with three significant figures and a k/M suffix.
func human(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.3g", x/1e6) + "M"
	case x >= 1e3:
		return fmt.Sprintf("%.3g", x/1e3) + "k"
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	default:
		return fmt.Sprintf("%.3g", x)
	}
}

// ratio writes a/b as "2.35x", or "-" when b is unknown.
func ratio(a, b float64) string {
	if b <= 0 || a <= 0 {
		return "-"
	}
	if a/b < 0.1 {
		return fmt.Sprintf("%.2gx", a/b)
	}
	return fmt.Sprintf("%.2fx", a/b)
}

// agreement returns the share of labelled cases whose reward is the label,
// and the number of labelled cases.
func agreement(rewards []float64, cases []benchCase) (float64, int) {
	ok, n := 0, 0
	for i, c := range cases {
		if c.Want == nil {
			continue
		}
		n++
		if rewards[i] == *c.Want {
			ok++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(ok) / float64(n), n
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// verlRef is one of verl's three figures: the baseline of a ratio column of
// the summary table and of a goal line.
type verlRef struct {
	col   string  // ratio column header
	label string  // what the figure is, in the goal lines
	rate  float64 // checks per CPU-second; 0 when verl was not run
}

// verlRefs returns verl's three figures in the order the table and the goal
// lines give them: (1) every answer without a box given boxed, as issue #4's
// figure for verl measures it, (2) only bare answers boxed, (3) as given.
func verlRefs(every, bare, given float64) []verlRef {
	return []verlRef{
		{col: "/verl every", label: "verl as the issue measures it (every answer boxed)", rate: every},
		{col: "/verl box", label: "verl, bare answers boxed", rate: bare},
		{col: "/verl given", label: "verl as given", rate: given},
	}
}

const rowFormat = "%-32s %12s %8s %10s"

// formatTable writes the summary: per row checks per CPU-second, agreement
// with the labels and with math-verify, and the ratio to each of verl's
// figures.
func formatTable(rows []row, cases []benchCase, mv []float64, verls []verlRef) string {
	var b strings.Builder
	_, labelled := agreement(rows[0].rewards, cases)
	fmt.Fprintf(&b, rowFormat, "grader, mode", "checks/CPU-s", "labels", "=m-verify")
	for _, v := range verls {
		fmt.Fprintf(&b, " %11s", v.col)
	}
	b.WriteString("\n")
	for _, r := range rows {
		lab, mvs := "-", "-"
		if labelled > 0 {
			a, _ := agreement(r.rewards, cases)
			lab = pct(a)
		}
		if mv != nil {
			mvs = pct(1 - float64(mismatches(r.rewards, mv))/float64(len(cases)))
		}
		fmt.Fprintf(&b, rowFormat, r.name, human(r.rate), lab, mvs)
		for _, v := range verls {
			fmt.Fprintf(&b, " %11s", ratio(r.rate, v.rate))
		}
		b.WriteString("\n")
	}
	if labelled > 0 {
		fmt.Fprintf(&b, "(labels: agreement with the corpus's %d labels; =m-verify: same reward as math-verify, all %d cases)\n", labelled, len(cases))
	}
	return b.String()
}

// goalLine says, for each of verl's figures, whether each of poly's modes
// meets issue #4's goal against it, each figure labelled with what it is.
func goalLine(poly []row, verls []verlRef) string {
	run := false
	for _, v := range verls {
		run = run || v.rate > 0
	}
	if !run {
		return "goal (>= 3x verl): verl not run\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "goal >= %gx verl's checks/CPU-s, every poly row against each of verl's figures:\n", goal)
	for i, v := range verls {
		fmt.Fprintf(&b, "(%d) %s", i+1, v.label)
		if v.rate <= 0 {
			b.WriteString(": not run\n")
			continue
		}
		fmt.Fprintf(&b, ", %s/s:\n ", human(v.rate))
		for j, r := range poly {
			met := "NOT met"
			if r.rate >= goal*v.rate {
				met = "met"
			}
			sep := ","
			if j == len(poly)-1 {
				sep = ""
			}
			fmt.Fprintf(&b, " %s %s (%s)%s", r.name, ratio(r.rate, v.rate), met, sep)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func printDisagreements(name string, cases []benchCase, res []grade.Result, other []float64) {
	type d struct {
		i   int
		cat string
	}
	var ds []d
	for i := range cases {
		if res[i].Reward != other[i] {
			ds = append(ds, d{i, cases[i].Cat})
		}
	}
	sort.SliceStable(ds, func(a, b int) bool { return ds[a].cat < ds[b].cat })
	fmt.Printf("\ndisagreements with %s (%d):\n", name, len(ds))
	for _, x := range ds {
		c, r := cases[x.i], res[x.i]
		label := ""
		if c.Want != nil {
			label = fmt.Sprintf(" label=%g", *c.Want)
		}
		fmt.Printf("- #%d [%s] poly=%g %s=%g%s  %s\n    gold %s\n    pred %s\n    poly parsed %s; %s\n",
			x.i+1, c.Cat, r.Reward, name, other[x.i], label, c.Note, clip(c.Gold), clip(c.Pred), clip(r.Parsed), reasonOr(r.Reason))
	}
}

func reasonOr(s string) string {
	if s == "" {
		return "correct"
	}
	return "reason: " + s
}

// clip quotes s, newlines shown as ⏎; a long s keeps its head and its tail
// (where a completion's final answer is).
func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", "⏎")
	if len(s) > 200 {
		return fmt.Sprintf("%q…(%d bytes)…%q", safeCut(s, 60, true), len(s), safeCut(s, 120, false))
	}
	return fmt.Sprintf("%q", s)
}

// safeCut returns about n bytes of s from its head or its tail, on a rune
// boundary.
func safeCut(s string, n int, head bool) string {
	if head {
		for n < len(s) && !runeStart(s[n]) {
			n++
		}
		return s[:n]
	}
	i := len(s) - n
	for i > 0 && !runeStart(s[i]) {
		i--
	}
	return s[i:]
}

func runeStart(b byte) bool { return b&0xC0 != 0x80 }
