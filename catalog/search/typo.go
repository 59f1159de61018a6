package search

import (
	"sort"
	"strings"
	"sync"

	"github.com/metalpro/backend/catalog"
)

// MinTypoLetters is the shortest word a one-letter typo is forgiven in: shorter words
// ("teva"?) are too close to other words to guess, and numbers are never corrected
// ("2" is not a typo of "3").
const MinTypoLetters = 5

// maxCorrections caps the words a typo may stand for, so a query's cost stays bounded.
const maxCorrections = 3

var vocabulary struct {
	once  sync.Once
	words map[string]bool
}

// Vocabulary reports whether w is a word of the seeded catalog's search documents or a
// canonical synonym: the words a typo is corrected to.
func Vocabulary(w string) bool {
	vocabulary.once.Do(buildVocabulary)
	return vocabulary.words[w]
}

// buildVocabulary collects the catalog's distinct words first and normalises each once:
// running Document over 3,000 products costs a second, the distinct words a few ms.
func buildVocabulary() {
	raw := map[string]bool{}
	notLetter := func(r rune) bool { return r < 'a' || r > 'z' }
	for _, p := range catalog.Products() {
		for _, text := range append([]string{p.Title, p.Grade, p.Standard}, p.Keywords...) {
			for _, w := range strings.FieldsFunc(Fold(text), notLetter) {
				raw[w] = true
			}
		}
	}
	words := map[string]bool{}
	for w := range raw {
		for _, t := range Tokens(w) {
			if isWord(t) {
				words[t] = true
			}
		}
	}
	for k, v := range synonyms {
		if isWord(k) {
			words[k] = true
		}
		if isWord(v) {
			words[v] = true
		}
	}
	vocabulary.words = words
}

// isWord: letters only (a typo is never corrected in a number or a size).
func isWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// Corrections are the catalog words one edit away from w (one letter inserted, dropped,
// replaced, or two neighbours swapped: "rectangulra" → "rectangulara"), sorted, at most
// maxCorrections. None for words shorter than MinTypoLetters, words with digits, and
// words the catalog already has.
func Corrections(w string) []string {
	if len(w) < MinTypoLetters || !isWord(w) || Vocabulary(w) {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for v := range vocabulary.words {
		if len(v) >= MinTypoLetters-1 && oneEdit(w, v) {
			if c, ok := synonyms[v]; ok {
				v = c // a misspelt "rectangular" is searched as the index spells it
			}
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	sort.Strings(out)
	if len(out) > maxCorrections {
		out = out[:maxCorrections]
	}
	return out
}

// oneEdit reports whether a and b (ASCII) differ by exactly one insertion, deletion,
// substitution or transposition of neighbours.
func oneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	case la > lb:
		return a[i+1:] == b[i:] // a has one letter more
	default:
		return a[i:] == b[i+1:]
	}
}
