// Package synth turns compiled specs into final samples: the prompt a model
// sees (with the one-shot RLVR instruction suffix), the exact ground truth
// (LaTeX and plain text), the checker that grades a completion, and the
// skills and disciplines metadata. Families (`vary`) give deterministic,
// distinct evaluation problems from a seed. Records converts items into the
// rows that synth/export writes as verl parquet or TRL/HF JSONL.
package synth
