// Package emails declares every email MetalPro sends as a payload type: the store enqueues
// one inside the transaction that causes it, and the mail package renders the same type,
// so an enqueuer and a template that disagree fail to compile instead of failing in the
// worker after the customer's change has committed.
//
// It imports nothing of ours: store imports it to enqueue, and mail (which imports
// store) imports it to render. Payloads live here rather than in mail because store
// cannot import mail without a cycle.
package emails

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Email is one email's payload. Its JSON (the field tags below) is what the outbox row
// stores and what the templates see: the tags are the templates' data keys, so renaming
// one is a change to every template that uses it and to the rows already queued.
type Email interface {
	// Template is the email's template name (mail/templates/{ro,en}/<name>.*).
	Template() string
}

// Template names: the email_outbox.template column.
const (
	TemplateVerifyEmail     = "verify_email"
	TemplatePasswordReset   = "password_reset"
	TemplateRFQConfirmation = "rfq_confirmation"
	TemplateOperatorNewRFQ  = "operator_new_rfq"
	TemplateQuoteReady      = "quote_ready"
	// TemplateOperatorQuoteAnswer: a customer accepted or declined a quote (issue 12).
	TemplateOperatorQuoteAnswer = "operator_quote_answer"
	// The RFQ workflow (back office).
	TemplateRFQStatusChanged   = "rfq_status_changed"
	TemplateRFQMessage         = "rfq_message"
	TemplateOperatorRFQMessage = "operator_rfq_message"
)

// registry decodes a stored payload into its type, by template name: the one place that
// knows which type a row's template stands for.
var registry = map[string]func(data []byte) (Email, error){
	TemplateVerifyEmail:         decodeAs[VerifyEmail],
	TemplatePasswordReset:       decodeAs[PasswordReset],
	TemplateRFQConfirmation:     decodeAs[RFQConfirmation],
	TemplateOperatorNewRFQ:      decodeAs[OperatorNewRFQ],
	TemplateQuoteReady:          decodeAs[QuoteReady],
	TemplateOperatorQuoteAnswer: decodeAs[OperatorQuoteAnswer],
	// The RFQ workflow (back office).
	TemplateRFQStatusChanged:   decodeAs[RFQStatusChanged],
	TemplateRFQMessage:         decodeAs[RFQMessage],
	TemplateOperatorRFQMessage: decodeAs[OperatorRFQMessage],
}

// ErrUnknownTemplate is returned by Decode for a template name that has no payload type.
var ErrUnknownTemplate = errors.New("unknown email template")

// Decode turns an outbox row's template and JSON data into its payload. Rows written
// before payloads were typed (a JSON object with the same keys) decode the same way.
func Decode(template string, data []byte) (Email, error) {
	decode, ok := registry[template]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownTemplate, template)
	}
	e, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s data: %w", template, err)
	}
	return e, nil
}

func decodeAs[T Email](data []byte) (Email, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// Templates returns every template name, sorted.
func Templates() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
