package serve

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/polylearn/poly/grade"
	"github.com/polylearn/poly/internal/jsonw"
)

// TestEncodedFieldsAreKnown fails when a type the hand-written encoder
// writes gains or loses a field: encode.go must then be updated.
func TestEncodedFieldsAreKnown(t *testing.T) {
	for typ, want := range map[reflect.Type][]string{
		reflect.TypeFor[grade.Result]():       {"Reward", "FormatOK", "Extracted", "Method", "Parsed", "Gold", "Reason", "Budget"},
		reflect.TypeFor[ItemResult]():         {"ID", "Result", "Spec", "Hash", "StaleData", "Error"},
		reflect.TypeFor[ScoreResult]():        {"Score", "ItemResult"},
		reflect.TypeFor[APIError]():           {"Status", "Code", "Message"},
		reflect.TypeFor[GradeResponse]():      {"Results", "Graded", "Failed", "Error"},
		reflect.TypeFor[ScoreBatchResponse](): {"Scores", "Results", "Graded", "Failed", "Error"},
	} {
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v has fields %v; encode.go writes %v: update it", typ, got, want)
		}
	}
}

var nastyStrings = []string{
	"", "plain", `q"uo\te`, "<a href='x'>&amp;</a>", "tab\tnew\nline\r\x00\x01\x1f\x7f",
	"\b\f", "é ü 漢字 😀", "\u2028\u2029", "bad \xff\xfe utf8 \xc3", `\boxed{\frac{1}{2}}`,
}

func randString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return nastyStrings[r.IntN(len(nastyStrings))]
	}
	b := make([]byte, r.IntN(12))
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return string(b)
}

func randFloat(r *rand.Rand) float64 {
	return []float64{0, 1, 0.5, 0.1, 1e-7, 2.5e-9, 1e21, 123456789.125, -0.0, 1.0 / 3}[r.IntN(10)]
}

func randItem(r *rand.Rand) ItemResult {
	var it ItemResult
	switch r.IntN(4) {
	case 0:
		it.ID = json.RawMessage(`{ "a" : [1, "<x>"] }`)
	case 1:
		it.ID = json.RawMessage(`7`)
	}
	if r.IntN(4) == 0 {
		it.Error = &APIError{Code: randString(r), Message: randString(r)}
	} else {
		it.Result = &grade.Result{Reward: randFloat(r), FormatOK: r.IntN(2) == 0, Extracted: randString(r),
			Method: randString(r), Parsed: randString(r), Gold: randString(r), Reason: randString(r)}
		if r.IntN(3) == 0 {
			it.Result.Budget = randString(r)
		}
		if r.IntN(2) == 0 {
			it.Spec, it.Hash, it.StaleData = randString(r), randString(r), r.IntN(2) == 0
		}
	}
	return it
}

func TestEncodeMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		g := GradeResponse{Graded: r.IntN(5), Failed: r.IntN(5)}
		sb := ScoreBatchResponse{Graded: g.Graded, Failed: g.Failed}
		if n%7 == 0 {
			g.Error = &APIError{Status: 404, Code: "unknown_spec", Message: randString(r)}
			sb.Error = g.Error
		}
		if n%11 != 0 {
			for range r.IntN(6) {
				it := randItem(r)
				g.Results = append(g.Results, it)
				sr := ScoreResult{ItemResult: it}
				if it.Error == nil {
					s := it.Reward
					sr.Score = &s
				}
				sb.Results = append(sb.Results, sr)
				sb.Scores = append(sb.Scores, sr.Score)
			}
		}
		check := func(what string, got []byte, v any) {
			t.Helper()
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s:\n got %s\nwant %s", what, got, want)
			}
		}
		check("GradeResponse", appendGradeResponse(nil, &g), &g)
		check("ScoreBatchResponse", appendScoreBatch(nil, &sb), &sb)
		for _, sr := range sb.Results {
			check("ScoreResult", appendItem(nil, sr.Score, &sr.ItemResult), &sr)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range nastyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsonw.AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}
