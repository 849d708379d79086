package grade

import (
	"strings"
	"unicode/utf8"
)

// candidate is one place a final answer may be in a completion.
type candidate struct {
	text     string
	method   string
	formatOK bool
}

// Extract finds the final answer in a completion: the last \boxed{} or
// \fbox{} (adjacent boxes are joined into a list), else the text after the
// last "final answer is" / "Answer:" phrase, else the last math span
// ($...$, \(...\), \[...\]), else the last number. method is "boxed",
// "fbox", "answer_line", "last_math", "last_number"; ok is false when
// nothing was found.
func Extract(completion string) (answer, method string, ok bool) {
	cs := candidates(tail(completion, DefaultBudget.MaxInput), false)
	if len(cs) == 0 {
		return "", "", false
	}
	return cs[0].text, cs[0].method, true
}

// tail keeps the last max bytes of s (on a rune boundary).
func tail(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[len(s)-max:]
	for i := 0; i < 4 && i < len(s); i++ {
		if utf8.RuneStart(s[i]) {
			return s[i:]
		}
	}
	return s
}

// candidates lists the answer candidates of s, best first. With strict
// only formatted ones (boxed, answer line) are listed.
func candidates(s string, strict bool) []candidate {
	return candidatesInto(nil, s, strict)
}

// candidatesInto is candidates appending to out (at most five are found).
func candidatesInto(out []candidate, s string, strict bool) []candidate {
	b, m, boxEnd, boxed := lastBoxedAt(s)
	// only an answer phrase after the last box can overrule it
	line, lineStart, hasLine := answerLine(s[boxEnd:])
	lineStart += boxEnd
	// an answer phrase after the last box ("\boxed{200} ... The final
	// answer is $10,455$") is the later, final word
	if hasLine && (!boxed || lineStart >= boxEnd) {
		out = append(out, candidate{line, "answer_line", true})
		if n, _, ok := lastNumber(line); ok && n != line {
			out = append(out, candidate{n, "answer_line", true})
		}
	}
	if boxed {
		out = append(out, candidate{b, m, true})
		return out
	}
	if len(out) > 0 && strict {
		return out
	}
	if strict {
		return out
	}
	mt, mEnd, hasMath := lastMath(s)
	num, nStart, hasNum := lastNumber(s)
	// the later of the last math span and the last number comes first
	if hasNum && (!hasMath || nStart >= mEnd) {
		out = append(out, candidate{num, "last_number", false})
	}
	if hasMath {
		out = append(out, candidate{mt, "last_math", false})
	}
	if hasNum && hasMath && nStart < mEnd {
		out = append(out, candidate{num, "last_number", false})
	}
	return out
}

// boxedAt reads the argument of the \boxed or \fbox command at s[i:],
// returning it and the offset just after it.
func boxedAt(s string, i int) (string, int, bool) {
	j := i
	switch {
	case strings.HasPrefix(s[j:], "\\boxed"):
		j += len("\\boxed")
	case strings.HasPrefix(s[j:], "\\fbox"):
		j += len("\\fbox")
	default:
		return "", i, false
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
		j++
	}
	if j >= len(s) {
		return "", j, false
	}
	if s[j] != '{' {
		// \boxed 5: up to white space or $
		k := j
		for k < len(s) && s[k] != ' ' && s[k] != '$' && s[k] != '\n' {
			k++
		}
		if k == j {
			return "", j, false
		}
		return s[j:k], k, true
	}
	depth := 0
	for k := j; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++ // an escaped character (\{ \} \\) does not count
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[j+1 : k], k + 1, true
			}
		}
	}
	return "", len(s), false
}

// lastBoxed returns the content of the last \boxed{}/\fbox{}; boxes
// separated only by white space, commas, "and" or math delimiters are
// joined with commas ("\boxed{1} and \boxed{2}" is "1, 2").
func lastBoxed(s string) (string, string, bool) {
	b, m, _, ok := lastBoxedAt(s)
	return b, m, ok
}

