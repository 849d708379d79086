package serve

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzScanner checks the request scanner (validate, object, elements, str)
// against encoding/json on any input: same members, same elements, same
// strings.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{
		`{"items":[{"gold":"1","pred":"\\boxed{1}"},{"spec":"a","completion":"x\"y\\\\"}]}`,
		`{"a":1,"b":[1,{"c":"]}"}],"d":{"e":null},"f":"\u00e9\ud83d\ude00","g":-1.5e3,"h":true}`,
		` { "k" : "v" , "k" : "w" } `,
		`{"":""}`, `[]`, `[1, "2", [3], {"4":5}]`, `"\\\\"`, `{"x":"a\\\\\"b"}`,
		"{\"bad utf8\":\"\xff\xfe\"}", `{"a":}`, `{"a":1}{}`, ``, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if e := validate(data, "x"); (e == nil) != json.Valid(data) {
			t.Fatalf("validate says %v, json.Valid %v", e, json.Valid(data))
		}
		if !json.Valid(data) {
			return
		}
		trimmed := bytes.TrimSpace(data)
		switch trimmed[0] {
		case '{':
			var want map[string]json.RawMessage
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			got, e := object(data, "x")
			if e != nil {
				t.Fatalf("object: %v", e)
			}
			if len(got) != len(want) {
				t.Fatalf("object has %d members, encoding/json %d", len(got), len(want))
			}
			for k, v := range want {
				if !bytes.Equal(bytes.TrimSpace(got[k]), bytes.TrimSpace(v)) {
					t.Fatalf("member %q: %q, encoding/json %q", k, got[k], v)
				}
				checkString(t, v)
			}
		case '[':
			var want []json.RawMessage
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			got := elements(data)
			if len(got) != len(want) {
				t.Fatalf("%d elements, encoding/json %d", len(got), len(want))
			}
			for i := range want {
				if !bytes.Equal(got[i], bytes.TrimSpace(want[i])) {
					t.Fatalf("element %d: %q, encoding/json %q", i, got[i], want[i])
				}
			}
		case '"':
			checkString(t, trimmed)
		}
	})
}

// checkString compares str on a raw string value with encoding/json.
func checkString(t *testing.T, raw json.RawMessage) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return
	}
	var want string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	got, ok, e := str(map[string]json.RawMessage{"k": raw}, "k", "x", false)
	if e != nil || !ok || got != want {
		t.Fatalf("str(%q) = %q %v %v, encoding/json %q", raw, got, ok, e, want)
	}
}
