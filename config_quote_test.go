package main

import (
	"testing"

	"github.com/metalpro/backend/quotepdf"
)

func TestLoadQuoteConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	c, errs := loadQuoteConfig(get)
	if len(errs) > 0 || c.VATRateBP != 2100 || c.Company != quotepdf.DefaultCompany {
		t.Fatalf("defaults: %+v %v", c, errs)
	}
	env["VAT_RATE"], env["COMPANY_IBAN"] = "9.5", "RO02INGB0000999900000001"
	if c, errs = loadQuoteConfig(get); len(errs) > 0 || c.VATRateBP != 950 || c.Company.IBAN != env["COMPANY_IBAN"] {
		t.Fatalf("set: %+v %v", c, errs)
	}
	env["VAT_RATE"] = "21,5"
	if _, errs = loadQuoteConfig(get); len(errs) != 1 {
		t.Fatalf("a comma is refused with a message: %v", errs)
	}
}
