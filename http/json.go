package apphttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/metalpro/backend/store"
)

// readJSON decodes the request body into dst, once, for every handler: the body must be
// application/json, at most MaxBodyBytes, valid UTF-8, exactly one JSON value, with no
// field dst does not have and no key twice in one object. Every failure is a *store.Error
// a person can read.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	return s.readJSONMax(w, r, dst, s.cfg.MaxBodyBytes)
}

// readJSONMax is readJSON with another size limit, for the few bodies that are documents
// (a saved project's BOM).
func (s *Server) readJSONMax(w http.ResponseWriter, r *http.Request, dst any, maxBytes int64) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return store.Errorf(store.ECodeUnsupported,
			"Cererea trebuie trimisă ca JSON (Content-Type: application/json).",
			"The request body must be JSON (Content-Type: application/json).")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return store.Errorf(store.ECodeTooLarge,
				"Cererea depășește limita de "+sizeText(tooBig.Limit)+".",
				"The request body exceeds the "+sizeText(tooBig.Limit)+" limit.")
		}
		return store.Errorf(store.ECodeInvalid, "Cererea nu a putut fi citită.", "The request body could not be read.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return store.Errorf(store.ECodeInvalid, "Cererea nu conține date.", "The request body is empty.")
	}
	if !utf8.Valid(body) {
		// encoding/json would quietly turn bad bytes into U+FFFD; we refuse instead of
		// storing a mangled name.
		return store.Errorf(store.ECodeInvalid, "Cererea conține caractere UTF-8 invalide.", "The request body is not valid UTF-8.")
	}
	if key := duplicateKey(body); key != "" {
		v := &store.Validator{}
		v.Add(key, "Câmpul „"+key+"” apare de mai multe ori.", `The field "`+key+`" appears more than once.`)
		return v.Err()
	}
	if r.Method == http.MethodPatch {
		if body, err = patchNulls(body, dst); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonDecodeError(err)
	}
	if dec.More() {
		return store.Errorf(store.ECodeInvalid, "Cererea trebuie să conțină un singur obiect JSON.", "The request body must hold a single JSON value.")
	}
	return nil
}

// maxJSONDepth is encoding/json's own nesting limit; deeper bodies are left to Decode to refuse.
const maxJSONDepth = 10000

// duplicateKey is the path (company.name, lines[2].qty) of the first key that appears twice
// in one object of body, or "". encoding/json keeps the last value without a word, so a
// check that reads the first copy and the handler that reads the last could disagree.
// Malformed JSON yields "": Decode names that problem better.
func duplicateKey(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers are skipped, not parsed
	dup, _ := walkJSONValue(dec, "", 0)
	return dup
}

func walkJSONValue(dec *json.Decoder, path string, depth int) (string, error) {
	if depth > maxJSONDepth {
		return "", errors.New("too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			keyTok, err := dec.Token()
			if err != nil {
				return "", err
			}
			key, _ := keyTok.(string)
			keyPath := key
			if path != "" {
				keyPath = path + "." + key
			}
			if seen[key] {
				return keyPath, nil
			}
			seen[key] = true
			if dup, err := walkJSONValue(dec, keyPath, depth+1); dup != "" || err != nil {
				return dup, err
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if dup, err := walkJSONValue(dec, fmt.Sprintf("%s[%d]", path, i), depth+1); dup != "" || err != nil {
				return dup, err
			}
		}
	default:
		return "", nil // a scalar
	}
	_, err = dec.Token() // the closing delimiter
	return "", err
}

func jsonDecodeError(err error) error {
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr):
		return store.Errorf(store.ECodeInvalid,
			fmt.Sprintf("JSON invalid (la poziția %d).", syntaxErr.Offset),
			fmt.Sprintf("Malformed JSON (at offset %d).", syntaxErr.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return store.Errorf(store.ECodeInvalid, "JSON incomplet.", "Malformed JSON (unexpected end).")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return store.Errorf(store.ECodeInvalid, "Cererea trebuie să fie un obiect JSON.", "The request body must be a JSON object.")
		}
		v := &store.Validator{}
		v.Add(field, "Tip de valoare greșit ("+jsonTypeRO(typeErr.Type.Kind().String())+" așteptat).",
			"Wrong value type ("+typeErr.Type.Kind().String()+" expected).")
		return v.Err()
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		v := &store.Validator{}
		v.Add(field, "Câmp necunoscut.", "Unknown field.")
		return v.Err()
	default:
		return store.Errorf(store.ECodeInvalid, "JSON invalid.", "Malformed JSON.")
	}
}

func jsonTypeRO(kind string) string {
	switch kind {
	case "string":
		return "text"
	case "float64", "float32", "int", "int64", "int32":
		return "număr"
	case "bool":
		return "adevărat/fals"
	case "slice":
		return "listă"
	case "struct", "map":
		return "obiect"
	}
	return kind
}

// writeJSON writes v as the response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = newJSONEncoder(w).Encode(v)
}

// encodeJSON is v as writeJSON would send it, for answers kept to be sent again.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	err := newJSONEncoder(&b).Encode(v)
	return b.Bytes(), err
}

// newJSONEncoder leaves <, > and & as they are: every answer is application/json, never
// HTML, and the storefront shows text like "Oțel & Fiii" as text.
func newJSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// sizeText states a body limit as people set it: whole megabytes from 1 MB up (a BOM's
// body limit is its 1 MB document plus room for the other fields, which nobody chose).
func sizeText(limit int64) string {
	switch {
	case limit >= 1<<20:
		return fmt.Sprintf("%d MB", limit>>20)
	case limit >= 1<<10:
		return fmt.Sprintf("%d KB", limit>>10)
	}
	return fmt.Sprintf("%d B", limit)
}
