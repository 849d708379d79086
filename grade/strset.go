package grade

// strSet is a read-only set of short strings, built once from a
// map[string]bool (its true keys): the lexer looks up every word and
// command name, and a probe here (a hash of the length and the end bytes,
// then a comparison or two) costs a fraction of a map access. The maps
// stay the one place where the names are listed.
type strSet struct {
	b     [strSetBuckets][]string
	empty bool // "" is in the set
}

const strSetBuckets = 512

func newStrSet(m map[string]bool) *strSet {
	t := &strSet{}
	for k, ok := range m {
		if !ok {
			continue
		}
		if k == "" {
			t.empty = true
			continue
		}
		h := strSetHash(k)
		t.b[h] = append(t.b[h], k)
	}
	return t
}

func strSetHash(s string) int {
	return (len(s)*131 + int(s[0])*31 + int(s[len(s)-1])*7 + int(s[len(s)/2])) & (strSetBuckets - 1)
}

// has reports whether s is in the set.
func (t *strSet) has(s string) bool {
	if s == "" {
		return t.empty
	}
	for _, k := range t.b[strSetHash(s)] {
		if k == s {
			return true
		}
	}
	return false
}

var (
	spacingSet = newStrSet(spacingCmds)
	textSet    = newStrSet(textCmds)
	greekSet   = newStrSet(greek)
	proseSet   = newStrSet(proseWords)
	funcSet    = newStrSet(funcNames)
)

// hasUpper reports whether s has an ASCII upper-case letter.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}
