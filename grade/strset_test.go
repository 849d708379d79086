package grade

import "testing"

func TestStrSetMatchesMap(t *testing.T) {
	probes := []string{"", "a", "x", "is", "Is", "sin", "sinh", "arcsin", "frac", "left", "right", "color",
		"text", "mathrm", "alpha", "Alpha", "ell", "therefore", "thereforex", "quad", "qquad", "big", "Bigg"}
	for name, m := range map[string]map[string]bool{"spacingCmds": spacingCmds, "textCmds": textCmds,
		"greek": greek, "proseWords": proseWords, "funcNames": funcNames} {
		set := newStrSet(m)
		all := append([]string(nil), probes...)
		for k := range m {
			all = append(all, k, k+"s", k[:len(k)-1])
		}
		for _, s := range all {
			if got, want := set.has(s), m[s]; got != want {
				t.Errorf("%s: has(%q) = %v, map says %v", name, s, got, want)
			}
		}
	}
	m := map[string]bool{"": true, "b": true, "c": false}
	if s := newStrSet(m); !s.has("") || !s.has("b") || s.has("c") || s.has("d") {
		t.Errorf("newStrSet(%v) is wrong", m)
	}
}
