package files_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/metalpro/backend/files"
)

// FuzzSniff: whatever the bytes, Sniff answers (no panic, no hang), refuses with a reason or
// names an accepted type, and never calls a program or a page acceptable.
func FuzzSniff(f *testing.F) {
	for _, seed := range [][]byte{
		[]byte("%PDF-1.7\n"), []byte("\x89PNG\r\n\x1a\n"), []byte("\xff\xd8\xff\xe0"), []byte("AC1027\x00"),
		[]byte("0\nSECTION\n2\nHEADER\n"), []byte("Denumire;Cantitate\nHEA200;2\n"), []byte("\x7fELF\x02"),
		[]byte("MZ\x90\x00"), []byte("<svg onload=alert(1)>"), []byte("<html>"), []byte("PK\x03\x04"),
		xlsx(f), docx(f), zipBomb(f, true),
	} {
		f.Add(seed)
	}
	all := slices.Concat(files.Allowed[files.KindAttachment], files.Allowed[files.KindBOM])
	f.Fuzz(func(t *testing.T, b []byte) {
		typ, err := files.Sniff(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			var r *files.Refusal
			if !errors.As(err, &r) || r.Reason == "" {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if !slices.Contains(all, typ) {
			t.Fatalf("unknown type %+v", typ)
		}
		for _, bad := range []string{"\x7fELF", "#!", "\xcf\xfa\xed\xfe"} {
			if bytes.HasPrefix(b, []byte(bad)) {
				t.Fatalf("accepted %q as %s", bad, typ.Name)
			}
		}
		if typ == files.TypeCSV && bytes.Contains(bytes.ToLower(b[:min(len(b), 8<<10)]), []byte("<script")) {
			t.Fatalf("accepted a script as CSV")
		}
	})
}
