package bom

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// decodeText turns a CSV's bytes into UTF-8 text and names the encoding it found:
//   - a UTF-8 byte-order mark is dropped;
//   - a UTF-16 mark (Excel's "Unicode text") is decoded;
//   - valid UTF-8 is kept;
//   - anything else is a single-byte Central European code page from an older Romanian
//     Excel. Windows-1250 and ISO-8859-2 spell every Romanian letter (ă â î ş ţ, the
//     cedilla forms those code pages have) with the same bytes; they differ in 0x80–0x9F,
//     where Windows-1250 has printable characters („ ” – Š ...) and ISO-8859-2 only control
//     codes. A byte there means Windows-1250; without one both read the same.
func decodeText(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:]), "utf-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err == nil {
			return string(out), "utf-16"
		}
	case utf8.Valid(b):
		return string(b), "utf-8"
	}
	for _, c := range b {
		if c >= 0x80 && c <= 0x9F {
			out, _ := charmap.Windows1250.NewDecoder().Bytes(b)
			return string(out), "windows-1250"
		}
	}
	out, _ := charmap.ISO8859_2.NewDecoder().Bytes(b)
	return string(out), "iso-8859-2"
}
