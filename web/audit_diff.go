package web

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The audit log shows each change as the fields that changed, "field: before → after",
// read from the row's before/after JSON: nested fields are joined with dots, and list
// elements are named by their sku or id where they have one (a price change lists
// products[TR-40x20x2-S235].pricePerUnit, not products[17]).

const (
	diffMaxLines = 12  // a row shows at most this many fields; the rest are counted
	diffMaxValue = 120 // characters of one value
)

// diffLine is one changed field.
type diffLine struct {
	Field, Before, After string
	Added, Removed       bool // the field is new / gone
}

// auditDiff is a row's change, readable.
type auditDiff struct {
	Lines []diffLine
	More  int // changed fields not shown
}

// diffJSON compares two audit states (either may be null).
func diffJSON(before, after json.RawMessage) auditDiff {
	b, a := map[string]string{}, map[string]string{}
	flattenJSON(before, b)
	flattenJSON(after, a)
	keys := make([]string, 0, len(a)+len(b))
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out auditDiff
	for _, k := range keys {
		bv, inB := b[k]
		av, inA := a[k]
		if inB && inA && bv == av {
			continue
		}
		if (!inB && empty(av)) || (!inA && empty(bv)) {
			continue // a new entity's empty fields say nothing
		}
		if len(out.Lines) == diffMaxLines {
			out.More++
			continue
		}
		out.Lines = append(out.Lines, diffLine{Field: k, Before: clip(bv), After: clip(av), Added: !inB, Removed: !inA})
	}
	return out
}

func flattenJSON(raw json.RawMessage, out map[string]string) {
	if len(raw) == 0 {
		return
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		out[""] = string(raw)
		return
	}
	if v == nil {
		return
	}
	flatten("", v, out)
}

func flatten(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out[path] = "{}"
		}
		for k, child := range x {
			flatten(join(path, k), child, out)
		}
	case []any:
		if len(x) == 0 {
			out[path] = "[]"
		}
		for i, child := range x {
			flatten(path+"["+elementName(child, i)+"]", child, out)
		}
	case string:
		out[path] = x
	case nil:
		out[path] = "—"
	default:
		b, _ := json.Marshal(x)
		out[path] = string(b)
	}
}

// elementName names a list element by its sku or id, else by its position.
func elementName(v any, i int) string {
	if m, ok := v.(map[string]any); ok {
		for _, key := range []string{"sku", "itemId", "id"} {
			if s, ok := m[key].(string); ok && s != "" {
				return s
			}
		}
	}
	return strconv.Itoa(i)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= diffMaxValue {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:diffMaxValue])) + "…"
}

func empty(v string) bool { return v == "" || v == "—" || v == "{}" || v == "[]" }
