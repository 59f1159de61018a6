package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/metalpro/backend/emails"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

func TestRFQPage(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	rfq, file := mustSubmitRFQWithFile(t, e.DB, nil, "g-page", storetest.RFQInput())
	staff := store.WithActor(ctx, store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
	if _, err := e.DB.AddRFQNote(staff, rfq.ID, "Clientul vrea livrare marți."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.AddCustomerRFQMessage(ctx, rfq.ID, store.RFQViewer{GuestID: "g-page"}, "Se poate și vopsit?", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.AddStaffRFQMessage(staff, rfq.ID, "Da, revenim cu oferta."); err != nil {
		t.Fatal(err)
	}

	t.Run("ShowsWhatStaffNeed", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + rfq.ID)
		if b.Status != http.StatusOK {
			t.Fatalf("status %d\n%s", b.Status, b.Text())
		}
		b.Sees("Cererea "+rfq.ReferenceNumber, "Nouă",
			"Construcții Oțel SRL", "RO14399840", "Ana Popescu", "ana@example.ro", "Str. Fabricii 12", "Florești",
			"DAP", "Livrare cu macara.", "Vizitator, fără cont",
			"TR-40x40x3", "12 m", "2 buc.", "Total estimat",
			"desen-hala.pdf", "application/pdf",
			"Clientul vrea livrare marți.", "Radu Admin",
			"Se poate și vopsit?", "Da, revenim cu oferta.",
			"Clientul primește mesajul pe e-mail, la ana@example.ro.",
			"Nicio ofertă încă.")
		for _, want := range []string{
			`id="rfq-status" class="badge s-SUBMITTED" data-status="SUBMITTED"`,
			`href="mailto:ana@example.ro"`,
			`href="/admin/files/` + file.ID + `"`,
			`class="transition" data-to="ACKNOWLEDGED"`,
			`data-to="CANCELLED"`,
		} {
			if !strings.Contains(b.Page, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		b.DoesNotSee("rfq.", "status.") // a text key without a text shows itself
		if strings.Contains(b.Page, `id="quote-link"`) {
			t.Error("a new RFQ links the quote editor before anyone took it")
		}
		if strings.Contains(b.Page, `data-to="COMPLETED"`) {
			t.Error("the page offers a move the workflow does not allow")
		}
	})

	t.Run("QuoteVersions", func(t *testing.T) {
		quoted := storetest.MustSubmitRFQ(t, e.DB, "g-quote", storetest.RFQInput())
		if _, err := e.DB.ChangeRFQStatus(staff, store.RFQStatusChange{RFQID: quoted.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1}); err != nil {
			t.Fatal(err)
		}
		in := store.QuoteInput{ValidUntil: time.Now().In(store.Bucharest).AddDate(0, 0, 14).Format(time.DateOnly)}
		for _, it := range quoted.Items {
			price := 10.0
			in.Items = append(in.Items, struct {
				ID         string   `json:"id"`
				FinalPrice *float64 `json:"finalPrice"`
			}{ID: it.ID, FinalPrice: &price})
		}
		if _, err := e.DB.SaveQuoteDraft(staff, quoted.ID, in, store.DefaultVATRateBP); err != nil {
			t.Fatal(err)
		}
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + quoted.ID)
		// 12 m and 2 pcs at 10 lei: 140 lei net, 169,40 with 21 % VAT.
		b.Sees("Versiunile ofertei", "1 în lucru — 169,40 RON", "În lucru")
		if !strings.Contains(b.Page, `id="quote-link" class="button" href="/admin/rfq/`+quoted.ID+`/quote"`) {
			t.Fatal("an RFQ being quoted does not link the quote editor")
		}
	})

	t.Run("English", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + rfq.ID)
		b.Submit("/admin/lang", url.Values{"lang": {"en"}})
		b.Get("/admin/rfq/" + rfq.ID)
		b.Sees("Request "+rfq.ReferenceNumber, "Acknowledge", "Cancel the request", "2 buc.", "Internal notes")
		b.DoesNotSee("rfq.", "status.") // a text key without a text shows itself
	})

	t.Run("CustomerTextIsOnlyText", func(t *testing.T) {
		in := storetest.RFQInput()
		in.CompanyName = `<script>alert("firmă")</script> & Co`
		in.Notes = `<img src=x onerror=alert(1)> sudură`
		evil := storetest.MustSubmitRFQ(t, e.DB, "g-evil", in)
		if _, err := e.DB.AddCustomerRFQMessage(ctx, evil.ID, store.RFQViewer{GuestID: "g-evil"}, `<b>bold</b> "citat"`, ""); err != nil {
			t.Fatal(err)
		}
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + evil.ID)
		for _, raw := range []string{`<script>alert`, `<img src=x`, `<b>bold</b>`} {
			if strings.Contains(b.Page, raw) {
				t.Fatalf("customer text reached the page as markup: %s", raw)
			}
		}
		b.Sees(`<script>alert("firmă")</script> & Co`, `<img src=x onerror=alert(1)> sudură`, `<b>bold</b> "citat"`)
	})

	t.Run("ErrUnknownRFQ", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		for _, id := range []string{store.NewID(), "nu-e-un-id", "1%27%20OR%201=1"} {
			b.Get("/admin/rfq/" + id)
			if b.Status != http.StatusNotFound {
				t.Fatalf("%s: status %d", id, b.Status)
			}
			b.Sees("Cererea de ofertă nu a fost găsită.")
		}
		b.Get("/admin/rfq/" + rfq.ID)
		b.Submit("/admin/rfq/"+store.NewID()+"/notes", url.Values{"text": {"notă"}})
		if b.Status != http.StatusNotFound {
			t.Fatalf("a note on an unknown RFQ: status %d", b.Status)
		}
	})

	t.Run("SignInFirst", func(t *testing.T) {
		b := e.browser(t)
		b.Get("/admin/rfq/" + rfq.ID)
		if b.At != "/admin/signin?next=%2Fadmin%2Frfq%2F"+rfq.ID {
			t.Fatalf("anonymous visit ended at %s", b.At)
		}
		b.DoesNotSee("Construcții Oțel SRL")
	})
}

