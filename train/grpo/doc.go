// Package grpo is Group Relative Policy Optimization as the one-sample RL
// papers use it (DeepSeekMath's GRPO with the verl/TRL options):
//
//   - the sample's prompt repeated per step, n rollouts per prompt (a group);
//   - group-normalised advantages A = (r - mean) / (std + 1e-4), or with
//     ScaleRewards=false (Dr. GRPO) A = r - mean; std is the unbiased
//     (Bessel) group standard deviation, as torch.std in TRL;
//   - the clipped surrogate -min(ρA, clip(ρ, 1-εlow, 1+εhigh)A) with
//     ρ = exp(logp - logp_old);
//   - KL to a frozen reference with the k3 estimator
//     exp(ref-logp) - (ref-logp) - 1, coefficient Beta (0 disables it and no
//     reference copy is kept);
//   - an entropy bonus -EntropyCoef·H;
//   - loss aggregation token-mean, seq-mean-token-mean,
//     seq-mean-token-sum, seq-mean-token-sum-norm (Dr. GRPO: divided by
//     the generation budget MaxTokens);
//   - Epochs optimisation epochs per batch (importance ratios against the
//     log-probabilities before the first update), AdamW with decoupled
//     weight decay, global-norm gradient clipping, linear warm-up then a
//     constant or cosine learning rate.
//
// The "old" log-probabilities are those of a ForwardLogProbs pass of the
// policy over the batch (the first epoch's forward, kept when Epochs > 1),
// so the first epoch's importance ratio is exactly 1. Policy, old and
// reference log-probabilities (and the logged entropy) are all taken at
// the sampling temperature (model.Batch.Temperature: the logits divided by
// it before the log-softmax), as TRL and verl do: the old log-probabilities
// then agree with the sampler's own (from the KV-cache path) to float
// rounding, which Metrics.SamplingLogpDiffMean/Max report. The sampler's
// are not used in the loss: with top-p/top-k they are of the truncated,
// renormalised distribution.
package grpo
