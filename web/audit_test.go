package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestAuditLog(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := storetest.MustCreateCatalog(t, e.DB)
	rfq := storetest.MustSubmitRFQ(t, e.DB, "g-audit", storetest.RFQInput())
	op := store.WithActor(ctx, store.Actor{UserID: e.Operator.ID, Label: e.Operator.Email})
	if _, err := e.DB.AddRFQNote(op, rfq.ID, `Clientul a scris: <script>alert("x")</script> & „urgent”`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.ChangeRFQStatus(op, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1}); err != nil {
		t.Fatal(err)
	}

	// The admin changes a price through the edit page: the log shows it, by them.
	b := e.signIn(t, e.Admin)
	b.Get("/admin/catalog/products/" + c.Pipe)
	b.Submit("/admin/catalog/products/"+c.Pipe, pipeForm("52"))
	if b.Status != http.StatusOK {
		t.Fatalf("save: %d\n%s", b.Status, b.Text())
	}

	t.Run("ListsChangesWithActors", func(t *testing.T) {
		b.Get("/admin/audit")
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		for _, row := range []string{
			`<tr data-action="product.update" data-entity-id="` + c.Pipe + `">`,
			`<tr data-action="rfq.note" data-entity-id="` + rfq.ID + `">`,
			`<tr data-action="rfq.status" data-entity-id="` + rfq.ID + `">`,
		} {
			if !strings.Contains(b.Page, row) {
				t.Fatalf("no row %s:\n%s", row, b.Page)
			}
		}
		b.Sees("Produs modificat", "admin@metalpro.ro", "pricePerUnit 51 → 52", "TR-40x40x3",
			"Stare schimbată", "status SUBMITTED → ACKNOWLEDGED", "operator@metalpro.ro", "Notă internă", rfq.ReferenceNumber)
		if !strings.Contains(b.Page, `href="/admin/rfq/`+rfq.ID+`"`) {
			t.Fatal("no link to the RFQ page")
		}
		// The newest first: the admin's edit before the operator's status change.
		if i, j := strings.Index(b.Page, `data-action="product.update"`), strings.Index(b.Page, `data-action="rfq.status"`); i > j {
			t.Fatal("the log is not newest first")
		}
	})

	t.Run("TextIsOnlyText", func(t *testing.T) {
		b.Get("/admin/audit?entity=rfq")
		if strings.Contains(b.Page, `<script>alert`) {
			t.Fatal("a note's text was not escaped")
		}
		b.Sees(`Clientul a scris: <script>alert("x")</script> & „urgent”`)
	})

	t.Run("Filters", func(t *testing.T) {
		b.Get("/admin/audit?" + url.Values{"actor": {e.Admin.ID}}.Encode())
		b.Sees("1 înregistrări", "Produs modificat")
		b.DoesNotSee("Notă internă")
		b.Get("/admin/audit?" + url.Values{"entity": {"rfq"}, "entityId": {rfq.ID}}.Encode())
		b.Sees("2 înregistrări", "Notă internă", "Stare schimbată")
		b.DoesNotSee("Produs modificat")
		b.Get("/admin/audit?entity=product")
		b.Sees("1 înregistrări")
		b.Get("/admin/audit?entity=nimic")
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Alege o entitate din listă.")
	})

	t.Run("English", func(t *testing.T) {
		b.Submit("/admin/lang", url.Values{"lang": {"en"}})
		defer b.Submit("/admin/lang", url.Values{"lang": {"ro"}})
		b.Get("/admin/audit")
		b.Sees("Audit log", "Product changed", "Status changed")
	})

	t.Run("ErrOperator", func(t *testing.T) {
		o := e.signIn(t, e.Operator)
		o.Get("/admin/audit")
		if o.Status != http.StatusForbidden {
			t.Fatalf("status %d", o.Status)
		}
		o.DoesNotSee("Notă internă")
	})
}
