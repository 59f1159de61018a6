package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestQueue(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	first := storetest.MustSubmitRFQ(t, e.DB, "g-1", storetest.RFQInput())
	in := storetest.RFQInput()
	in.CompanyName = `<script>alert("x")</script> Profile & Co SRL`
	second := storetest.MustSubmitRFQ(t, e.DB, "g-2", in)
	done := storetest.MustSubmitRFQ(t, e.DB, "g-3", storetest.RFQInput())
	staff := store.WithActor(ctx, store.Actor{UserID: e.Operator.ID, Label: e.Operator.Email})
	if _, err := e.DB.ChangeRFQStatus(staff, store.RFQStatusChange{RFQID: done.ID, Status: store.RFQCancelled, Reason: "dublură", ExpectedVersion: 1}); err != nil {
		t.Fatal(err)
	}

	t.Run("OpenOldestFirst", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfqs")
		b.Sees("De lucrat 2", "Nouă 2", "Anulată 1", "Toate 3", "2 cereri")
		if i, j := strings.Index(b.Page, first.ReferenceNumber), strings.Index(b.Page, second.ReferenceNumber); i < 0 || j < i {
			t.Fatalf("the oldest RFQ is not first")
		}
		if strings.Contains(b.Page, done.ReferenceNumber) {
			t.Fatal("a cancelled RFQ in the default tab")
		}
	})

	t.Run("CustomerTextIsOnlyText", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfqs")
		if strings.Contains(b.Page, `<script>alert`) {
			t.Fatal("the company name was not escaped")
		}
		b.Sees(`<script>alert("x")</script> Profile & Co SRL`)
	})

	t.Run("Filters", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfqs?status=all&q=profile")
		b.Sees("1 cerere", second.ReferenceNumber)
		b.DoesNotSee(first.ReferenceNumber)
		b.Get("/admin/rfqs?status=CANCELLED")
		b.Sees(done.ReferenceNumber)
		b.Get("/admin/rfqs?assignee=me")
		b.Sees("Nicio cerere nu corespunde filtrelor.")
	})

	t.Run("ErrBadFilter", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfqs?from=ieri")
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Folosește o dată AAAA-LL-ZZ.")
	})
}
