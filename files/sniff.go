// Package files keeps uploaded files (BOMs, drawings, quote PDFs) in a blob store, S3 or a
// folder on disk, and judges what a file is from its content, never its name.
package files

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Type is a kind of file the application accepts.
type Type struct {
	Name string // short name, as the messages list it: "PDF", "XLSX"
	MIME string // the media type stored with the file and sent on download
	Ext  string // the extension a download gets when the client's name has none
}

// The accepted types.
var (
	TypePDF  = Type{"PDF", "application/pdf", ".pdf"}
	TypePNG  = Type{"PNG", "image/png", ".png"}
	TypeJPEG = Type{"JPEG", "image/jpeg", ".jpg"}
	TypeDXF  = Type{"DXF", "image/vnd.dxf", ".dxf"}
	TypeDWG  = Type{"DWG", "image/vnd.dwg", ".dwg"}
	TypeXLSX = Type{"XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"}
	TypeDOCX = Type{"DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}
	TypeCSV  = Type{"CSV", "text/csv", ".csv"}
)

// Kind is what an upload is for; each kind has its own allow-list.
type Kind string

// The upload kinds (the attachments table's kind column).
const (
	KindBOM        Kind = "bom"
	KindAttachment Kind = "attachment"
)

// Allowed lists the types each kind accepts, in the order the messages name them.
var Allowed = map[Kind][]Type{
	KindBOM:        {TypeCSV, TypeXLSX},
	KindAttachment: {TypePDF, TypePNG, TypeJPEG, TypeDXF, TypeDWG, TypeXLSX, TypeCSV, TypeDOCX},
}

// Zip limits: an XLSX or DOCX is a zip, and a small zip can expand to gigabytes (a zip
// bomb) in whatever reads it next (the BOM reader, an operator's Excel). A real 50 MB
// workbook expands to a few hundred MB at most.
const (
	MaxExpandedBytes = 512 << 20
	MaxZipEntries    = 10_000
)

// headSize is how much of the start of a file the sniffer looks at for magic bytes and
// for text: enough for a CSV's first lines or a DXF's header.
const headSize = 8 << 10

// Refusal is why a file's content is not accepted: the class of content found ("executable",
// "html", "svg", "zip_bomb", "empty", "unknown", ...).
type Refusal struct {
	Reason string
	Detail string // for logs
}

func (r *Refusal) Error() string { return "file refused: " + r.Reason + " " + r.Detail }

func refuse(reason, detail string) *Refusal { return &Refusal{Reason: reason, Detail: detail} }

// Sniff reads a file of size bytes and says which accepted type it is, or why it is refused
// (*Refusal; any other error is a read failure). It looks only at the content.
func Sniff(f io.ReaderAt, size int64) (Type, error) {
	if size <= 0 {
		return Type{}, refuse("empty", "")
	}
	head := make([]byte, min(size, headSize))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return Type{}, fmt.Errorf("sniff: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return TypePDF, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG, nil
	case dwgMagic.Match(head):
		return TypeDWG, nil
	case bytes.HasPrefix(head, []byte("AutoCAD Binary DXF\r\n\x1a\x00")):
		return TypeDXF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(f, size)
	}
	if r := executable(head); r != nil {
		return Type{}, r
	}
	return sniffText(head)
}

// dwgMagic is AutoCAD's version string, AC1012 (R13) to AC1032 (2018) and later.
var dwgMagic = regexp.MustCompile(`^AC10[0-9]{2}`)

// executable recognises programs by their magic numbers: ELF, PE (MZ), Mach-O (thin and
// fat; 0xCAFEBABE is also a Java class, refused either way) and scripts with a shebang.
func executable(head []byte) *Refusal {
	for _, m := range []struct{ magic, name string }{
		{"\x7fELF", "ELF"}, {"#!", "shebang script"},
		{"\xfe\xed\xfa\xce", "Mach-O"}, {"\xfe\xed\xfa\xcf", "Mach-O"},
		{"\xce\xfa\xed\xfe", "Mach-O"}, {"\xcf\xfa\xed\xfe", "Mach-O"}, {"\xca\xfe\xba\xbe", "Mach-O fat"},
	} {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return refuse("executable", m.name)
		}
	}
	// MZ alone also starts text ("MZ-100;5;buc"): a PE has binary bytes in its DOS header.
	if bytes.HasPrefix(head, []byte("MZ")) && bytes.IndexByte(head, 0) >= 0 {
		return refuse("executable", "PE")
	}
	return nil
}

// sniffText accepts text as DXF (ASCII) or CSV. Markup that a browser would run (HTML, SVG,
// XML that may be either) is refused, as is anything that is not text.
func sniffText(head []byte) (Type, error) {
	text := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(text, 0) >= 0 || !looksLikeText(text) {
		return Type{}, refuse("unknown", "binary content")
	}
	if r := markup(text); r != nil {
		return Type{}, r
	}
	if isASCIIDXF(text) {
		return TypeDXF, nil
	}
	return TypeCSV, nil
}

