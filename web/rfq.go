package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// The RFQ page: everything about one request (customer, items, files, history, notes, the
// conversation, quote versions) and a form for each thing staff can do to it. Every form
// posts back here (rfq_actions.go) and, done, redirects to this page with a one-time
// message; refused, it shows this page again with the reason beside the field.

// rfqPath is the RFQ page's URL (the operator emails link BACKOFFICE_URL/rfq/{id}).
func rfqPath(id string) string { return Prefix + "/rfq/" + id }

// handleRFQ serves GET /admin/rfq/{id}.
func (h *Handler) handleRFQ(w http.ResponseWriter, r *http.Request) {
	h.showRFQ(w, r, http.StatusOK, rfqForm{})
}

// showRFQ renders the RFQ as it is now with status, showing back what a refused form typed.
// A refused change never changed anything, so the fresh state is what the person must see.
func (h *Handler) showRFQ(w http.ResponseWriter, r *http.Request, status int, form rfqForm) {
	d, err := h.db.AdminRFQDetail(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		h.renderError(w, r, err)
		return
	}
	staff, err := h.db.ListStaff(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	view := newRFQView(d, staff)
	view.Form = form
	p := h.newPage(w, r, "queue", "rfq.title", view)
	p.Title = p.T("rfq.titleRef", d.ReferenceNumber)
	h.render(w, r, status, "rfq", p)
}

// refused shows the RFQ page again after a change the store refused: a validation error
// beside its field (400; fields maps the store's field names to the form's places, and
// the key "" takes an error that names no field, like too many messages), someone else's
// change or a move the workflow does not allow above the actions (409). Anything else is
// an error page.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error, form rfqForm, fields func(f *rfqForm) map[string]*string) {
	lang := langOf(r)
	var se *store.Error
	if !errors.As(err, &se) {
		h.serverError(w, r, err)
		return
	}
	places := map[string]*string{}
	if fields != nil {
		places = fields(&form)
	}
	put := func(field, msg string) {
		dst, ok := places[field]
		if !ok {
			dst = &form.Error
		}
		if *dst != "" {
			*dst += " "
		}
		*dst += msg
	}
	switch se.Code {
	case store.ECodeInvalid:
		for _, f := range se.Fields {
			put(f.Field, f.Message.In(lang))
		}
		if len(se.Fields) == 0 {
			put("", se.Message.In(lang))
		}
	case store.ECodeRateLimited:
		put("", se.Message.In(lang))
		if se.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(se.RetryAfter.Seconds()))))
		}
	case store.ECodeVersionConflict, store.ECodeConflict:
		form.Error = se.Message.In(lang)
	case store.ECodeInvalidTransition:
		form.Error = se.Message.In(lang)
		form.Allowed = se.Allowed // none: the page says the RFQ is closed
	default:
		h.renderError(w, r, err)
		return
	}
	h.showRFQ(w, r, statusOf(err), form)
}
