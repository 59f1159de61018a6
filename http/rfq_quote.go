package apphttp

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// The customer's side of a quote: reading it on GET /api/rfq/{id}, accepting or declining it.

// rfqWithQuote is GET /api/rfq/{id}: the RFQ, with the sent quote's last valid day and the
// conversation with sales (internal notes are never part of the customer's view).
type rfqWithQuote struct {
	*store.RFQ
	Messages []store.RFQMessage `json:"messages"`
	// QuoteValidUntil is the last day the sent quote can be accepted (YYYY-MM-DD); nil
	// before a quote is sent.
	QuoteValidUntil *string `json:"quoteValidUntil"`
}

// customerRFQ dresses an RFQ for its owner: the quote PDF as a short-lived signed link
// and the quote's validity.
func (s *Server) customerRFQ(r *http.Request, rfq *store.RFQ) (*rfqWithQuote, error) {
	msgs, err := s.db.RFQMessages(r.Context(), rfq.ID)
	if err != nil {
		return nil, err
	}
	out := &rfqWithQuote{RFQ: rfq, Messages: msgs}
	if rfq.QuotedAt == nil {
		return out, nil
	}
	if err := s.signQuoteLink(r.Context(), rfq); err != nil {
		return nil, err
	}
	q, err := s.db.LastSentQuote(r.Context(), rfq.ID)
	if err != nil {
		return nil, err
	}
	if q != nil {
		out.QuoteValidUntil = &q.ValidUntil
	}
	return out, nil
}

// rfqViewer is who asks for an RFQ on a customer route: the user, the guest session, or
// the tracking link's token.
func (s *Server) rfqViewer(r *http.Request) store.RFQViewer {
	v := store.RFQViewer{GuestID: s.guestID(r), Token: r.URL.Query().Get("token")}
	if u := userFrom(r.Context()); u != nil {
		v.UserID = u.ID
	}
	return v
}

// declineRequest is POST /api/rfq/{id}/decline.
type declineRequest struct {
	Reason *string `json:"reason"`
}

// handleAcceptQuote accepts the RFQ's sent, unexpired quote: POST /api/rfq/{id}/accept.
func (s *Server) handleAcceptQuote(w http.ResponseWriter, r *http.Request) {
	s.answerQuote(w, r, store.QuoteAnswer{Accept: true})
}

// handleDeclineQuote declines it: POST /api/rfq/{id}/decline {reason?}.
func (s *Server) handleDeclineQuote(w http.ResponseWriter, r *http.Request) {
	var req declineRequest
	if r.ContentLength != 0 {
		if err := s.readJSON(w, r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	s.answerQuote(w, r, store.QuoteAnswer{Reason: rfqString(req.Reason)})
}

func (s *Server) answerQuote(w http.ResponseWriter, r *http.Request, a store.QuoteAnswer) {
	a.RFQID, a.Viewer, a.OperatorEmail = mux.Vars(r)["id"], s.rfqViewer(r), s.cfg.OperatorEmail
	ctx := store.WithActor(r.Context(), store.Actor{Label: "customer", RequestID: requestID(r.Context())})
	rfq, err := s.db.AnswerQuote(ctx, a)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out, err := s.customerRFQ(r, rfq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writePrivateJSON(w, http.StatusOK, out)
}