// looksLikeText: valid UTF-8, or a single-byte code page (Windows-1250 from older Romanian
// Excel), with almost no control characters other than tab, CR, LF and form feed. A
// multi-byte character cut at the end of the head does not count against it.
func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	controls := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' || c == 0x7f {
			controls++
		}
	}
	if controls*100 > len(b) { // more than 1 %
		return false
	}
	if utf8.Valid(b) {
		return true
	}
	// Not UTF-8: allowed as a single-byte code page only if not mostly high bytes, which
	// is what compressed or random data looks like.
	high := 0
	for _, c := range b {
		if c >= 0x80 {
			high++
		}
	}
	return high*100 <= len(b)*30
}

// markupTags are the starts of documents a browser renders and runs scripts in.
var markupTags = []string{"<!doctype", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml", "<!--", "<meta", "<a ", "<div", "<img", "<object", "<embed"}

// markup refuses HTML, SVG and XML. An SVG with a script is the usual way to run code from
// an "image"; an SVG is not on any allow-list, so every SVG is refused, and one with a script
// names that.
func markup(text []byte) *Refusal {
	lower := strings.ToLower(string(text))
	trimmed := strings.TrimLeft(lower, " \t\r\n\f")
	isSVG := strings.Contains(lower, "<svg")
	switch {
	case isSVG && (strings.Contains(lower, "<script") || strings.Contains(lower, "javascript:") || onHandler.MatchString(lower)):
		return refuse("svg_script", "")
	case isSVG:
		return refuse("svg", "")
	}
	for _, tag := range markupTags {
		if strings.HasPrefix(trimmed, tag) {
			return refuse("html", tag)
		}
	}
	if strings.Contains(lower, "<script") || strings.Contains(lower, "<html") {
		return refuse("html", "embedded")
	}
	return nil
}

// onHandler finds an inline event handler attribute (onload=, onclick=...).
var onHandler = regexp.MustCompile(`\son[a-z]+\s*=`)

// isASCIIDXF recognises an ASCII DXF: group-code/value line pairs, optionally 999 comments
// first, then group code 0 with SECTION.
func isASCIIDXF(text []byte) bool {
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	for i := 0; i+1 < len(lines); i += 2 {
		code, value := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		switch code {
		case "999":
			continue
		case "0":
			return value == "SECTION"
		default:
			return false
		}
	}
	return false
}

// sniffZip accepts a zip only as XLSX or DOCX, judged by the entries Office writes, and only
// if its entries expand within the limits, as declared and as actually decompressed.
func sniffZip(f io.ReaderAt, size int64) (Type, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return Type{}, refuse("unknown", "broken zip: "+err.Error())
	}
	if len(zr.File) > MaxZipEntries {
		return Type{}, refuse("zip_bomb", fmt.Sprintf("%d entries", len(zr.File)))
	}
	names := map[string]bool{}
	var declared uint64
	for _, e := range zr.File {
		names[e.Name] = true
		declared += e.UncompressedSize64
		if declared > MaxExpandedBytes {
			return Type{}, refuse("zip_bomb", fmt.Sprintf("declares over %d bytes", uint64(MaxExpandedBytes)))
		}
	}
	var t Type
	switch {
	case !names["[Content_Types].xml"]:
		return Type{}, refuse("unknown", "zip without [Content_Types].xml")
	case names["xl/workbook.xml"]:
		t = TypeXLSX
	case names["word/document.xml"]:
		t = TypeDOCX
	default:
		return Type{}, refuse("unknown", "office package that is neither a workbook nor a document")
	}
	if names["xl/vbaProject.bin"] || names["word/vbaProject.bin"] {
		return Type{}, refuse("macro", "")
	}
	// The declared sizes are the zip's own claim; decompress to check what they really are.
	// An entry that expands past its declared size is a bomb hiding behind small headers
	// (archive/zip stops it with ErrFormat).
	budget := int64(MaxExpandedBytes)
	for _, e := range zr.File {
		n, err := expand(e, budget)
		switch {
		case errors.Is(err, errOverDeclared):
			return Type{}, refuse("zip_bomb", e.Name+" expands past its declared size")
		case err != nil:
			return Type{}, refuse("unknown", "broken zip entry "+e.Name+": "+err.Error())
		}
		if budget -= n; budget < 0 {
			return Type{}, refuse("zip_bomb", "expands past the limit")
		}
	}
	return t, nil
}

// expand decompresses one entry, reading at most budget+1 bytes, and returns how many it read.
func expand(e *zip.File, budget int64) (int64, error) {
	if e.FileInfo().IsDir() {
		return 0, nil
	}
	rc, err := e.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(rc, budget+1))
	if errors.Is(err, zip.ErrFormat) {
		err = errOverDeclared // once open, archive/zip says ErrFormat only for that
	}
	return n, err
}

var errOverDeclared = errors.New("more data than declared")
