package tensor

import (
	"runtime"
	"sync"
)

// task is one chunk of a parallel loop handed to a worker.
type task struct {
	fn     func(lo, hi int)
	lo, hi int
	wg     *sync.WaitGroup
}

// pool is the process-wide set of workers. Worker i serves chans[i]; the
// calling goroutine always runs the first chunk itself.
type pool struct {
	once  sync.Once
	n     int
	chans []chan task
	mu    sync.Mutex // serialises top-level dispatches
}

var workers pool

var wgPool = sync.Pool{New: func() any { return new(sync.WaitGroup) }}

// Threads returns the number of workers parallel kernels use (GOMAXPROCS
// at first use, at least 1).
func Threads() int {
	workers.start()
	return workers.n
}

func (p *pool) start() {
	p.once.Do(func() {
		p.n = runtime.GOMAXPROCS(0)
		if p.n < 1 {
			p.n = 1
		}
		p.chans = make([]chan task, p.n)
		for i := 1; i < p.n; i++ {
			ch := make(chan task, 1)
			p.chans[i] = ch
			go func() {
				for t := range ch {
					t.fn(t.lo, t.hi)
					t.wg.Done()
				}
			}()
		}
	})
}

// ParallelFor splits [0, n) into at most Threads() contiguous chunks of at
// least grain items and runs fn on each chunk, one per worker, returning
// when all are done. Nested calls (from inside fn) and concurrent callers
// fall back to running serially, so the pool is never oversubscribed.
func ParallelFor(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	workers.start()
	if grain < 1 {
		grain = 1
	}
	chunks := n / grain
	if chunks > workers.n {
		chunks = workers.n
	}
	if chunks <= 1 || !workers.mu.TryLock() {
		fn(0, n)
		return
	}
	defer workers.mu.Unlock()
	wg := wgPool.Get().(*sync.WaitGroup)
	wg.Add(chunks - 1)
	for i := 1; i < chunks; i++ {
		lo, hi := i*n/chunks, (i+1)*n/chunks
		workers.chans[i] <- task{fn: fn, lo: lo, hi: hi, wg: wg}
	}
	fn(0, n/chunks)
	wg.Wait()
	wgPool.Put(wg)
}
