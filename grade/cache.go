package grade

import (
	"hash/maphash"
	"sync"
)

// cacheShards is the number of independently locked parts of a
// shardedCache: with one lock, `poly grade -j N` spun on it.
const cacheShards = 32

// shardedCache is a bounded map from answer text to its parsed entry,
// split by a hash of the text into cacheShards parts, each behind its own
// lock. A part that is full is emptied, so the whole holds at most about
// the size it was made with. Entries are read-only once stored.
type shardedCache[V any] struct {
	seed   maphash.Seed
	per    int // the most entries of one part
	shards [cacheShards]cacheShard[V]
}

type cacheShard[V any] struct {
	sync.Mutex
	m map[string]V
	_ [40]byte // keeps two parts' locks off one cache line
}

func newShardedCache[V any](size int) *shardedCache[V] {
	c := &shardedCache[V]{seed: maphash.MakeSeed(), per: max(size/cacheShards, 1)}
	for i := range c.shards {
		c.shards[i].m = map[string]V{}
	}
	return c
}

func (c *shardedCache[V]) shard(key string) *cacheShard[V] {
	return &c.shards[maphash.String(c.seed, key)%cacheShards]
}

// get returns the entry stored for key.
func (c *shardedCache[V]) get(key string) (V, bool) {
	s := c.shard(key)
	s.Lock()
	e, ok := s.m[key]
	s.Unlock()
	return e, ok
}

// put stores e for key, emptying key's part first when it is full.
func (c *shardedCache[V]) put(key string, e V) {
	s := c.shard(key)
	s.Lock()
	if len(s.m) >= c.per {
		clear(s.m)
	}
	s.m[key] = e
	s.Unlock()
}
