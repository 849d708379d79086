package units

import (
	"errors"
	"fmt"
)

// Arithmetic errors. Callers compare with errors.Is.
var (
	// ErrDivByZero is returned for a division (or a negative power) of zero.
	ErrDivByZero = errors.New("division by zero")
	// ErrOverflow is returned when a result does not fit a float64.
	ErrOverflow = errors.New("overflow")
	// ErrNaN is returned when a result is not a number (sqrt(-1), log(-1), ...).
	ErrNaN = errors.New("not a number")
)

// MismatchError reports an operation on quantities whose dimensions differ,
// e.g. adding metres to seconds: "unit mismatch: m vs s".
type MismatchError struct {
	Op          string // "+", "-", "compare", "convert", ...
	Left, Right Unit
}

// Error implements error.
func (e *MismatchError) Error() string {
	l, r := e.Left.String(), e.Right.String()
	if l == r { // same spelling, different dimensions cannot happen; be safe
		l, r = e.Left.Dim().String(), e.Right.Dim().String()
	}
	if e.Op == "convert" {
		return fmt.Sprintf("cannot convert %s to %s: dimensions %s vs %s", l, r, e.Left.Dim(), e.Right.Dim())
	}
	return fmt.Sprintf("unit mismatch: %s vs %s", l, r)
}

// DimensionError reports a function or operation that needs a
// dimensionless argument (exp, log, sin, a non-integer power, ...) but got
// a quantity with a dimension.
type DimensionError struct {
	Func string // "exp", "log", "sin", "**", ...
	Unit Unit
	Msg  string // optional override of the default wording
}

// Error implements error.
func (e *DimensionError) Error() string {
	if e.Msg != "" {
		return e.Msg
	}
	return fmt.Sprintf("%s needs a dimensionless argument, got %s", e.Func, e.Unit)
}

// ParseError is a syntax error in a unit expression or a number. Offset is
// the 0-based byte offset into the text where the problem starts and End
// the byte offset where it ends (End >= Offset), so a caller can turn them
// into source positions.
type ParseError struct {
	Text   string // the whole text that was parsed
	Offset int
	End    int
	Msg    string // e.g. `unknown unit "kmol2"`
}

// Error implements error: the message and a 1-based column in runes.
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s at col %d", e.Msg, e.Col())
}

// Col returns the 1-based column of Offset in runes.
func (e *ParseError) Col() int {
	off := e.Offset
	if off > len(e.Text) {
		off = len(e.Text)
	}
	n := 1
	for range e.Text[:off] {
		n++
	}
	return n
}
