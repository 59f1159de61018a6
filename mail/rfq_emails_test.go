package mail_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
)

// The operator's new-RFQ email carries what sales needs to start pricing: every line with
// its code, quantity, unit and specs, the notes, billing and delivery address, incoterm and
// date: everything needed to re-enter an RFQ that a restore lost (docs/RUNBOOK.md).
func TestRenderer_OperatorNewRFQHasWhatSalesNeeds(t *testing.T) {
	r := MustRenderer(t)
	e := sample[emails.OperatorNewRFQ]()
	addr, incoterm, date, notes := "Str. Fabricii 12, 400001 Cluj-Napoca, Cluj, Romania", "DAP", "2026-03-05", "Descărcare cu macaraua <b>clientului</b>."
	e.Items = []emails.RFQItem{
		{ProductName: "Țeavă rectangulară 40x40x3", ProductSKU: "TR-40x40x3-S235", Quantity: 12.5, Unit: "m", Specs: `{"cutToLength":true,"lengthM":6}`},
		{ProductName: "Tablă zincată 2 mm", ProductSKU: "TZ-2-DX51D", Quantity: 3, Unit: "pcs"},
		{ProductName: "Bară rotundă 20", ProductSKU: "BR-20-S235", Quantity: 150, Unit: "kg"},
	}
	billing := "Str. Memorandumului 28, 400114 Cluj-Napoca, Cluj, Romania"
	e.BillingAddress, e.DeliveryAddress, e.Incoterm, e.DeliveryDate, e.Notes = &billing, &addr, &incoterm, &date, &notes

	want := map[string][]string{
		"ro": {"Țeavă rectangulară 40x40x3", "TR-40x40x3-S235", "12,5 m", "TZ-2-DX51D", "3 buc.", "150 kg", "lengthM",
			"Adresă de livrare", "Cluj-Napoca, Cluj, Romania", "Adresă de facturare", "Str. Memorandumului 28", "DAP", "05.03.2026", "Descărcare cu macaraua"},
		"en": {"12.5 m", "3 pcs", "150 kg", "Delivery address", "Billing address", "Str. Memorandumului 28", "DAP", "05.03.2026", "Descărcare cu macaraua"},
	}
	for lang, phrases := range want {
		out, err := r.Render(e, lang)
		require.NoError(t, err)
		for _, p := range phrases {
			require.Contains(t, out.Text, p, "%s text", lang)
			require.Contains(t, out.HTML, p, "%s html", lang)
		}
		require.NotContains(t, out.HTML, "<b>clientului</b>", "notes are escaped")
	}
}

// Romanian emails write pieces as "buc.", as the storefront does, never the API's "pcs".
func TestRenderer_UnitsAsPeopleReadThem(t *testing.T) {
	r := MustRenderer(t)
	e := sample[emails.RFQConfirmation]()
	e.Items = []emails.RFQItem{{ProductName: "Tablă", Quantity: 5, Unit: "pcs"}}
	ro, err := r.Render(e, "ro")
	require.NoError(t, err)
	require.Contains(t, ro.Text, "Tablă: 5 buc.")
	require.NotContains(t, ro.Text+ro.HTML, "pcs")
	en, err := r.Render(e, "en")
	require.NoError(t, err)
	require.Contains(t, en.Text, "5 pcs")
}
