// Package compiler turns a parsed .poly file into a checked Spec: it
// resolves names across elements, lets and imports, evaluates every
// quantity with units and dimensional analysis (exact rationals where the
// arithmetic is exact), renders prompts and solutions with interpolation,
// builds the gold answer, compiles custom `check` programs (expr-lang)
// and runs the `expect` self-tests.
//
// # Entry points
//
//	spec, diags := compiler.CompileFile("specs/x.poly")
//	spec, diags := compiler.Compile(name, src, &compiler.Options{...})
//	res := compiler.CheckFiles(paths)          // what `poly check` does
//	out, err := compiler.NewOutput(spec, seed, n) // what `poly compile` prints
//
// Compile always returns a non-nil Spec and sorted diagnostics; use the
// spec only when diags.HasErrors() is false. No input makes the compiler
// panic: an internal failure becomes a diagnostic. A Spec's Samples and
// Families are immutable and safe for concurrent use (Sample.Grade,
// Family.Generate, Family.Problem).
//
// # Names
//
// A sample or family sees its own given/let/vary names (`t`), its own
// elements' names (`colony.n0`), the top-level elements of its file and
// of the files it imports (`const.R`; `import k "x.poly"` gives
// `k.const.R`). Imports are relative to the importing file and not
// transitive. Inside an element a plain name refers to a sibling first.
// Definitions read top to bottom: a given or let may use the names of its
// block (or file) defined above it, so using one before its definition
// is an error there, and with it every cycle; a definition in terms of
// itself is an error too. Text (prompt, solution, answer, check, expect)
// may use every name wherever it stands. Unknown names suggest the
// closest visible one.
//
// # Values
//
// Numbers are exact rationals while the arithmetic is exact (5/12, 2**10,
// sqrt(9/4)) and float64 otherwise (compiler/units). Quantities keep the
// unit they were written in (20 min stays 20 min); + - and comparisons
// need one dimension; ** needs a dimensionless exponent (t / doubling);
// a compound dimensionless unit simplifies to a plain number (2 h / 20 min
// is 6). An absolute temperature (degC, degF) entering a product, quotient
// or power is converted to kelvin first (R*T with T = 37 degC uses
// 310.15 K); a difference of temperatures is a scale. Functions: sqrt,
// exp, ln, log (natural, or log(x, base)), log10, log2, sin, cos, tan
// (angles in rad or deg), asin, acos, atan, atan2, sinh, cosh, tanh, abs,
// floor, ceil, round(x[, digits]), min, max, sum, len, gcd, lcm,
// comb(n, k), factorial(n <= 2000); constants pi and inf. Division by
// zero, overflow, NaN and a step budget (Options.MaxSteps) are positioned
// errors.
//
// # Text
//
// Prompts, solutions, system messages, choice texts, expect texts and
// expression answers interpolate `{expr}`, `{expr:.3g}` / `.2f` / `.4e`
// / `.3s` / `.1%`, `{expr in km}`. The default rendering prints exact
// integers and short decimals as written, small fractions as p/q, and
// other numbers with 6 significant digits; the unit follows in its
// display spelling (μF, °C, 50%, 30°).
//
// # Answers
//
// `answer [KIND] VALUE [in UNIT] [, abs X | rel X | sig N]`. Without a
// KIND: an exact unitless value without tolerance is an exact answer (a
// fraction stays a fraction), any other number a number answer, a set,
// tuple or interval value that kind. Kinds: number, exact, fraction,
// integer, choice (labels A, B, ... with texts; the texts are appended to
// the prompt unless it lists them), set, tuple, interval, expr (a string;
// variables from `in x` or `vars [x, y]`, else the letters it uses).
// Sample.Grade grades with the grader (package grade) against a Gold
// built from the computed value. A bare number in a prediction is read
// in the answer unit.
//
// # Check programs
//
// `check EXPR` is an expr-lang program compiled once per sample or family
// with expr.AsBool against a typed environment: pred (the prediction in
// the answer unit, NaN when it is not a number), gold, tol, pi, pred_text,
// gold_text, and every named quantity as a float64 in its display unit
// (`colony.n0`). Helpers: rel_err, within(x, y, tol), approx, is_int and
// the math functions; expr's builtins except those that read the clock or
// allocate without bound. A program runs under a node budget, a memory
// budget and a deadline; when it fails it gives reward 0 with the reason.
// When a sample has a check program, it decides the reward.
//
// # Self-tests
//
// `expect pass "..."` / `expect fail "..."` grade the text as a
// completion; a wrong verdict is an error at the expect line with the
// grader's reason. In a family they run on the problems `poly check`
// evaluates (the first, the last and an even spread, 8 at most), with
// interpolation, so `expect pass "{range:.3g}"` works.
package compiler
