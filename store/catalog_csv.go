package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The catalog as CSV, the same columns both ways: what the export writes, the import reads
// back. The import matches rows to products by SKU (whatever the case): a new SKU is a new
// product, a known one is updated when a value differs, isActive=false deactivates it.
// Products missing from the file are left as they are (a file may carry one category).

// CatalogCSVColumns are the export's columns, in order; the import wants all of them, in
// any order.
var CatalogCSVColumns = []string{"sku", "title", "category", "grade", "standard", "dimensions", "availability",
	"baseUnit", "pricePerUnit", "weight", "lengthM", "isActive", "metadata"}

// MaxImportRows bounds one import: the whole catalog is a few thousand products.
const MaxImportRows = 50_000

// MaxImportBytes bounds an import file, for the API and the back office alike: the whole
// catalog exports to about 1 MB.
const MaxImportBytes = 20 << 20

var utf8BOM = []byte("\xef\xbb\xbf")

// ExportCatalogCSV writes every product, inactive ones too, in the storefront's order:
// UTF-8 with a byte-order mark (so spreadsheet programs read ș and ț right), comma
// separated, dot decimals.
func (db *DB) ExportCatalogCSV(ctx context.Context, w io.Writer) error {
	return db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+adminProductColumns+` FROM products p
			JOIN categories c ON c.id = p.category_id LEFT JOIN product_search s ON s.product_id = p.id
			ORDER BY c.sort_order, c.slug, s.seq, p.sku`)
		if err != nil {
			return err
		}
		defer rows.Close()
		bw := bufio.NewWriter(w)
		if _, err := bw.Write(utf8BOM); err != nil {
			return err
		}
		cw := csv.NewWriter(bw)
		if err := cw.Write(CatalogCSVColumns); err != nil {
			return err
		}
		for rows.Next() {
			p, err := scanAdminProduct(rows)
			if err != nil {
				return err
			}
			if err := cw.Write(productCSVRecord(p.ProductFields)); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func productCSVRecord(f ProductFields) []string {
	opt := func(v *float64) string {
		if v == nil {
			return ""
		}
		return formatNumber(*v)
	}
	meta := string(f.Metadata)
	if meta == "{}" {
		meta = ""
	}
	return []string{f.SKU, f.Title, f.Category, f.Grade, f.Standard, f.Dimensions, f.Availability, f.BaseUnit,
		formatNumber(f.PricePerUnit), opt(f.Weight), opt(f.LengthM), strconv.FormatBool(f.IsActive), meta}
}

// ImportError is one problem of an import file: its line (1 is the header), the column,
// and what is wrong.
type ImportError struct {
	Line    int
	Field   string
	Message Text
}

// ImportChange is what one line of an import does to the catalog.
type ImportChange struct {
	Line   int      `json:"line"`
	SKU    string   `json:"sku"`
	Action string   `json:"action"` // create, update, deactivate
	Fields []string `json:"fields"` // the columns whose value changes (update, deactivate)
}

// ImportResult says what an import did, or would do in a dry run. With Errors nothing was
// applied.
type ImportResult struct {
	Created, Updated, Deactivated int
	Changes                       []ImportChange
	Errors                        []ImportError
}

// importRow is one parsed line.
type importRow struct {
	line   int
	fields ProductFields
}

// ImportCatalogCSV reads a catalog file and applies it in one transaction, all rows or none;
// with dryRun it only reports what would change. A file with any error changes nothing and
// comes back with every error (the result, not err: err is for the database failing).
func (db *DB) ImportCatalogCSV(ctx context.Context, r io.Reader, dryRun bool) (ImportResult, error) {
	rows, errs := readCatalogCSV(r)
	if rows == nil {
		return ImportResult{Errors: errs}, nil
	}
	var res ImportResult
	plan := func(tx *Tx) error {
		var err error
		res, err = planImport(ctx, tx, rows, errs)
		return err
	}
	if dryRun {
		return res, db.Read(ctx, plan)
	}
	err := db.WriteCatalog(ctx, func(tx *Tx) error {
		if err := plan(tx); err != nil || len(res.Errors) > 0 {
			return err
		}
		return applyImport(ctx, tx, rows, res.Changes)
	})
	return res, err
}

// readCatalogCSV parses the file: UTF-8 with or without a byte-order mark, ';' or ','
// (whichever the header uses: a spreadsheet with Romanian settings writes ';'). Without
// rows, the file itself is wrong (errs says why); with rows, errs are the values that do not
// parse, and the rules are checked next (planImport).
func readCatalogCSV(r io.Reader) ([]importRow, []ImportError) {
	fail := func(line int, field, ro, en string) []ImportError {
		return []ImportError{{Line: line, Field: field, Message: Text{ro, en}}}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fail(0, "file", "Fișierul nu a putut fi citit.", "The file could not be read.")
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		return nil, fail(0, "file", "Fișierul trebuie salvat ca UTF-8 (CSV UTF-8).", "The file must be saved as UTF-8 (CSV UTF-8).")
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fail(1, "file", "Fișierul nu are antet (prima linie cu numele coloanelor).", "The file has no header line with the column names.")
	}
	col := map[string]int{}
	var errs []ImportError
	for i, name := range head {
		name = strings.TrimSpace(name)
		if _, dup := col[name]; dup {
			errs = append(errs, ImportError{1, name, Text{"Coloana apare de două ori.", "The column appears twice."}})
		}
		col[name] = i
	}
	for _, name := range CatalogCSVColumns {
		if _, ok := col[name]; !ok {
			errs = append(errs, ImportError{1, name, Text{"Lipsește coloana „" + name + "”.", `The column "` + name + `" is missing.`}})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []importRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, append(errs, ImportError{perr.Line, "file", Text{"Linia nu este CSV valid (ghilimele neînchise?).", "The line is not valid CSV (an unclosed quote?)."}})
		} else if err != nil {
			return nil, fail(line, "file", "Fișierul nu a putut fi citit.", "The file could not be read.")
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rows) == MaxImportRows {
			return nil, fail(line, "file", "Un import are cel mult 50.000 de rânduri.", "An import has at most 50,000 rows.")
		}
		row, rowErrs := parseImportRow(line, rec, col)
		errs = append(errs, rowErrs...)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fail(1, "file", "Fișierul nu conține niciun produs.", "The file contains no products.")
	}
	return rows, errs
}

// parseImportRow turns one record into fields; numbers may use a decimal comma (12,5).
func parseImportRow(line int, rec []string, col map[string]int) (importRow, []ImportError) {
	var errs []ImportError
	get := func(name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	num := func(name string, optional bool) *float64 {
		s := get(name)
		if s == "" && optional {
			return nil
		}
		if strings.Contains(s, ",") && !strings.Contains(s, ".") {
			s = strings.Replace(s, ",", ".", 1)
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			errs = append(errs, ImportError{line, name, Text{"Trebuie să fie un număr (de exemplu 12,50).", "Must be a number (such as 12.50)."}})
			return nil
		}
		return &v
	}
	f := ProductFields{SKU: get("sku"), Title: get("title"), Category: get("category"), Grade: get("grade"),
		Standard: get("standard"), Dimensions: get("dimensions"), Availability: get("availability"), BaseUnit: get("baseUnit"),
		Weight: num("weight", true), LengthM: num("lengthM", true), Metadata: json.RawMessage(get("metadata"))}
	if p := num("pricePerUnit", false); p != nil {
		f.PricePerUnit = *p
	}
	switch strings.ToLower(get("isActive")) {
	case "", "true", "1", "da", "yes":
		f.IsActive = true
	case "false", "0", "nu", "no":
	default:
		errs = append(errs, ImportError{line, "isActive", Text{"Trebuie să fie true sau false.", "Must be true or false."}})
	}
	return importRow{line: line, fields: f}, errs
}

// planImport validates every row against the catalog as tx sees it and lists the changes;
// parseErrs are the rows' values that did not parse (the first problem of a field is the one
// reported).
func planImport(ctx context.Context, tx *Tx, rows []importRow, parseErrs []ImportError) (ImportResult, error) {
	var res ImportResult
	slugs := map[string]bool{}
	srows, err := tx.QueryContext(ctx, `SELECT slug FROM categories`)
	if err != nil {
		return res, err
	}
	for srows.Next() {
		var s string
		if err := srows.Scan(&s); err != nil {
			srows.Close()
			return res, err
		}
		slugs[s] = true
	}
	srows.Close()
	existing, err := productsBySKU(ctx, tx)
	if err != nil {
		return res, err
	}
	unparsed := map[int][]ImportError{}
	for _, e := range parseErrs {
		unparsed[e.Line] = append(unparsed[e.Line], e)
	}
	seen := map[string]int{}
	for i := range rows {
		row := &rows[i]
		var v Validator
		for _, e := range unparsed[row.line] {
			v.Add(e.Field, e.Message.RO, e.Message.EN)
		}
		CheckProductFields(&v, &row.fields, func(s string) bool { return slugs[s] })
		key := strings.ToLower(row.fields.SKU)
		if first, dup := seen[key]; dup && !v.has("sku") {
			v.Add("sku", "Codul (SKU) apare deja pe linia "+strconv.Itoa(first)+".", "The SKU already appears on line "+strconv.Itoa(first)+".")
		}
		seen[key] = row.line
		for _, fe := range v.fields {
			res.Errors = append(res.Errors, ImportError{row.line, fe.Field, fe.Message})
		}
		if v.HasErrors() {
			continue
		}
		before, ok := existing[key]
		if !ok {
			res.Created++
			res.Changes = append(res.Changes, ImportChange{Line: row.line, SKU: row.fields.SKU, Action: "create"})
			continue
		}
		changed := changedFields(before.ProductFields, row.fields)
		switch {
		case len(changed) == 0:
		case before.IsActive && !row.fields.IsActive:
			res.Deactivated++
			res.Changes = append(res.Changes, ImportChange{Line: row.line, SKU: row.fields.SKU, Action: "deactivate", Fields: changed})
		default:
			res.Updated++
			res.Changes = append(res.Changes, ImportChange{Line: row.line, SKU: row.fields.SKU, Action: "update", Fields: changed})
		}
	}
	return res, nil
}

func productsBySKU(ctx context.Context, tx *Tx) (map[string]*AdminProduct, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+adminProductColumns+` FROM products p JOIN categories c ON c.id = p.category_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*AdminProduct{}
	for rows.Next() {
		p, err := scanAdminProduct(rows)
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(p.SKU)] = p
	}
	return out, rows.Err()
}

// changedFields names the columns whose value differs.
func changedFields(a, b ProductFields) []string {
	ra, rb := productCSVRecord(a), productCSVRecord(b)
	var out []string
	for i, name := range CatalogCSVColumns {
		if name == "metadata" && jsonEqual(a.Metadata, b.Metadata) {
			continue
		}
		if ra[i] != rb[i] {
			out = append(out, name)
		}
	}
	return out
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}

// applyImport writes the planned changes, one audit row per product.
func applyImport(ctx context.Context, tx *Tx, rows []importRow, changes []ImportChange) error {
	byLine := make(map[int]*importRow, len(rows))
	for i := range rows {
		byLine[rows[i].line] = &rows[i]
	}
	existing, err := productsBySKU(ctx, tx)
	if err != nil {
		return err
	}
	w, err := newProductWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	for _, c := range changes {
		f := byLine[c.Line].fields
		if c.Action == "create" {
			id := NewID()
			if err := w.save(ctx, tx, id, nil, f); err != nil {
				return err
			}
			if err := Audit(ctx, tx, "product.import", "product", id, nil, f); err != nil {
				return err
			}
			continue
		}
		before := existing[strings.ToLower(c.SKU)]
		if err := w.save(ctx, tx, before.ID, &before.ProductFields, f); err != nil {
			return err
		}
		if err := Audit(ctx, tx, "product.import", "product", before.ID, before.ProductFields, f); err != nil {
			return err
		}
	}
	return nil
}
