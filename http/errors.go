package apphttp

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/metalpro/backend/store"
)

// statusByCode is the one table from store error codes to HTTP statuses.
var statusByCode = map[string]int{
	store.ECodeInvalid:   http.StatusBadRequest,
	store.ECodeUnauth:    http.StatusUnauthorized,
	store.ECodeForbidden: http.StatusForbidden,
	store.ECodeNotFound:  http.StatusNotFound,
	store.ECodeConflict:  http.StatusConflict,
	// The RFQ workflow: a status change the table refuses, or one made on a stale version.
	store.ECodeInvalidTransition: http.StatusConflict,
	store.ECodeVersionConflict:   http.StatusConflict,
	// 409, not 413: the request is acceptable in itself (413 stays for a body over its own
	// cap); it conflicts with what the account already keeps, and deleting something fixes it.
	store.ECodeQuotaExceeded: http.StatusConflict,
	store.ECodeTooLarge:      http.StatusRequestEntityTooLarge,
	store.ECodeUnsupported:   http.StatusUnsupportedMediaType,
	store.ECodeRateLimited:   http.StatusTooManyRequests,
	store.ECodeUnavailable:   http.StatusServiceUnavailable,
	store.ECodeStorageFull:   http.StatusServiceUnavailable,
	store.ECodeGuestBudget:   http.StatusServiceUnavailable,
	store.ECodeInternal:      http.StatusInternalServerError,
}

// errorBody is the error shape of API.md.
type errorBody struct {
	Error   string        `json:"error"`
	Code    string        `json:"code"`
	Details []errorDetail `json:"details,omitempty"`
	// Allowed is only on invalid_transition: the statuses the RFQ may move to.
	Allowed *[]string `json:"allowed,omitempty"` // a pointer: [] for a final status, absent elsewhere
}

type errorDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var errInternal = store.Errorf(store.ECodeInternal,
	"A apărut o eroare neașteptată. Te rugăm să încerci din nou.",
	"Something went wrong on our side. Please try again.")

// writeError answers with err in the error shape. Anything that is not a *store.Error is
// logged with the request id and reaches the client as a generic internal error.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	err = store.Classify(err) // a locked or full database from outside store.Write (sessions)
	var e *store.Error
	if !errors.As(err, &e) || e.Code == store.ECodeInternal {
		if e != errInternal {
			s.logger.Error("internal error", "err", err, "request_id", requestID(r.Context()),
				"method", r.Method, "path", r.URL.Path)
			if s.report != nil {
				s.report(r, err)
			}
		}
		e = errInternal
	}
	status, ok := statusByCode[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if e.Code == store.ECodeRateLimited || e.RetryAfter > 0 {
		secs := int(math.Ceil(e.RetryAfter.Seconds()))
		if secs < 1 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	l := lang(r)
	body := errorBody{Error: e.Message.In(l), Code: e.Code}
	if e.Code == store.ECodeInvalidTransition {
		allowed := append([]string{}, e.Allowed...)
		body.Allowed = &allowed
	}
	for _, f := range e.Fields {
		body.Details = append(body.Details, errorDetail{Field: f.Field, Message: f.Message.In(l)})
	}
	writeJSON(w, status, body)
}

// lang is the language the client asked for: "en" when English is preferred over
// Romanian in Accept-Language, "ro" otherwise.
func lang(r *http.Request) string {
	best, bestQ := "ro", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		var l string
		switch {
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			l = "en"
		case tag == "ro" || strings.HasPrefix(tag, "ro-"):
			l = "ro"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// notFound answers 404 for unknown routes, in the error shape, and 405 for a known path
// asked with the wrong method: gorilla/mux reports those as not found inside a subrouter
// (its path-prefix matcher clears the method mismatch), so the router is asked again.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if len(s.allowedMethods(r)) > 0 {
		s.methodNotAllowed(w, r)
		return
	}
	s.writeError(w, r, errNoSuchResource)
}
