package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/metalpro/backend/store"
)

// What the quote editor refuses: bad input comes back next to its field, as typed, with
// status 400 and nothing saved; a state that changed meanwhile is a 409 that says so.

func TestQuoteSave_BadInput(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := e.acknowledgedRFQ(t, "g-quote-bad")
	pipe := itemBySKU(t, rfq, pipeSKU)
	b := e.signIn(t, e.Operator)

	for _, c := range []struct {
		name         string
		change       func(url.Values)
		field, typed string // the field whose message shows, and the value it keeps
		message      string
	}{
		{"not a number", func(f url.Values) { f.Set("price."+pipe.ID, "abc") },
			"price." + pipe.ID, "abc", "Scrie un număr, de exemplu 11,50."},
		{"negative", func(f url.Values) { f.Set("price."+pipe.ID, "-5") },
			"price." + pipe.ID, "-5", "Prețul trebuie să fie un număr pozitiv cu cel mult două zecimale."},
		{"three decimals", func(f url.Values) { f.Set("price."+pipe.ID, "11,505") },
			"price." + pipe.ID, "11,505", "Prețul trebuie să fie un număr pozitiv cu cel mult două zecimale."},
		{"no validity", func(f url.Values) { f.Set("validUntil", "") },
			"validUntil", "", "Alege data până la care este valabilă oferta."},
		{"validity in the past", func(f url.Values) { f.Set("validUntil", inDays(-1)) },
			"validUntil", inDays(-1), "Oferta trebuie să fie valabilă cel puțin până azi și cel mult doi ani."},
		{"extra line without amount", func(f url.Values) { f["extraAmount"][0] = "" },
			"extraAmount", "", "Scrie suma liniei."},
		{"unknown item", func(f url.Values) { f.Set("price.00000000-0000-4000-8000-000000000000", "10") },
			"", "", "Produsul nu face parte din această cerere."},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := pricedForm(t, rfq)
			c.change(form)
			b.Get("/admin/rfq/" + rfq.ID + "/quote")
			b.Submit("/admin/rfq/"+rfq.ID+"/quote", form)
			if b.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", b.Status, b.Text())
			}
			if got := b.fieldError(c.field); got != c.message {
				t.Errorf("message next to %q: %q, want %q", c.field, got, c.message)
			}
			if c.field != "" && c.field != "extraAmount" {
				if got := b.inputValue(c.field); got != c.typed {
					t.Errorf("%s shows %q, not what was typed (%q)", c.field, got, c.typed)
				}
			}
			if !strings.Contains(b.Page, `value="Transport Cluj-Napoca"`) || !strings.Contains(b.Page, `value="200"`) {
				t.Error("the other fields lost what was typed")
			}
			if d := e.draftOf(t, rfq.ID); d != nil {
				t.Errorf("a refused form saved a draft: %+v", d)
			}
		})
	}
	d, err := e.DB.AdminRFQDetail(context.Background(), rfq.ID)
	if err != nil || d.Status != store.RFQAcknowledged {
		t.Errorf("the RFQ moved on after refused forms: %v %v", d.Status, err)
	}
}

func TestQuoteEditor_NotYetQuotable(t *testing.T) {
	e := newQuoteEnv(t)
	rfq := storeSubmitted(t, e)
	b := e.signIn(t, e.Operator)
	b.Get("/admin/rfq/" + rfq.ID + "/quote")
	b.Sees("Oferta se poate pregăti doar pentru o cerere preluată")
	if strings.Contains(b.Page, `id="quote-save"`) || strings.Contains(b.Page, `id="quote-send"`) {
		t.Error("a new RFQ offers to save or send a quote")
	}
	b.Submit("/admin/rfq/"+rfq.ID+"/quote", pricedForm(t, rfq))
	if b.Status != http.StatusConflict {
		t.Fatalf("saving a quote for a new RFQ: %d, want 409", b.Status)
	}
	b.Sees("Oferta nu poate fi modificată")
	if e.draftOf(t, rfq.ID) != nil {
		t.Error("a draft was saved")
	}
}

func storeSubmitted(t *testing.T, e *quoteEnv) *store.RFQ {
	t.Helper()
	return mustSubmit(t, e.testEnv, "g-quote-new")
}

func TestQuoteSend_Conflicts(t *testing.T) {
	t.Run("the draft changed after the page was shown", func(t *testing.T) {
		e := newQuoteEnv(t)
		rfq := e.acknowledgedRFQ(t, "g-quote-stale")
		b := e.signIn(t, e.Operator)
		saveDraft(t, b, rfq.ID, pricedForm(t, rfq))
		shown := b.inputValue("revision")

		other := e.signIn(t, e.Admin) // a colleague changes the price meanwhile
		form := pricedForm(t, rfq)
		form.Set("price."+itemBySKU(t, rfq, pipeSKU).ID, "10")
		saveDraft(t, other, rfq.ID, form)

		b.Submit("/admin/rfq/"+rfq.ID+"/quote/send", url.Values{"revision": {shown}})
		if b.Status != http.StatusConflict {
			t.Fatalf("stale send: %d, want 409", b.Status)
		}
		b.Sees("Oferta a fost modificată între timp")
		e.nothingSent(t, rfq.ID, store.RFQInProgress)
	})
	t.Run("the RFQ was cancelled meanwhile", func(t *testing.T) {
		e := newQuoteEnv(t)
		rfq := e.acknowledgedRFQ(t, "g-quote-cancelled")
		b := e.signIn(t, e.Operator)
		saveDraft(t, b, rfq.ID, pricedForm(t, rfq))
		ctx := store.WithActor(context.Background(), store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
		d, err := e.DB.AdminRFQDetail(ctx, rfq.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.DB.ChangeRFQStatus(ctx, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQCancelled,
			Reason: "Clientul a renunțat.", ExpectedVersion: d.Version}); err != nil {
			t.Fatal(err)
		}

		b.Submit("/admin/rfq/"+rfq.ID+"/quote/send", url.Values{"revision": {b.inputValue("revision")}})
		if b.Status != http.StatusConflict {
			t.Fatalf("send of a cancelled RFQ: %d, want 409\n%s", b.Status, b.Text())
		}
		b.Sees("Cererea nu poate trece din CANCELLED în QUOTED.")
		e.nothingSent(t, rfq.ID, store.RFQCancelled)
	})
}

// nothingSent checks a refused send left no trace: the status, no email, no stored PDF.
func (e *quoteEnv) nothingSent(t *testing.T, rfqID, status string) {
	t.Helper()
	d, err := e.DB.AdminRFQDetail(context.Background(), rfqID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != status || d.FinalQuoteAmount != nil {
		t.Errorf("after a refused send: %s %v", d.Status, d.FinalQuoteAmount)
	}
	for _, m := range e.outbox(t) {
		if m.Template == "quote_ready" {
			t.Error("a refused send queued the customer's email")
		}
	}
	if n := e.blobCount(t); n != 0 {
		t.Errorf("a refused send left %d blobs", n)
	}
}
