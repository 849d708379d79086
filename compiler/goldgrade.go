package compiler

import (
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/polylearn/poly/compiler/units"
	"github.com/polylearn/poly/grade"
)

// graderTolerance converts an answer tolerance to the grader's.
func graderTolerance(t Tolerance) grade.Tolerance {
	switch t.Kind {
	case "abs":
		return grade.Tolerance{Abs: t.Value}
	case "rel":
		return grade.Tolerance{Rel: t.Value}
	case "sig":
		return grade.Tolerance{Sig: int(t.Value)}
	}
	return grade.Tolerance{}
}

// goldOf builds the grader's gold answer from a compiled answer.
func goldOf(a *Answer) (grade.Gold, error) {
	tol := graderTolerance(a.Tolerance)
	unit := units.One
	if a.Unit != "" {
		u, err := parseUnit(a.Unit)
		if err != nil {
			return grade.Gold{}, err
		}
		unit = u
	}
	num := func(x float64, exact string) grade.Gold {
		if math.IsInf(x, 0) {
			g, _ := grade.Number(x, "", grade.Tolerance{})
			return g
		}
		if exact != "" {
			if r, ok := new(big.Rat).SetString(exact); ok {
				return grade.Quantity(units.Rat(r), unit, tol)
			}
		}
		return grade.Quantity(units.Float(x), unit, tol)
	}
	switch a.Kind {
	case KindNumber, KindExact:
		return num(a.Float, a.Exact), nil
	case KindChoice:
		var opts []string
		for _, ch := range a.Choices {
			opts = append(opts, ch.Text)
		}
		if len(a.Text) == 1 {
			idx := strings.IndexFunc(strings.ToUpper(a.Text), func(r rune) bool { return r >= 'A' && r <= 'Z' })
			if idx == 0 {
				// Options are passed only when the labels run A, B, C...
				for i, ch := range a.Choices {
					if !strings.EqualFold(ch.Label, string(rune('A'+i))) {
						opts = nil
						break
					}
				}
				return grade.Choice(strings.ToUpper(a.Text), opts...)
			}
		}
		return grade.Text(a.Text), nil
	case KindSet, KindTuple:
		els := make([]grade.Gold, len(a.Elements))
		for i, e := range a.Elements {
			els[i] = num(e, exactText(e, a.exacts, i))
		}
		if a.Kind == KindSet {
			return grade.Set(els...), nil
		}
		return grade.Tuple(els...), nil
	case KindInterval:
		return grade.Interval(num(a.Elements[0], exactText(a.Elements[0], a.exacts, 0)),
			num(a.Elements[1], exactText(a.Elements[1], a.exacts, 1)), a.LeftOpen, a.RightOpen), nil
	case KindExpression:
		return grade.Expr(a.Text, a.Variables...)
	case KindText:
		return grade.Text(a.Text), nil
	}
	return grade.Gold{}, fmt.Errorf("answer kind %q has no grader", a.Kind)
}

func exactText(x float64, exacts []string, i int) string {
	if i < len(exacts) {
		return exacts[i]
	}
	return ""
}
