package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/polylearn/poly/grade"
)

// nastyLines are input lines for the differential tests: every JSON type
// in every field, escapes, invalid UTF-8, case-folded and escaped keys,
// duplicate keys, malformed lines.
var nastyLines = []string{
	`{"gold": "\\frac{1}{2}", "pred": "so \\boxed{0.5}"}`,
	`{"gold":"7","pred":"7"}`,
	`  {"gold" : "7" , "pred" : "7" }  `,
	"\t{\"gold\":\"7\",\"pred\":\"7\"}\r",
	`{}`, `{ }`, `[]`, `1`, `"s"`, `null`, `true`, ``, `   `, "\v", "\u00a0",
	`{"id": 1, "gold": "1", "pred": "1"}`,
	`{"id": -2.5e+10, "gold": "1", "pred": "1"}`,
	`{"id": 123456789012345678901234567890, "gold": "1", "pred": "1"}`,
	`{"id": true, "gold": "1", "pred": "1"}`,
	`{"id": null, "gold": "1", "pred": "1"}`,
	`{"id": {}, "gold": "1", "pred": "1"}`,
	`{"id": [ 1 , "two" , {"3" : [ null ]} ], "gold": "1", "pred": "1"}`,
	`{"id": "<a&b>", "gold": "1", "pred": "1"}`,
	`{"id": "a` + "\u2028\u2029" + `b", "gold": "1", "pred": "1"}`,
	`{"id": "\u003c\ud83d\ude00\ud800", "gold": "1", "pred": "1"}`,
	`{"id": "` + "\xff\xfe" + `", "gold": "1", "pred": "1"}`,
	`{"id": {"k": "sp ace", "l": "<"}, "gold": "1", "pred": "1"}`,
	`{"gold": 7, "pred": "7"}`,
	`{"gold": 1e999, "pred": "7"}`,
	`{"gold": -0, "pred": "0"}`,
	`{"gold": 1E+2, "pred": "100"}`,
	`{"gold": "7", "gold": 7, "pred": "7"}`,
	`{"gold": 7, "gold": "8", "pred": "8"}`,
	`{"pred": "7", "pred": 7, "gold": "7"}`,
	`{"id": 1, "id": "two", "gold": "7", "pred": "7"}`,
	`{"i\u0064": 1, "gold": "7", "pred": "7"}`,
	`{"gold": -7.50e-3, "pred": "7"}`,
	`{"gold": null, "pred": "7"}`,
	`{"gold": true, "pred": "7"}`,
	`{"gold": {}, "pred": "7"}`,
	`{"gold": ["7"], "pred": "7"}`,
	`{"gold": "", "pred": ""}`,
	`{"gold": "7", "pred": null}`,
	`{"gold": "7", "pred": 7}`,
	`{"gold": "7", "pred": false}`,
	`{"gold": "7", "pred": []}`,
	`{"gold": "7"}`,
	`{"pred": "7"}`,
	`{"GOLD": "7", "Pred": "7"}`,
	`{"Id": 5, "gold": "7", "pred": "7"}`,
	`{"ſpec": "x.poly", "completion": "1"}`,
	`{"g\u006fld": "7", "pred": "7"}`,
	`{"gold": "1", "pred": "2", "gold": "2"}`,
	`{"gold": "1", "pred": "2", "pred": null}`,
	`{"gold": "1", "pred": "2", "gold": null}`,
	`{"spec": "a.poly", "spec": null, "completion": "1"}`,
	`{"spec": "", "gold": "1", "pred": "1"}`,
	`{"spec": null, "gold": "1", "pred": "1"}`,
	`{"spec": 5, "gold": "1", "pred": "1"}`,
	`{"sample": 3, "gold": "1", "pred": "1"}`,
	`{"sample": null, "gold": "1", "pred": "1", "completion": null}`,
	`{"gold": "1", "pred": "1", "completion": 3}`,
	`{"spec": "does/not/exist.poly", "completion": "1", "sample": "f#2"}`,
	`{"spec": "does/not/exist.poly"}`,
	`{"gold": "\u00bd", "pred": "\u00BD"}`,
	`{"gold": "<b>&amp;</b>", "pred": "\\boxed{<b>}"}`,
	`{"gold": "a\u2028b", "pred": "\\boxed{a` + "\u2029" + `b}"}`,
	`{"gold": "\ud83d\ude00", "pred": "\\boxed{\ud83d\ude00}"}`,
	`{"gold": "\ud83d", "pred": "\\boxed{\ude00\ud83d}"}`,
	`{"gold": "\ud83dx\udbff\udfff", "pred": "\ud83d\u0041\ud83d\\n"}`,
	`{"gold": "\u0000\u0001\u001f\b\f\n\r\t\/\"\\", "pred": "x\u007f"}`,
	`{"gold": "\u007f\u0080\u00ff\uFFFF\uFFFE\uFfFd", "pred": "` + "x\u007f\u0085\ufffd" + `"}`,
	`{"gold": "1` + "\xff" + `", "pred": "1` + "\xed\xa0\x80" + ` so 1"}`,
	`{"gold": "` + "\xe2\x82" + `", "pred": "` + "\xf0\x9f\x98" + `"}`,
	`{"gold": "` + "\xc0\xafé\xe2\x80\xa8" + `\n", "pred": "` + "\xff\\\\\xfe" + `"}`,
	`{"gold": "日本語 answer 3", "pred": "the answer is 3 (三)"}`,
	`{"gold": "x", "pred": "\x"}`,
	`{"gold": "x", "pred": "\'"}`,
	`{"gold": "x", "pred": "\u12"}`,
	`{"gold": "x", "pred": "\u12G4"}`,
	"{\"gold\": \"x\", \"pred\": \"a\tb\"}",
	"{\"gold\": \"x\", \"pred\": \"a\x01b\"}",
	`{"gold": "x", "pred": "unterminated}`,
	`{"gold": "x", "pred": "ends in a backslash\`,
	`not json`, `{`, `{} }`, `{}{}`, `{} x`, `{} ]`, `{},`,
	`{"gold":"1","pred":"1"} {"gold":"2"}`,
	"{\"gold\":\"1\",\"pred\":\"1\"}\v",
	"\ufeff{\"gold\":\"1\",\"pred\":\"1\"}",
	`{"gold":"1","pred":"1",}`, `{"gold":"1" "pred":"1"}`, `{"gold":"1","pred":"1"`,
	`{,"gold":"1"}`, `{"gold":"1",,"pred":"1"}`, `{"gold" "1"}`, `{"gold":}`, `{:"1"}`,
	`{'gold':'1'}`, `{gold:"1"}`,
	`{"gold":01,"pred":"1"}`, `{"gold":1.,"pred":"1"}`, `{"gold":-,"pred":"1"}`,
	`{"gold":1e,"pred":"1"}`, `{"gold":1e+,"pred":"1"}`, `{"gold":.5,"pred":"1"}`,
	`{"gold":+1,"pred":"1"}`, `{"gold":-0.0e-0,"pred":"0"}`, `{"gold":0e5,"pred":"0"}`,
	`{"gold":1, "pred":"1", "x": tru}`, `{"gold":1, "pred":"1", "x": nul}`,
	`{"gold":1, "pred":"1", "x": nulls}`, `{"gold":1, "pred":"1", "x": NaN}`,
	`{"gold":1, "pred":"1", "x": [1,]}`, `{"gold":1, "pred":"1", "x": [,1]}`,
	`{"gold":1, "pred":"1", "x": {"a" 1}}`, `{"gold":1, "pred":"1", "x": {"a":1,}}`,
	`{"gold":1, "pred":"1", "x": {1:1}}`, `{"gold":1, "pred":"1", "x": [1 2]}`,
	`{"gold":1, "pred":"1", "x": ["\ud800", "\"", {"y": [true, false, null, -1.5E-3]}]}`,
	`{"gold":"1","pred":"1","x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	`{"gold":"1","pred":"1","x":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"gold":"1","pred":"1","x":` + strings.Repeat(`{"a":`, 300) + `1` + strings.Repeat("}", 300) + `}`,
	`{"gold":"1","pred":"1","x":` + strings.Repeat("[", 20) + strings.Repeat("]", 19) + `}`,
	`{"gold": "3", "pred": "` + strings.Repeat("x", 100000) + ` 3"}`,
	`{"gold": "3", "pred": "` + strings.Repeat("é\\u00e9\\\\", 5000) + ` 3"}`,
	`{"gold": "3", "pred": "` + strings.Repeat("\xff", 5000) + ` 3"}`,
	`{"gold": "` + strings.Repeat(`\\frac{`, 200) + `1` + strings.Repeat(`}{2}`, 200) + `", "pred": "1"}`,
	`{"gold": "\\{1,2,3\\}", "pred": "\\boxed{\\{1,2,4\\}}"}`,
	`{"gold": "(1,2,3)", "pred": "Answer: (1, 2, 5)"}`,
	`{"gold": "5 m", "pred": "\\boxed{5 s}"}`,
	`{"gold": "1/3", "pred": "the answer is 0.3333"}`,
}

