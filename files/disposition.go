package files

import (
	"mime"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileNameRunes bounds a kept file name.
const MaxFileNameRunes = 200

// SanitizeFileName keeps what a person would recognise of the client's file name: its last
// path element, without control characters, quotes, slashes or leading dots, at most
// MaxFileNameRunes; "fisier" plus ext when nothing is left. It is only ever metadata:
// object keys never contain it.
func SanitizeFileName(name, ext string) string {
	name = strings.ToValidUTF8(name, "")
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), r == '"', r == '/', r == '\\', r == '<', r == '>', r == ':',
			r == '*', r == '?', r == '|', r == ';', unicode.Is(unicode.Bidi_Control, r), r == utf8.RuneError:
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	if r := []rune(name); len(r) > MaxFileNameRunes {
		name = string(r[len(r)-MaxFileNameRunes:]) // keep the end: it has the extension
	}
	if name == "" {
		name = "fisier" + ext
	}
	return name
}

// ContentDisposition is an attachment disposition naming name: an ASCII fallback and the
// UTF-8 form (RFC 6266), so "Desen secțiune.pdf" keeps its diacritics where browsers allow.
func ContentDisposition(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return `attachment; filename="fisier"`
}
