package synth

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// referenceFormulas recomputes the gold answer of every shipped evaluation
// family in Python, from the vary values alone (each in the unit the spec
// wrote it in), with formulas written independently of the specs. It
// checks the science of the specs and the compiler's units together: a
// wrong formula, constant or unit conversion on either side shows up as a
// mismatch. Each entry returns the answer in the spec's answer unit: a
// number, or a list for set, tuple and interval answers.
const referenceFormulas = `
import json, math, sys
R, F, NA, h, c, eV = 8.314462618, 96485.33212, 6.02214076e23, 6.62607015e-34, 299792458.0, 1.602176634e-19
K0 = 273.15
def comb(n, k): return math.comb(int(n), int(k))
ref = {
  # physics
  "projectile_range": lambda v: v["v0"]**2 * math.sin(math.radians(2*v["theta"])) / 9.81,            # m
  "resistor_power": lambda v: v["voltage"]**2 / v["resistance"] * 1e3,                                 # mW
  "gas_pressure": lambda v: v["n"] * R * (v["temp"] + K0) / (v["volume"] / 1e3) / 1e3,                 # kPa
  "photon_energy": lambda v: h * c / (v["wavelength"] * 1e-9) / eV,                                    # eV
  "thin_lens": lambda v: 1 / (1/v["focal"] - 1/v["object"]),                                           # cm
  "spring_period": lambda v: 2 * math.pi * math.sqrt(v["mass"] / 1e3 / v["stiffness"]),                # s
  "parallel_resistors": lambda v: 1 / (1/v["r1"] + 1/v["r2"] + 1/v["r3"]),                             # ohm
  "velocity_components": lambda v: [v["speed"] * math.cos(math.radians(v["angle"])),
                                    v["speed"] * math.sin(math.radians(v["angle"]))],                  # m/s
  # chemistry
  "solution_molarity": lambda v: v["mass"] / 58.44 / (v["volume"] / 1e3),                              # mol/L
  "strong_acid_ph": lambda v: -math.log10(v["stock"] * v["aliquot"] / v["total"]),
  "stock_dilution": lambda v: v["target"] * v["final"] / v["stock"],                                   # mL
  "gas_mass": lambda v: (v["pressure"] * 1e3) * (v["volume"] / 1e3) / (R * (v["temp"] + K0)) * 44.01,  # g
  "first_order_decay": lambda v: v["initial"] * 0.5 ** ((v["elapsed"] / 60) / v["halflife"]),         # mg
  "buffer_ph": lambda v: v["pKa"] + math.log10(v["base"] / v["acid"]),
  "alkane_combustion": lambda v: v["amount"] * (3 * v["carbons"] + 1) / 2,                             # mol
  # biology
  "bacterial_growth": lambda v: v["start"] * 2 ** (v["elapsed"] * 60 / v["doubling"]),                 # cells
  "hardy_weinberg": lambda v: 2 * math.sqrt(v["affected"] / 100) * (1 - math.sqrt(v["affected"] / 100)) * v["population"],
  "drug_elimination": lambda v: v["dose"] / v["vd"] * 0.5 ** (v["elapsed"] / v["halflife"]),          # mg/L
  "michaelis_menten": lambda v: v["vmax"] * v["substrate"] / (v["km"] + v["substrate"]),              # umol/min
  "membrane_potential": lambda v: R * (37 + K0) / (v["charge"] * F) * math.log(v["outside"] / v["inside"]) * 1e3,  # mV
  "plate_count": lambda v: v["colonies"] * 10 ** v["exponent"] / v["plated"],                          # 1/mL
  "mendelian_binomial": lambda v: comb(v["children"], v["k"]) * (0.25 ** v["loci"]) ** v["k"] * (1 - 0.25 ** v["loci"]) ** (v["children"] - v["k"]),
  # math
  "linear_equation": lambda v: (v["c"] - v["b"]) / v["a"],
  "compound_interest": lambda v: v["principal"] * (1 + v["rate"] / 100) ** v["years"],
  "quadratic_roots": lambda v: sorted([v["r"], v["s"]]),
  "arithmetic_series": lambda v: v["terms"] * (2 * v["first"] + (v["terms"] - 1) * v["diff"]) / 2,
  "linear_inequality": lambda v: [(v["lo"] - v["b"]) / v["a"], (v["hi"] - v["b"]) / v["a"]],
  "exponential_equation": lambda v: math.log(v["c"] / v["a"]) / math.log(v["b"]),
}
problems = json.load(open(sys.argv[1]))
out = []
for p in problems:
    f = ref.get(p["family"])
    out.append(None if f is None else f(p["vary"]))
print(json.dumps(out))
`

