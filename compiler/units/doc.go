// Package units implements numbers with units for poly: exact numbers
// (Number: an exact rational while the arithmetic stays exact, a float64
// otherwise), dimensions over the SI base units (Dim), units with scale and
// offset parsed from text such as "kg*m/s^2" or "J/(mol K)" (Unit), and
// quantities with dimensional analysis (Quantity).
//
// The package is a leaf: it must not import poly's compiler or grade
// packages, which both import it. docs/units.md lists the unit table and
// the rules (temperature offsets, angles, exactness).
package units
