package grade

import (
	"fmt"
	"strings"
)

// Check grades a completion (a whole model response, or a bare answer)
// against gold. It never panics and stays within opts.Budget.
func Check(gold Gold, completion string, opts Options) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			// a bug, not the input's fault; the fuzz tests keep this dead
			res = Result{Reason: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	c := getCtx(opts.Budget)
	c.noCache = opts.NoCache
	res = c.finish(c.check(gold, completion, opts))
	putCtx(c)
	return res
}

// finish names the budget that ran out in a result that is not correct.
func (c *ctx) finish(res Result) Result {
	if c.why == "" && c.ev.over {
		c.why = c.ev.why
	}
	if !res.Correct() && c.why != "" {
		res.Budget = c.why
	}
	return res
}

// CheckStrings grades pred against a gold answer given as text (see
// ParseGold). A gold answer that does not parse gives Reward 0 and a
// reason starting with "gold:".
func CheckStrings(goldText, predText string, opts Options) (res Result) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{Reason: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	c := getCtx(opts.Budget)
	c.noCache = opts.NoCache
	g, err := c.cachedGold(goldText)
	if err != nil {
		res = c.finish(Result{Reason: "gold: " + err.Error(), Gold: clip(goldText, 200)})
	} else {
		// what parsing the gold answer spent says nothing about the prediction
		c.why = ""
		res = c.finish(c.check(g, predText, opts))
	}
	putCtx(c)
	return res
}

// goldCache keeps parsed gold answers of CheckStrings: a trainer grades
// every gold answer many times (n rollouts per prompt, many epochs). Gold
// values are read-only once built, so sharing them is safe.
var goldCache = newShardedCache[goldEntry](goldCacheSize)

type goldEntry struct {
	g   Gold
	err error
	why string // the budget that ran out while parsing, if any
}

// parseNoting runs parse and returns the budget it ran out of ("" if
// none), so that a cache can replay it: a cache hit must give the same
// Result as a miss.
func (c *ctx) parseNoting(parse func() (Value, error)) (Value, error, string) {
	prev := c.why
	c.why = ""
	v, err := parse()
	why := c.why
	if prev != "" {
		c.why = prev
	}
	return v, err, why
}

// goldCacheSize bounds the cache; a full part of it is emptied.
const goldCacheSize = 8192

func (c *ctx) cachedGold(text string) (Gold, error) {
	if len(text) > 4096 || c.noCache || !c.defaultParseBudget() {
		return parseGold(c, text)
	}
	e, ok := goldCache.get(text)
	if ok {
		if e.why != "" {
			c.spent(e.why)
		}
		return e.g, e.err
	}
	var g Gold
	c.keep = true // the cache keeps it
	_, err, why := c.parseNoting(func() (Value, error) {
		var err error
		g, err = parseGold(c, text)
		return nil, err
	})
	c.keep = false
	if c.expired() {
		return g, err // a budget failure is not cached
	}
	g.str = g.String()
	goldCache.put(text, goldEntry{g, err, why})
	return g, err
}

// answerCache keeps parsed answers: in training the same short answers
// ("14", "\\frac{1}{2}") come back again and again. Values are read-only.
// Only checks under the default parse budget use it.
var answerCache = newShardedCache[goldEntry](answerCacheSize)

const answerCacheSize = 16384

func (c *ctx) parseCached(text string) (Value, error) {
	if c.noCache || len(text) > 256 || !c.defaultParseBudget() {
		return c.parse(text)
	}
	e, ok := answerCache.get(text)
	if ok {
		if e.why != "" {
			c.spent(e.why)
		}
		return e.g.v, e.err
	}
	c.keep = true // the cache keeps it
	v, err, why := c.parseNoting(func() (Value, error) { return c.parse(text) })
	c.keep = false
	if c.expired() {
		return v, err
	}
	if err == nil {
		v = &stringCached{Value: v, s: v.String()}
	}
	answerCache.put(text, goldEntry{Gold{v: v}, err, why})
	return v, err
}

// defaultParseBudget reports whether parsing runs under the default
// limits: only then are parsed values shared through the caches.
func (c *ctx) defaultParseBudget() bool {
	d := DefaultBudget
	return c.b.MaxDepth == d.MaxDepth && c.b.MaxNodes == d.MaxNodes && c.b.MaxAnswer == d.MaxAnswer && c.b.MaxInput == d.MaxInput && c.b.MaxSteps == d.MaxSteps
}

// phaseCompare is a top-level compare with fresh work budgets.
func (c *ctx) phaseCompare(gold, pred Value, tol Tolerance) bool {
	c.phase()
	return c.compare(gold, pred, tol, 0).ok
}

// stringCached is a cached Value with its canonical form computed once.
type stringCached struct {
	Value
	s string
}

func (v *stringCached) String() string { return v.s }

// unwrapCached returns the Value behind a cache wrapper.
func unwrapCached(v Value) Value {
	if s, ok := v.(*stringCached); ok {
		return s.Value
	}
	return v
}