// lastBoxedAt is lastBoxed that also returns the offset where the box ends.
func lastBoxedAt(s string) (string, string, int, bool) {
	type box struct {
		start, end int
		inner      string
		method     string
	}
	var boxBuf [4]box // most completions have a box or two: no allocation
	boxes := boxBuf[:0]
	for i := 0; i < len(s); {
		at := nextBox(s, i)
		if at < 0 {
			break
		}
		inner, end, ok := boxedAt(s, at)
		if !ok {
			i = at + 2
			continue
		}
		m := "boxed"
		if strings.HasPrefix(s[at:], "\\fbox") {
			m = "fbox"
		}
		boxes = append(boxes, box{at, end, inner, m})
		if end <= at {
			end = at + 1
		}
		i = end
		if len(boxes) > 10000 {
			break
		}
	}
	if len(boxes) == 0 {
		return "", "", 0, false
	}
	last := len(boxes) - 1
	first := last
	for first > 0 && joinGap(s[boxes[first-1].end:boxes[first].start]) && last-first < 16 {
		first--
	}
	if first == last {
		return boxes[last].inner, boxes[last].method, boxes[last].end, true
	}
	parts := make([]string, 0, last-first+1)
	for _, b := range boxes[first : last+1] {
		parts = append(parts, b.inner)
	}
	return strings.Join(parts, ", "), boxes[last].method, boxes[last].end, true
}

// nextBox returns the offset of the first "\\boxed" or "\\fbox" in s[from:],
// as an offset into s, or -1: one search for the "box" both contain.
func nextBox(s string, from int) int {
	for i := from; i < len(s); {
		k := strings.Index(s[i:], "box")
		if k < 0 {
			return -1
		}
		at := i + k
		if at-1 >= from && s[at-1] == '\\' && strings.HasPrefix(s[at+3:], "ed") {
			return at - 1
		}
		if at-2 >= from && s[at-2] == '\\' && s[at-1] == 'f' {
			return at - 2
		}
		i = at + 3
	}
	return -1
}

var gapReplacer = strings.NewReplacer("\\quad", "", "\\qquad", "", "\\text{and}", "", "\\text{ and }", "",
	"\\text{ or }", "", "\\,", "", "\\]", "", "\\[", "", "\\)", "", "\\(", "", "$", "", ",", "", " and ", "", " or ", "", "and", "", ";", "", "\\\\", "", "&", "", ".", "")

// joinGap reports whether the text between two boxes joins them into one
// answer: short, and no sentence break (". ", ";", ":") in it: "\boxed{1}
// and \boxed{2}", "\boxed{(3,3)} for part (a) and \boxed{(1,1)}", but not
// "\boxed{12} was wrong; correcting: \boxed{14}".
func joinGap(g string) bool {
	if len(g) > 48 {
		return false
	}
	rest := strings.TrimSpace(gapReplacer.Replace(g))
	if rest == "" {
		return true
	}
	low0 := asciiLower(g)
	connective := strings.Contains(low0, "and") || strings.Contains(g, ",") || strings.Contains(low0, " or ") || strings.Contains(g, "&")
	if !connective {
		// only symbols between the boxes ("\\boxed{a} ++ \\boxed{b}")
		for i := 0; i < len(rest); i++ {
			if isLetter(rest[i]) || isDigit(rest[i]) {
				return false
			}
		}
	}
	low := asciiLower(g)
	for _, w := range []string{"then", "but", "wrong", "instead", "not ", "actually", "correct", "so ", "hence", "therefore", "thus"} {
		if strings.Contains(low, w) {
			return false
		}
	}
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case ';', ':', '!', '?', '\n':
			return false
		case '.':
			if i+1 >= len(g) || g[i+1] == ' ' {
				return false
			}
		}
	}
	return true
}

