package synth

// Skills is the controlled vocabulary of salient math skills that the
// shipped specs use in their `skills` lines (the polymath-learning paper
// ranks samples by the math skills salient in them, so skills name math,
// not the science topic). A spec may use other names; the shipped library
// sticks to these so evaluations can be grouped by skill.
var Skills = map[string]string{
	"algebra":               "rearranging and evaluating formulas",
	"arithmetic":            "operations on numbers",
	"combinatorics":         "counting: products, binomial coefficients",
	"differentiation":       "derivatives",
	"exponent_rules":        "laws of exponents",
	"exponential_decay":     "halving, first-order decay",
	"exponential_equations": "solving a^x = b",
	"exponential_functions": "e^x and its uses",
	"exponential_growth":    "doubling, compound growth",
	"exponents":             "powers",
	"factoring":             "factoring polynomials",
	"fractions":             "exact fractions",
	"inequalities":          "solving inequalities",
	"intervals":             "interval notation",
	"linear_equations":      "solving linear equations",
	"logarithms":            "logarithms in any base",
	"percentages":           "percent",
	"probability":           "probability of events",
	"quadratics":            "quadratic equations",
	"ratios":                "ratios and proportions",
	"reciprocals":           "sums of reciprocals",
	"scientific_notation":   "powers of ten",
	"sequences_and_series":  "arithmetic and geometric series",
	"square_roots":          "roots",
	"trigonometry":          "sine, cosine, angles",
	"unit_conversion":       "converting units, dimensional analysis",
	"vectors":               "components of vectors",
}
