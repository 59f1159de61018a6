package web

import (
	"html/template"
	"time"

	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// Formatting for the templates. Money is integer bani shown as "1.234,56"; times are
// Bucharest's, the way the team reads them.

var funcs = template.FuncMap{
	"lei":      quotepdf.Lei,
	"leiFloat": leiFloat,
	"qty":      quotepdf.Quantity,
	"unit":     quotepdf.Unit,
	"percent":  quotepdf.Percent,
	"datetime": datetime,
	"date":     date,
	"add":      func(a, b int) int { return a + b },
	"deref":    deref,
}

// leiFloat shows an amount in lei (the API's float fields) as money.
func leiFloat(v *float64) string {
	if v == nil {
		return "—"
	}
	bani := int64(*v*100 + 0.5)
	if *v < 0 {
		bani = int64(*v*100 - 0.5)
	}
	return quotepdf.Lei(bani)
}

func datetime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(store.Bucharest).Format("02.01.2006 15:04")
}

func date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(store.Bucharest).Format("02.01.2006")
}

// deref shows an optional text, or a dash.
func deref(s *string) string {
	if s == nil || *s == "" {
		return "—"
	}
	return *s
}