// corpusLines returns the lines of grade/testdata/cases.jsonl, if present.
func corpusLines(t testing.TB) []string {
	b, err := os.ReadFile(filepath.Join("..", "..", "grade", "testdata", "cases.jsonl"))
	if err != nil {
		t.Logf("no corpus: %v", err)
		return nil
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// mutate returns n random edits of the lines with JSON-significant
// bytes, invalid UTF-8 and control characters (a fixed seed).
func mutate(lines []string, n int) []string {
	const alphabet = "{}[]\",:\\ u0123456789abcdefnulltrue-+.eE\x00\x01\x1f\x7f\x80\xff\xe2\x80\xa8<>&\t"
	r := rand.New(rand.NewPCG(1, 2))
	var out []string
	for range n {
		l := []byte(lines[r.IntN(len(lines))])
		for range 1 + r.IntN(3) {
			p := r.IntN(len(l) + 1)
			c := alphabet[r.IntN(len(alphabet))]
			switch op := r.IntN(3); {
			case op == 0:
				l = append(l[:p], append([]byte{c}, l[p:]...)...)
			case p < len(l) && op == 1:
				l = append(l[:p], l[p+1:]...)
			case p < len(l):
				l[p] = c
			}
		}
		out = append(out, string(bytes.ReplaceAll(l, []byte("\n"), []byte(" "))))
	}
	return out
}

func differentialLines(t testing.TB) []string {
	lines := append([]string{}, nastyLines...)
	corpus := corpusLines(t)
	lines = append(lines, corpus...)
	if len(corpus) > 0 {
		lines = append(lines, mutate(corpus, 3000)...)
	}
	return append(lines, mutate(nastyLines, 3000)...)
}

// checkDecode checks that when the fast decoder takes a line, it decodes
// it as encoding/json does.
func checkDecode(t testing.TB, line []byte) bool {
	var d lineDecoder
	fast, ok := d.decode(line)
	if !ok {
		return false
	}
	std, err := decodeStd(line)
	if err != nil {
		t.Fatalf("fast decoder takes %q, encoding/json says %v", line, err)
	}
	if !bytes.Equal(fast.id, std.id) || !bytes.Equal(fast.gold, std.gold) ||
		fast.pred != std.pred || fast.hasPred != std.hasPred ||
		fast.spec != std.spec || fast.sample != std.sample ||
		fast.completion != std.completion || fast.hasCompletion != std.hasCompletion {
		t.Fatalf("%q:\nfast %+v\nstd  %+v", line, fast, std)
	}
	if len(fast.gold) > 0 {
		g1, err1 := goldText(fast.gold)
		g2, err2 := goldTextStd(fast.gold)
		if g1 != g2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("gold %q: %q, %v; encoding/json: %q, %v", fast.gold, g1, err1, g2, err2)
		}
		if fast.goldIsText != (fast.gold[0] == '"') || fast.goldIsText && fast.goldText != g2 {
			t.Fatalf("gold %q: text %q (%v); encoding/json: %q", fast.gold, fast.goldText, fast.goldIsText, g2)
		}
	}
	return true
}

// goldTextStd is goldText by encoding/json: a string, else a json.Number.
func goldTextStd(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&n); err == nil {
		return n.String(), nil
	}
	return "", errors.New(`"gold" must be a string or a number`)
}

