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
	nodes  [][]node
	ni, no int // current node chunk and offset in it
	kids   [][]*node
	ki, ko int
}

const (
	scratchNodes     = 128 // nodes per chunk
	scratchKids      = 256 // child pointers per chunk
	maxScratchChunks = 16
)

// node returns a zeroed node.
func (s *scratch) node() *node {
	for {
		if s.ni < len(s.nodes) {
			ch := s.nodes[s.ni]
			if s.no < len(ch) {
				s.no++
				return &ch[s.no-1]
			}
			s.ni, s.no = s.ni+1, 0
			continue
		}
		if len(s.nodes) >= maxScratchChunks {
			return new(node)
		}
		s.nodes = append(s.nodes, make([]node, scratchNodes))
	}
}

// kidSlice returns a zeroed slice of k child pointers with capacity k.
func (s *scratch) kidSlice(k int) []*node {
	if k > scratchKids/4 {
		return make([]*node, k)
	}
	for {
		if s.ki < len(s.kids) {
			ch := s.kids[s.ki]
			if s.ko+k <= len(ch) {
				s.ko += k
				return ch[s.ko-k : s.ko : s.ko]
			}
			s.ki, s.ko = s.ki+1, 0
			continue
		}
		if len(s.kids) >= maxScratchChunks {
			return make([]*node, k)
		}
		s.kids = append(s.kids, make([]*node, scratchKids))
	}
}

// reset clears what was handed out and makes it available again.
func (s *scratch) reset() {
	for i := 0; i <= s.ni && i < len(s.nodes); i++ {
		ch := s.nodes[i]
		if i == s.ni {
			ch = ch[:s.no]
		}
		clear(ch)
	}
	for i := 0; i <= s.ki && i < len(s.kids); i++ {
		ch := s.kids[i]
		if i == s.ki {
			ch = ch[:s.ko]
		}
		clear(ch)
	}
	s.ni, s.no, s.ki, s.ko = 0, 0, 0, 0
}
