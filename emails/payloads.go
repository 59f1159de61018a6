package emails

// VerifyEmail asks a new user to confirm their address.
type VerifyEmail struct {
	Name  string `json:"name"`  // may be empty: the greeting then has no name
	Token string `json:"token"` // the one-time verification token (removed after the send)
}

// PasswordReset sends a reset link.
type PasswordReset struct {
	Name  string `json:"name"`  // may be empty
	Token string `json:"token"` // the one-time reset token (removed after the send)
}

// RFQConfirmation tells the customer their request for quote arrived.
type RFQConfirmation struct {
	RFQID           string   `json:"rfqId"`
	ReferenceNumber string   `json:"referenceNumber"`
	ContactPerson   string   `json:"contactPerson"`
	CompanyName     string   `json:"companyName"`
	EstimatedTotal  *float64 `json:"estimatedTotal"` // lei with VAT; nil: "to be calculated"
	DeliveryDate    *string  `json:"deliveryDate"`   // YYYY-MM-DD; nil: not specified
	// TrackingToken lets a guest follow the RFQ (removed after the send); empty: no link.
	TrackingToken string    `json:"trackingToken"`
	Items         []RFQItem `json:"items"`
}

// RFQItem is one line of an RFQ email.
type RFQItem struct {
	ProductName string  `json:"productName"`
	ProductSKU  string  `json:"productSku"` // the operator's email shows it; empty in rows queued before it
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`  // m, kg or pcs as in the API; emails write "buc." in Romanian
	Specs       string  `json:"specs"` // the line's specs as JSON text (cut to length, ...); "" for none
}

// OperatorNewRFQ tells sales about a new RFQ; replies go to the customer.
type OperatorNewRFQ struct {
	RFQID           string   `json:"rfqId"`
	ReferenceNumber string   `json:"referenceNumber"`
	CompanyName     string   `json:"companyName"`
	CUI             *string  `json:"cui"` // nil: "N/A"
	ContactPerson   string   `json:"contactPerson"`
	Email           string   `json:"email"` // the customer's, the Reply-To
	Phone           string   `json:"phone"`
	EstimatedTotal  *float64 `json:"estimatedTotal"`
	ItemCount       int      `json:"itemCount"`
	// What sales needs to start pricing without opening the back office. Rows queued
	// before these existed decode with them empty, and the email says "not specified".
	Items           []RFQItem `json:"items"`
	BillingAddress  *string   `json:"billingAddress"`  // one line, as the delivery address
	DeliveryAddress *string   `json:"deliveryAddress"` // one line: street, postal code city, county, country
	Incoterm        *string   `json:"incoterm"`
	DeliveryDate    *string   `json:"deliveryDate"` // YYYY-MM-DD
	Notes           *string   `json:"notes"`
	// Attachments name the files the customer attached; the email links each to the back
	// office's download (BACKOFFICE_URL/files/{id}), where a staff session is the permission.
	Attachments []FileLink `json:"attachments,omitempty"`
}

// FileLink is a file an email links to.
type FileLink struct {
	FileName string `json:"fileName"`
	FileSize int64  `json:"fileSize"`
	// ID is the file's id: the renderer builds the link from it and its configured base URL.
	ID string `json:"id,omitempty"`
	// URL is a ready link. Rows queued before links were built from ID carry the API's
	// /api/files/{id} here, and keep it.
	URL string `json:"url,omitempty"`
}

// QuoteReady tells the customer their quote can be downloaded (and attaches it).
type QuoteReady struct {
	RFQID            string  `json:"rfqId"`
	ReferenceNumber  string  `json:"referenceNumber"`
	ContactPerson    string  `json:"contactPerson"`
	FinalQuoteAmount float64 `json:"finalQuoteAmount"` // lei with VAT
	PDFURL           string  `json:"pdfUrl"`           // absolute URL of the quote PDF
}

// Template names each payload's template.
func (VerifyEmail) Template() string { return TemplateVerifyEmail }

// Template names each payload's template.
func (PasswordReset) Template() string { return TemplatePasswordReset }

// Template names each payload's template.
func (RFQConfirmation) Template() string { return TemplateRFQConfirmation }

// Template names each payload's template.
func (OperatorNewRFQ) Template() string { return TemplateOperatorNewRFQ }

// Template names each payload's template.
func (QuoteReady) Template() string { return TemplateQuoteReady }

// OperatorQuoteAnswer tells sales that a customer accepted or declined a sent quote.
type OperatorQuoteAnswer struct {
	RFQID            string  `json:"rfqId"`
	ReferenceNumber  string  `json:"referenceNumber"`
	CompanyName      string  `json:"companyName"`
	ContactPerson    string  `json:"contactPerson"`
	Email            string  `json:"email"` // the customer's, the Reply-To
	Accepted         bool    `json:"accepted"`
	Reason           *string `json:"reason"` // a decline's reason; nil: none given
	FinalQuoteAmount float64 `json:"finalQuoteAmount"`
	Version          int     `json:"version"`
}

// Template names each payload's template.
func (OperatorQuoteAnswer) Template() string { return TemplateOperatorQuoteAnswer }

// RFQ workflow emails (back office): a status change the customer must know about, and
// the conversation about an RFQ in both directions.

// RFQStatusChanged tells the customer their RFQ was acknowledged or cancelled.
type RFQStatusChanged struct {
	RFQID           string  `json:"rfqId"`
	ReferenceNumber string  `json:"referenceNumber"`
	ContactPerson   string  `json:"contactPerson"`
	Status          string  `json:"status"` // ACKNOWLEDGED or CANCELLED
	Reason          *string `json:"reason"` // the operator's reason; nil: none given
}

// RFQMessage tells the customer that sales wrote to them about their RFQ.
type RFQMessage struct {
	RFQID           string `json:"rfqId"`
	ReferenceNumber string `json:"referenceNumber"`
	ContactPerson   string `json:"contactPerson"`
	Author          string `json:"author"` // the staff member's name
	Text            string `json:"text"`
}

// OperatorRFQMessage tells sales (the RFQ's assignee, else OPERATOR_EMAIL when To is empty)
// that the customer wrote about their RFQ; replies go to the customer.
type OperatorRFQMessage struct {
	RFQID           string `json:"rfqId"`
	ReferenceNumber string `json:"referenceNumber"`
	CompanyName     string `json:"companyName"`
	ContactPerson   string `json:"contactPerson"`
	Email           string `json:"email"`
	Text            string `json:"text"`
}

// Template names each payload's template.
func (RFQStatusChanged) Template() string { return TemplateRFQStatusChanged }

// Template names each payload's template.
func (RFQMessage) Template() string { return TemplateRFQMessage }

// Template names each payload's template.
func (OperatorRFQMessage) Template() string { return TemplateOperatorRFQMessage }
