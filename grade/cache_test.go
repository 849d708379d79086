package grade

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

func TestShardedCacheBounded(t *testing.T) {
	for _, size := range []int{1, 64, 1000} {
		c := newShardedCache[goldEntry](size)
		bound := max(size/cacheShards, 1) * cacheShards
		for i := 0; i < 20*size+100; i++ {
			k := strconv.Itoa(i)
			c.put(k, goldEntry{why: k})
			if e, ok := c.get(k); !ok || e.why != k {
				t.Fatalf("size %d: get(%q) = %+v, %v right after put", size, k, e, ok)
			}
			n := 0
			for j := range c.shards {
				n += len(c.shards[j].m)
			}
			if n > bound {
				t.Fatalf("size %d: %d entries, bound %d", size, n, bound)
			}
		}
	}
}

func TestShardedCacheConcurrent(t *testing.T) {
	c := newShardedCache[goldEntry](256)
	errX := errors.New("x")
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				k := strconv.Itoa((i * (w + 1)) % 500)
				if e, ok := c.get(k); ok && (e.err != errX || e.why != k) {
					t.Errorf("get(%q) = %+v", k, e)
					return
				}
				c.put(k, goldEntry{err: errX, why: k})
			}
		}(w)
	}
	wg.Wait()
}

// BenchmarkGradeParallel is BenchmarkGrade (caches on) from GOMAXPROCS
// goroutines at once, as `poly grade -j N` runs: it measures contention on
// the caches' locks.
func BenchmarkGradeParallel(b *testing.B) {
	cases := benchCases(b)
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := cases[int(next.Add(1))%len(cases)]
			CheckStrings(c.Gold, c.Pred, Options{})
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}
