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
	store.ECodeInvalid:     http.StatusBadRequest,
	store.ECodeUnauth:      http.StatusUnauthorized,
	store.ECodeForbidden:   http.StatusForbidden,
	store.ECodeNotFound:    http.StatusNotFound,
	store.ECodeConflict:    http.StatusConflict,
	store.ECodeTooLarge:    http.StatusRequestEntityTooLarge,
	store.ECodeUnsupported: http.StatusUnsupportedMediaType,
	store.ECodeRateLimited: http.StatusTooManyRequests,
	store.ECodeUnavailable: http.StatusServiceUnavailable,
	store.ECodeInternal:    http.StatusInternalServerError,
}

// errorBody is the error shape of API.md.
type errorBody struct {
	Error   string        `json:"error"`
	Code    string        `json:"code"`
	Details []errorDetail `json:"details,omitempty"`
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

// notFound answers 404 for unknown routes, in the error shape.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.writeError(w, r, store.Errorf(store.ECodeNotFound, "Resursa cerută nu există.", "The requested resource does not exist."))
}

// methodNotAllowed answers 405 in the error shape.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusMethodNotAllowed, errorBody{
		Error: store.Text{RO: "Metoda nu este permisă pentru această resursă.", EN: "Method not allowed for this resource."}.In(lang(r)),
		Code:  "method_not_allowed",
	})
}