func TestRFQTransitions(t *testing.T) {
	e := newTestEnv(t)
	rfq := storetest.MustSubmitRFQ(t, e.DB, "g-flow", storetest.RFQInput())
	page := "/admin/rfq/" + rfq.ID

	move := func(t *testing.T, b *browser, to, reason, wantLabel string) {
		t.Helper()
		b.Get(page)
		b.Submit(page+"/status", url.Values{"to": {to}, "reason": {reason}, "version": {b.Version()}})
		if b.Status != http.StatusOK || b.At != page {
			t.Fatalf("move to %s: %d at %s\n%s", to, b.Status, b.At, b.Text())
		}
		b.Sees("Cererea " + rfq.ReferenceNumber + " este acum „" + wantLabel + "”.")
		if !strings.Contains(b.Page, `data-status="`+to+`"`) {
			t.Fatalf("the badge does not say %s", to)
		}
		if got := e.rfqNow(t, rfq.ID).Status; got != to {
			t.Fatalf("the store says %s", got)
		}
	}

	t.Run("Acknowledge", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		move(t, b, store.RFQAcknowledged, "", "Preluată")
		if !strings.Contains(b.Page, `id="quote-link"`) || !strings.Contains(b.Page, `href="/admin/rfq/`+rfq.ID+`/quote"`) {
			t.Fatal("an acknowledged RFQ does not link the quote editor")
		}
		b.Sees("Nouă → Preluată operator@metalpro.ro") // the history names who did it
		sent := e.emailsFor(t, emails.TemplateRFQStatusChanged, rfq.ID)
		if len(sent) != 1 || sent[0].To != "ana@example.ro" {
			t.Fatalf("customer emails: %+v", sent)
		}
		b.Get(page)
		b.DoesNotSee("este acum") // the message shows once
	})

	t.Run("StartWork", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		move(t, b, store.RFQInProgress, "", "În lucru")
		if !strings.Contains(b.Page, `data-to="QUOTED"`) || !strings.Contains(b.Page, `id="quote-link"`) {
			t.Fatal("the page of an RFQ in progress lacks its next steps")
		}
	})

	t.Run("ErrCancelWithoutReason", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		version := b.Version()
		b.Submit(page+"/status", url.Values{"to": {store.RFQCancelled}, "reason": {"  "}, "version": {version}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Scrie motivul anulării: clientul îl primește pe e-mail.")
		if !strings.Contains(b.Page, `aria-invalid="true" aria-describedby="cancel-reason-error"`) {
			t.Fatal("the reason field is not marked as the one to fix")
		}
		if d := e.rfqNow(t, rfq.ID); d.Status != store.RFQInProgress || itoa(d.Version) != version {
			t.Fatalf("a refused cancel changed the RFQ: %s v%d", d.Status, d.Version)
		}
	})

	t.Run("ErrNoVersion", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		before := e.rfqNow(t, rfq.ID).Version
		b.Submit(page+"/status", url.Values{"to": {store.RFQQuoted}, "version": {"abc"}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Trimite versiunea cererii pe care ai văzut-o")
		if !strings.Contains(b.Page, `id="rfq-error"`) {
			t.Fatal("the error is not shown above the actions")
		}
		if d := e.rfqNow(t, rfq.ID); d.Version != before || d.Status != store.RFQInProgress {
			t.Fatalf("a form without a version changed the RFQ: %s v%d", d.Status, d.Version)
		}
	})

	t.Run("ErrInvalidTransition", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		b.Submit(page+"/status", url.Values{"to": {store.RFQCompleted}, "version": {b.Version()}})
		if b.Status != http.StatusConflict {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Cererea nu poate trece din starea „în lucru” în „finalizată”.",
			"Din starea actuală se poate trece în: „Ofertată”, „Anulată”.")
		if got := e.rfqNow(t, rfq.ID).Status; got != store.RFQInProgress {
			t.Fatalf("the store says %s", got)
		}
	})

	t.Run("ErrSomeoneElseChangedIt", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		stale := b.Version()
		other := e.signIn(t, e.Admin)
		other.Get(page)
		other.Submit(page+"/assign", url.Values{"userId": {"me"}, "version": {other.Version()}})
		if other.Status != http.StatusOK {
			t.Fatalf("the admin's assign: %d", other.Status)
		}
		b.Submit(page+"/status", url.Values{"to": {store.RFQCancelled}, "reason": {"Clientul a renunțat."}, "version": {stale}})
		if b.Status != http.StatusConflict {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Cererea a fost modificată între timp de altcineva.", "Clientul a renunțat.") // what was typed is kept
		if !strings.Contains(b.Page, `id="rfq-assignee">Radu Admin<`) {
			t.Fatal("the refused page is not the fresh state (the admin took the RFQ)")
		}
		d := e.rfqNow(t, rfq.ID)
		if d.Status != store.RFQInProgress {
			t.Fatalf("a stale cancel went through: %s", d.Status)
		}
		if b.Version() != itoa(d.Version) {
			t.Fatalf("the fresh page carries version %s, the RFQ is at %d", b.Version(), d.Version)
		}
	})

	t.Run("Cancel", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		move(t, b, store.RFQCancelled, "Clientul a comandat în altă parte.", "Anulată")
		b.Sees("Clientul a comandat în altă parte.", "Cererea este închisă")
		if strings.Contains(b.Page, `class="transition`) || strings.Contains(b.Page, `id="quote-link"`) {
			t.Fatal("a cancelled RFQ still offers actions")
		}
		sent := e.emailsFor(t, emails.TemplateRFQStatusChanged, rfq.ID)
		if len(sent) != 2 {
			t.Fatalf("%d customer emails", len(sent))
		}
		em, err := sent[1].Email()
		if err != nil {
			t.Fatal(err)
		}
		if c := em.(emails.RFQStatusChanged); c.Status != store.RFQCancelled || c.Reason == nil || *c.Reason != "Clientul a comandat în altă parte." {
			t.Fatalf("the cancel email: %+v", c)
		}
	})

	t.Run("ErrClosed", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		b.Submit(page+"/status", url.Values{"to": {store.RFQInProgress}, "version": {b.Version()}})
		if b.Status != http.StatusConflict {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Cererea este închisă: starea ei nu se mai schimbă.")
	})
}

