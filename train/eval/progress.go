package eval

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows problems done / total with an ETA: a bar on a terminal,
// a plain line per batch otherwise.
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	start time.Time
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	p := &progress{w: w, total: total, start: now()}
	if w != nil && tty {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("eval"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(done, correct int) {
	switch {
	case p.w == nil:
	case p.bar != nil:
		p.bar.Describe(fmt.Sprintf("eval  accuracy %.3f", float64(correct)/float64(done)))
		p.bar.Set(done)
	default:
		el := now().Sub(p.start)
		eta := time.Duration(float64(el) / float64(done) * float64(p.total-done)).Round(time.Second)
		fmt.Fprintf(p.w, "eval %d/%d problems  accuracy %.3f  %s elapsed  eta %s\n", done, p.total, float64(correct)/float64(done), el.Round(time.Second), eta)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
