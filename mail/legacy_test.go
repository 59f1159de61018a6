package mail_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/store"
)

// testdata/legacy_rows.json holds outbox data exactly as the store wrote it before email
// payloads were typed (a map[string]any through encoding/json: sorted keys, nulls kept),
// and testdata/rendered.golden.json every email that code rendered from it: subject, text
// and HTML per language. Both files were produced by the untyped code and pin the bytes
// customers receive; the golden file changes only with an intended change of an email
// (issue 17: subjects without "RFQ RFQ-", the operator's email with the RFQ's details;
// issue 10: its billing address too, so a lost RFQ can be re-entered from it).

type legacyRow struct {
	Case     string          // "rfq_confirmation+nulls": template, then a variant
	Template string          // the outbox row's template column
	Data     json.RawMessage // the outbox row's data column
}

func loadLegacy(tb testing.TB) ([]legacyRow, map[string]string) {
	tb.Helper()
	var rows []legacyRow
	b, err := os.ReadFile("testdata/legacy_rows.json")
	require.NoError(tb, err)
	require.NoError(tb, json.Unmarshal(b, &rows))
	golden := map[string]string{}
	b, err = os.ReadFile("testdata/rendered.golden.json")
	require.NoError(tb, err)
	require.NoError(tb, json.Unmarshal(b, &golden))
	require.NotEmpty(tb, rows)
	return rows, golden
}

func TestRenderer_Golden(t *testing.T) {
	r := MustRenderer(t)
	rows, golden := loadLegacy(t)

	t.Run("TypedPayloadsRenderTheSameBytes", func(t *testing.T) {
		for name, e := range sampleData() {
			for _, lang := range []string{"ro", "en"} {
				out, err := r.Render(e, lang)
				require.NoError(t, err)
				key := name + "/" + lang
				require.Equal(t, golden[key+".subject"], out.Subject, key)
				require.Equal(t, golden[key+".txt"], out.Text, key)
				require.Equal(t, golden[key+".html"], out.HTML, key)
			}
		}
	})

	t.Run("RowsQueuedBeforeTypedPayloadsDecode", func(t *testing.T) {
		for _, row := range rows {
			e, err := emails.Decode(row.Template, row.Data)
			require.NoError(t, err, row.Case)
			for _, lang := range []string{"ro", "en"} {
				out, err := r.Render(e, lang)
				require.NoError(t, err, row.Case)
				key := row.Case + "/" + lang
				require.Equal(t, golden[key+".subject"], out.Subject, key)
				require.Equal(t, golden[key+".txt"], out.Text, key)
				require.Equal(t, golden[key+".html"], out.HTML, key)
			}
		}
	})
}

// TestWorker_SendsRowsQueuedBeforeTypedPayloads: a deployed database's outbox, written by
// the previous release, is sent by the new worker after the upgrade, unchanged.
func TestWorker_SendsRowsQueuedBeforeTypedPayloads(t *testing.T) {
	ctx := context.Background()
	rows, golden := loadLegacy(t)
	db, _ := MustOpenTempDB(t)
	byID := map[string]legacyRow{}
	require.NoError(t, db.Write(ctx, func(tx *store.Tx) error {
		for _, row := range rows {
			id := store.NewID()
			byID[id] = row
			// The previous release's EnqueueEmail, column for column.
			if _, err := tx.ExecContext(ctx, `INSERT INTO email_outbox
				(id, template, to_addr, lang, data, status, attempts, next_attempt_at, created_at)
				VALUES (?, ?, 'ion@example.ro', 'ro', ?, 'pending', 0, ?, ?)`,
				id, row.Template, string(row.Data), store.FormatTime(tx.Now), store.FormatTime(tx.Now)); err != nil {
				return err
			}
		}
		return nil
	}))

	s := newRecordingSender()
	w := NewTestWorker(t, db, s)
	n, err := w.RunOnce(ctx)
	require.NoError(t, err)
	require.Equal(t, len(rows), n)
	sent := s.Sent()
	require.Len(t, sent, len(rows))
	for _, m := range sent {
		row := byID[m.ID]
		key := row.Case + "/ro"
		require.Equal(t, golden[key+".subject"], m.Subject, key)
		require.Equal(t, golden[key+".txt"], m.Text, key)
		require.Equal(t, golden[key+".html"], m.HTML, key)
		stored, err := db.GetEmail(ctx, m.ID)
		require.NoError(t, err)
		require.Equal(t, store.OutboxSent, stored.Status, key)
	}
}
