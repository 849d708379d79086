package grade

import "sync"

// cacheShards is the number of independently locked parts of a
// shardedCache: with one lock, `poly grade -j N` spun on it.
const cacheShards = 32

// shardedCache is a bounded map from answer text to its parsed entry,
// split by a hash of the text into cacheShards parts, each behind its own
// lock. A part that is full is emptied, so the whole holds at most about
// the size it was made with. Entries are read-only once stored.
type shardedCache[V any] struct {
	per    int // the most entries of one part
	shards [cacheShards]cacheShard[V]
}

type cacheShard[V any] struct {
	sync.Mutex
	m map[string]V
	_ [40]byte // keeps two parts' locks off one cache line
}

func newShardedCache[V any](size int) *shardedCache[V] {
	c := &shardedCache[V]{per: max(size/cacheShards, 1)}
	for i := range c.shards {
		c.shards[i].m = map[string]V{}
	}
	return c
}

// shard picks key's part from its length and four of its bytes: a few
// instructions (the map hashes the whole key anyway), and spread enough to
// keep goroutines off each other's locks.
func (c *shardedCache[V]) shard(key string) *cacheShard[V] {
	h := uint32(len(key)) * 0x9E3779B1
	if n := len(key); n > 0 {
		h ^= uint32(key[0]) | uint32(key[n-1])<<8 | uint32(key[n/2])<<16 | uint32(key[n/3])<<24
		h *= 0x85EBCA6B
		h ^= h >> 16
	}
	return &c.shards[h%cacheShards]
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
