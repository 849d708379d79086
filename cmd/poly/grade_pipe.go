package main

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/polylearn/poly/grade"
)

// The line plumbing of `poly grade`: the input is read in chunks of whole
// lines, each chunk is graded by one worker into one output buffer, and
// the buffers are written in input order. Per line there is no channel
// send, no goroutine and no buffer of its own.

// gradeChunkSize is the bytes of input read per chunk: at ~200 bytes a
// line a few hundred lines, so hand-offs are rare and a slow line does
// not hold back much.
const gradeChunkSize = 64 << 10

// gradeChunkLines is the most lines of a chunk when several workers
// grade: enough that a hand-off costs little per line, few enough that
// a small input still keeps every worker busy.
const gradeChunkLines = 64

// cutLines cuts the first n lines (or all, if fewer) off b, returning
// them, the rest of b and how many they are.
func cutLines(b []byte, n int) (head, rest []byte, lines int) {
	k := 0
	for ; lines < n && k < len(b); lines++ {
		i := bytes.IndexByte(b[k:], '\n')
		if i < 0 {
			return b, nil, lines + 1
		}
		k += i + 1
	}
	return b[:k], b[k:], lines
}

// gradeChunk is a run of whole input lines and, once graded, their
// output.
type gradeChunk struct {
	in    []byte // the lines, each ending in '\n' except perhaps the last one of the input
	first int    // the number of its first line
	out   []byte
	bad   int           // malformed lines
	done  chan struct{} // receives once out is complete
}

// chunkReader cuts its input into chunks of whole lines.
type chunkReader struct {
	r    io.Reader
	rest []byte // read past the last newline of the previous chunk
	err  error  // the error that ended reading (io.EOF at the end)
	line int    // lines handed out so far
}

// next fills buf with the next lines, at least gradeChunkSize bytes of
// them unless the input ends; it returns an empty buf at the end.
func (cr *chunkReader) next(buf []byte) ([]byte, int, error) {
	buf = append(buf[:0], cr.rest...)
	cr.rest = cr.rest[:0]
	scanned := 0 // buf[:scanned] has no newline
	for cr.err == nil {
		if len(buf) >= gradeChunkSize {
			if k := bytes.LastIndexByte(buf[scanned:], '\n'); k >= 0 {
				k += scanned
				cr.rest = append(cr.rest, buf[k+1:]...)
				buf = buf[:k+1]
				break
			}
			scanned = len(buf)
		}
		if cap(buf)-len(buf) < gradeChunkSize/2 {
			buf = slices.Grow(buf, max(gradeChunkSize, len(buf)))
		}
		n, err := cr.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		cr.err = err
	}
	if cr.err != nil && cr.err != io.EOF {
		return buf[:0], 0, cr.err
	}
	first := cr.line + 1
	cr.line += bytes.Count(buf, []byte{'\n'})
	if len(buf) > 0 && buf[len(buf)-1] != '\n' {
		cr.line++ // the last line, without a newline
	}
	return buf, first, nil
}

// gradeChunk grades the lines of ch into ch.out.
func (c *GradeCmd) gradeChunk(ch *gradeChunk, opts grade.Options, lc *lineCodec) {
	ch.out = ch.out[:0]
	ch.bad = 0
	data := ch.in
	for n := ch.first; len(data) > 0; n++ {
		line := data
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			data = nil
		}
		for len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		var malformed bool
		ch.out, malformed = c.gradeLine(ch.out, n, line, opts, lc)
		if malformed {
			ch.bad++
		}
	}
}

// run grades every line of in, writing one line per input line to out in
// order; it returns the number of malformed lines.
func (c *GradeCmd) run(in io.Reader, out io.Writer) (int, error) {
	opts := c.options()
	jobs := c.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	cr := &chunkReader{r: in}
	if jobs == 1 {
		var ch gradeChunk
		var lc lineCodec
		bad := 0
		for {
			var err error
			ch.in, ch.first, err = cr.next(ch.in)
			if err != nil || len(ch.in) == 0 {
				return bad, err
			}
			c.gradeChunk(&ch, opts, &lc)
			bad += ch.bad
			if _, err := out.Write(ch.out); err != nil {
				return bad, err
			}
		}
	}

	// The reader cuts the input into chunks of at most gradeChunkLines
	// lines and hands each to the workers and, in the same order, to this
	// goroutine, which writes the chunks as they complete. A fixed set of
	// chunks circulates, which bounds the memory in flight.
	nChunks := 4 * jobs
	free := make(chan *gradeChunk, nChunks)
	for range nChunks {
		free <- &gradeChunk{done: make(chan struct{}, 1)}
	}
	work := make(chan *gradeChunk, nChunks)
	order := make(chan *gradeChunk, nChunks)
	var stop atomic.Bool // set when the output fails: the rest is not graded
	var readErr error
	go func() {
		defer close(work)
		defer close(order)
		for !stop.Load() {
			// a new buffer each time: its chunks are still being graded
			block, first, err := cr.next(nil)
			if err != nil || len(block) == 0 {
				readErr = err
				return
			}
			for len(block) > 0 {
				ch := <-free
				n := 0
				ch.in, block, n = cutLines(block, gradeChunkLines)
				ch.first = first
				first += n
				order <- ch
				work <- ch
			}
		}
	}()
	for range jobs {
		go func() {
			var lc lineCodec
			for ch := range work {
				if !stop.Load() {
					c.gradeChunk(ch, opts, &lc)
				}
				ch.done <- struct{}{}
			}
		}()
	}
	bad := 0
	var werr error
	for ch := range order {
		<-ch.done
		if werr == nil {
			bad += ch.bad
			if _, werr = out.Write(ch.out); werr != nil {
				stop.Store(true)
			}
		}
		free <- ch
	}
	if werr != nil {
		return bad, werr
	}
	return bad, readErr
}
