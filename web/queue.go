package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/metalpro/backend/store"
)

// The RFQ queue: what waits, oldest first, with a tab per status and who is on each RFQ.

const queuePageSize = 50

type queueView struct {
	Filter    queueFilter
	RFQs      []*store.AdminRFQ
	Total     int
	Counts    map[string]int
	AllCount  int // every status
	OpenCount int // the default tab: neither completed nor cancelled
	Statuses  []string
	Page      int
	Pages     int
	Staff     []store.StaffAccount
	Error     string
}

// queueFilter is the queue's form, as typed (the page shows it back).
type queueFilter struct {
	Status, Q, Assignee, From, To, Sort string
}

// link is the queue's URL with this filter and page (tabs and pagination).
func (f queueFilter) Link(status string, page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"status": status, "q": f.Q, "assignee": f.Assignee, "from": f.From, "to": f.To, "sort": f.Sort} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return Prefix + "/rfqs"
	}
	return Prefix + "/rfqs?" + q.Encode()
}

// handleQueue serves GET /admin/rfqs (and /admin).
func (h *Handler) handleQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	me := staffFrom(r.Context())
	f := queueFilter{Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Assignee: q.Get("assignee"),
		From: q.Get("from"), To: q.Get("to"), Sort: q.Get("sort")}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	sf := store.AdminRFQFilter{Status: f.Status, Q: f.Q, Sort: f.Sort, Page: page, Limit: queuePageSize}
	switch f.Status {
	case "": // the default tab: what still waits for us
		sf.Open = true
	case "all":
		sf.Status = ""
	}
	switch f.Assignee {
	case "me":
		sf.Assignee = me.ID
	default:
		sf.Assignee = f.Assignee
	}
	v := &store.Validator{}
	sf.From = day(v, f.From, "from", false)
	sf.To = day(v, f.To, "to", true)
	p := h.newPage(w, r, "queue", "queue.title", nil)
	view := queueView{Filter: f, Statuses: store.RFQStatuses, Page: page, Counts: map[string]int{}}
	err := v.Err()
	var res *store.AdminRFQPage
	if err == nil {
		res, err = h.db.FindAdminRFQs(r.Context(), sf)
	}
	if err != nil && store.ErrorCode(err) != store.ECodeInvalid {
		h.renderError(w, r, err)
		return
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusBadRequest
		view.Error = invalidText(err, p.Lang)
	} else {
		view.RFQs, view.Total, view.Counts = res.RFQs, res.Total, res.Counts
		for s, n := range res.Counts {
			view.AllCount += n
			if store.IsOpenRFQ(s) {
				view.OpenCount += n
			}
		}
		view.Pages = (res.Total + queuePageSize - 1) / queuePageSize
	}
	if view.Staff, err = h.db.ListStaff(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	p.Data = view
	h.render(w, r, status, "queue", p)
}

// day reads a date filter (YYYY-MM-DD, Bucharest); "to" includes the whole day.
func day(v *store.Validator, raw, field string, endOfDay bool) *time.Time {
	if raw = strings.TrimSpace(raw); raw == "" {
		return nil
	}
	t, err := time.ParseInLocation(time.DateOnly, raw, store.Bucharest)
	if err != nil {
		v.Add(field, "Folosește o dată AAAA-LL-ZZ.", "Use a YYYY-MM-DD date.")
		return nil
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1)
	}
	return &t
}

// invalidText joins a validation error's field messages into one line for a form.
func invalidText(err error, lang string) string {
	se, ok := err.(*store.Error)
	if !ok {
		return translate(lang, "error.internal")
	}
	parts := []string{}
	for _, f := range se.Fields {
		parts = append(parts, f.Message.In(lang))
	}
	if len(parts) == 0 {
		return se.Message.In(lang)
	}
	return strings.Join(parts, " ")
}
