// Package mail renders MetalPro's emails and sends them from the outbox.
//
// Emails never leave from a request handler: the store writes an outbox row in the same
// transaction as the change that causes it (store.EnqueueEmail), and the Worker here
// claims due rows, renders them (templates.go), sends them through a Sender (SendGrid in
// production, files under DATA_DIR/mail in development) and records the outcome, retrying
// with backoff. See docs/EMAIL.md.
package mail

import (
	"context"
	"errors"
	"fmt"
)

// Address is an email address with an optional display name.
type Address struct {
	Name  string
	Email string
}

// String formats a as it appears in a header: the display name always RFC 2047-encoded
// (see header.go), or the bare address when it cannot be written into a header.
func (a Address) String() string {
	s, err := headerAddress(a)
	if err != nil {
		return a.Email
	}
	return s
}

// Attachment is a file sent with an email.
type Attachment struct {
	Filename    string
	ContentType string
	Content     []byte
}

// Message is one rendered email, ready for a Sender.
type Message struct {
	ID          string // the outbox row's id: sent along so a duplicate can be traced
	Template    string // the template it was rendered from
	From        Address
	To          Address
	ReplyTo     *Address // where replies go when not to From (noreply@)
	Subject     string
	Text        string // the plain-text part
	HTML        string // the HTML part
	Attachments []Attachment
}

// Sender delivers messages. Send returns the provider's message id on success; an error
// wrapped by Permanent means retrying cannot help.
type Sender interface {
	Send(ctx context.Context, m *Message) (providerID string, err error)
}

// AttachmentLoader fetches the file behind a URL the application generated (the quote
// PDF), so that it can travel with the email.
type AttachmentLoader interface {
	LoadAttachment(ctx context.Context, url string) (Attachment, error)
}

// AttachmentLoaderFunc adapts a function to AttachmentLoader.
type AttachmentLoaderFunc func(ctx context.Context, url string) (Attachment, error)

// LoadAttachment calls f.
func (f AttachmentLoaderFunc) LoadAttachment(ctx context.Context, url string) (Attachment, error) {
	return f(ctx, url)
}

// permanentError marks an error that retrying will not fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix (a rejected address, a template
// that cannot render): the worker gives the email up at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// HTTPError is a provider's non-2xx answer.
type HTTPError struct {
	Provider   string
	StatusCode int
	Body       string // truncated
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s answered %d: %s", e.Provider, e.StatusCode, e.Body)
}
