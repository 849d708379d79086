package grade

// nop is the operator of an expression node.
type nop uint8

const (
	nNum     nop = iota // v (exact or float), dec, sig
	nVar                // s
	nConst              // s: pi, e, inf
	nAdd                // kids[0] + kids[1]
	nSub                // kids[0] - kids[1]
	nMul                // kids[0] * kids[1]
	nDiv                // kids[0] / kids[1]
	nPow                // kids[0] ^ kids[1]
	nNeg                // -kids[0]
	nFunc               // s(kids...): sin, cos, ..., sqrt (kids[1] = index), log (kids[1] = base), abs, floor, ceil
	nFact               // kids[0]!
	nBinom              // binom(kids[0], kids[1])
	nPercent            // kids[0] %
	nDegree             // kids[0] °
	nPM                 // kids[0] ± kids[1] (kids[0] may be nil for ±x)
	nTuple              // (a, b, ...) with open/close brackets in s ("()", "[)", ...)
	nSet                // \{a, b\}
	nList               // a, b (bare, or in a {...} group)
	nMatrix             // rows: kids are nList rows
	nRel                // chain: kids are operands, ops in rels
	nUnion              // kids[0] ∪ kids[1] ∪ ...
	nText               // s
	nQty                // kids[0] with unit text s
	nInter              // kids[0] ∩ kids[1]
)

// node is a parsed answer: an expression tree or a structure of them.
type node struct {
	op   nop
	dec  int32 // decimals written for a literal (-1: none)
	sig  int32 // significant figures written for a literal
	v    num
	fv   float64 // v as a float64, for symbolic evaluation (set with v)
	s    string
	kids []*node
	rels *[]string // for nRel: the relation operators between kids (a pointer: most nodes have none)
}

// relOps returns the relation operators of an nRel node.
func (n *node) relOps() []string {
	if n.rels == nil {
		return nil
	}
	return *n.rels
}
