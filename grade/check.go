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
	c := newCtx(opts.Budget)
	return c.check(gold, completion, opts)
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
	c := newCtx(opts.Budget)
	g, err := parseGold(c, goldText)
	if err != nil {
		return Result{Reason: "gold: " + err.Error(), Gold: clip(goldText, 200)}
	}
	return c.check(g, predText, opts)
}

func (c *ctx) check(gold Gold, completion string, opts Options) Result {
	res := Result{Gold: gold.String()}
	if gold.v == nil {
		res.Reason = "no gold answer"
		return res
	}
	completion = tail(completion, c.b.MaxInput)
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
		if gold.src != "" && trimAnswer(cand.text) == gold.src {
			// the very same answer text: equal whatever it means
			res.Extracted, res.Method, res.Parsed, res.Reward = clip(cand.text, 500), cand.method, res.Gold, 1
			return res
		}
		v, err := c.parse(cand.text)
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
		res.Extracted, res.Method = clip(cand.text, 500), cand.method
		res.Parsed = clip(v.String(), 500)
		vd := c.compare(gold.v, v, opts.Tolerance, 0)
		if vd.ok {
			res.Reward = 1
			res.Reason = ""
			return res
		}
		res.Reason = vd.reason
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
	cs := candidates(s, strict)
	if strict || len(cs) > 0 && cs[0].formatOK {
		return cs
	}
	if len(s) <= 512 {
		return append([]candidate{{strings.TrimSpace(s), "whole", false}}, cs...)
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
		if l, ok := letterIn(cand.text); ok {
			letter, from = l, cand.text
			res.Method = cand.method
			break
		}
		if len(gold.options) > 0 {
			idx := int(gold.letter[0] - 'A')
			if v, err := c.parse(cand.text); err == nil {
				if og, err := parseGold(c, gold.options[idx]); err == nil && c.compare(og.v, v, opts.Tolerance, 0).ok {
					res.Extracted, res.Method, res.Parsed, res.Reward = cand.text, cand.method, v.String(), 1
					return res
				}
			}
		}
	}
	if letter == "" && !opts.Strict {
		if l, ok := lastParenLetter(s); ok {
			letter, from, res.Method = l, "("+l+")", "choice"
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

// letterIn finds a choice letter in an extracted answer.
func letterIn(s string) (string, bool) {
	t := strings.TrimSpace(s)
	for _, p := range []string{"\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{"} {
		t = strings.ReplaceAll(t, p, "")
	}
	t = strings.NewReplacer("}", "", "$", "", "*", "").Replace(t)
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
	// "(B)", "B)", "B.", "B", "B: 42", "(B) 42"
	if t[0] == '(' && len(t) >= 3 && t[2] == ')' && isUpperChoice(t[1]) {
		return t[1:2], true
	}
	if isUpperChoice(t[0]) && (len(t) == 1 || t[1] == ')' || t[1] == '.' || t[1] == ':' || t[1] == ' ') {
		if len(t) > 1 && t[1] == ' ' && len(t) > 2 && isLetter(t[2]) {
			return "", false // a word, not a letter
		}
		return t[:1], true
	}
	return "", false
}

func isUpperChoice(c byte) bool { return c >= 'A' && c <= 'J' }

// lastParenLetter finds the last "(X)" with X in A..J.
func lastParenLetter(s string) (string, bool) {
	for i := len(s) - 3; i >= 0; i-- {
		if s[i] == '(' && isUpperChoice(s[i+1]) && s[i+2] == ')' {
			return s[i+1 : i+2], true
		}
	}
	return "", false
}
