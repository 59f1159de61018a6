package main

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/replica/replicatest"
)

// TestDR_Figures measures what docs/REPLICATION.md quotes: the boot-time restore of
// realistic databases (an RFQ with its items and its two outbox emails is ≈3.6 KB, as
// through the API) and the uploads per second while guests write. It runs only when
// DR_FIGURES lists the sizes, e.g. DR_FIGURES=10000,50000 (`make drill` does not set it).
func TestDR_Figures(t *testing.T) {
	t.Parallel()
	sizes := os.Getenv("DR_FIGURES")
	if sizes == "" || testing.Short() {
		t.Skip("set DR_FIGURES=10000,50000 to measure")
	}
	bin := mustBuildBinary(t)
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(s)
		require.NoError(t, err)
		s3 := replicatest.StartS3(t)
		env := s3.Env("dr-figures")
		srv := mustStartProcess(t, bin, t.TempDir(), env)
		mustPrefillRealisticRFQs(t, srv.DBPath(), n)
		waitUntil(t, "the prefill replicated", func() bool {
			st := srv.replication(t)
			return st.LagSeconds == 0 && st.ReplicaTXID == st.LocalTXID
		})

		before := len(s3.Puts())
		w := newRFQWriter(t, srv)
		start := time.Now()
		w.writeFor(10 * time.Second)
		took := time.Since(start)
		puts := len(s3.Puts()) - before
		srv.stop(t)
		fi, err := os.Stat(srv.DBPath())
		require.NoError(t, err)

		gets := len(s3.Gets())
		restored := mustStartProcess(t, bin, t.TempDir(), env)
		t.Logf("%d RFQs (%.0f MB): restore %s, ready after %s, %d GETs; while writing %.0f RFQs/s: %.2f PUTs/s",
			n, float64(fi.Size())/1e6, restored.restoreTook(t), restored.readyAfter.Round(time.Millisecond),
			len(s3.Gets())-gets, float64(len(w.acks))/took.Seconds(), float64(puts)/took.Seconds())
		restored.stop(t)
	}
}

// mustPrefillRealisticRFQs commits n RFQs shaped like those the API writes (addresses,
// cart snapshot, three items, the customer's and the operator's emails in the outbox).
func mustPrefillRealisticRFQs(tb testing.TB, dbPath string, n int) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?_journal_mode=WAL&_busy_timeout=10000&_txlock=immediate")
	require.NoError(tb, err)
	defer db.Close()
	now := time.Now().UTC().Add(-24 * time.Hour).Format("2006-01-02T15:04:05.000Z")
	for done := 0; done < n; {
		tx, err := db.Begin()
		require.NoError(tb, err)
		for i := done; i < min(n, done+5000); i++ {
			id := "fig-" + strconv.Itoa(i)
			var items []string
			for k := 0; k < 3; k++ {
				items = append(items, fmt.Sprintf(`{"productId":"p%d","sku":"TEAVA-%d-%d","name":"Țeavă rectangulară 40×40×2 mm, oțel S235","quantity":%d,"unit":"m","unitPrice":41.5,"total":%d}`, k, i, k, i%97+1, (i%97+1)*41))
			}
			address := fmt.Sprintf(`{"street":"Str. Depozitului %d","city":"Cluj-Napoca","county":"Cluj","postalCode":"400001"}`, i)
			notes := strings.Repeat(fmt.Sprintf("livrare %d — țevi și profile; ", i), 1+i%5)
			_, err := tx.Exec(`INSERT INTO rfqs (id, reference_number, company_name, contact_person, email, phone,
				billing_address, delivery_address, notes, cart_snapshot, estimated_total, submitted_at, created_at, updated_at)
				VALUES (?, ?, 'SC Oțelul Roșu SRL', 'Ștefan Țăranu', 'stefan@example.ro', '0722123456', ?, ?, ?, ?, 1234.5, ?, ?, ?)`,
				id, fmt.Sprintf("FIG-%07d", i), address, address, notes, "["+strings.Join(items, ",")+"]", now, now, now)
			require.NoError(tb, err)
			for k := 0; k < 3; k++ {
				_, err := tx.Exec(`INSERT INTO rfq_items (id, rfq_id, product_sku, product_name, quantity, unit, gross_price, created_at)
					VALUES (?, ?, ?, 'Țeavă rectangulară 40×40×2 mm, oțel S235', ?, 'm', 41.5, ?)`,
					fmt.Sprintf("%s-%d", id, k), id, fmt.Sprintf("TEAVA-%d-%d", i, k), i%97+1, now)
				require.NoError(tb, err)
			}
			for k, tpl := range []string{"rfq_confirmation", "operator_new_rfq"} {
				data := fmt.Sprintf(`{"rfqId":%q,"referenceNumber":"FIG-%07d","companyName":"SC Oțelul Roșu SRL","contactPerson":"Ștefan Țăranu","items":[%s]}`, id, i, strings.Join(items, ","))
				_, err := tx.Exec(`INSERT INTO email_outbox (id, template, to_addr, data, status, next_attempt_at, created_at, sent_at)
					VALUES (?, ?, 'stefan@example.ro', ?, 'sent', ?, ?, ?)`, fmt.Sprintf("%s-e%d", id, k), tpl, data, now, now, now)
				require.NoError(tb, err)
			}
		}
		require.NoError(tb, tx.Commit())
		done = min(n, done+5000)
	}
}