func (c *ctx) check(gold Gold, completion string, opts Options) Result {
	res := Result{Gold: gold.String()}
	if gold.v == nil {
		res.Reason = "no gold answer"
		return res
	}
	if len(completion) > c.b.MaxInput {
		// only the tail is read, and where an answer begins before the
		// cut is unknown ("\boxed{\sqrt{\sqrt{...2}}}" cut to "...2}}}"):
		// only a box or an answer line whole in the tail is an answer,
		// never a last number or the text itself
		completion = tail(completion, c.b.MaxInput)
		opts.Strict = true
		c.spent(BudgetInput)
	}
	if gold.letter != "" {
		return c.checkChoice(gold, completion, opts, res)
	}
	cands := c.allCandidates(completion, opts.Strict)
	if len(cands) == 0 {
		res.Reason = "no final answer found"
		return res
	}
	res.FormatOK = cands[0].formatOK
	var firstErr error
	for _, cand := range cands {
		if gold.src != "" && c.trim(cand.text) == gold.src {
			// the very same answer text: equal whatever it means
			res.Extracted, res.Method, res.Parsed, res.Reward = clip(cand.text, 500), cand.method, res.Gold, 1
			return res
		}
		cv, err := c.parseCached(cand.text)
		v := unwrapCached(cv)
		if err != nil {
			if firstErr == nil {
				firstErr = err
				res.Extracted, res.Method = clip(cand.text, 500), cand.method
			}
			if c.expired() {
				break
			}
			continue
		}
		if _, isText := v.(*textV); isText && cand.method != "boxed" && cand.method != "fbox" {
			if _, goldText := gold.v.(*textV); !goldText {
				// prose is not an answer unless the gold answer is text
				continue
			}
		}
		if cand.method == "whole" && len(cands) > 1 && proseInList(v) {
			continue // "Therefore, $$3!$$": the formula, not the sentence
		}
		res.Extracted, res.Method = clip(cand.text, 500), cand.method
		res.Parsed = clip(cv.String(), 500)
		tol := opts.Tolerance
		if !gold.tol.IsZero() {
			tol = gold.tol
		}
		c.phase()
		vd := c.compare(gold.v, v, tol, 0)
		if vd.ok {
			res.Reward = 1
			res.Reason = ""
			return res
		}
		res.Reason = vd.reason()
		if res.Reason == "" {
			res.Reason = "wrong answer"
		}
		c.reward(&res, vd, opts)
		return res
	}
	if firstErr == nil {
		res.Reason = "no final answer found"
		res.Extracted, res.Method = "", ""
	} else {
		res.Reason = "could not parse the answer: " + firstErr.Error()
	}
	c.reward(&res, verdict{}, opts)
	return res
}

func (c *ctx) reward(res *Result, vd verdict, opts Options) {
	if opts.Partial && vd.partial > res.Reward {
		res.Reward = vd.partial
	}
	if opts.FormatReward > 0 && res.FormatOK && opts.FormatReward > res.Reward {
		res.Reward = opts.FormatReward
	}
}

// allCandidates adds the whole text as a candidate for short bare answers
// (no box, no answer line): "\frac{1}{2}", "x = 3", "$(1,2)$".
func (c *ctx) allCandidates(s string, strict bool) []candidate {
	if !strict {
		if t := strings.TrimSpace(s); isPlainNumber(t) && !fastPathsOff {
			// a bare number: the whole text is the first candidate and
			// it parses, so the ones after it are never looked at (a
			// number has no box or answer phrase to find)
			c.few[0] = candidate{t, "whole", false}
			return c.few[:1]
		}
	}
	// found candidates go to c.few[1:], leaving c.few[0] for the whole
	// text (no allocation: at most five are found)
	cs := candidatesInto(c.few[1:1], s, strict)
	if strict || len(cs) > 0 && cs[0].formatOK {
		return cs
	}
	if len(s) <= 512 {
		whole := candidate{strings.TrimSpace(s), "whole", false}
		if len(cs) == 0 || &cs[0] == &c.few[1] {
			c.few[0] = whole
			return c.few[:1+len(cs)]
		}
		return append([]candidate{whole}, cs...)
	}
	return cs
}

