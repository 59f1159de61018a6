package mail

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Header values built from customer text (names, company names in subjects) are always
// RFC 2047-encoded here, never passed through when they look harmless: a raw encoded word
// typed into a form would otherwise be decoded by the reader's mail client, and a name
// such as `x@evil.com <x@evil.com>` would sit in a header as text a parser may take for
// an address. Both senders use these, so a .eml file and a SendGrid request carry the
// same header text.

// encodeSubject encodes s (one line) as Q-encoded UTF-8 words. For a subject that has
// non-ASCII letters this is byte for byte what mime.QEncoding produces; unlike it, an
// ASCII subject is encoded too.
func encodeSubject(s string) string { return encodeWords(oneLine(s), subjectSafe) }

// encodeDisplayName encodes an address's display name, or returns "" when it has none.
// A name that contains an address's punctuation (@ < >) is dropped: no person's name
// needs them, and they are how a name poses as another address.
func encodeDisplayName(name string) string {
	name = oneLine(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name))
	if name == "" || strings.ContainsAny(name, "@<>") {
		return ""
	}
	return encodeWords(name, phraseSafe)
}

// errNonASCIIAddress: an address whose local part is not ASCII needs SMTPUTF8, which
// neither our .eml files nor SendGrid's v3 API promise; RFC 2047 cannot encode it.
var errNonASCIIAddress = errors.New("the address has non-ASCII characters (needs SMTPUTF8, which is not supported)")

// headerEmail checks that addr can be written into a header as it is: printable ASCII,
// no spaces, no angle brackets. The store validates addresses on input; this is the
// last guard, and its failure is Permanent (the same address fails every time).
func headerEmail(addr string) (string, error) {
	for i := 0; i < len(addr); i++ {
		if c := addr[i]; c >= utf8.RuneSelf {
			return "", Permanent(fmt.Errorf("%q: %w", addr, errNonASCIIAddress))
		} else if c <= ' ' || c == 0x7f || c == '<' || c == '>' {
			return "", Permanent(fmt.Errorf("%q is not an email address", addr))
		}
	}
	if addr == "" {
		return "", Permanent(errors.New("empty email address"))
	}
	return addr, nil
}

// headerAddress formats a for From, To and Reply-To: `=?utf-8?q?Name?= <addr>`, or
// `<addr>` without a name.
func headerAddress(a Address) (string, error) {
	addr, err := headerEmail(a.Email)
	if err != nil {
		return "", err
	}
	if name := encodeDisplayName(a.Name); name != "" {
		return name + " <" + addr + ">", nil
	}
	return "<" + addr + ">", nil
}

// subjectSafe: bytes a Q-encoded word in unstructured text (Subject) may carry as they
// are; the same set as Go's mime.QEncoding, so encoded subjects keep their bytes.
func subjectSafe(b byte) bool { return b > ' ' && b <= '~' && b != '=' && b != '?' && b != '_' }

// phraseSafe: the stricter set RFC 2047 section 5(3) allows in a display name, so that no
// comma, quote or angle bracket appears in the encoded name.
func phraseSafe(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!*+-/", b) >= 0
}

// maxEncodedWordLen is RFC 2047's limit on one encoded word; content beyond it opens a
// new word, never splitting a UTF-8 character.
const (
	maxEncodedWordLen = 75
	wordPrefix        = "=?utf-8?q?"
	maxWordContent    = maxEncodedWordLen - len(wordPrefix) - len("?=")
)

// encodeWords Q-encodes s into one or more encoded words separated by spaces, writing the
// bytes safe accepts as they are, a space as "_" and everything else as =XX.
func encodeWords(s string, safe func(byte) bool) string {
	const hex = "0123456789ABCDEF"
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(wordPrefix)
	wordLen := 0
	for i := 0; i < len(s); {
		runeLen, encLen := 1, 1
		if c := s[i]; c != ' ' && !safe(c) {
			_, runeLen = utf8.DecodeRuneInString(s[i:])
			encLen = 3 * runeLen
		}
		if wordLen+encLen > maxWordContent {
			b.WriteString("?= " + wordPrefix)
			wordLen = 0
		}
		for _, c := range []byte(s[i : i+runeLen]) {
			switch {
			case c == ' ':
				b.WriteByte('_')
			case safe(c):
				b.WriteByte(c)
			default:
				b.WriteByte('=')
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0x0f])
			}
		}
		wordLen += encLen
		i += runeLen
	}
	b.WriteString("?=")
	return b.String()
}
