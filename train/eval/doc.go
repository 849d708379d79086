// Package eval is `poly eval`: it measures a model on held-out problems.
//
// Problems come from compiled specs: every sample once, and every family
// Generate(seed, n) with n = PerFamily (or the family's size when it has
// fewer distinct problems). Each prompt is rendered through the model's
// chat template exactly as poly train renders it (run.RenderPrompt),
// completions are generated in batches on the KV cache (package sample;
// Temperature 0 is greedy), and each completion is graded by its
// problem's own checker (compiler.Sample.Grade, the reward poly train
// uses).
//
// The Report gives accuracy overall, per discipline (a sample with
// several disciplines counts in each) and per family (or sample), each
// with a 95% Wilson score interval, the mean completion length in tokens,
// and the format rate: the fraction of completions whose answer was
// found in a \boxed{} (or \fbox{}). Every problem's completion and grade
// is in the report too, so any figure can be checked by re-grading.
//
// The same specs, model and Options give the same report: the problems
// are chosen by Seed, batches are formed in a fixed order, and sampling
// (when Temperature > 0) draws from one generator seeded by Seed.
//
//	rep, err := eval.Run(ctx, specs, eval.Options{Model: "default", PerFamily: 20, Seed: 1, MaxTokens: 256})
//	rep.WriteText(os.Stdout)
package eval
