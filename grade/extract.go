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
	return boxesAt(s, true)
}

// boxesAt is lastBoxedAt; with nested a box holding boxes is reduced to
// its own last box.
func boxesAt(s string, nested bool) (string, string, int, bool) {
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
		if nested {
			return innerBox(boxes[last].inner, boxes[last].method, boxes[last].end)
		}
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
	// "3 3/8": a mixed number
	if start >= 2 && s[start-1] == ' ' && isDigit(s[start-2]) && strings.IndexByte(s[start:end], '/') > 0 {
		w := start - 1
		for w > 0 && isDigit(s[w-1]) {
			w--
		}
		if w == 0 || !isLetter(s[w-1]) && !isDigit(s[w-1]) && s[w-1] != '.' && s[w-1] != ',' {
			if w > 0 && s[w-1] == '-' {
				w--
			}
			if _, ok := mixedNumber(s[w:end]); ok {
				start = w
			}
		}
	}
	// a number inside \frac{a}{b} stands for the whole fraction
	if f, at, ok := fracAround(s, start, end); ok {
		return f, at, true
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

// fracAround returns the whole \frac{a}{b} (also \dfrac, \tfrac, with a
// leading minus) when the number s[start:end] is one of its arguments
// written as plain digits: the last number of "答案是 (\frac{2}{5}) 吨" is
// the fraction, not its denominator.
func fracAround(s string, start, end int) (string, int, bool) {
	if start < 1 || end >= len(s) || s[start-1] != '{' || s[end] != '}' {
		return "", 0, false
	}
	open, close := start-1, end // the braces around the number
	var fstart, fend int
	if cmd, ok := fracCommandBefore(s, open); ok {
		// first argument: a braced second one must follow
		j := close + 1
		if j >= len(s) || s[j] != '{' {
			return "", 0, false
		}
		k := strings.IndexByte(s[j:], '}')
		if k < 0 || strings.ContainsAny(s[j+1:j+k], "{\\") {
			return "", 0, false
		}
		fstart, fend = cmd, j+k+1
	} else {
		// second argument: a braced first one and the command before it
		if open < 1 || s[open-1] != '}' {
			return "", 0, false
		}
		k := strings.LastIndexByte(s[:open-1], '{')
		if k < 0 || strings.ContainsAny(s[k+1:open-1], "{}\\") {
			return "", 0, false
		}
		cmd, ok := fracCommandBefore(s, k)
		if !ok {
			return "", 0, false
		}
		fstart, fend = cmd, close+1
	}
	if after := strings.TrimLeft(s[fend:], " "); after != "" && (strings.IndexByte("+-*/^=_", after[0]) >= 0 ||
		len(after) > 1 && after[0] == '\\' && isLetter(after[1])) {
		// an operand of a longer expression ("\frac{1}{2}\cdot"), not an answer
		return "", 0, false
	}
	if fstart > 0 && s[fstart-1] == '-' {
		fstart--
	}
	return s[fstart:fend], fstart, true
}

// fracCommandBefore returns where a \frac, \dfrac or \tfrac that ends at
// s[:i] starts.
func fracCommandBefore(s string, i int) (int, bool) {
	for _, c := range []string{"\\frac", "\\dfrac", "\\tfrac"} {
		if strings.HasSuffix(s[:i], c) {
			return i - len(c), true
		}
	}
	return 0, false
}

// choiceAnchors are answer phrases after which a choice letter is read
// ("the answer is for sure D", "réponse est C", "答案是B").
var choiceAnchors = []string{"answer", "réponse", "respuesta", "antwort", "答案"}

// proseLetter finds a choice letter in prose without brackets: the first
// stand-alone letter A-J after an answer phrase (of several, the one the
// letter follows most closely; a number, "$" or a sentence end after the
// phrase first means the answer is not a letter), else a letter that
// starts the text ("D. it can't be A or B", "B。不是 A"), else the last
// stand-alone letter of the last sentence ("therefore I think it's B").
// An "A" or "I" followed by a lower-case word is an article or a
// pronoun, not a letter.
func proseLetter(s string) (string, bool) {
	// of all answer phrases, the one its letter follows most closely;
	// one with a colon or "is" ("Answer: F") before one without
	best, bestGap := "", 65
	bestStrong, anchored := false, false
	for _, a := range choiceAnchors {
		rest := s
		for n := 0; n < 32; n++ {
			k := lastIndexFold(rest, a)
			if a[0] >= 0x80 || a == "réponse" {
				k = max(strings.LastIndex(rest, a), strings.LastIndex(rest, "R"+a[1:]))
			}
			if k < 0 {
				break
			}
			at := k + len(a)
			anchored = true
			strong := strongAnchor(s[at:])
			for i := at; i < len(s) && i-at < 65; i++ {
				if isDigit(s[i]) || s[i] == '$' || s[i] == '.' && i+1 < len(s) && s[i+1] == ' ' {
					break // a number or formula is the answer, or the sentence ended
				}
				if choiceLetterAt(s, i) {
					if otherLetter(s, i) {
						break // "A or B": two letters name no answer
					}
					if strong && !bestStrong || strong == bestStrong && i-at < bestGap {
						best, bestGap, bestStrong = s[i:i+1], i-at, strong
					}
					break
				}
			}
			rest = rest[:k]
		}
	}
	if best != "" || anchored {
		// an answer phrase that states no letter states something else
		return best, best != ""
	}
	t := strings.TrimLeft(s, " \t\n*")
	if len(t) > 0 && choiceLetterAt(t, 0) {
		return t[:1], !otherLetter(t, 0)
	}
	// the last letter of the last sentence ("Point E is ... so the answer
	// is 12." names no choice)
	end := strings.TrimRight(s, " \t\n.!")
	from := max(strings.LastIndex(end, ". "), strings.LastIndexByte(end, '\n'))
	for i := len(end) - 1; i > from; i-- {
		if choiceLetterAt(end, i) {
			if otherLetter(end, i) {
				return "", false // "it could be A, B, C or D"
			}
			return end[i : i+1], true
		}
	}
	return "", false
}

// otherLetter reports whether the choice letter s[i] is one of a list of
// letters ("A or B", "B, C, or D", "C/D"): a hedge states no answer. The
// letters must be joined directly by the separator; a letter further on
// ("E, since B and D fail") is an explanation, not a hedge.
func otherLetter(s string, i int) bool {
	for _, sep := range hedgeSeps {
		if j := i + 1 + len(sep); j < len(s) && strings.HasPrefix(s[i+1:], sep) && looseLetterAt(s, j) {
			return true
		}
		if j := i - len(sep) - 1; j >= 0 && strings.HasPrefix(s[j+1:], sep) && looseLetterAt(s, j) {
			return true
		}
	}
	return false
}

// hedgeSeps join the letters of a hedge, longest first.
var hedgeSeps = []string{", or ", ", and ", " or ", " and ", ", ", " / ", "/", ","}

// looseLetterAt reports whether s[j] is an option letter standing alone
// (no letter or digit beside it), articles included: in "A or B" the "A"
// counts.
func looseLetterAt(s string, j int) bool {
	if !isUpperChoice(s[j]) {
		return false
	}
	if j > 0 && (isLetter(s[j-1]) || isDigit(s[j-1]) || s[j-1] == '\\') {
		return false
	}
	return j+1 >= len(s) || !isLetter(s[j+1]) && !isDigit(s[j+1])
}

// choiceLetterAt reports whether s[i] is a stand-alone letter A-J: no
// ASCII letter or digit on either side, no apostrophe after ("I'm"), and
// not an article or pronoun ("A good", "I think").
func choiceLetterAt(s string, i int) bool {
	if !isUpperChoice(s[i]) {
		return false
	}
	if i > 0 && (isLetter(s[i-1]) || isDigit(s[i-1]) || s[i-1] == '\\' || s[i-1] == '_' || s[i-1] == '^') {
		return false
	}
	if i+1 < len(s) {
		n := s[i+1]
		if isLetter(n) || isDigit(n) || n == '\'' || n == '_' || n == '^' || n == '(' || n == '=' {
			return false
		}
		if (s[i] == 'A' || s[i] == 'I') && n == ' ' && i+2 < len(s) && s[i+2] >= 'a' && s[i+2] <= 'z' {
			return false
		}
		if r := strings.TrimLeft(s[i+1:], " "); r != "" && strings.IndexByte("=+-*/<>^", r[0]) >= 0 {
			return false // a variable in a formula ("B = 3")
		}
	}
	return true
}

// commaLetter reports whether t is a letter followed by a comma and prose
// ("D, it can't be A"), not a list of letters ("A, B").
func commaLetter(t string) bool {
	if len(t) < 2 || t[1] != ',' {
		return false
	}
	rest := strings.TrimLeft(t[2:], " ")
	return rest == "" || !choiceLetterAt(rest, 0)
}

// strongAnchor reports whether the text after an answer word states the
// answer: a colon or "is" follows ("Answer: F", "answer is", "réponse est").
func strongAnchor(s string) bool {
	s = strings.TrimLeft(s, "s* \t")
	if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "：") || strings.HasPrefix(s, "是") {
		return true
	}
	low := asciiLower(s[:min(len(s), 8)])
	return strings.HasPrefix(low, "is ") || strings.HasPrefix(low, "est ") || strings.HasPrefix(low, "would ") || strings.HasPrefix(low, "=")
}

// innerBox returns the last box inside a box ("\boxed{The answer is
// \boxed{7}.}" is 7), looking at most four boxes deep.
func innerBox(inner, method string, end int) (string, string, int, bool) {
	for depth := 0; depth < 4 && (strings.Contains(inner, "\\boxed") || strings.Contains(inner, "\\fbox")); depth++ {
		b, m, _, ok := boxesAt(inner, false)
		if !ok || len(b) >= len(inner) {
			break
		}
		inner, method = b, m
	}
	return inner, method, end, true
}

// proseInList reports whether v is a list with a prose element: a whole
// text such as "Therefore, $$3!$$" read as the list (Therefore, 6).
func proseInList(v Value) bool {
	s, ok := v.(*seqV)
	if !ok || s.k != seqList {
		return false
	}
	for _, e := range s.elems {
		if _, ok := e.(*textV); ok {
			return true
		}
	}
	return false
}