// TestReferenceGolds compares 20 generated problems of every shipped
// family (except the symbolic derivative family, checked by its own
// grader) with the Python reference formulas.
func TestReferenceGolds(t *testing.T) {
	type problem struct {
		Family string             `json:"family"`
		ID     string             `json:"id"`
		Vary   map[string]float64 `json:"vary"`
		gold   []float64
		tol    float64
	}
	var probs []*problem
	for _, f := range shipped(t, "eval") {
		spec := compile(t, f)
		for _, fam := range spec.Families {
			if fam.ID == "derivative" {
				continue
			}
			items, err := Generate(spec, fam, 11, 20, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				s := it.Sample()
				p := &problem{Family: fam.ID, ID: it.ID, Vary: map[string]float64{}}
				for _, name := range fam.Vary {
					v, ok := s.Value(name)
					if !ok {
						t.Fatalf("%s: no value for vary %s", it.ID, name)
					}
					p.Vary[name] = v.Float
				}
				switch a := s.Answer; a.Kind {
				case "number", "exact":
					p.gold = []float64{a.Float}
				default:
					p.gold = a.Elements
				}
				probs = append(probs, p)
			}
		}
	}
	in, err := json.Marshal(probs)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "problems.json")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var got []json.RawMessage
	out := pyref.Run(t, referenceFormulas, path)
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(got) != len(probs) {
		t.Fatalf("python returned %d answers for %d problems", len(got), len(probs))
	}
	families := map[string]bool{}
	for i, p := range probs {
		var want []float64
		var one float64
		switch {
		case string(got[i]) == "null":
			t.Errorf("%s: no reference formula for family %s", p.ID, p.Family)
			continue
		case json.Unmarshal(got[i], &one) == nil:
			want = []float64{one}
		default:
			if err := json.Unmarshal(got[i], &want); err != nil {
				t.Fatalf("%s: %v", p.ID, err)
			}
		}
		gold := p.gold
		if p.Family == "quadratic_roots" && len(gold) == 2 && gold[0] > gold[1] {
			gold = []float64{gold[1], gold[0]}
		}
		if len(gold) != len(want) {
			t.Errorf("%s: gold %v, reference %v", p.ID, gold, want)
			continue
		}
		for j := range want {
			if d := math.Abs(gold[j] - want[j]); d > 1e-9*math.Max(1, math.Abs(want[j])) {
				t.Errorf("%s (vary %v): gold %v, reference %v", p.ID, p.Vary, gold, want)
				break
			}
		}
		families[p.Family] = true
	}
	if len(families) < 28 {
		t.Errorf("only %d families compared", len(families))
	}
}

// referenceSamples recomputes the engineered and natural samples'
// answers in Python, independently of the specs.
const referenceSamples = `
import json, math
R, F, NA = 8.314462618, 96485.33212, 6.02214076e23
cells = 5.0e7 * 2 ** (240 / 30)
pH = -math.log10(cells * 1.5e-15 / 0.100)
lam_p, lam_b = math.log(2) / (109.8 * 60), math.log(2) / (6 * 3600)
activity = 370e6 * math.exp(-(lam_p + lam_b) * 3 * 3600)
print(json.dumps({
  "colony_electrode": math.log(10) * R * (37 + 273.15) / F * (7 - pH) * 1e3,   # mV
  "tracer_clearance": activity / lam_p / NA * 18.0 * 1e12,                     # pg
  "physics_free_fall": math.sqrt(2 * 45 / 9.81),                               # s
  "chemistry_molarity": 0.250 * 0.150 * 58.44,                                 # g
  "prealgebra_fractions": (1 - 5/12) * (1 - 1/3),
  "biology_dihybrid": (3/4) ** 2,   # the value of the correct option
  "nnk_library": 31**7 * -math.expm1(-5 * (0.50 * 50 * 0.040) * 4.0e8 * (31/32)**7 / 31**7),
}))
`

func TestReferenceSamples(t *testing.T) {
	var want map[string]float64
	if err := json.Unmarshal(pyref.Run(t, referenceSamples), &want); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, dir := range []string{"engineered", "natural"} {
		for _, f := range shipped(t, dir) {
			for _, s := range compile(t, f).Samples {
				w, ok := want[s.ID]
				if !ok {
					t.Errorf("%s: no reference value", s.ID)
					continue
				}
				seen++
				gold := s.Answer.Float
				if s.Answer.Kind == "choice" { // the value the correct option shows
					gold = math.NaN()
					for _, c := range s.Answer.Choices {
						if c.Label == s.Answer.Text {
							gold, _ = strconv.ParseFloat(c.Text, 64)
						}
					}
				}
				if d := math.Abs(gold - w); !(d <= 1e-9*math.Abs(w)) {
					t.Errorf("%s: gold %v %s, reference %v", s.ID, gold, s.Answer.Unit, w)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("compared %d samples, the reference has %d", seen, len(want))
	}
}
