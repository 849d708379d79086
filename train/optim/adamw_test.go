package optim

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/polylearn/poly/internal/pyref"
)

// TestAdamWMatchesTorch runs three steps of torch.optim.AdamW with one
// decayed and one undecayed parameter group and compares with Update.
func TestAdamWMatchesTorch(t *testing.T) {
	p0 := []float32{0.5, -1.5, 2, 0.25, -0.75, 3}
	grads := [][]float32{{0.1, -0.2, 0.3, 1, -2, 0.01}, {0.5, 0.5, -0.5, 0, 0.2, -3}, {-1, 2, 0.1, 0.3, 0.3, 0.3}}
	lrs := []float64{1e-2, 5e-3, 2e-2}
	o := NewAdamW(len(p0))
	o.Decay = [][2]int{{0, 2}, {4, 6}}
	p := append([]float32{}, p0...)
	for s, g := range grads {
		if err := o.Update(p, g, lrs[s]); err != nil {
			t.Fatal(err)
		}
	}
	in, _ := json.Marshal(map[string]any{"p": p0, "g": grads, "lr": lrs})
	out := pyref.Run(t, `
import sys, json, torch
d = json.loads(sys.argv[1])
p = torch.tensor(d["p"], dtype=torch.float32)
a, b, c = torch.nn.Parameter(p[[0,1,4,5]].clone()), torch.nn.Parameter(p[[2,3]].clone()), None
opt = torch.optim.AdamW([{"params": [a], "weight_decay": 0.01}, {"params": [b], "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
for g, lr in zip(d["g"], d["lr"]):
    g = torch.tensor(g)
    a.grad, b.grad = g[[0,1,4,5]].clone(), g[[2,3]].clone()
    for grp in opt.param_groups: grp["lr"] = lr
    opt.step()
r = [a[0].item(), a[1].item(), b[0].item(), b[1].item(), a[2].item(), a[3].item()]
print(json.dumps(r))
`, string(in))
	var want []float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err, string(out))
	}
	for i := range want {
		if math.Abs(float64(p[i])-want[i]) > 1e-6 {
			t.Errorf("param %d: %v, torch %v", i, p[i], want[i])
		}
	}
}

func TestClipGradNorm(t *testing.T) {
	g := []float32{3, 4}
	if n := ClipGradNorm(g, 1); math.Abs(n-5) > 1e-9 {
		t.Fatalf("norm %v", n)
	}
	if math.Abs(GradNorm(g)-1) > 1e-5 {
		t.Fatalf("clipped norm %v", GradNorm(g))
	}
	g = []float32{0.3, 0.4}
	ClipGradNorm(g, 1)
	if g[0] != 0.3 || g[1] != 0.4 {
		t.Fatal("clipped below the limit")
	}
}

// GradNorm sums fixed blocks in block order, so it equals this sequential
// reference exactly however the pool splits the work (resume relies on it).
func TestGradNormDeterministic(t *testing.T) {
	g := make([]float32, 5*grain+123)
	for i := range g {
		g[i] = float32(math.Sin(float64(i))) * 1e-3
	}
	var total float64
	for b := 0; b*grain < len(g); b++ {
		var s float64
		for _, x := range g[b*grain : min((b+1)*grain, len(g))] {
			s += float64(x) * float64(x)
		}
		total += s
	}
	want := math.Sqrt(total)
	for range 20 {
		if got := GradNorm(g); got != want {
			t.Fatalf("GradNorm = %v, want exactly %v", got, want)
		}
	}
}
