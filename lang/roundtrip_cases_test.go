package lang

import "testing"

func TestRoundTripCases(t *testing.T) {
	for _, src := range []string{
		"sample s {\n  prompt \"\"\"\n    a\n  \"\"\" // after\n}\n",
		"sample s \"\"\"\n  t\n\"\"\" {\n}\n",
		"sample s {\n  given /* a */ x = 1 // b\n}\n",
		"sample /* c */ s {\n  let x = 1\n}\n",
		"sample s {\n  let x = y % -3\n  let z = 50%\n  let w = {1, 2}\n}\n",
		"sample s {\n  answer choice b { // hdr\n    a \"x\" // ca\n    // between\n    b \"y\"\n    // end\n  } // after\n}\n",
		"sample s {\n  train { // t\n    // c\n  }\n}\n",
		"sample s {\n  let s = \"\"\"\n    a\n    \"\"\" + x\n}\n",
		"sample s {\n  let a = 2 m ^ 2\n  let b = 3 J/(mol*K) ^ 2\n  let c = 50% ^ 2\n  let d = -2 m ^ 2\n}\n",
		"import \"a\" // c\n// d\nimport \"b\"\n\n\n// e\nsample s {}\n",
	} {
		checkRoundTrip(t, []byte(src))
	}
}
