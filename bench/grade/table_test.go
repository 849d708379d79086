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
	got := formatTable(rows, cases, []float64{1, 1}, 300e3, 600e3)
	for _, want := range []string{"poly, warm", "900k", "100.0%", "50.0%", "3.00x", "1.50x", "verl, boxed", "300k", "0.0%", "1.00x", "0.50x", "2 labels"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestGoalLine(t *testing.T) {
	poly := []row{{name: "poly warm", rate: 1e6}, {name: "poly cold", rate: 200e3}, {name: "poly grade -j 1", rate: 150e3}}
	got := goalLine(poly, 300e3, 2e6)
	for _, want := range []string{"real work", "poly warm 3.33x (met)", "poly cold 0.67x (NOT met)", "poly grade -j 1 0.50x (NOT met)", "as given", "2M/s", "poly warm 0.50x, poly cold 0.10x, poly grade -j 1 0.07"} {
		if !strings.Contains(got, want) {
			t.Errorf("goal line lacks %q:\n%s", want, got)
		}
	}
	if got := goalLine(poly, 0, 0); !strings.Contains(got, "verl not run") {
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