// answerLine returns the text after the last answer phrase ("final answer
// is", "answer is", "Answer:"), to the end of its line; in a sentence such
// as "The volume is 120." the part after the last " is " is kept.
func answerLine(s string) (string, int, bool) {
	k := lastIndexFold(s, "answer")
	for k >= 0 {
		rest := s[k+len("answer"):]
		// skip "s", "**", ":", " is", "="
		r := strings.TrimLeft(rest, "s*: \t")
		lr := asciiLower(r[:min(len(r), 8)]) // as long as the longest phrase below
		for _, p := range []string{"is:", "is", "=", ":", "would be", "will be"} {
			if strings.HasPrefix(lr, p) {
				r = r[len(p):]
				break
			}
		}
		r = strings.TrimLeft(r, "*: \t")
		if strings.HasPrefix(r, "\n") {
			r = strings.TrimLeft(r, "\n \t")
		}
		line := r
		if span, ok := leadingMath(line); ok {
			return span, k, true
		}
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		line = firstSentence(line)
		if len(line) > 400 {
			line = line[:400]
		}
		line = strings.TrimSpace(stripHopeTail(line))
		if line != "" {
			if i := strings.LastIndex(line, " is "); i >= 0 && strings.Count(line[:i], "$")%2 == 0 {
				line = strings.TrimSpace(line[i+4:])
			}
			line = strings.TrimSuffix(strings.TrimSpace(stripHopeTail(line)), ".")
			if line != "" {
				return line, k, true
			}
		}
		if k == 0 {
			break
		}
		k = lastIndexFold(s[:k], "answer")
	}
	return "", 0, false
}

