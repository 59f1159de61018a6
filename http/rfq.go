package apphttp

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// rfqRequest is POST /api/rfq. The items are the caller's cart, never the body.
type rfqRequest struct {
	CompanyName     string            `json:"companyName"`
	CUI             *string           `json:"cui"`
	ContactPerson   string            `json:"contactPerson"`
	Email           string            `json:"email"`
	Phone           string            `json:"phone"`
	BillingAddress  *store.RFQAddress `json:"billingAddress"`
	DeliveryAddress *store.RFQAddress `json:"deliveryAddress"`
	Incoterm        *string           `json:"incoterm"`
	DeliveryDate    *string           `json:"deliveryDate"`
	Notes           *string           `json:"notes"`
	AttachmentIDs   []string          `json:"attachmentIds"`
	HCaptchaToken   string            `json:"hcaptchaToken,omitempty"`
}

func rfqString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// checkGuestCaptcha is the bot check on guest submissions (signed-in customers proved
// themselves at login): hCaptcha when HCAPTCHA_SECRET is set, nothing otherwise.
func (s *Server) checkGuestCaptcha(r *http.Request, token string) error {
	if userFrom(r.Context()) != nil {
		return nil
	}
	return s.checkCaptcha(r, token)
}

var errRFQRateLimited = store.Text{
	RO: "Prea multe cereri de ofertă. Te rugăm să încerci mai târziu.",
	EN: "Too many quote requests. Please try again later.",
}

// handleSubmitRFQ turns the caller's cart into an RFQ: POST /api/rfq. Order matters: the
// store's pre-check (an answer already given for the Idempotency-Key, the form, the cart)
// comes before the rate limit and the captcha, so neither a retry nor a typo or an empty
// cart uses up the visitor's submissions or costs them another captcha puzzle (its token
// is single-use). Then the one submit transaction.
func (s *Server) handleSubmitRFQ(w http.ResponseWriter, r *http.Request) {
	var req rfqRequest
	if err := s.readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sub := store.RFQSubmission{
		Input: store.RFQInput{
			CompanyName:     req.CompanyName,
			CUI:             rfqString(req.CUI),
			ContactPerson:   req.ContactPerson,
			Email:           req.Email,
			Phone:           req.Phone,
			BillingAddress:  req.BillingAddress,
			DeliveryAddress: req.DeliveryAddress,
			Incoterm:        rfqString(req.Incoterm),
			DeliveryDate:    rfqString(req.DeliveryDate),
			Notes:           rfqString(req.Notes),
			AttachmentIDs:   req.AttachmentIDs,
		},
		Lang:          lang(r),
		OperatorEmail: s.cfg.OperatorEmail,
		Respond:       respondRFQCreated,
	}
	owner, hasOwner := s.cartOwner(r) // no session: no cart, which the pre-check reports
	if hasOwner {
		sub.Owner = owner
	}
	if key := r.Header.Get("Idempotency-Key"); key != "" {
		if !validIdempotencyKey(key) {
			v := &store.Validator{}
			v.Add("Idempotency-Key", "Antetul Idempotency-Key trebuie să aibă 1–255 de caractere ASCII vizibile.",
				"The Idempotency-Key header must be 1–255 visible ASCII characters.")
			s.writeError(w, r, v.Err())
			return
		}
		if hasOwner {
			sub.Idempotency = &store.Idempotency{Scope: idempotencyScope(owner), Key: key, RequestHash: hashRFQRequest(req)}
		}
	}

	checked, err := s.db.CheckRFQ(r.Context(), sub)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if checked.Replay != nil {
		writeStored(w, checked.Replay, true)
		return
	}
	if ok, retry := s.limits.rfq.Allow(clientIPFrom(r.Context()), time.Now()); !ok {
		s.writeError(w, r, errRateLimited(retry, errRFQRateLimited.RO, errRFQRateLimited.EN))
		return
	}
	if err := s.checkGuestCaptcha(r, req.HCaptchaToken); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.db.SubmitRFQ(r.Context(), checked)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !res.Replayed {
		w.Header().Set("Location", "/api/rfq/"+res.RFQ.ID)
	}
	writeStored(w, &res.Response, res.Replayed)
}

// respondRFQCreated is the answer to a new RFQ: 201 and the RFQ, encoded as writeJSON
// does. The store keeps these bytes with the Idempotency-Key, for retries.
func respondRFQCreated(rfq *store.RFQ) (store.StoredResponse, error) {
	body, err := encodeJSON(rfq)
	return store.StoredResponse{Status: http.StatusCreated, Body: body}, err
}

// writeStored writes a stored answer byte for byte, so a replay is identical to the first.
func writeStored(w http.ResponseWriter, resp *store.StoredResponse, replayed bool) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

func idempotencyScope(o store.CartOwner) string {
	if o.UserID != "" {
		return "user:" + o.UserID
	}
	return "guest:" + o.GuestID
}

// hashRFQRequest digests the decoded body (so whitespace and key order do not matter),
// without the captcha token, which a retry may legitimately renew.
func hashRFQRequest(req rfqRequest) string {
	req.HCaptchaToken = ""
	b, _ := json.Marshal(req)
	return store.HashRequest(b)
}

// handleGetRFQ shows an RFQ to its owner: its user, the guest session that sent it, or
// whoever holds the tracking link's token. Everyone else gets 404.
func (s *Server) handleGetRFQ(w http.ResponseWriter, r *http.Request) {
	rfq, err := s.db.RFQForViewer(r.Context(), mux.Vars(r)["id"], s.rfqViewer(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out, err := s.customerRFQ(r, rfq) // the sent quote (rfq_quote.go)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, out)
}

// handleAddCustomerRFQMessage serves POST /api/rfq/{id}/messages: the customer writes to
// sales about an RFQ they may see (the rules of GET /api/rfq/{id}); sales is emailed.
func (s *Server) handleAddCustomerRFQMessage(w http.ResponseWriter, r *http.Request) {
	serveJSON(s, w, r, http.StatusCreated, func(req *rfqTextRequest) (any, error) {
		return s.db.AddCustomerRFQMessage(r.Context(), mux.Vars(r)["id"], s.rfqViewer(r), req.Text, s.cfg.OperatorEmail)
	})
}

// rfqList is GET /api/rfq's envelope.
type rfqList struct {
	RFQs       []*store.RFQ `json:"rfqs"`
	Pagination pagination   `json:"pagination"`
}

// handleListRFQs lists the signed-in customer's RFQs, newest first: GET /api/rfq?status=.
func (s *Server) handleListRFQs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := &store.Validator{}
	page, limit := parsePage(v, q, maxListPage)
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.db.FindRFQs(r.Context(),
		store.RFQFilter{UserID: userFrom(r.Context()).ID, Status: q.Get("status"), Page: page, Limit: limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, rfqList{RFQs: list, Pagination: newPagination(page, limit, total)})
}
