package main

import (
	"fmt"
	"strings"
)

// The generated corpus (-corpus gen:N) is shaped like RL rollouts: a few
// hundred words of step-by-step reasoning with inline math ($…$, \(…\),
// \[…\]), ending in a final answer the way policies write them, graded
// against a bare gold answer. Each line is labelled by construction: 1 when
// its final answer is a rendering of the gold value, else 0.

// outcome is how a rollout ends.
type outcome struct {
	name   string
	weight int
}

var outcomes = []outcome{
	{"boxed", 48},       // \boxed{an equivalent rendering}
	{"boxed-wrong", 22}, // \boxed{a different value}
	{"answer-line", 8},  // "Answer: …" or "The final answer is $…$", no box, right or wrong
	{"rebox", 8},        // an early \boxed{} revised later; the last box counts
	{"truncated", 14},   // cut off before any final answer
}

// sentence writes one reasoning sentence about variable v; the arithmetic
// in it is correct, the numbers are random.
type sentence func(r *rng, v string) string

var sentences = []sentence{
	func(r *rng, v string) string {
		a, b := r.between(2, 40), r.between(2, 60)
		return fmt.Sprintf("We are given that $%s + %d = %d$, so $%s = %d$.", v, a, a+b, v, b)
	},
	func(r *rng, v string) string {
		return fmt.Sprintf(`Let \(%s\) denote the unknown quantity we are looking for.`, v)
	},
	func(r *rng, v string) string {
		a, b := r.between(2, 9), r.between(2, 30)
		return fmt.Sprintf("Multiplying both sides by %d gives $%d%s = %d$.", a, a, v, a*b)
	},
	func(r *rng, v string) string {
		return `Recall that $\frac{a}{b} + \frac{c}{d} = \frac{ad + bc}{bd}$ whenever $b, d \neq 0$.`
	},
	func(r *rng, v string) string {
		a, b := r.between(2, 12), r.between(2, 12)
		return fmt.Sprintf(`Substituting \(%s = %d\) into the expression, we get $%d \cdot %d = %d$.`, v, a, a, b, a*b)
	},
	func(r *rng, v string) string {
		a := r.between(3, 25)
		return fmt.Sprintf(`Note that $%d^2 = %d$, so $\sqrt{%d} = %d$.`, a, a*a, a*a, a)
	},
	func(r *rng, v string) string {
		a, b, c := r.between(1, 50), r.between(1, 50), r.between(1, 50)
		return fmt.Sprintf("This means the total is $%d + %d + %d = %d$.", a, b, c, a+b+c)
	},
	func(r *rng, v string) string {
		return r.pick([]string{"Hmm, let me double-check this step.", "Wait, that does not look right, so let me reconsider.",
			"Let me think about this more carefully before going on.", "Okay, that is consistent with what we found earlier."})
	},
	func(r *rng, v string) string {
		a, b, k := r.between(2, 9), r.between(2, 9), r.between(2, 6)
		for gcd(a, b) != 1 || a == b {
			a, b = r.between(2, 9), r.between(2, 9)
		}
		return fmt.Sprintf(`We can simplify the fraction: $\frac{%d}{%d} = \frac{%d}{%d}$.`, k*a, k*b, a, b)
	},
	func(r *rng, v string) string {
		a, b := r.between(2, 12), r.between(2, 12)
		return fmt.Sprintf(`By the Pythagorean theorem, $a^2 + b^2 = c^2$, so with legs %d and %d we get \(c = \sqrt{%d}\).`, a, b, a*a+b*b)
	},
	func(r *rng, v string) string {
		a, b := r.between(2, 30), r.between(2, 30)
		return fmt.Sprintf(`The area of the rectangle is $%d \times %d = %d$ square units.`, a, b, a*b)
	},
	func(r *rng, v string) string {
		a := r.between(2, 9)
		return fmt.Sprintf(`So the probability of each outcome is $\frac{1}{%d}$, and the trials are independent.`, a)
	},
	func(r *rng, v string) string {
		return fmt.Sprintf(`Since $%s > 0$, we discard the negative root.`, v)
	},
	func(r *rng, v string) string {
		n := r.between(4, 15)
		return fmt.Sprintf(`Therefore the number of ways to choose two of them is $\binom{%d}{2} = %d$.`, n, n*(n-1)/2)
	},
	func(r *rng, v string) string {
		a := r.between(2, 9)
		return fmt.Sprintf("Expanding the square, \\[(%s + %d)^2 = %s^2 + %d%s + %d.\\]", v, a, v, 2*a, v, a*a)
	},
	func(r *rng, v string) string {
		a, b := r.between(2, 12), r.between(2, 20)
		return fmt.Sprintf(`Dividing, we find $%d \div %d = %d$.`, a*b, a, b)
	},
	func(r *rng, v string) string {
		return fmt.Sprintf(`Now we need to consider the case where \(%s \le %d\) separately.`, v, r.between(0, 20))
	},
	func(r *rng, v string) string {
		a, b, c := r.between(2, 9), r.between(1, 20), r.between(1, 40)
		return fmt.Sprintf("Rearranging the equation gives $%d%s - %d = %d$, so $%d%s = %d$.", a, v, b, c, a, v, b+c)
	},
	func(r *rng, v string) string {
		return r.pick([]string{"First, let us restate the problem in our own words.", "Next, we set up the equation from the given conditions.",
			"The key observation is that the quantity is unchanged by the symmetry.", "We proceed step by step."})
	},
	func(r *rng, v string) string {
		a := r.between(2, 30)
		return fmt.Sprintf(`Checking the boundary, at \(%s = %d\) the expression equals $%d$, which satisfies the constraint.`, v, a, 2*a+1)
	},
	func(r *rng, v string) string {
		a := r.between(5, 40)
		return fmt.Sprintf(`The quantity grows by $%d\%%$ each year, so after one year it is multiplied by $1.%02d$.`, a, a)
	},
}

