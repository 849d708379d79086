package synth

import (
	"github.com/polylearn/poly/synth/export"
)

// DataSourcePrefix starts every exported data_source ("poly/<id>"): verl
// groups validation metrics by data_source and routes custom rewards by it.
const DataSourcePrefix = "poly/"

// Record converts one item into an export row: data_source "poly/<sample
// id>" (or "poly/<family id>" for a family problem), the prompt as chat
// messages (the system message first when the spec has one), ability =
// the main discipline, reward_model {style "rule", ground_truth = the
// LaTeX gold}, and extra_info {index, split, spec_hash, sample_id, skills,
// disciplines, answer (plain-text gold), source, family (family problems
// only), solution (when the spec has one)}. String `meta {}` fields data_source and ability replace the
// defaults.
func Record(it *Item, index int, split string) export.Record {
	id := it.ID
	if it.Family != "" {
		id = it.Family
	}
	var msgs []export.Message
	if it.System != "" {
		msgs = append(msgs, export.Message{Role: "system", Content: it.System})
	}
	msgs = append(msgs, export.Message{Role: "user", Content: it.Prompt})
	fields := map[string]any{
		"spec_hash":   it.SpecHash,
		"sample_id":   it.ID,
		"skills":      nonNilStrings(it.Skills),
		"disciplines": nonNilStrings(it.Disciplines),
		"answer":      it.GroundTruth,
		"source":      it.Source,
	}
	if it.Family != "" {
		fields["family"] = it.Family
	}
	if it.Solution != "" {
		fields["solution"] = it.Solution
	}
	dataSource, ability := DataSourcePrefix+id, it.Discipline()
	if v, ok := it.Meta["data_source"].(string); ok && v != "" {
		dataSource = v
	}
	if v, ok := it.Meta["ability"].(string); ok && v != "" {
		ability = v
	}
	return export.Record{
		DataSource:  dataSource,
		Prompt:      msgs,
		Ability:     ability,
		RewardModel: export.RewardModel{Style: "rule", GroundTruth: it.GroundTruthLaTeX},
		ExtraInfo:   export.ExtraInfo{Index: index, Split: split, Fields: fields},
	}
}

// Records converts items into export rows numbered 0..len(items)-1, all in
// split.
func Records(items []*Item, split string) []export.Record {
	out := make([]export.Record, len(items))
	for i, it := range items {
		out[i] = Record(it, i, split)
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string(nil), s...)
}
