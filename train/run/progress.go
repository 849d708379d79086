package run

import (
	"fmt"
	"io"
	"time"

	"github.com/polylearn/poly/train/grpo"
	"github.com/schollz/progressbar/v3"
)

// progress shows the run's progress: a bar on a terminal, one plain line
// per step otherwise.
type progress struct {
	w          io.Writer
	bar        *progressbar.ProgressBar
	total      int
	start      time.Time
	startStep  int
	lastReward float64
}

func newProgress(w io.Writer, tty bool, done, total int) *progress {
	p := &progress{w: w, total: total, start: now(), startStep: done}
	if tty {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("GRPO"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		if done > 0 {
			p.bar.Set(done)
		}
	}
	return p
}

func (p *progress) eta(step int) time.Duration {
	done := step - p.startStep
	if done <= 0 {
		return 0
	}
	per := time.Since(p.start) / time.Duration(done)
	return (per * time.Duration(p.total-step)).Round(time.Second)
}

func (p *progress) step(m grpo.Metrics) {
	if p.bar != nil {
		p.bar.Set(m.Step)
		p.bar.Describe(fmt.Sprintf("step %d/%d  reward %.3f  %.0f tok/s", m.Step, p.total, m.Reward, m.TokensPerSec))
		return
	}
	fmt.Fprintf(p.w, "step %d/%d  reward %.3f ± %.3f  zero-std %d  len %.1f  kl %.5f  entropy %.3f  clip %.3f  grad %.3f  lr %.2e  %.0f tok/s  %.1fs  eta %s\n",
		m.Step, p.total, m.Reward, m.RewardStd, m.ZeroStdGroups, m.MeanLength, m.KL, m.Entropy, m.ClipRatio, m.GradNorm, m.LR, m.TokensPerSec, m.TimeStep, p.eta(m.Step))
}

func (p *progress) note(s string) {
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintln(p.w, s)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
