package apphttp

import (
	"net/http"

	"github.com/metalpro/backend/store"
)

// handleListAudit serves GET /api/admin/audit (ADMIN): the audit log, newest first,
// filtered by entity, entityId and actor (a user id).
func (s *Server) handleListAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &store.Validator{}
	page, limit := parsePage(v, q, maxListPage)
	f := store.AuditFilter{Page: page, Limit: limit}
	f.Entity = v.Text("entity", q.Get("entity"), 0, 40, "Entitate prea lungă.", "Entity too long.")
	f.EntityID = v.Text("entityId", q.Get("entityId"), 0, 100, "Identificator prea lung.", "Id too long.")
	f.ActorID = v.Text("actor", q.Get("actor"), 0, 100, "Identificator prea lung.", "Id too long.")
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	entries, total, err := s.db.FindAudit(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Entries    []store.AuditEntry `json:"entries"`
		Pagination pagination         `json:"pagination"`
	}{entries, newPagination(page, limit, total)})
}
