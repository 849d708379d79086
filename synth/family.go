package synth

import (
	"fmt"

	"github.com/polylearn/poly/compiler"
)

// FamilyError reports a request a family cannot satisfy.
type FamilyError struct {
	// Family is the family's id.
	Family string
	// Size is how many distinct problems the family has.
	Size int
	// Asked is how many were asked for.
	Asked int
}

// Error says what was asked and what the family holds.
func (e *FamilyError) Error() string {
	if e.Asked < 0 {
		return fmt.Sprintf("family %s: cannot generate %d problems", e.Family, e.Asked)
	}
	return fmt.Sprintf("family %s has %d distinct problems; %d were asked for (lower the count or widen its vary ranges)",
		e.Family, e.Size, e.Asked)
}

// Generate draws n distinct problems from family fam of spec. The same seed
// always gives the same problems in the same order; a different seed gives
// another draw. n larger than the family's Size is an error (a
// *FamilyError), never silent duplication.
func Generate(spec *compiler.Spec, fam *compiler.Family, seed int64, n int, o Options) ([]*Item, error) {
	if n < 0 || n > fam.Size() {
		return nil, &FamilyError{Family: fam.ID, Size: fam.Size(), Asked: n}
	}
	samples, err := fam.Generate(seed, n)
	if err != nil {
		return nil, fmt.Errorf("family %s: %w", fam.ID, err)
	}
	if len(samples) != n {
		return nil, fmt.Errorf("family %s: generated %d problems, asked for %d", fam.ID, len(samples), n)
	}
	items := make([]*Item, 0, n)
	seen := make(map[string]int, n)
	for i, s := range samples {
		it := Render(spec, s, o)
		it.Family = fam.ID
		it.Index = i
		it.Title = ""
		if j, dup := seen[it.Question]; dup {
			return nil, fmt.Errorf("family %s: problems %d and %d have the same prompt", fam.ID, j, i)
		}
		seen[it.Question] = i
		items = append(items, it)
	}
	return items, nil
}
