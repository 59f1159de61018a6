// Package pdftext reads the text of the PDFs the application renders, for tests: the PDF
// is parsed by github.com/ledongthuc/pdf, and the strings each page shows are decoded
// through the font's ToUnicode map, which for fpdf's embedded TrueType fonts is the
// identity over two-byte codes (UTF-16BE). The library's own text extraction cannot be used
// for that last step: it applies a bfrange by adding to the last byte only, so every
// letter above U+00FF (ș ț ă) comes out as a control character.
package pdftext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// Text returns the text shown on every page of the PDF b, one line per text-showing
// operator, and an error when b does not parse as a PDF.
func Text(b []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", fmt.Errorf("pdftext: %w", err)
	}
	var out strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			return "", fmt.Errorf("pdftext: page %d missing", i)
		}
		contents := p.V.Key("Contents")
		var raw []byte
		read := func(v pdf.Value) error {
			rc := v.Reader()
			defer rc.Close()
			b, err := io.ReadAll(rc)
			raw = append(raw, b...)
			return err
		}
		if contents.Kind() == pdf.Array {
			for j := 0; j < contents.Len(); j++ {
				if err := read(contents.Index(j)); err != nil {
					return "", err
				}
			}
		} else if err := read(contents); err != nil {
			return "", err
		}
		for _, s := range shownStrings(raw) {
			out.WriteString(decodeUTF16(s))
			out.WriteByte('\n')
		}
	}
	return out.String(), nil
}

// shownStrings are the literal strings of a content stream's Tj operators, unescaped.
func shownStrings(content []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(content); i++ {
		if content[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(content) && depth > 0; j++ {
			c := content[j]
			switch {
			case c == '\\' && j+1 < len(content):
				j++
				e := content[j]
				switch e {
				case 'n':
					s = append(s, '\n')
				case 'r':
					s = append(s, '\r')
				case 't':
					s = append(s, '\t')
				case 'b':
					s = append(s, '\b')
				case 'f':
					s = append(s, '\f')
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v, k := 0, 0
					for ; k < 3 && j+k < len(content) && content[j+k] >= '0' && content[j+k] <= '7'; k++ {
						v = v*8 + int(content[j+k]-'0')
					}
					j += k - 1
					s = append(s, byte(v))
				default:
					s = append(s, e)
				}
			case c == '(':
				depth++
				s = append(s, c)
			case c == ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		out = append(out, s)
		i = j - 1
	}
	return out
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}
