package tokenizer

// bpe holds a byte-level BPE model: the byte alphabet's ids and the merge
// table.
type bpe struct {
	// byteID is the id of each byte's byte-level rune, or -1.
	byteID [256]int32
	// merges maps a pair (left<<32 | right) to (rank<<32 | merged id).
	merges map[uint64]uint64
	// ignoreMerges: a piece that is a vocabulary entry as a whole is
	// emitted as that entry without merging (HF's ignore_merges).
	ignoreMerges bool
	unk          int32 // id of unk_token, or -1
}

// symbol is one node of the linked list a word is merged in.
type symbol struct {
	id         int32
	prev, next int32
	dead       bool
}

// candidate is a pair waiting in the merge heap.
type candidate struct {
	rank, pos   int32
	left, right int32
	newID       int32
}

func less(a, b candidate) bool {
	return a.rank < b.rank || (a.rank == b.rank && a.pos < b.pos)
}

// pairKey packs a pair of ids into a merge-table key.
func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// encodeWord appends the ids of one pre-tokenized piece (raw bytes) to dst.
func (m *bpe) encodeWord(dst []int, word string, scratch *bpeScratch) []int {
	syms := scratch.syms[:0]
	for i := 0; i < len(word); i++ {
		id := m.byteID[word[i]]
		if id < 0 {
			if m.unk < 0 {
				continue // HF drops a character it cannot map
			}
			id = m.unk
		}
		syms = append(syms, symbol{id: id, prev: int32(len(syms)) - 1, next: int32(len(syms)) + 1})
	}
	if len(syms) == 0 {
		return dst
	}
	syms[len(syms)-1].next = -1
	heap := scratch.heap[:0]
	push := func(c candidate) {
		heap = append(heap, c)
		for i := len(heap) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(heap[i], heap[p]) {
				break
			}
			heap[i], heap[p] = heap[p], heap[i]
			i = p
		}
	}
	pop := func() candidate {
		top := heap[0]
		n := len(heap) - 1
		heap[0] = heap[n]
		heap = heap[:n]
		for i := 0; ; {
			l, r, s := 2*i+1, 2*i+2, i
			if l < n && less(heap[l], heap[s]) {
				s = l
			}
			if r < n && less(heap[r], heap[s]) {
				s = r
			}
			if s == i {
				break
			}
			heap[i], heap[s] = heap[s], heap[i]
			i = s
		}
		return top
	}
	pair := func(pos int32) {
		nx := syms[pos].next
		if nx < 0 {
			return
		}
		if v, ok := m.merges[pairKey(syms[pos].id, syms[nx].id)]; ok {
			push(candidate{rank: int32(v >> 32), pos: pos, left: syms[pos].id, right: syms[nx].id, newID: int32(uint32(v))})
		}
	}
	for i := range syms {
		pair(int32(i))
	}
	for len(heap) > 0 {
		c := pop()
		s := &syms[c.pos]
		if s.dead || s.id != c.left || s.next < 0 || syms[s.next].id != c.right {
			continue
		}
		right := s.next
		s.id = c.newID
		syms[right].dead = true
		s.next = syms[right].next
		if s.next >= 0 {
			syms[s.next].prev = c.pos
		}
		if s.prev >= 0 {
			pair(s.prev)
		}
		pair(c.pos)
	}
	for i := int32(0); i >= 0; i = syms[i].next {
		dst = append(dst, int(syms[i].id))
	}
	scratch.syms, scratch.heap = syms, heap
	return dst
}

// bpeScratch is reusable working memory for encodeWord.
type bpeScratch struct {
	syms []symbol
	heap []candidate
}
