package store

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Limits of a cart line's specs: a small flat object of options ("cut to 6 m", "painted").
const (
	MaxSpecsBytes = 2048
	maxSpecsKeys  = 20
	maxSpecString = 200
)

var specKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)

// NormalizeSpecs checks a specs value and returns its canonical JSON (keys sorted, numbers
// in shortest form), or "" for no specs (absent, null or {}). Two lines with the same
// canonical specs are the same line. Shape: a JSON object of at most 20 keys (letters,
// digits, _), each a string (≤ 200 characters), a finite number or a boolean; known keys
// are checked further: lengthM a number of metres in (0, 24], cutToLength a boolean,
// finish a string.
func NormalizeSpecs(raw json.RawMessage) (string, *FieldError) {
	bad := func(ro, en string) (string, *FieldError) {
		return "", &FieldError{Field: "specs", Message: Text{RO: ro, EN: en}}
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if len(raw) > MaxSpecsBytes {
		return bad("Specificațiile depășesc 2 KB.", "Specs exceed 2 KB.")
	}
	if raw[0] != '{' {
		return bad("Specificațiile trebuie să fie un obiect JSON.", "Specs must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return bad("Specificațiile trebuie să fie un obiect JSON.", "Specs must be a JSON object.")
	}
	if len(m) > maxSpecsKeys {
		return bad("Specificațiile pot avea cel mult 20 de câmpuri.", "Specs may have at most 20 fields.")
	}
	if len(m) == 0 {
		return "", nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !specKey.MatchString(k) {
			return bad("Nume de câmp nevalid în specificații: "+strconv.Quote(k)+".", "Invalid field name in specs: "+strconv.Quote(k)+".")
		}
		switch val := v.(type) {
		case string:
			if utf8.RuneCountInString(val) > maxSpecString || !printable(val) {
				return bad("Valoarea „"+k+"” este prea lungă sau conține caractere nepermise.", "The value of "+k+" is too long or has control characters.")
			}
			out[k] = val
		case json.Number:
			f, err := strconv.ParseFloat(string(val), 64)
			if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
				return bad("Valoarea „"+k+"” nu este un număr valid.", "The value of "+k+" is not a valid number.")
			}
			out[k] = f
		case bool:
			out[k] = val
		default:
			return bad("Valorile din specificații trebuie să fie text, număr sau adevărat/fals.", "Spec values must be strings, numbers or booleans.")
		}
	}
	if v, ok := out["lengthM"]; ok {
		f, isNum := v.(float64)
		if !isNum || f <= 0 || f > 24 {
			return bad("Lungimea (lengthM) trebuie să fie un număr de metri între 0 și 24.", "lengthM must be a number of metres between 0 and 24.")
		}
	}
	if v, ok := out["cutToLength"]; ok {
		if _, isBool := v.(bool); !isBool {
			return bad("cutToLength trebuie să fie adevărat sau fals.", "cutToLength must be true or false.")
		}
	}
	if v, ok := out["finish"]; ok {
		if _, isStr := v.(string); !isStr {
			return bad("finish trebuie să fie text.", "finish must be a string.")
		}
	}
	b, err := json.Marshal(out) // map keys come out sorted: a canonical form
	if err != nil {
		return bad("Specificațiile nu sunt valide.", "Specs are not valid.")
	}
	return string(b), nil
}

// printable rejects control characters (a line break in a spec would end up in emails).
func printable(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// specsJSON turns a stored specs column into the API value (null when none).
func specsJSON(s *string) json.RawMessage {
	if s == nil || *s == "" {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}
