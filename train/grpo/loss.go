package grpo

import (
	"fmt"
	"math"
)

// Loss aggregation modes (verl's names).
const (
	AggTokenMean           = "token-mean"              // sum over all tokens / number of tokens
	AggSeqMeanTokenMean    = "seq-mean-token-mean"     // mean over sequences of the per-sequence token mean
	AggSeqMeanTokenSum     = "seq-mean-token-sum"      // mean over sequences of the per-sequence token sum
	AggSeqMeanTokenSumNorm = "seq-mean-token-sum-norm" // sum over all tokens / (sequences * MaxTokens) (Dr. GRPO)
)

// LossConfig holds the coefficients of the GRPO loss.
type LossConfig struct {
	EpsLow      float64 `json:"epsilon_low"` // clip range of the ratio: [1-EpsLow, 1+EpsHigh]
	EpsHigh     float64 `json:"epsilon_high"`
	Beta        float64 `json:"kl_coef"`      // KL coefficient (k3 estimator); 0: none
	EntropyCoef float64 `json:"entropy_coef"` // entropy bonus coefficient
	Agg         string  `json:"loss_agg"`     // aggregation mode
	MaxTokens   int     `json:"max_tokens"`   // generation budget, for seq-mean-token-sum-norm
}

// Validate checks the aggregation mode and the ranges.
func (c *LossConfig) Validate() error {
	switch c.Agg {
	case AggTokenMean, AggSeqMeanTokenMean, AggSeqMeanTokenSum, AggSeqMeanTokenSumNorm:
	default:
		return fmt.Errorf("loss aggregation %q: want %s, %s, %s or %s", c.Agg, AggTokenMean, AggSeqMeanTokenMean, AggSeqMeanTokenSum, AggSeqMeanTokenSumNorm)
	}
	if c.EpsLow < 0 || c.EpsLow >= 1 || c.EpsHigh < 0 {
		return fmt.Errorf("clip epsilons low %v high %v: want 0 <= low < 1, high >= 0", c.EpsLow, c.EpsHigh)
	}
	if c.Beta < 0 {
		return fmt.Errorf("KL coefficient %v is negative", c.Beta)
	}
	if c.Agg == AggSeqMeanTokenSumNorm && c.MaxTokens <= 0 {
		return fmt.Errorf("%s needs MaxTokens > 0", c.Agg)
	}
	return nil
}

// SeqWeights returns the weight of every token of each sequence in the
// aggregated loss, given the number of scored tokens per sequence: the
// loss is sum_b w_b * sum_t l_bt.
func (c *LossConfig) SeqWeights(lens []int) []float64 {
	w := make([]float64, len(lens))
	B := float64(len(lens))
	total := 0
	for _, n := range lens {
		total += n
	}
	for b, n := range lens {
		switch c.Agg {
		case AggTokenMean:
			w[b] = 1 / math.Max(1, float64(total))
		case AggSeqMeanTokenMean:
			w[b] = 1 / (B * math.Max(1, float64(n)))
		case AggSeqMeanTokenSum:
			w[b] = 1 / B
		case AggSeqMeanTokenSumNorm:
			w[b] = 1 / (B * float64(c.MaxTokens))
		}
	}
	return w
}

// TokenTerms are the loss terms of one token.
type TokenTerms struct {
	Loss       float64 // -min(ρA, clip(ρ)A) + β·kl - entropyCoef·H
	DLogp      float64 // d Loss / d logp
	DEntropy   float64 // d Loss / d H
	Ratio      float64 // ρ
	KL         float64 // k3 estimate (0 when β = 0)
	LowClipped bool    // ρ < 1-εlow and A < 0 (TRL's is_low_clipped)
	HiClipped  bool    // ρ > 1+εhigh and A > 0
}

// Token returns the loss terms of one token: logp under the policy, old
// before the update, ref under the reference (ignored when Beta is 0), h
// the entropy and adv the sequence's advantage.
func (c *LossConfig) Token(logp, old, ref, h, adv float64) TokenTerms {
	var t TokenTerms
	t.Ratio = math.Exp(logp - old)
	clipped := math.Min(math.Max(t.Ratio, 1-c.EpsLow), 1+c.EpsHigh)
	un, cl := t.Ratio*adv, clipped*adv
	if un <= cl {
		// the unclipped term is the minimum: gradient -ρA
		t.Loss = -un
		t.DLogp = -un
	} else {
		// the clipped term is the minimum and constant in logp
		t.Loss = -cl
	}
	t.LowClipped = t.Ratio < 1-c.EpsLow && adv < 0
	t.HiClipped = t.Ratio > 1+c.EpsHigh && adv > 0
	if c.Beta != 0 {
		d := ref - logp
		e := math.Exp(d)
		t.KL = e - d - 1
		t.Loss += c.Beta * t.KL
		t.DLogp += c.Beta * (1 - e)
	}
	t.Loss -= c.EntropyCoef * h
	t.DEntropy = -c.EntropyCoef
	return t
}