func TestLineDecoderMatchesEncodingJSON(t *testing.T) {
	lines := differentialLines(t)
	fast := 0
	for _, l := range lines {
		if checkDecode(t, []byte(l)) {
			fast++
		}
	}
	// the fast path must be the common path, not a test that passes by
	// leaving everything to encoding/json
	for _, l := range corpusLines(t) {
		var d lineDecoder
		if _, ok := d.decode([]byte(l)); !ok {
			t.Errorf("the fast decoder leaves a corpus line: %s", l)
		}
	}
	t.Logf("%d of %d lines decoded by the fast path", fast, len(lines))
}

// gradeLineStd is the output line of `poly grade` by encoding/json alone.
func gradeLineStd(c *GradeCmd, n int, line []byte, opts grade.Options) ([]byte, bool) {
	in, err := decodeStd(line)
	var res grade.Result
	if err == nil {
		res, err = c.grade(&in, opts)
	}
	o := gradeOut{Line: n, ID: in.id}
	if err != nil {
		o.Error = err.Error()
	} else {
		o.Result = &res
	}
	b, merr := json.Marshal(o)
	if merr != nil {
		b, _ = json.Marshal(gradeOut{Line: n, Error: "cannot encode result: " + merr.Error()})
		err = merr
	}
	return append(b, '\n'), err != nil
}

