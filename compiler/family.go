package compiler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/polylearn/poly/lang"
)

// Family is a compiled `family` block: a generator of problems, one per
// combination of its `vary` values. It is safe for concurrent use.
type Family struct {
	// ID is the family's name.
	ID string `json:"id"`
	// Title is the optional title.
	Title string `json:"title,omitempty"`
	// Discipline is the family's discipline ("" when none is written).
	Discipline string `json:"discipline"`
	// Skills are the family's skills.
	Skills []string `json:"skills"`
	// Vary names the varying quantities, in source order.
	Vary []string `json:"vary"`
	// Range is where the family is declared.
	Range lang.Range `json:"-"`

	c       *compilation
	b       *block
	domains [][]value // values of each vary, in b.varys order
	size    int
}

// maxCheckedProblems bounds how many generated problems `poly check`
// evaluates per family (the first one and an even spread).
const maxCheckedProblems = 8

// buildFamily evaluates the vary domains of b, then builds a few problems
// (the first, the last and a spread) to report errors at compile time.
func (c *compilation) buildFamily(b *block) *Family {
	f := &Family{ID: b.id, Title: b.title, Skills: nonNil(b.skills), Range: b.declR, c: c, b: b, Vary: []string{}}
	if len(b.disciplines) > 0 {
		f.Discipline = b.disciplines[0]
	}
	ok := true
	f.size = 1
	for _, bd := range b.varys {
		f.Vary = append(f.Vary, bd.name)
		vals, err := c.varyValues(b, bd)
		if err != nil {
			newEvaluator(1, &c.diags).report(err)
			ok = false
			continue
		}
		f.domains = append(f.domains, vals)
		if f.size > math.MaxInt/len(vals) {
			f.size = math.MaxInt
		} else {
			f.size *= len(vals)
		}
	}
	if !ok {
		return nil
	}
	nerr := c.diags.Count(lang.Error)
	seen := map[int]bool{}
	for k := 0; k < maxCheckedProblems && k < f.size; k++ {
		idx := k
		if f.size > maxCheckedProblems {
			idx = int(float64(k) * float64(f.size-1) / float64(maxCheckedProblems-1))
		}
		if seen[idx] {
			continue
		}
		seen[idx] = true
		fixed := f.fixed(idx)
		s, good := c.buildSample(b, fixed, describeFixed(b, fixed))
		if good && !c.opts.SkipExpects {
			c.runExpects(b, s, fixed)
		}
		if c.diags.Count(lang.Error) > nerr {
			break // one broken problem is enough to report
		}
	}
	if c.diags.Count(lang.Error) > nerr || b.prompt == nil || b.answer == nil || b.checkBroken {
		return nil
	}
	return f
}

// fixed returns the vary values of the combination with index idx (mixed
// radix, first vary slowest).
func (f *Family) fixed(idx int) map[*binding]value {
	m := make(map[*binding]value, len(f.domains))
	for i := len(f.domains) - 1; i >= 0; i-- {
		d := f.domains[i]
		m[f.b.varys[i]] = d[idx%len(d)]
		idx /= len(d)
	}
	return m
}

// Size returns the number of distinct problems: the product of the sizes
// of the vary domains (saturating at math.MaxInt).
func (f *Family) Size() int { return f.size }

// Generate returns n distinct problems chosen by seed: the same seed and n
// give the same problems, in the same order. n larger than Size is an
// error. A problem whose evaluation fails (say, a division by zero for
// one combination) is an error naming the combination.
func (f *Family) Generate(seed int64, n int) ([]*Sample, error) {
	if n < 0 {
		return nil, fmt.Errorf("family %s: negative count %d", f.ID, n)
	}
	if n > f.size {
		return nil, fmt.Errorf("family %s has %d distinct problems, %d requested", f.ID, f.size, n)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x706f6c79))
	var idxs []int
	if n*2 >= f.size && f.size <= 1<<20 {
		perm := rng.Perm(f.size)
		idxs = perm[:n]
	} else {
		seen := make(map[int]bool, n)
		for len(idxs) < n {
			i := rng.IntN(f.size)
			if !seen[i] {
				seen[i] = true
				idxs = append(idxs, i)
			}
		}
	}
	out := make([]*Sample, 0, n)
	for _, i := range idxs {
		s, err := f.Problem(i)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Problem returns the problem with combination index i (0 <= i < Size).
// It never panics: an internal failure is returned as an error.
func (f *Family) Problem(i int) (s *Sample, err error) {
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("family %s, problem %d: internal compiler error: %v", f.ID, i, v)
		}
	}()
	if i < 0 || i >= f.size {
		return nil, fmt.Errorf("family %s: problem index %d out of range [0, %d)", f.ID, i, f.size)
	}
	// A private compilation so concurrent calls share nothing mutable.
	c := &compilation{opts: f.c.opts, spec: f.c.spec, root: f.c.root, trainSeen: map[string]lang.Range{}, warnedTol: map[*lang.Answer]bool{}}
	fixed := f.fixed(i)
	s, ok := c.buildSample(f.b, fixed, describeFixed(f.b, fixed))
	if !ok || c.diags.HasErrors() {
		var msgs []string
		for _, d := range c.diags {
			if d.Severity == lang.Error {
				msgs = append(msgs, d.Error())
			}
		}
		return nil, fmt.Errorf("family %s, %s: %s", f.ID, describeFixed(f.b, fixed), strings.Join(msgs, "; "))
	}
	s.ID = formatIndex(f.ID, i)
	s.Family = f.ID
	return s, nil
}
