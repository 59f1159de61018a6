// Package quotepdf renders MetalPro's quote as a PDF: the seller's and the customer's
// company data, the reference, the priced items, extra lines, totals, validity and terms.
// It knows nothing of the database: the caller fills a Document. The text is set in an
// embedded DejaVu Sans (fonts/LICENSE), which has the Romanian letters ș ț ă â î that the
// PDF core fonts lack.
package quotepdf

import (
	"bytes"
	_ "embed"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

// Company is the seller's data printed in the header and the footer.
type Company struct {
	Name    string
	CUI     string
	RegCom  string // Trade Register number
	Address string
	Phone   string
	Email   string
	Website string
	Bank    string
	IBAN    string
}

// DefaultCompany is MetalPro's data when the configuration sets none.
var DefaultCompany = Company{
	Name:    "MetalPro S.R.L.",
	CUI:     "RO12345678",
	RegCom:  "J40/1234/2020",
	Address: "Șoseaua Industriilor 10, 077040 Chiajna, jud. Ilfov, România",
	Phone:   "+40 21 300 1000",
	Email:   "sales@metalpro.ro",
	Website: "www.metalpro.ro",
	Bank:    "Banca Transilvania",
	IBAN:    "RO49BTRL0000000000000000",
}

// Customer is the buyer's data.
type Customer struct {
	Company, CUI, Contact, Email, Phone, Address string
}

// Line is one priced RFQ item.
type Line struct {
	Name, SKU     string
	Quantity      float64
	Unit          string // kg, m or pcs
	UnitPriceBani int64  // per base unit
	LineTotalBani int64
}

// Extra is a line that is not an item (transport, cutting, ...).
type Extra struct {
	Description string
	AmountBani  int64
}

// Document is everything one quote PDF shows.
type Document struct {
	Seller     Company
	Customer   Customer
	Reference  string // the RFQ's reference number
	Version    int
	Date       time.Time
	ValidUntil string // YYYY-MM-DD
	Lines      []Line
	Extras     []Extra
	VATRateBP  int64
	NetBani    int64
	VATBani    int64
	GrossBani  int64
	Notes      string
	Terms      []string // nil: DefaultTerms
}

// DefaultTerms are printed under the totals unless the document names its own.
var DefaultTerms = []string{
	"Prețurile sunt exprimate în lei (RON), fără TVA; prețul unitar este pe unitatea de bază (kg, m sau bucată).",
	"Plata: ordin de plată în 10 zile de la emiterea facturii, dacă nu s-a convenit altfel.",
	"Livrarea: conform condițiilor din cerere; termenul se confirmă la acceptarea ofertei.",
	"Masa produselor vândute la kg este cea cântărită la livrare; diferențele de laminare se facturează la prețul ofertat.",
	"Oferta nu constituie factură. Acceptarea se face din contul MetalPro sau prin răspuns la emailul ofertei.",
}

// Render draws doc as a PDF.
func Render(doc Document) ([]byte, error) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetCreationDate(doc.Date)
	p.SetModificationDate(doc.Date)
	p.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	p.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	p.SetTitle("Ofertă "+doc.Reference, true)
	p.SetAuthor(doc.Seller.Name, true)
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(true, 22)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-15)
		p.SetFont("dejavu", "", 7)
		p.SetTextColor(110, 110, 110)
		p.CellFormat(0, 4, fmt.Sprintf("%s · CUI %s · %s · IBAN %s (%s)", doc.Seller.Name, doc.Seller.CUI,
			doc.Seller.RegCom, doc.Seller.IBAN, doc.Seller.Bank), "", 1, "C", false, 0, "")
		p.CellFormat(0, 4, fmt.Sprintf("Oferta %s v%d · pagina %d din {nb}", doc.Reference, doc.Version, p.PageNo()),
			"", 0, "C", false, 0, "")
	})
	p.AddPage()
	header(p, doc)
	parties(p, doc)
	items(p, doc)
	totals(p, doc)
	closing(p, doc)
	if err := p.Error(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func header(p *fpdf.Fpdf, doc Document) {
	p.SetFillColor(24, 54, 96)
	p.Rect(0, 0, 210, 28, "F")
	p.SetTextColor(255, 255, 255)
	p.SetFont("dejavu", "B", 20)
	p.SetXY(15, 8)
	p.CellFormat(100, 10, "MetalPro", "", 0, "L", false, 0, "")
	p.SetFont("dejavu", "", 9)
	p.SetXY(110, 7)
	p.MultiCell(85, 4.5, doc.Seller.Address+"\n"+doc.Seller.Phone+" · "+doc.Seller.Email+"\n"+doc.Seller.Website,
		"", "R", false)
	p.SetTextColor(0, 0, 0)
	p.SetXY(15, 34)
	p.SetFont("dejavu", "B", 16)
	p.CellFormat(0, 8, "OFERTĂ DE PREȚ", "", 1, "L", false, 0, "")
	p.SetFont("dejavu", "", 10)
	p.CellFormat(0, 5, fmt.Sprintf("Referință: %s · versiunea %d · data %s", doc.Reference, doc.Version,
		doc.Date.Format("02.01.2006")), "", 1, "L", false, 0, "")
	p.CellFormat(0, 5, "Valabilă până la: "+roDate(doc.ValidUntil), "", 1, "L", false, 0, "")
	p.Ln(3)
}

func parties(p *fpdf.Fpdf, doc Document) {
	y := p.GetY()
	box := func(x float64, title string, lines []string) float64 {
		p.SetXY(x, y)
		p.SetFont("dejavu", "B", 10)
		p.CellFormat(85, 6, title, "B", 2, "L", false, 0, "")
		p.SetFont("dejavu", "", 9)
		for _, l := range lines {
			if l == "" {
				continue
			}
			p.SetX(x)
			p.MultiCell(85, 4.5, l, "", "L", false)
		}
		return p.GetY()
	}
	s := doc.Seller
	y1 := box(15, "Furnizor", []string{s.Name, "CUI: " + s.CUI, "Reg. Com.: " + s.RegCom, s.Address,
		"IBAN: " + s.IBAN + " (" + s.Bank + ")"})
	c := doc.Customer
	cui := "CUI: " + c.CUI
	if c.CUI == "" {
		cui = "CUI: nespecificat"
	}
	y2 := box(110, "Client", []string{c.Company, cui, "Persoană de contact: " + c.Contact, c.Email + " · " + c.Phone, c.Address})
	p.SetY(max(y1, y2) + 5)
}

// column widths of the item table: no., product, quantity, unit, unit price, total.
var cols = []float64{9, 76, 22, 13, 30, 30}

func items(p *fpdf.Fpdf, doc Document) {
	head := []string{"Nr.", "Produs", "Cantitate", "U.M.", "Preț unitar", "Valoare"}
	drawHead := func() {
		p.SetFont("dejavu", "B", 9)
		p.SetFillColor(230, 235, 242)
		for i, h := range head {
			align := "R"
			if i == 1 || i == 3 {
				align = "L"
			}
			p.CellFormat(cols[i], 7, h, "1", 0, align, true, 0, "")
		}
		p.Ln(-1)
		p.SetFont("dejavu", "", 9)
	}
	drawHead()
	row := func(no, name string, qty, unit, price, total string) {
		lines := p.SplitText(name, cols[1]-2)
		h := 5.5 * float64(max(1, len(lines)))
		if p.GetY()+h > 270 {
			p.AddPage()
			drawHead()
		}
		x, y := p.GetX(), p.GetY()
		p.CellFormat(cols[0], h, no, "1", 0, "R", false, 0, "")
		p.MultiCell(cols[1], 5.5, name, "1", "L", false)
		p.SetXY(x+cols[0]+cols[1], y)
		p.CellFormat(cols[2], h, qty, "1", 0, "R", false, 0, "")
		p.CellFormat(cols[3], h, unit, "1", 0, "L", false, 0, "")
		p.CellFormat(cols[4], h, price, "1", 0, "R", false, 0, "")
		p.CellFormat(cols[5], h, total, "1", 1, "R", false, 0, "")
	}
	n := 0
	for _, l := range doc.Lines {
		n++
		name := l.Name
		if l.SKU != "" {
			name += " (" + l.SKU + ")"
		}
		row(fmt.Sprint(n), name, Quantity(l.Quantity), Unit(l.Unit), Lei(l.UnitPriceBani), Lei(l.LineTotalBani))
	}
	for _, e := range doc.Extras {
		n++
		row(fmt.Sprint(n), e.Description, "", "", "", Lei(e.AmountBani))
	}
	p.Ln(3)
}

func totals(p *fpdf.Fpdf, doc Document) {
	line := func(label, value string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		p.SetFont("dejavu", style, 10)
		p.SetX(95)
		p.CellFormat(60, 6, label, "", 0, "R", false, 0, "")
		p.CellFormat(40, 6, value, "", 1, "R", false, 0, "")
	}
	line("Total fără TVA:", Lei(doc.NetBani), false)
	line("TVA "+Percent(doc.VATRateBP)+" %:", Lei(doc.VATBani), false)
	line("Total de plată (inclusiv TVA):", Lei(doc.GrossBani), true)
	p.Ln(4)
}

func closing(p *fpdf.Fpdf, doc Document) {
	if doc.Notes != "" {
		p.SetFont("dejavu", "B", 10)
		p.CellFormat(0, 6, "Observații", "", 1, "L", false, 0, "")
		p.SetFont("dejavu", "", 9)
		p.MultiCell(0, 4.5, doc.Notes, "", "L", false)
		p.Ln(3)
	}
	terms := doc.Terms
	if terms == nil {
		terms = DefaultTerms
	}
	p.SetFont("dejavu", "B", 10)
	p.CellFormat(0, 6, "Condiții", "", 1, "L", false, 0, "")
	p.SetFont("dejavu", "", 8.5)
	p.MultiCell(0, 4.5, "• Oferta este valabilă până la "+roDate(doc.ValidUntil)+" inclusiv.", "", "L", false)
	for _, t := range terms {
		p.MultiCell(0, 4.5, "• "+t, "", "L", false)
	}
}

// roDate writes YYYY-MM-DD as DD.MM.YYYY.
func roDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02.01.2006")
}