func TestGradeLineMatchesEncodingJSON(t *testing.T) {
	for _, c := range []*GradeCmd{benchGradeCmd(1), {FormatReward: 0.25, Partial: true, MaxInput: 65536}} {
		opts := c.options()
		var lc lineCodec
		for i, l := range differentialLines(t) {
			got, gotBad := c.gradeLine(nil, i+1, []byte(l), opts, &lc)
			want, wantBad := gradeLineStd(c, i+1, []byte(l), opts)
			if !bytes.Equal(got, want) || gotBad != wantBad {
				t.Fatalf("%q:\ngot  %s (malformed %v)\nwant %s (malformed %v)", l, got, gotBad, want, wantBad)
			}
		}
	}
}

func FuzzGradeLine(f *testing.F) {
	for _, l := range nastyLines {
		if len(l) < 1000 {
			f.Add([]byte(l))
		}
	}
	c := benchGradeCmd(1)
	opts := c.options()
	opts.Budget.MaxInput = 4096
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			return
		}
		checkDecode(t, line)
		var lc lineCodec
		got, gotBad := c.gradeLine(nil, 7, line, opts, &lc)
		want, wantBad := gradeLineStd(c, 7, line, opts)
		if !bytes.Equal(got, want) || gotBad != wantBad {
			t.Fatalf("%q:\ngot  %s\nwant %s", line, got, want)
		}
	})
}

// nastyStrings are strings for the encoder tests.
var nastyStrings = []string{
	"", "17", `\frac{1}{2}`, `"quoted" \ back\slash`, "<script>&amp;</script>",
	"\x00\x01\x07\b\t\n\v\f\r\x1b\x1f\x7f", "é日本語😀", "\u2028\u2029 \u2027\u202a",
	"\xff", "a\xffb\xfe", "\xe2\x80", "\xe2\x80\xa8\xe2\x80", "\xed\xa0\x80", "\xc0\xaf",
	"\xf4\x90\x80\x80", "\ufffd", "unit mismatch: J vs W", "off by 12%",
	strings.Repeat("<x&y>\u2028\xff", 300),
}

