package bom

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readCSV reads a CSV (comma, semicolon or tab separated, any of the encodings decodeText
// knows, CRLF or LF, quoted fields) into its non-empty rows. At most MaxCSVBytes are read
// and at most maxRawRows rows kept: past either the file is refused, without reading on.
func readCSV(r io.Reader) ([]rawRow, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxCSVBytes {
		return nil, errTooLarge(MaxCSVBytes)
	}
	text, _ := decodeText(b)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.LazyQuotes = true    // a stray quote inside a description ("1/2"") is text
	cr.FieldsPerRecord = -1 // title blocks have fewer cells than the table
	cr.ReuseRecord = true
	var rows []rawRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, errUnreadable(fmt.Sprintf("linia %d nu este CSV valid.", pe.Line),
					fmt.Sprintf("line %d is not valid CSV.", pe.Line))
			}
			return nil, err
		}
		cells, ok := cleanCells(rec)
		if !ok {
			continue
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rawRow{Line: line, Cells: cells})
		if len(rows) >= maxRawRows {
			return nil, errTooManyRows()
		}
	}
	if len(rows) == 0 {
		return nil, errEmpty
	}
	return rows, nil
}

// sniffDelimiter picks the separator of the first lines: the candidate that splits the
// most lines into the same number of cells, weighted by that number. A semicolon file
// from Romanian Excel has decimal commas in its numbers ("12,5"), but those vary from line
// to line while the semicolons are the same on every line.
func sniffDelimiter(text string) rune {
	if len(text) > 64<<10 {
		text = text[:64<<10]
	}
	lines := strings.Split(text, "\n")
	if len(lines) > 40 {
		lines = lines[:40]
	}
	best, bestScore := ',', 0
	for _, d := range []rune{';', '\t', ','} {
		counts := map[int]int{}
		for _, l := range lines {
			if n := countOutsideQuotes(l, d); n > 0 {
				counts[n]++
			}
		}
		score := 0
		for n, lines := range counts {
			if s := lines*4 + n; s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

func countOutsideQuotes(line string, d rune) int {
	n, quoted := 0, false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			n++
		}
	}
	return n
}
