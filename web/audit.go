package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// The audit log (ADMIN): who changed what and when, newest first, filtered by entity,
// entity id and actor, each change shown as the fields it changed.

const auditPageSize = 50

// auditEntities are the entities the store audits (the filter's choices).
var auditEntities = []string{"rfq", "product", "catalog", "category", "user"}

type auditFilter struct {
	Entity, EntityID, Actor string
}

// Link is the log's URL with this filter at page.
func (f auditFilter) Link(page int) string {
	q := url.Values{}
	for k, v := range map[string]string{"entity": f.Entity, "entityId": f.EntityID, "actor": f.Actor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return Prefix + "/audit"
	}
	return Prefix + "/audit?" + q.Encode()
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	store.AuditEntry
	Label string // the entity as a person names it: an RFQ's reference, a product's SKU
	Link  string // the entity's page, if it has one
	Diff  auditDiff
}

type auditView struct {
	Filter   auditFilter
	Entities []string
	Staff    []store.StaffAccount
	Rows     []auditRow
	Total    int
	Page     int
	Pages    int
	Error    string
}

// handleAudit serves GET /admin/audit.
func (h *Handler) handleAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := auditFilter{Entity: q.Get("entity"), EntityID: strings.TrimSpace(q.Get("entityId")), Actor: q.Get("actor")}
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 1), 100_000)
	view := auditView{Filter: f, Entities: auditEntities, Page: page}
	p := h.newPage(w, r, "audit", "audit.title", nil)
	v := &store.Validator{}
	if f.Entity != "" && !slices.Contains(auditEntities, f.Entity) {
		v.Add("entity", "Alege o entitate din listă.", "Choose an entity from the list.")
	}
	v.Text("entityId", f.EntityID, 0, 100, "Identificatorul are cel mult 100 de caractere.", "The id has at most 100 characters.")
	v.Text("actor", f.Actor, 0, 100, "Identificatorul are cel mult 100 de caractere.", "The id has at most 100 characters.")
	var err error
	if view.Staff, err = h.db.ListStaff(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	status := http.StatusOK
	if err := v.Err(); err != nil {
		status, view.Error = http.StatusBadRequest, invalidText(err, p.Lang)
	} else {
		entries, total, err := h.db.FindAudit(r.Context(), store.AuditFilter{Entity: f.Entity, EntityID: f.EntityID,
			ActorID: f.Actor, Page: page, Limit: auditPageSize})
		if err != nil {
			h.renderError(w, r, err)
			return
		}
		if view.Rows, err = h.auditRows(r, entries); err != nil {
			h.serverError(w, r, err)
			return
		}
		view.Total, view.Pages = total, (total+auditPageSize-1)/auditPageSize
	}
	p.Data = view
	h.render(w, r, status, "audit", p)
}

// auditRows names each entry's entity and reads its change; the RFQs' references come in
// one query for the whole page.
func (h *Handler) auditRows(r *http.Request, entries []store.AuditEntry) ([]auditRow, error) {
	var rfqIDs []string
	for _, e := range entries {
		if e.Entity == "rfq" {
			rfqIDs = append(rfqIDs, e.EntityID)
		}
	}
	refs, err := h.db.RFQReferences(r.Context(), rfqIDs)
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		row := auditRow{AuditEntry: e, Label: e.EntityID, Diff: diffJSON(e.Before, e.After)}
		switch e.Entity {
		case "rfq":
			row.Link = Prefix + "/rfq/" + url.PathEscape(e.EntityID)
			if ref, ok := refs[e.EntityID]; ok {
				row.Label = ref
			}
		case "product":
			row.Link = Prefix + "/catalog/products/" + url.PathEscape(e.EntityID)
			if sku := cmp.Or(jsonString(e.After, "sku"), jsonString(e.Before, "sku")); sku != "" {
				row.Label = sku
			}
		case "catalog":
			row.Label = ""
		}
		rows[i] = row
	}
	return rows, nil
}

// jsonString is a top-level string field of an audit state, or "".
func jsonString(raw json.RawMessage, key string) string {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	s, _ := m[key].(string)
	return s
}

// ActionLabel is an audit action as a person reads it ("product.update": "Produs
// modificat"); an action without a text shows as it is stored.
func (p *page) ActionLabel(action string) string {
	key := "audit.action." + action
	if _, ok := messages[key]; !ok {
		return action
	}
	return translate(p.Lang, key)
}
