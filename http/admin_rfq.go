package apphttp

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/files"
	"github.com/metalpro/backend/store"
)

// The back office's RFQ workflow (API.md "Back office"): the queue, one RFQ with its
// people, notes, conversation and history, status changes along the workflow table,
// assignment, internal notes and messages to the customer. Every change is audited by the
// store in its own transaction, under the actor requireStaff put on the request.

// adminRFQList is GET /api/admin/rfqs's envelope.
type adminRFQList struct {
	RFQs       []*store.AdminRFQ `json:"rfqs"`
	Pagination pagination        `json:"pagination"`
	Counts     map[string]int    `json:"counts"`
}

// handleListAdminRFQs serves the queue: GET /api/admin/rfqs?status=&q=&assignee=&from=&to=&sort=.
func (s *Server) handleListAdminRFQs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &store.Validator{}
	page, limit := parsePage(v, q, maxListPage)
	f := store.AdminRFQFilter{Page: page, Limit: limit, Status: q.Get("status"), Sort: q.Get("sort")}
	f.Q = v.Text("q", q.Get("q"), 0, 200, "Căutare prea lungă.", "Search too long.")
	f.Assignee = v.Text("assignee", q.Get("assignee"), 0, 100, "Identificator prea lung.", "Id too long.")
	f.From = queryDay(v, q.Get("from"), "from", false)
	f.To = queryDay(v, q.Get("to"), "to", true)
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.db.FindAdminRFQs(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, adminRFQList{RFQs: p.RFQs, Pagination: newPagination(page, limit, p.Total), Counts: p.Counts})
}

// queryDay reads a from/to filter: an RFC 3339 time, or a day (YYYY-MM-DD, Bucharest),
// which for "to" includes the whole day.
func queryDay(v *store.Validator, raw, field string, endOfDay bool) *time.Time {
	if raw = strings.TrimSpace(raw); raw == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return &t
	}
	day, err := time.ParseInLocation(time.DateOnly, raw, store.Bucharest)
	if err != nil {
		v.Add(field, "Folosește o dată AAAA-LL-ZZ sau RFC 3339.", "Use a YYYY-MM-DD date or RFC 3339 time.")
		return nil
	}
	if endOfDay {
		day = day.AddDate(0, 0, 1)
	}
	return &day
}

// adminAttachment is an RFQ attachment with a short-lived signed download link (nil when
// the file store cannot sign one now: the file is still reachable through /api/files/{id}).
type adminAttachment struct {
	store.RFQAttachment
	URL       *string    `json:"url"`
	ExpiresAt *time.Time `json:"expiresAt"`
}

// adminRFQDetail is GET /api/admin/rfqs/{id}: the detail with signed attachment links.
type adminRFQDetail struct {
	*store.AdminRFQDetail
	Attachments []adminAttachment `json:"attachments"`
}

// handleGetAdminRFQ serves GET /api/admin/rfqs/{id}. Its ETag is the RFQ's version, for
// If-Match on the next change.
func (s *Server) handleGetAdminRFQ(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.AdminRFQDetail(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := adminRFQDetail{AdminRFQDetail: d, Attachments: []adminAttachment{}}
	for _, a := range d.Attachments {
		out.Attachments = append(out.Attachments, s.signedAttachment(r, a))
	}
	w.Header().Set("ETag", versionETag(d.Version))
	writePrivateJSON(w, http.StatusOK, out)
}

func (s *Server) signedAttachment(r *http.Request, a store.RFQAttachment) adminAttachment {
	out := adminAttachment{RFQAttachment: a}
	if s.files.blobs == nil {
		return out
	}
	u, err := s.db.GetUpload(r.Context(), a.ID)
	if err != nil {
		return out
	}
	link, err := s.files.blobs.SignedURL(r.Context(), u.StorageKey, files.Download{
		ID: u.ID, FileName: u.FileName, MIME: u.MimeType, TTL: files.SignedURLTTL})
	if err != nil {
		s.logger.Warn("sign attachment link", "file_id", a.ID, "err", err)
		return out
	}
	exp := time.Now().Add(files.SignedURLTTL).UTC().Truncate(time.Second)
	out.URL, out.ExpiresAt = &link, &exp
	return out
}

func versionETag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// expectedVersion is the RFQ version a change was decided on: the If-Match header ("3",
// W/"3" or 3) when present, else the body's expectedVersion (0: none sent).
func expectedVersion(r *http.Request, fromBody *int) (int, error) {
	if h := strings.TrimSpace(r.Header.Get("If-Match")); h != "" {
		n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
		if err != nil || n < 1 {
			v := &store.Validator{}
			v.Add("If-Match", "Antetul If-Match trebuie să fie versiunea cererii (ETag).", "If-Match must be the request's version (its ETag).")
			return 0, v.Err()
		}
		return n, nil
	}
	if fromBody == nil {
		return 0, nil
	}
	return *fromBody, nil
}

type rfqStatusRequest struct {
	Status          string `json:"status"`
	Reason          string `json:"reason"`
	ExpectedVersion *int   `json:"expectedVersion"`
}

// handleChangeRFQStatus serves POST /api/admin/rfqs/{id}/status.
func (s *Server) handleChangeRFQStatus(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *rfqStatusRequest) (any, error) {
		version, err := expectedVersion(r, req.ExpectedVersion)
		if err != nil {
			return nil, err
		}
		a, err := s.db.ChangeRFQStatus(r.Context(), store.RFQStatusChange{RFQID: mux.Vars(r)["id"],
			Status: req.Status, Reason: req.Reason, ExpectedVersion: version})
		if err == nil {
			w.Header().Set("ETag", versionETag(a.Version))
		}
		return a, err
	})
}

type rfqAssignRequest struct {
	UserID          *string `json:"userId"` // null: nobody
	ExpectedVersion *int    `json:"expectedVersion"`
}

// handleAssignRFQ serves POST /api/admin/rfqs/{id}/assign.
func (s *Server) handleAssignRFQ(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusOK, func(req *rfqAssignRequest) (any, error) {
		version, err := expectedVersion(r, req.ExpectedVersion)
		if err != nil {
			return nil, err
		}
		var userID string
		if req.UserID != nil {
			if userID = strings.TrimSpace(*req.UserID); userID == "" {
				v := &store.Validator{}
				v.Add("userId", "Alege un membru al echipei, sau null pentru nimeni.", "Choose a staff member, or null for nobody.")
				return nil, v.Err()
			}
		}
		a, err := s.db.AssignRFQ(r.Context(), mux.Vars(r)["id"], userID, version)
		if err == nil {
			w.Header().Set("ETag", versionETag(a.Version))
		}
		return a, err
	})
}

type rfqTextRequest struct {
	Text string `json:"text"`
}

// handleAddRFQNote serves POST /api/admin/rfqs/{id}/notes: an internal note.
func (s *Server) handleAddRFQNote(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusCreated, func(req *rfqTextRequest) (any, error) {
		return s.db.AddRFQNote(r.Context(), mux.Vars(r)["id"], req.Text)
	})
}

// handleAddStaffRFQMessage serves POST /api/admin/rfqs/{id}/messages: a message the
// customer sees and is emailed.
func (s *Server) handleAddStaffRFQMessage(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusCreated, func(req *rfqTextRequest) (any, error) {
		return s.db.AddStaffRFQMessage(r.Context(), mux.Vars(r)["id"], req.Text)
	})
}
