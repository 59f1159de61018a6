package mail_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
)

// The operator's new-RFQ email links every attached file to the back office's staff
// download (BACKOFFICE_URL/files/{id}), in both parts and languages; without files it says
// nothing about them.
func TestRenderer_OperatorEmailLinksAttachments(t *testing.T) {
	r := MustRenderer(t)
	op := sample[emails.OperatorNewRFQ]()
	op.Attachments = []emails.FileLink{
		{FileName: "Desen <hală>.pdf", FileSize: 2048, ID: "f-1"},
		{FileName: "BOM.xlsx", FileSize: 512, ID: "f 2"},
	}
	for lang, label := range map[string]string{"ro": "Fișiere atașate:", "en": "Attached files:"} {
		out, err := r.Render(op, lang)
		require.NoError(t, err)
		require.Contains(t, out.Text, label+"\n- Desen <hală>.pdf: "+testBackoffice+"/files/f-1\n- BOM.xlsx: "+testBackoffice+"/files/f%202\n")
		require.Contains(t, out.HTML, `<a href="`+testBackoffice+`/files/f-1" style="color:#0066cc;">Desen &lt;hală&gt;.pdf</a>`)
		require.Contains(t, out.HTML, label)
		require.NotContains(t, out.Text, "/api/files/")
	}
	out, err := r.Render(sample[emails.OperatorNewRFQ](), "ro")
	require.NoError(t, err)
	require.NotContains(t, out.Text, "Fișiere atașate")
	require.NotContains(t, out.HTML, "Fișiere atașate")
}

// A row queued while the email linked the API's /api/files/{id} (no file id in the
// payload) keeps the link it was queued with.
func TestRenderer_OperatorEmailKeepsQueuedFileLinks(t *testing.T) {
	r := MustRenderer(t)
	raw := `{"rfqId":"r-1","referenceNumber":"RFQ-2026-00009","companyName":"Firma","cui":null,"contactPerson":"Ion",
		"email":"ion@example.ro","phone":"+40722000000","estimatedTotal":null,"itemCount":0,"items":[],
		"billingAddress":null,"deliveryAddress":null,"incoterm":null,"deliveryDate":null,"notes":null,
		"attachments":[{"fileName":"vechi.pdf","fileSize":10,"url":"https://api.metalpro.ro/api/files/f-9"}]}`
	e, err := emails.Decode(emails.TemplateOperatorNewRFQ, []byte(raw))
	require.NoError(t, err)
	out, err := r.Render(e, "ro")
	require.NoError(t, err)
	require.Contains(t, out.Text, "- vechi.pdf: https://api.metalpro.ro/api/files/f-9\n")
}
