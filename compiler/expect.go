package compiler

import (
	"github.com/polylearn/poly/lang"
)

// runExpects runs a block's `expect pass/fail` self-tests against s; a
// failing one is an error at the expect line with the grader's reason.
func (c *compilation) runExpects(b *block, s *Sample, fixed map[*binding]value) {
	if c.opts.SkipExpects {
		return
	}
	for _, ex := range b.expects {
		if ex.Text == nil {
			continue
		}
		var diags lang.Diagnostics
		ev := newEvaluator(c.opts.MaxSteps, &diags)
		ev.fixed = fixed
		text, err := ev.interpolate(ex.Text, b.sc, "")
		if err != nil {
			ev.report(err)
			c.diags = append(c.diags, diags...)
			continue
		}
		r := s.Grade(text)
		ok := r.Reward >= 1
		detail := "gold answer: " + s.GroundTruth
		if fixed != nil {
			detail += "\n" + describeFixed(b, fixed)
		}
		switch {
		case ex.Pass && !ok:
			d := lang.Errorf(ex.Range, "expect pass failed: the grader rejected %q: %s", text, r.Reason)
			d.Detail = detail
			c.diags.Add(d)
		case !ex.Pass && ok:
			d := lang.Errorf(ex.Range, "expect fail failed: the grader accepted %q", text)
			d.Detail = detail
			c.diags.Add(d)
		}
	}
}