var variables = []string{"x", "y", "n", "k", "t", "m"}

// finalLine renders a final answer as policies do when they do not box it.
func finalLine(r *rng, ans string) string {
	switch r.intn(4) {
	case 0:
		return "Answer: " + ans
	case 1:
		return "**Answer:** $" + ans + "$"
	case 2:
		return "Final Answer: The final answer is $" + ans + "$. I hope it is correct."
	default:
		return "The final answer is $" + ans + "$."
	}
}

// boxedEnding renders a boxed final answer in one of the usual phrasings.
func boxedEnding(r *rng, ans string) string {
	switch r.intn(4) {
	case 0:
		return `Therefore, the answer is $\boxed{` + ans + `}$.`
	case 1:
		return `\[\boxed{` + ans + `}\]`
	case 2:
		return `So the final answer is \(\boxed{` + ans + `}\).`
	default:
		return `Thus the final answer is $\boxed{` + ans + `}$`
	}
}

// reasoning writes sentences grouped into numbered steps until the text
// has at least words words.
func reasoning(r *rng, words int) string {
	v := r.pick(variables)
	var b strings.Builder
	n, step := 0, 1
	for n < words {
		if r.intn(4) == 0 || step == 1 && n == 0 {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			fmt.Fprintf(&b, "Step %d: ", step)
			step++
		} else {
			b.WriteByte(' ')
		}
		s := sentences[r.intn(len(sentences))](r, v)
		b.WriteString(s)
		n += len(strings.Fields(s))
	}
	return b.String()
}

// truncate cuts text at a word boundary in its second half and then backs
// up to a plain word (no digit, $ or \), as a rollout cut off by the length
// limit mid-sentence; so the text ends without a number that a last-number
// fallback could take for an answer.
func truncate(r *rng, text string) string {
	f := strings.Fields(text)
	cut := len(f)/2 + r.intn(len(f)/2)
	for cut > 1 && !plainWord(f[cut-1]) {
		cut--
	}
	// keep the original spacing: find the end of word cut-1 in text
	end, seen := 0, 0
	for i := 0; i < len(text) && seen < cut; {
		for i < len(text) && (text[i] == ' ' || text[i] == '\n') {
			i++
		}
		for i < len(text) && text[i] != ' ' && text[i] != '\n' {
			i++
		}
		seen++
		end = i
	}
	return text[:end]
}

func plainWord(w string) bool {
	if w == "" {
		return false
	}
	for _, c := range w {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func pickOutcome(r *rng) string {
	return outcomes[pickWeighted(r, len(outcomes), func(i int) int { return outcomes[i].weight })].name
}

// genRollout writes one labelled line of the generated corpus.
func genRollout(r *rng) benchCase {
	a := pickAnswer(r)
	how := pickOutcome(r)
	text := reasoning(r, r.between(120, 380))
	right := r.pick(a.same)
	wrong := r.pick(a.wrong)
	want := 0.0
	var pred, final string
	switch how {
	case "boxed":
		final, want = right, 1
		pred = text + "\n\n" + boxedEnding(r, right)
	case "boxed-wrong":
		final = wrong
		pred = text + "\n\n" + boxedEnding(r, wrong)
	case "answer-line":
		final = wrong
		if r.intn(3) > 0 {
			final, want = right, 1
		}
		pred = text + "\n\n" + finalLine(r, final)
	case "rebox":
		first := right
		final = wrong
		if r.intn(2) == 0 {
			first, final, want = wrong, right, 1
		}
		more := reasoning(r, r.between(30, 80))
		pred = text + " This gives $\\boxed{" + first + "}$.\n\nWait, let me verify this answer. " + more + "\n\n" + boxedEnding(r, final)
	default: // truncated
		final = ""
		pred = truncate(r, text)
	}
	w := want
	return benchCase{Gold: a.gold, Pred: pred, Want: &w, Cat: "gen/" + a.kind + "/" + how, Note: "final answer " + fmt.Sprintf("%q", final)}
}

// generate returns n lines of the generated corpus for seed.
func generate(n int, seed uint64) []benchCase {
	r := &rng{s: seed}
	out := make([]benchCase, n)
	for i := range out {
		out[i] = genRollout(r)
	}
	return out
}
