package mail_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
)

// The operator's new-RFQ email links every attached file, in both parts and languages;
// without files it says nothing about them.
func TestRenderer_OperatorEmailLinksAttachments(t *testing.T) {
	r := MustRenderer(t)
	op := sample[emails.OperatorNewRFQ]()
	op.Attachments = []emails.FileLink{
		{FileName: "Desen <hală>.pdf", FileSize: 2048, URL: "https://api.metalpro.ro/api/files/f-1"},
		{FileName: "BOM.xlsx", FileSize: 512, URL: "https://api.metalpro.ro/api/files/f-2"},
	}
	for lang, label := range map[string]string{"ro": "Fișiere atașate:", "en": "Attached files:"} {
		out, err := r.Render(op, lang)
		require.NoError(t, err)
		require.Contains(t, out.Text, label+"\n- Desen <hală>.pdf: https://api.metalpro.ro/api/files/f-1\n- BOM.xlsx: https://api.metalpro.ro/api/files/f-2\n")
		require.Contains(t, out.HTML, `<a href="https://api.metalpro.ro/api/files/f-1" style="color:#0066cc;">Desen &lt;hală&gt;.pdf</a>`)
		require.Contains(t, out.HTML, label)
	}
	out, err := r.Render(sample[emails.OperatorNewRFQ](), "ro")
	require.NoError(t, err)
	require.NotContains(t, out.Text, "Fișiere atașate")
	require.NotContains(t, out.HTML, "Fișiere atașate")
}
