package grade

// scratch is memory a pooled ctx keeps from one check to the next: parse
// nodes, their child slices and values of answers that do not outlive the
// check (the caches are off, or the answer is not cached). What a cache
// keeps, and what Parse, ParseGold and Expr return, is allocated on the
// heap instead (ctx.keep, and a ctx of newCtx has no scratch). Result
// strings never point into scratch memory: they are built on the heap or
// are substrings of the input.
//
// Memory is handed out from fixed-size chunks that are never moved, so a
// pointer stays valid until reset; reset clears what was used (dropping
// references into the input) and starts over. A check that needs more
// than maxScratchChunks chunks of a kind gets the rest from the heap.
type scratch struct {
	nodes   chunks[node]
	kids    chunks[*node]
	numbers chunks[numberV]
	seqs    chunks[seqV]
	vals    chunks[Value]
	exprs   chunks[exprV]
	strs    chunks[string]
	rels    chunks[[]string]
	relVs   chunks[relV]
	ivals   chunks[intervalV]
	rows    chunks[[]Value]
	rats    ratChunks
	toks    []token // the lexer's buffer (one parse at a time)
	tokHW   int     // how much of toks was used since reset
}

const maxScratchChunks = 16

// chunks hands out Ts from chunks of a fixed size.
type chunks[T any] struct {
	cs   [][]T
	i, o int // current chunk and offset in it
}

// one returns a zeroed T from chunks of size n.
func (c *chunks[T]) one(n int) *T {
	if c.i < len(c.cs) {
		if ch := c.cs[c.i]; c.o < len(ch) {
			c.o++
			return &ch[c.o-1] // what slice(1, n) gives, without its loop
		}
	}
	return &c.slice(1, n)[0]
}

// slice returns k zeroed Ts (capacity k) from chunks of size n.
func (c *chunks[T]) slice(k, n int) []T {
	if k > n/4 {
		return make([]T, k)
	}
	for {
		if c.i < len(c.cs) {
			ch := c.cs[c.i]
			if c.o+k <= len(ch) {
				c.o += k
				return ch[c.o-k : c.o : c.o]
			}
			c.i, c.o = c.i+1, 0
			continue
		}
		if len(c.cs) >= maxScratchChunks {
			return make([]T, k)
		}
		c.cs = append(c.cs, make([]T, n))
	}
}

// reset clears what was handed out and makes it available again.
func (c *chunks[T]) reset() {
	if c.i == 0 && c.o == 0 {
		return // nothing was handed out
	}
	for i := 0; i <= c.i && i < len(c.cs); i++ {
		ch := c.cs[i]
		if i == c.i {
			ch = ch[:c.o]
		}
		clear(ch)
	}
	c.i, c.o = 0, 0
}

func (s *scratch) node() *node              { return s.nodes.one(128) }
func (s *scratch) kidSlice(k int) []*node   { return s.kids.slice(k, 256) }
func (s *scratch) number() *numberV         { return s.numbers.one(32) }
func (s *scratch) seq() *seqV               { return s.seqs.one(32) }
func (s *scratch) valueSlice(k int) []Value { return s.vals.slice(k, 128) }
func (s *scratch) expr() *exprV             { return s.exprs.one(32) }
func (s *scratch) strSlice(k int) []string  { return s.strs.slice(k, 128) }
func (s *scratch) relOps() *[]string        { return s.rels.one(32) }

// reset clears what was handed out and makes it available again.
func (s *scratch) reset() {
	s.nodes.reset()
	s.kids.reset()
	s.numbers.reset()
	s.seqs.reset()
	s.vals.reset()
	s.exprs.reset()
	s.strs.reset()
	s.rels.reset()
	s.relVs.reset()
	s.ivals.reset()
	s.rows.reset()
	s.rats.reset()
	clear(s.toks[:s.tokHW]) // drop the references into the input
	s.tokHW = 0
}

// tokenBuf returns the lexer's buffer (nil for a nil scratch).
func (s *scratch) tokenBuf() []token {
	if s == nil {
		return nil
	}
	return s.toks
}

// releaseTokens takes the lexer's buffer back after a parse: into s, or
// into tokenPool when it came from there (tb != nil).
func (s *scratch) releaseTokens(tb *[]token, toks []token) {
	if tb != nil {
		putTokens(tb, toks)
		return
	}
	s.keepTokens(toks)
}

// keepTokens takes back the lexer's buffer after a parse.
func (s *scratch) keepTokens(toks []token) {
	if cap(toks) > maxPooledTokens {
		clear(s.toks[:s.tokHW])
		s.toks, s.tokHW = nil, 0
		return
	}
	s.tokHW = max(s.tokHW, len(toks))
	s.toks = toks[:0]
}

// newRel returns a zeroed relV, from sc when it is not nil.
func newRel(sc *scratch) *relV {
	if sc != nil {
		return sc.relVs.one(16)
	}
	return new(relV)
}

// newInterval returns a zeroed intervalV, from sc when it is not nil.
func newInterval(sc *scratch) *intervalV {
	if sc != nil {
		return sc.ivals.one(16)
	}
	return new(intervalV)
}

// newNumber returns a zeroed numberV, from sc when it is not nil.
func newNumber(sc *scratch) *numberV {
	if sc != nil {
		return sc.number()
	}
	return new(numberV)
}

// newNode returns a zeroed node, from sc when it is not nil.
func newNode(sc *scratch) *node {
	if sc != nil {
		return sc.node()
	}
	return new(node)
}

// newSeq returns a zeroed seqV, from sc when it is not nil.
func newSeq(sc *scratch) *seqV {
	if sc != nil {
		return sc.seq()
	}
	return new(seqV)
}