// checkChoice grades multiple choice: the letter is read from the box or
// the answer line ("(B)", "B)", "B.", "\text{B}", "option B"), else from
// the last "(X)" in the text; an answer stating the gold option's content
// also counts.
func (c *ctx) checkChoice(gold Gold, s string, opts Options, res Result) Result {
	cands := c.allCandidates(s, opts.Strict)
	if len(cands) > 0 {
		res.FormatOK = cands[0].formatOK
	}
	letter, from := "", ""
	for _, cand := range cands {
		if hedgedLetters(cand.text) {
			// "\boxed{A \text{ or } B}", "(C), (D)": several letters
			// name no answer (and no letter elsewhere stands for them)
			res.Extracted, res.Method = clip(cand.text, 500), cand.method
			res.Reason = "several choice letters: a hedge names no answer"
			c.reward(&res, verdict{}, opts)
			return res
		}
		if l, ok := letterIn(cand.text); ok {
			letter, from = l, cand.text
			res.Method = cand.method
			break
		}
		if len(gold.options) > 0 {
			idx := int(gold.letter[0] - 'A')
			if v, err := c.parse(cand.text); err == nil {
				if og, err := parseGold(c, gold.options[idx]); err == nil && c.phaseCompare(og.v, v, opts.Tolerance) {
					res.Extracted, res.Method, res.Parsed, res.Reward = cand.text, cand.method, v.String(), 1
					return res
				}
			}
		}
	}
	if letter == "" && !opts.Strict {
		if l, ok := lastParenLetter(s); ok {
			letter, from, res.Method = l, "("+l+")", "choice"
		} else if l, ok := proseLetter(tail(s, 4096)); ok {
			letter, from, res.Method = l, l, "choice"
		}
	}
	if letter == "" {
		res.Reason = "no choice letter found"
		if len(cands) == 0 {
			res.Reason = "no final answer found"
		}
		c.reward(&res, verdict{}, opts)
		return res
	}
	res.Extracted, res.Parsed = clip(from, 500), "("+letter+")"
	if letter == gold.letter {
		res.Reward = 1
		return res
	}
	res.Reason = fmt.Sprintf("wrong choice: %s vs %s", letter, gold.letter)
	c.reward(&res, verdict{}, opts)
	return res
}

var letterStripper = strings.NewReplacer("}", "", "$", "", "*", "")

// letterIn finds a choice letter in an extracted answer.
func letterIn(s string) (string, bool) {
	t := strings.TrimSpace(s)
	for _, p := range []string{"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{"} {
		t = strings.ReplaceAll(t, p, "")
	}
	t = letterStripper.Replace(t)
	t = strings.TrimSpace(t)
	low := asciiLower(t)
	for _, p := range []string{"option", "choice", "answer"} {
		if strings.HasPrefix(low, p) {
			t = strings.TrimSpace(t[len(p):])
			t = strings.TrimLeft(t, ": ")
		}
	}
	t = strings.TrimSpace(t)
	if t == "" {
		return "", false
	}
	// a lone lower-case letter in a choice context: "c", "(c)"
	if u := strings.Trim(t, "() ."); len(u) == 1 && u[0] >= 'a' && u[0] <= 'j' {
		return strings.ToUpper(u), true
	}
	// "(B)", "B)", "B.", "B", "B: 42", "(B) 42"
	if t[0] == '(' && len(t) >= 3 && t[2] == ')' && isUpperChoice(t[1]) {
		return t[1:2], true
	}
	if isUpperChoice(t[0]) && (len(t) == 1 || t[1] == ')' || t[1] == '.' || t[1] == ':' || t[1] == ' ' || t[1] >= 0x80 || commaLetter(t)) {
		if len(t) > 1 && t[1] == ' ' && len(t) > 2 && isLetter(t[2]) {
			return "", false // a word, not a letter
		}
		return t[:1], true
	}
	return "", false
}

func isUpperChoice(c byte) bool { return c >= 'A' && c <= 'J' }

// hedgeWords may join the letters of a hedge in an extracted answer.
var hedgeWords = map[string]bool{"or": true, "and": true, "either": true, "lor": true, "vee": true,
	"quad": true, "qquad": true, "text": true, "textbf": true, "mathrm": true, "mathbf": true,
	"option": true, "options": true, "choice": true, "choices": true, "answer": true}

// hedgedLetters reports whether an extracted answer is nothing but two or
// more different choice letters and connectives ("A \text{ or } B",
// "(C)(D)", "C \lor D", "option C or option D"): a hedge. An answer
// with other words ("B, because A fails") is not.
func hedgedLetters(s string) bool {
	if len(s) > 200 {
		return false
	}
	var seen [10]bool
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !isLetter(c) {
			if c >= 0x80 || isDigit(c) {
				return false
			}
			i++
			continue
		}
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		w := s[i:j]
		switch {
		case len(w) == 1 && isUpperChoice(w[0]):
			if !seen[w[0]-'A'] {
				seen[w[0]-'A'] = true
				n++
			}
		case hedgeWords[asciiLower(w)]:
		default:
			return false
		}
		i = j
	}
	return n >= 2
}

// lastParenLetter finds the last "(X)" with X in A..J.
func lastParenLetter(s string) (string, bool) {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '(' && isUpperChoice(s[i+1]) && s[i+2] == ')' {
			return s[i+1 : i+2], true
		}
	}
	return "", false
}

// isPlainNumber reports whether s is -?\d+(\.\d+)? with at most 18
// digits (what fastNumber reads).
func isPlainNumber(s string) bool {
	if len(s) == 0 || len(s) > 18 {
		return false
	}
	i := 0
	if s[0] == '-' {
		i = 1
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '.' && !dot && digits > 0 && i < len(s)-1:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}