func TestAppendOutMatchesMarshal(t *testing.T) {
	if !fastResult {
		t.Fatal("grade.Result has a field appendOut does not write itself: teach resultLayout about it")
	}
	floats := []float64{0, math.Copysign(0, -1), 1, 0.25, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 1.5e-300,
		5e-324, 1e20, 1e21, 123456789, -2.5, math.MaxFloat64, math.NaN(), math.Inf(1), math.Inf(-1)}
	ids := []string{"", "1", "-2.5e+10", `"a"`, `"<&>"`, `{ "a" : [ 1 , 2 ] }`, "null", "true",
		`"` + "\u2028\xff" + `"`, `["\u003c", "x y"]`}
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return nastyStrings[r.IntN(len(nastyStrings))] }
	for i := range 3000 {
		res := grade.Result{
			Reward: floats[i%len(floats)], FormatOK: i%2 == 0, Extracted: pick(), Method: pick(),
			Parsed: pick(), Gold: pick(), Reason: pick(), Budget: pick(),
		}
		id := []byte(ids[r.IntN(len(ids))])
		var err error
		if i%5 == 0 {
			err = errors.New(pick())
		}
		checkOut(t, i, id, &res, err)
	}
}

// checkOut checks appendOut against json.Marshal.
func checkOut(t testing.TB, n int, id []byte, res *grade.Result, err error) {
	prefix := []byte("previous line\n")
	var e outEncoder
	var r grade.Result
	if res != nil {
		r = *res
	}
	got, gotBad := e.appendOut(append([]byte{}, prefix...), n, id, r, err)
	o := gradeOut{Line: n, ID: id}
	if err != nil {
		o.Error = err.Error()
	} else {
		o.Result = res
	}
	want, merr := json.Marshal(o)
	if merr != nil {
		want, _ = json.Marshal(gradeOut{Line: n, Error: "cannot encode result: " + merr.Error()})
	}
	want = append(append(prefix, want...), '\n')
	if !bytes.Equal(got, want) || gotBad != (err != nil || merr != nil) {
		t.Fatalf("got  %q (malformed %v)\nwant %q", got, gotBad, want)
	}
}

func FuzzAppendOut(f *testing.F) {
	f.Add("x", "<&>\u2028", "\xff", 0.5, true, `"id"`)
	f.Add("", "", "", 1e-7, false, `{"a": [1, 2]}`)
	f.Fuzz(func(t *testing.T, a, b, c string, reward float64, ok bool, id string) {
		if !json.Valid([]byte(id)) {
			id = ""
		}
		res := grade.Result{Reward: reward, FormatOK: ok, Extracted: a, Method: b, Parsed: c, Gold: b, Reason: a, Budget: c}
		checkOut(t, 1, []byte(id), &res, nil)
		checkOut(t, 2, []byte(id), nil, errors.New(a))
	})
}

func TestResultLayout(t *testing.T) {
	type plain struct {
		A float64 `json:"a"`
		B bool    `json:"b,omitempty"`
		C string  `json:"-"`
		D int     `json:"d"`
		E string
	}
	fields, ok := resultLayout(reflect.TypeFor[plain]())
	if !ok || len(fields) != 4 || fields[1].key != `,"b":` || !fields[1].omitEmpty || fields[3].key != `,"E":` {
		t.Errorf("plain: %v %+v", ok, fields)
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[struct {
			A float32 `json:"a"`
		}](),
		reflect.TypeFor[struct {
			A string `json:"a,string"`
		}](),
		reflect.TypeFor[struct {
			A string `json:"a-b"`
		}](),
		reflect.TypeFor[struct {
			A string `json:"line"`
		}](),
		reflect.TypeFor[struct {
			A []string `json:"a"`
		}](),
		reflect.TypeFor[struct{ a string }](),
		reflect.TypeFor[struct{ grade.Budget }](),
		reflect.TypeFor[struct {
			A json.Number `json:"a"`
		}](),
	} {
		if _, ok := resultLayout(typ); ok {
			t.Errorf("%v: taken as plain", typ)
		}
	}
}
