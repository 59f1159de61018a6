package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/metalpro/backend/quotepdf"
	"github.com/metalpro/backend/store"
)

// quoteConfig is what the quotes need (issue 12): the default VAT rate and MetalPro's
// company data printed on the quote PDF.
type quoteConfig struct {
	VATRateBP int64 // VAT_RATE as a percentage ("21", "9.5"), kept in basis points
	Company   quotepdf.Company
}

// loadQuoteConfig reads VAT_RATE and COMPANY_*; each unset field keeps its default
// (store.DefaultVATRateBP, quotepdf.DefaultCompany).
func loadQuoteConfig(getenv func(string) string) (quoteConfig, []string) {
	c := quoteConfig{VATRateBP: store.DefaultVATRateBP, Company: quotepdf.DefaultCompany}
	var errs []string
	if v := strings.TrimSpace(getenv("VAT_RATE")); v != "" {
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		bp := math.Round(f * 100)
		if err != nil || f < 0 || f > 100 || math.Abs(bp-f*100) > 1e-6 {
			errs = append(errs, fmt.Sprintf("VAT_RATE must be a percentage such as 21 or 9.5, not %q", v))
		} else {
			c.VATRateBP = int64(bp)
		}
	}
	for key, field := range map[string]*string{
		"COMPANY_NAME": &c.Company.Name, "COMPANY_CUI": &c.Company.CUI, "COMPANY_REG_COM": &c.Company.RegCom,
		"COMPANY_ADDRESS": &c.Company.Address, "COMPANY_PHONE": &c.Company.Phone, "COMPANY_EMAIL": &c.Company.Email,
		"COMPANY_WEBSITE": &c.Company.Website, "COMPANY_BANK": &c.Company.Bank, "COMPANY_IBAN": &c.Company.IBAN,
	} {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			*field = v
		}
	}
	return c, errs
}