func TestRFQAssign(t *testing.T) {
	e := newTestEnv(t)
	rfq := storetest.MustSubmitRFQ(t, e.DB, "g-assign", storetest.RFQInput())
	page := "/admin/rfq/" + rfq.ID
	assign := func(b *browser, userID string) {
		b.t.Helper()
		b.Get(page)
		b.Submit(page+"/assign", url.Values{"userId": {userID}, "version": {b.Version()}})
	}

	t.Run("MeSomeoneNobody", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		assign(b, "me")
		b.Sees("Responsabilul cererii este acum Ana Operator.")
		if a := e.rfqNow(t, rfq.ID).Assignee; a == nil || a.ID != e.Operator.ID {
			t.Fatalf("assignee %+v", a)
		}
		assign(b, e.Admin.ID)
		b.Sees("Responsabilul cererii este acum Radu Admin.")
		if !strings.Contains(b.Page, `<option value="`+e.Admin.ID+`" selected>`) {
			t.Fatal("the select does not show the assignee")
		}
		assign(b, "")
		b.Sees("Cererea nu mai are un responsabil.")
		if a := e.rfqNow(t, rfq.ID).Assignee; a != nil {
			t.Fatalf("assignee %+v", a)
		}
	})

	t.Run("ErrNotStaff", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		assign(b, store.NewID())
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Cererea poate fi atribuită doar unui operator sau administrator activ.")
		if a := e.rfqNow(t, rfq.ID).Assignee; a != nil {
			t.Fatalf("assignee %+v", a)
		}
	})

	t.Run("ErrStaleVersion", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		stale := b.Version()
		assign(b, "me")
		b.Submit(page+"/assign", url.Values{"userId": {e.Admin.ID}, "version": {stale}})
		if b.Status != http.StatusConflict {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Cererea a fost modificată între timp de altcineva.")
		if a := e.rfqNow(t, rfq.ID).Assignee; a == nil || a.ID != e.Operator.ID {
			t.Fatalf("a stale assign went through: %+v", a)
		}
	})
}