// lastIndexFold is strings.LastIndex for a lower-case ASCII word, ignoring
// ASCII case, without copying s.
func lastIndexFold(s, word string) int {
	n := len(word)
	for i := len(s) - n; i >= 0; i-- {
		c := s[i]
		if c|0x20 != word[0] {
			continue
		}
		ok := true
		for j := 1; j < n; j++ {
			if s[i+j]|0x20 != word[j] {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

// asciiLower lower-cases ASCII letters only, keeping every byte offset.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !(s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s // nothing to change: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 32
		}
		b.WriteByte(c)
	}
	return b.String()
}

// leadingMath returns the math span that s starts with ("$16,\\!386.20$.
// I apologize ..." gives "16,\\!386.20"), delimiters included.
func leadingMath(s string) (string, bool) {
	for _, p := range [][2]string{{"$$", "$$"}, {"$", "$"}, {"\\(", "\\)"}, {"\\[", "\\]"}} {
		if strings.HasPrefix(s, p[0]) {
			end := indexUnescaped(s[len(p[0]):], p[1])
			if end > 0 {
				inner := s[len(p[0]) : len(p[0])+end]
				if strings.TrimSpace(inner) != "" && (p[0] != "$" || !strings.Contains(inner, "\n")) {
					return inner, true
				}
			}
			return "", false
		}
	}
	return "", false
}

// firstSentence cuts s at the first sentence end (". " before a capital
// letter) outside math.
func firstSentence(s string) string {
	dollars := 0
	for i := 0; i+2 < len(s); i++ {
		switch s[i] {
		case '$':
			dollars++
		case '.':
			if dollars%2 == 0 && s[i+1] == ' ' && s[i+2] >= 'A' && s[i+2] <= 'Z' {
				return s[:i]
			}
		}
	}
	return s
}

// stripHopeTail cuts the "I hope it is correct." boilerplate and chat
// tokens off an answer line.
func stripHopeTail(s string) string {
	for _, cut := range []string{"I hope", "<|", "</", "Note:"} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// lastMath returns the content of the last math span.
func lastMath(s string) (string, int, bool) {
	last := ""
	found := false
	lastEnd := 0
	for i := 0; i < len(s); i++ {
		// jump to the next '$' or '\\'
		d := strings.IndexByte(s[i:], '$')
		b := strings.IndexByte(s[i:], '\\')
		switch {
		case d < 0 && b < 0:
			i = len(s)
			continue
		case d < 0 || b >= 0 && b < d:
			i += b
		default:
			i += d
		}
		c := s[i]
		var open, cl string
		switch {
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			open, cl = "$$", "$$"
		case c == '$' && (i == 0 || s[i-1] != '\\'):
			open, cl = "$", "$"
		case c == '\\' && i+1 < len(s) && s[i+1] == '(':
			open, cl = "\\(", "\\)"
		case c == '\\' && i+1 < len(s) && s[i+1] == '[':
			open, cl = "\\[", "\\]"
		case c == '\\':
			i++
			continue
		default:
			continue
		}
		start := i + len(open)
		end := indexUnescaped(s[start:], cl)
		if end < 0 {
			break
		}
		inner := s[start : start+end]
		if open == "$" && strings.Contains(inner, "\n") {
			// an inline span does not cross lines; treat this $ as text
			continue
		}
		if strings.TrimSpace(inner) != "" {
			last, found, lastEnd = inner, true, start+end+len(cl)
		}
		i = start + end + len(cl) - 1
	}
	if !found {
		return "", 0, false
	}
	return strings.TrimSpace(last), lastEnd, true
}

func indexUnescaped(s, pat string) int {
	off := 0
	for {
		k := strings.Index(s[off:], pat)
		if k < 0 {
			return -1
		}
		at := off + k
		if pat == "$" && at > 0 && s[at-1] == '\\' {
			off = at + 1
			continue
		}
		return at
	}
}

// lastNumber returns the last number in s and its offset: optional sign,
// digits with thousands separators (1,234 and 1 234), a decimal part (also
// a decimal comma, 2,74), a fraction a/b and a trailing %. Digits glued to
// a preceding letter (x2, AZYUK2A) are part of a word, not a number.
func lastNumber(s string) (string, int, bool) {
	end := len(s)
	for tries := 0; tries < 64; tries++ {
		e := -1
		for i := end - 1; i >= 0; i-- {
			if isDigit(s[i]) {
				e = i + 1
				break
			}
		}
		if e < 0 {
			return "", 0, false
		}
		start := e
		for start > 0 && isDigit(s[start-1]) {
			start--
		}
		if start > 0 && isLetter(s[start-1]) {
			// part of a word; look further left
			end = start
			for end > 0 && (isLetter(s[end-1]) || isDigit(s[end-1])) {
				end--
			}
			continue
		}
		return numberAround(s, start, e)
	}
	return "", 0, false
}

// numberAround widens the digit run s[start:end] to the whole number.
func numberAround(s string, start, end int) (string, int, bool) {
	for start > 0 {
		c := s[start-1]
		switch {
		case isDigit(c):
			start--
		case (c == '.' || c == '/') && start >= 2 && isDigit(s[start-2]):
			start--
		case c == ',' && start >= 2 && isDigit(s[start-2]):
			// thousands (1,234) or a decimal comma (2,74)
			start--
		case c == ' ' && start >= 2 && isDigit(s[start-2]) && threeDigits(s[start:]):
			start--
		default:
			goto done
		}
	}
done:
	if start > 0 && s[start-1] == '.' {
		start--
	}
	if start > 0 && s[start-1] == '-' && (start == 1 || !isDigit(s[start-2]) && !isLetter(s[start-2])) {
		start--
	}
	// a number inside a power (2^{10}) is not the answer on its own
	if start > 0 && (s[start-1] == '^' || s[start-1] == '{' && start > 1 && s[start-2] == '^') {
		return "", 0, false
	}
	num := strings.TrimLeft(s[start:end], " ,")
	rest := s[end:]
	if strings.HasPrefix(rest, "%") || strings.HasPrefix(rest, "\\%") || strings.HasPrefix(strings.TrimLeft(rest, " "), "percent") {
		num += "%"
	}
	return num, start, true
}
