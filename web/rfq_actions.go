package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// The RFQ page's forms. Each names the RFQ version the person decided on (a hidden field),
// so a change someone else made meanwhile is refused instead of silently overwritten.
// Success is a redirect to the RFQ page with a one-time message (POST → redirect → GET).

// formVersion reads the hidden version field; 0 (missing or garbled) makes the store
// refuse the change as invalid rather than skip the check.
func formVersion(r *http.Request) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("version")))
	if err != nil || n < 1 {
		return 0
	}
	return n
}

var errCancelNeedsReason = func() error {
	v := &store.Validator{}
	v.Add("reason", "Scrie motivul anulării: clientul îl primește pe e-mail.",
		"Write why the request is cancelled: the customer gets it by email.")
	return v.Err()
}()

// handleRFQStatus serves POST /admin/rfq/{id}/status: to, reason, version.
func (h *Handler) handleRFQStatus(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	form := rfqForm{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason")}
	setReason := func(f *rfqForm) map[string]*string { return map[string]*string{"reason": &f.ReasonError} }
	// The back office asks for a reason to cancel (the API leaves it optional): the
	// customer's email says why, and "anulată" alone helps nobody.
	if form.To == store.RFQCancelled && strings.TrimSpace(form.Reason) == "" {
		h.refused(w, r, errCancelNeedsReason, form, setReason)
		return
	}
	a, err := h.db.ChangeRFQStatus(r.Context(), store.RFQStatusChange{RFQID: id, Status: form.To,
		Reason: form.Reason, ExpectedVersion: formVersion(r)})
	if err != nil {
		h.refused(w, r, err, form, setReason)
		return
	}
	h.setFlash(r, inBoth(func(lang string) string {
		return translate(lang, "rfq.flash.status", a.ReferenceNumber, translate(lang, "status."+a.Status))
	}))
	http.Redirect(w, r, rfqPath(a.ID), http.StatusSeeOther)
}

// handleRFQAssign serves POST /admin/rfq/{id}/assign: userId ("me", "" for nobody, or a
// staff member's id) and version.
func (h *Handler) handleRFQAssign(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	userID := strings.TrimSpace(r.PostFormValue("userId"))
	if userID == "me" {
		userID = staffFrom(r.Context()).ID
	}
	a, err := h.db.AssignRFQ(r.Context(), id, userID, formVersion(r))
	if err != nil {
		h.refused(w, r, err, rfqForm{}, func(f *rfqForm) map[string]*string { return map[string]*string{"userId": &f.AssignError} })
		return
	}
	flash := textOf("rfq.flash.unassigned")
	if a.Assignee != nil {
		flash = textOf("rfq.flash.assigned", a.Assignee.Name)
	}
	h.setFlash(r, flash)
	http.Redirect(w, r, rfqPath(a.ID), http.StatusSeeOther)
}

// handleRFQNote serves POST /admin/rfq/{id}/notes: an internal note (text).
func (h *Handler) handleRFQNote(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	text := r.PostFormValue("text")
	if _, err := h.db.AddRFQNote(r.Context(), id, text); err != nil {
		h.refused(w, r, err, rfqForm{Note: text}, func(f *rfqForm) map[string]*string { return map[string]*string{"text": &f.NoteError} })
		return
	}
	h.setFlash(r, textOf("rfq.flash.note"))
	http.Redirect(w, r, rfqPath(id)+"#notes", http.StatusSeeOther)
}

// handleRFQMessage serves POST /admin/rfq/{id}/messages: a message to the customer (text),
// who is emailed.
func (h *Handler) handleRFQMessage(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	text := r.PostFormValue("text")
	if _, err := h.db.AddStaffRFQMessage(r.Context(), id, text); err != nil {
		h.refused(w, r, err, rfqForm{Message: text}, func(f *rfqForm) map[string]*string {
			return map[string]*string{"text": &f.MessageError, "": &f.MessageError} // "": too many messages
		})
		return
	}
	h.setFlash(r, textOf("rfq.flash.message"))
	http.Redirect(w, r, rfqPath(id)+"#messages", http.StatusSeeOther)
}

// textOf is a page text in both languages, for a one-time message (setFlash picks one).
func textOf(key string, args ...any) store.Text {
	return inBoth(func(lang string) string { return translate(lang, key, args...) })
}

// inBoth builds a text from a function of the language.
func inBoth(f func(lang string) string) store.Text { return store.Text{RO: f("ro"), EN: f("en")} }