func TestRFQNotesAndMessages(t *testing.T) {
	e := newTestEnv(t)
	rfq := storetest.MustSubmitRFQ(t, e.DB, "g-talk", storetest.RFQInput())
	page := "/admin/rfq/" + rfq.ID

	t.Run("Note", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		b.Submit(page+"/notes", url.Values{"text": {"Sună-l mâine dimineață.\nA doua linie."}})
		if b.Status != http.StatusOK || b.At != page {
			t.Fatalf("%d at %s", b.Status, b.At)
		}
		b.Sees("Nota a fost adăugată.", "Ana Operator")
		if !strings.Contains(b.Page, "Sună-l mâine dimineață.\nA doua linie.") {
			t.Fatal("the note lost its lines")
		}
		if n := e.rfqNow(t, rfq.ID).Notes; len(n) != 1 {
			t.Fatalf("%d notes", len(n))
		}
	})

	t.Run("ErrEmptyNote", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		b.Submit(page+"/notes", url.Values{"text": {"   "}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Scrie un text.")
		if n := e.rfqNow(t, rfq.ID).Notes; len(n) != 1 {
			t.Fatalf("%d notes", len(n))
		}
	})

	t.Run("ErrTooLongMessageKeepsTheText", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		long := strings.Repeat("ș", store.MaxRFQTextLen) + "!"
		b.Get(page)
		b.Submit(page+"/messages", url.Values{"text": {long}})
		if b.Status != http.StatusBadRequest {
			t.Fatalf("status %d", b.Status)
		}
		b.Sees("Textul poate avea cel mult 4000 de caractere.", long)
		if m := e.rfqNow(t, rfq.ID).Messages; len(m) != 0 {
			t.Fatalf("%d messages", len(m))
		}
		if sent := e.emailsFor(t, emails.TemplateRFQMessage, rfq.ID); len(sent) != 0 {
			t.Fatal("a refused message was emailed")
		}
	})

	t.Run("ErrTooManyMessages", func(t *testing.T) {
		other := storetest.MustSubmitRFQ(t, e.DB, "g-talk-2", storetest.RFQInput())
		staff := store.WithActor(context.Background(), store.Actor{UserID: e.Admin.ID, Label: e.Admin.Email})
		for range store.MaxRFQMessagesPerHour {
			if _, err := e.DB.AddStaffRFQMessage(staff, other.ID, "Revenim."); err != nil {
				t.Fatal(err)
			}
		}
		b := e.signIn(t, e.Operator)
		b.Get("/admin/rfq/" + other.ID)
		b.Submit("/admin/rfq/"+other.ID+"/messages", url.Values{"text": {"Încă unul."}})
		if b.Status != http.StatusTooManyRequests || b.Header.Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q", b.Status, b.Header.Get("Retry-After"))
		}
		b.Sees("S-au trimis deja 20 de mesaje despre această cerere în ultima oră.")
		if !strings.Contains(b.Page, `aria-invalid="true">Încă unul.</textarea>`) {
			t.Fatal("the refused message is not kept in its field")
		}
		if m := e.rfqNow(t, other.ID).Messages; len(m) != store.MaxRFQMessagesPerHour {
			t.Fatalf("%d messages", len(m))
		}
	})

	t.Run("Message", func(t *testing.T) {
		b := e.signIn(t, e.Operator)
		b.Get(page)
		b.Submit(page+"/messages", url.Values{"text": {"Bună ziua, putem livra și vopsit."}})
		if b.Status != http.StatusOK || b.At != page {
			t.Fatalf("%d at %s", b.Status, b.At)
		}
		b.Sees("Mesajul a fost trimis; clientul îl primește pe e-mail.", "Bună ziua, putem livra și vopsit.")
		sent := e.emailsFor(t, emails.TemplateRFQMessage, rfq.ID)
		if len(sent) != 1 || sent[0].To != "ana@example.ro" {
			t.Fatalf("customer emails: %+v", sent)
		}
		em, err := sent[0].Email()
		if err != nil {
			t.Fatal(err)
		}
		if m := em.(emails.RFQMessage); m.Text != "Bună ziua, putem livra și vopsit." || m.Author != "Ana Operator" {
			t.Fatalf("the email: %+v", m)
		}
	})
}
