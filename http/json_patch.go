package apphttp

import (
	"bytes"
	"encoding/json"
	"sort"

	"github.com/metalpro/backend/store"
)

// nullClearer is implemented by PATCH bodies with fields that null clears. nullMeans names
// the JSON value null stands for in field ("" for a text whose empty value removes it).
type nullClearer interface {
	nullMeans(field string) (json.RawMessage, bool)
}

// patchNulls settles the nulls among the top-level fields of a PATCH body: a field dst
// clears on null gets the value null means there; null for any other field is a 400. Either
// way, null never silently leaves a field as it was (absent fields do that).
func patchNulls(body []byte, dst any) ([]byte, error) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return body, nil // not an object: Decode names the problem
	}
	clearer, _ := dst.(nullClearer)
	var refused []string
	changed := false
	for name, raw := range fields {
		if !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		if clearer != nil {
			if v, ok := clearer.nullMeans(name); ok {
				fields[name], changed = v, true
				continue
			}
		}
		refused = append(refused, name)
	}
	if len(refused) > 0 {
		sort.Strings(refused)
		var v store.Validator
		for _, name := range refused {
			v.Add(name, "Câmpul nu poate fi null; omite-l ca să rămână neschimbat.",
				"This field cannot be null; leave it out to keep its value.")
		}
		return nil, v.Err()
	}
	if !changed {
		return body, nil
	}
	return json.Marshal(fields)
}
