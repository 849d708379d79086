package main

import (
	"strings"
	"testing"
)

func TestHuman(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{2_460_000, "2.46M"}, {1_000_000, "1M"}, {330_400, "330k"}, {75_612, "75.6k"}, {1000, "1k"}, {999, "999"}, {125.4, "125"}, {76.66, "76.7"}, {23, "23"}, {0.5, "0.5"},
	} {
		if got := human(tt.x); got != tt.want {
			t.Errorf("human(%g) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestRatio(t *testing.T) {
	for _, tt := range []struct {
		a, b float64
		want string
	}{
		{3, 1, "3.00x"}, {1.52e6, 330e3, "4.61x"}, {1, 0, "-"}, {0, 5, "-"}, {23, 330e3, "7e-05x"}, {0.5, 1, "0.50x"},
	} {
		if got := ratio(tt.a, tt.b); got != tt.want {
			t.Errorf("ratio(%g, %g) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func f(x float64) *float64 { return &x }

func TestAgreement(t *testing.T) {
	cases := []benchCase{{Want: f(1)}, {Want: f(0)}, {}, {Want: f(1)}}
	a, n := agreement([]float64{1, 1, 0, 1}, cases)
	if n != 3 || a != 2.0/3 {
		t.Errorf("agreement %g of %d, want 2/3 of 3", a, n)
	}
	if a, n := agreement([]float64{1}, []benchCase{{}}); a != 0 || n != 0 {
		t.Errorf("no labels: %g of %d", a, n)
	}
}

func TestFormatTable(t *testing.T) {
	cases := []benchCase{{Want: f(1)}, {Want: f(0)}}
	rows := []row{{name: "poly, warm", rate: 900e3, rewards: []float64{1, 0}}, {name: "verl, boxed", rate: 300e3, rewards: []float64{0, 0}}}
	got := formatTable(rows, cases, []float64{1, 1}, verlRefs(100e3, 300e3, 600e3))
	lines := strings.Split(got, "\n")
	for _, tt := range []struct {
		line  int
		wants []string
	}{
		{0, []string{"/verl every", "/verl box", "/verl given"}},
		{1, []string{"poly, warm", "900k", "100.0%", "50.0%", "9.00x", "3.00x", "1.50x"}},
		{2, []string{"verl, boxed", "300k", "0.0%", "3.00x", "1.00x", "0.50x"}},
		{3, []string{"2 labels"}},
	} {
		for _, want := range tt.wants {
			if !strings.Contains(lines[tt.line], want) {
				t.Errorf("table line %d lacks %q:\n%s", tt.line, want, got)
			}
		}
	}
	// the ratio columns come in the order of the figures
	if i, j, k := strings.Index(lines[1], "9.00x"), strings.Index(lines[1], "3.00x"), strings.Index(lines[1], "1.50x"); !(i < j && j < k) {
		t.Errorf("ratio columns out of order: %q", lines[1])
	}
	if got := formatTable(rows, cases, nil, verlRefs(0, 0, 0)); strings.Count(got, " - ") < 4 {
		t.Errorf("verl not run: want '-' ratios:\n%s", got)
	}
}

func TestGoalLine(t *testing.T) {
	poly := []row{{name: "poly warm", rate: 1e6}, {name: "poly cold", rate: 200e3}, {name: "poly grade -j 1", rate: 150e3}}
	got := goalLine(poly, verlRefs(100e3, 300e3, 2e6))
	lines := strings.Split(got, "\n")
	for _, tt := range []struct {
		line  int
		wants []string
	}{
		{1, []string{"(1) verl as the issue measures it (every answer boxed)", "100k/s"}},
		{2, []string{"poly warm 10.00x (met)", "poly cold 2.00x (NOT met)", "poly grade -j 1 1.50x (NOT met)"}},
		{3, []string{"(2) verl, bare answers boxed", "300k/s"}},
		{4, []string{"poly warm 3.33x (met)", "poly cold 0.67x (NOT met)", "poly grade -j 1 0.50x (NOT met)"}},
		{5, []string{"(3) verl as given", "2M/s"}},
		{6, []string{"poly warm 0.50x (NOT met)", "poly cold 0.10x (NOT met)", "poly grade -j 1 0.075x (NOT met)"}},
	} {
		if tt.line >= len(lines) {
			t.Fatalf("goal line has %d lines:\n%s", len(lines), got)
		}
		for _, want := range tt.wants {
			if !strings.Contains(lines[tt.line], want) {
				t.Errorf("goal line %d lacks %q:\n%s", tt.line, want, got)
			}
		}
	}
	if got := goalLine(poly, verlRefs(0, 300e3, 2e6)); !strings.Contains(got, "(1) verl as the issue measures it (every answer boxed): not run") || !strings.Contains(got, "poly warm 3.33x (met)") {
		t.Errorf("one figure missing:\n%s", got)
	}
	if got := goalLine(poly, verlRefs(0, 0, 0)); !strings.Contains(got, "verl not run") {
		t.Errorf("no verl: %q", got)
	}
}

func TestClipKeepsTheTail(t *testing.T) {
	long := strings.Repeat("reasoning é ", 40) + `\boxed{42}`
	got := clip(long)
	if !strings.Contains(got, `\\boxed{42}`) || !strings.Contains(got, "bytes") {
		t.Errorf("clip(long) = %s", got)
	}
	if got := clip("a\nb"); got != `"a⏎b"` {
		t.Errorf("clip short = %s", got)
	}
}
