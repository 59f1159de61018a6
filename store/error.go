package store

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The http package maps each to one status; anything that is not an *Error is
// internal.
const (
	ECodeInvalid   = "invalid"
	ECodeUnauth    = "unauthorized"
	ECodeForbidden = "forbidden"
	ECodeNotFound  = "not_found"
	ECodeConflict  = "conflict"
	// ECodeInvalidTransition: the RFQ workflow does not allow that status change; the
	// error's Allowed lists the statuses it may move to (409).
	ECodeInvalidTransition = "invalid_transition"
	// ECodeVersionConflict: someone else changed the thing since the caller read it (409).
	ECodeVersionConflict = "version_conflict"
	// ECodeQuotaExceeded: the request is fine in itself but the account already keeps as
	// much of that kind as it may (quota.go); deleting something makes room.
	ECodeQuotaExceeded = "quota_exceeded"
	ECodeTooLarge      = "too_large"
	ECodeUnsupported   = "unsupported_media_type"
	ECodeRateLimited   = "rate_limited"
	ECodeUnavailable   = "unavailable"
	ECodeStorageFull   = "storage_full"
	// ECodeGuestBudget: the budget of new guest carts per minute is spent (503 with
	// Retry-After); guests with a cart and signed-in customers are not affected.
	ECodeGuestBudget = "guest_budget"
	ECodeInternal    = "internal"
)

// Text is a message for people, in Romanian and English.
type Text struct {
	RO string
	EN string
}

// In returns the text in lang ("en" or anything else for Romanian).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.RO
}

// FieldError is one invalid input field.
type FieldError struct {
	Field   string
	Message Text
}

// Error is the application's one error type: a code the API maps to a status and a
// message a person can read.
type Error struct {
	Code       string
	Message    Text
	Fields     []FieldError
	RetryAfter time.Duration // for rate_limited and unavailable: when to try again (Retry-After)
	Allowed    []string      // for invalid_transition: the statuses that are allowed
	Err        error         // the cause, for logs only
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message.EN
	if e.Message.EN == "" {
		s = e.Code + ": " + e.Message.RO
	}
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s: %s", f.Field, f.Message.EN)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a Romanian and an English message.
func Errorf(code, ro, en string) *Error {
	return &Error{Code: code, Message: Text{RO: ro, EN: en}}
}

// ErrorCode returns err's code: "" for nil, "internal" for anything that is not an *Error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ECodeInternal
}

// ErrNotFound is the generic not-found error for a named thing.
func ErrNotFound(ro, en string) *Error { return Errorf(ECodeNotFound, ro, en) }

// Validator collects per-field errors so a request learns all its mistakes at once.
type Validator struct {
	fields []FieldError
}

// Check records an error for field when ok is false.
func (v *Validator) Check(ok bool, field, ro, en string) {
	if !ok {
		v.Add(field, ro, en)
	}
}

// Add records an error for field.
func (v *Validator) Add(field, ro, en string) {
	for _, f := range v.fields {
		if f.Field == field {
			return // the first problem with a field is the one worth reading
		}
	}
	v.fields = append(v.fields, FieldError{Field: field, Message: Text{RO: ro, EN: en}})
}

// HasErrors reports whether any check failed.
func (v *Validator) HasErrors() bool { return len(v.fields) > 0 }

// Err returns nil, or an invalid *Error carrying every field error.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{
		Code:    ECodeInvalid,
		Message: Text{RO: "Datele trimise nu sunt valide.", EN: "The submitted data is not valid."},
		Fields:  v.fields,
	}
}
