package serve

import "net/http"

// SpecInfo is one served id in GET /v1/specs.
type SpecInfo struct {
	// ID is what items name in "spec" (or verl in extra_info.spec_id /
	// data_source "poly/<id>").
	ID string `json:"id"`
	// Sample is the sample's id in its spec (equal to ID unless Alias).
	Sample string `json:"sample"`
	// Hash is the hash of the spec version served.
	Hash string `json:"hash"`
	// File is the spec file.
	File string `json:"file"`
	// Alias is true for the spec-file-name id of a one-sample file.
	Alias bool `json:"alias,omitempty"`
}

// SpecsResponse is the body of GET /v1/specs.
type SpecsResponse struct {
	// Specs lists every sample id that can be graded, sorted.
	Specs []SpecInfo `json:"specs"`
	// Families lists the problem families; problem i of family f is
	// graded as "f#i".
	Families []FamilyInfo `json:"families"`
	// Files lists every spec file with its served hash and, after a failed
	// reload, the diagnostics of the version that was refused.
	Files []FileState `json:"files"`
}

func (s *Server) handleSpecs(w http.ResponseWriter, r *http.Request) {
	resp := SpecsResponse{Specs: []SpecInfo{}, Families: s.store.Families(), Files: s.store.Files()}
	for _, e := range s.store.Entries() {
		resp.Specs = append(resp.Specs, SpecInfo{ID: e.ID, Sample: e.SampleID, Hash: e.Hash, File: e.File, Alias: e.Alias})
	}
	writeJSON(w, http.StatusOK, resp)
}

// HealthResponse is the body of GET /healthz.
type HealthResponse struct {
	Status string `json:"status"`
	// Samples is the number of samples served.
	Samples int `json:"samples"`
	// Files is the number of spec files served.
	Files int `json:"files"`
	// ReloadErrors counts files whose last reload failed (they serve their
	// last good version).
	ReloadErrors int `json:"reload_errors"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	files := s.store.Files()
	h := HealthResponse{Status: "ok", Samples: s.store.Len(), Files: len(files)}
	for _, f := range files {
		if f.Error != "" {
			h.ReloadErrors++
		}
	}
	writeJSON(w, http.StatusOK, h)
}
