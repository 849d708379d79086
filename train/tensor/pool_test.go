package tensor

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestParallelFor: every index is visited exactly once, also from nested
// and concurrent calls (which run serially rather than deadlock).
func TestParallelFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		for _, grain := range []int{0, 1, 3, 5000} {
			seen := make([]int32, n)
			ParallelFor(n, grain, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					atomic.AddInt32(&seen[i], 1)
				}
			})
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("n=%d grain=%d: index %d visited %d times", n, grain, i, c)
				}
			}
		}
	}
	var total atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ParallelFor(100, 1, func(lo, hi int) {
				ParallelFor(hi-lo, 1, func(a, b int) { total.Add(int64(b - a)) })
			})
		}()
	}
	wg.Wait()
	if total.Load() != 400 {
		t.Fatalf("nested/concurrent: %d items, want 400", total.Load())
	}
}
