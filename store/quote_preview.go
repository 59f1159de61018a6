package store

import "context"

// QuoteTotals checks in against the RFQ exactly as SaveQuoteDraft would and returns the
// totals it would save, writing nothing: the back office's live totals while an operator
// types, computed by the same code as the saved ones.
func (db *DB) QuoteTotals(ctx context.Context, rfqID string, in QuoteInput, defaultVATBP int64) (*QuoteTotalsBani, error) {
	var out *QuoteTotalsBani
	err := db.Read(ctx, func(tx *Tx) error {
		rfq, err := existingRFQ(ctx, tx, rfqID)
		if err != nil {
			return err
		}
		items, extras, vatBP, _, _, err := validateQuote(in, rfq, defaultVATBP, quoteDay(tx.Now))
		if err != nil {
			return err
		}
		t := quoteTotals(rfq, items, extras, vatBP)
		out = &t
		return nil
	})
	return out, err
}

// quoteTotals prices a checked quote input against its RFQ's items.
func quoteTotals(rfq *RFQ, items []storedQuoteItem, extras []storedQuoteExtra, vatBP int64) QuoteTotalsBani {
	prices := map[string]int64{}
	for _, it := range items {
		prices[it.ItemID] = it.FinalPrice
	}
	amounts := make([]int64, len(extras))
	for i, e := range extras {
		amounts[i] = e.Amount
	}
	return ComputeQuoteTotals(rfq.Items, prices, amounts, vatBP)
}
