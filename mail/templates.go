package mail

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/metalpro/backend/emails"
)

// templateSpec is what one email needs: its data keys (the JSON of its emails payload
// type) and its subject per language.
type templateSpec struct {
	// required keys must be present and neither null nor an empty string.
	required []string
	// nullable keys must be present but may be null (the email then says "not specified").
	nullable []string
	subject  map[string]string // text/template source per language
}

// specs lists every email's subjects and the keys its payload must fill: the payload types
// (package emails) guarantee the keys exist; these checks catch the empty values a type
// cannot (a token that is ""). Subjects are the seed's, except that a reference number
// ("RFQ-2026-00001") is never preceded by "RFQ" again.
var specs = map[string]templateSpec{
	emails.TemplateVerifyEmail: {
		required: []string{"token"},
		nullable: []string{"name"},
		subject: map[string]string{
			"ro": "Verifică adresa de email - MetalPro",
			"en": "Verify your email address - MetalPro",
		},
	},
	emails.TemplatePasswordReset: {
		required: []string{"token"},
		nullable: []string{"name"},
		subject: map[string]string{
			"ro": "Resetare Parolă - MetalPro",
			"en": "Password Reset - MetalPro",
		},
	},
	emails.TemplateRFQConfirmation: {
		required: []string{"rfqId", "referenceNumber", "contactPerson", "companyName", "items"},
		nullable: []string{"estimatedTotal", "deliveryDate", "trackingToken"},
		subject: map[string]string{
			"ro": "Confirmare cerere de ofertă {{.referenceNumber}} - MetalPro",
			"en": "Request for quote {{.referenceNumber}} received - MetalPro",
		},
	},
	emails.TemplateOperatorNewRFQ: {
		required: []string{"rfqId", "referenceNumber", "companyName", "contactPerson", "email", "phone", "itemCount"},
		nullable: []string{"cui", "estimatedTotal", "items", "billingAddress", "deliveryAddress", "incoterm", "deliveryDate", "notes"},
		subject: map[string]string{
			"ro": "[NOU] {{.referenceNumber}} de la {{.companyName}}",
			"en": "[NEW] {{.referenceNumber}} from {{.companyName}}",
		},
	},
	emails.TemplateOperatorQuoteAnswer: {
		required: []string{"rfqId", "referenceNumber", "companyName", "contactPerson", "email", "accepted", "finalQuoteAmount", "version"},
		nullable: []string{"reason"},
		subject: map[string]string{
			"ro": "{{if .accepted}}[ACCEPTATĂ]{{else}}[REFUZATĂ]{{end}} Oferta {{.referenceNumber}} - {{.companyName}}",
			"en": "{{if .accepted}}[ACCEPTED]{{else}}[DECLINED]{{end}} Quote {{.referenceNumber}} - {{.companyName}}",
		},
	},
	emails.TemplateQuoteReady: {
		required: []string{"rfqId", "referenceNumber", "contactPerson", "finalQuoteAmount", "pdfUrl"},
		subject: map[string]string{
			"ro": "Ofertă Pregătită - {{.referenceNumber}}",
			"en": "Quote Ready - {{.referenceNumber}}",
		},
	},
	// The RFQ workflow (back office).
	emails.TemplateRFQStatusChanged: {
		required: []string{"rfqId", "referenceNumber", "contactPerson", "status"},
		nullable: []string{"reason"},
		subject: map[string]string{
			"ro": "{{if eq .status \"CANCELLED\"}}Cerere anulată{{else}}Cerere preluată{{end}} - {{.referenceNumber}}",
			"en": "{{if eq .status \"CANCELLED\"}}Request cancelled{{else}}Request acknowledged{{end}} - {{.referenceNumber}}",
		},
	},
	emails.TemplateRFQMessage: {
		required: []string{"rfqId", "referenceNumber", "contactPerson", "author", "text"},
		subject: map[string]string{
			"ro": "Mesaj nou despre cererea {{.referenceNumber}} - MetalPro",
			"en": "New message about request {{.referenceNumber}} - MetalPro",
		},
	},
	emails.TemplateOperatorRFQMessage: {
		required: []string{"rfqId", "referenceNumber", "companyName", "contactPerson", "email", "text"},
		subject: map[string]string{
			"ro": "[MESAJ] {{.referenceNumber}} de la {{.companyName}}",
			"en": "[MESSAGE] {{.referenceNumber}} from {{.companyName}}",
		},
	},
}

//go:embed templates
var templateFS embed.FS

// Rendered is an email's subject and its two bodies.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Renderer renders the outbox's emails. It is safe for concurrent use.
type Renderer struct {
	frontendURL   string
	backofficeURL string
	sets          map[string]*templateSet // by lang + "/" + name
}

type templateSet struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// NewRenderer parses every template. Links in emails start with frontendURL (the
// storefront) or backofficeURL (operator emails).
func NewRenderer(frontendURL, backofficeURL string) (*Renderer, error) {
	r := &Renderer{
		frontendURL:   strings.TrimRight(frontendURL, "/"),
		backofficeURL: strings.TrimRight(backofficeURL, "/"),
		sets:          map[string]*templateSet{},
	}
	if err := checkPayloadKeys(); err != nil {
		return nil, err
	}
	for _, lang := range []string{"ro", "en"} {
		funcs := map[string]any{
			"money": money(lang),
			"qty":   quantity(lang),
			"unit":  unitLabel(lang),
			"date":  formatDate,
			"dict":  dict,
		}
		for name, spec := range specs {
			set := &templateSet{}
			var err error
			set.subject, err = texttemplate.New("subject").Option("missingkey=error").Parse(spec.subject[lang])
			if err != nil {
				return nil, fmt.Errorf("mail: %s/%s subject: %w", lang, name, err)
			}
			set.text, err = texttemplate.New("layout.txt").Option("missingkey=error").Funcs(funcs).
				ParseFS(templateFS, "templates/layout.txt", "templates/"+lang+"/"+name+".txt")
			if err != nil {
				return nil, fmt.Errorf("mail: %s/%s text: %w", lang, name, err)
			}
			set.html, err = htmltemplate.New("layout.html").Option("missingkey=error").Funcs(funcs).
				ParseFS(templateFS, "templates/layout.html", "templates/"+lang+"/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("mail: %s/%s html: %w", lang, name, err)
			}
			r.sets[lang+"/"+name] = set
		}
	}
	return r, nil
}

// Render renders e in lang ("en", else Romanian). A required value left empty, or a
// value a template cannot format, is an error (never an email saying "<no value>").
func (r *Renderer) Render(e emails.Email, lang string) (*Rendered, error) {
	if e == nil {
		return nil, errors.New("mail: no email to render")
	}
	if lang != "en" {
		lang = "ro"
	}
	name := e.Template()
	spec, ok := specs[name]
	set := r.sets[lang+"/"+name]
	if !ok || set == nil {
		return nil, fmt.Errorf("%w %q", emails.ErrUnknownTemplate, name)
	}
	view, err := templateView(e)
	if err != nil {
		return nil, fmt.Errorf("mail: %s: %w", name, err)
	}
	var missing []string
	for _, k := range spec.required {
		if v, ok := view[k]; !ok || v == nil || v == "" {
			missing = append(missing, k)
		}
	}
	for _, k := range spec.nullable {
		if _, ok := view[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("mail: %s: missing data keys: %s", name, strings.Join(missing, ", "))
	}
	r.addLinks(name, view)
	view["lang"] = lang

	var subject, text, html bytes.Buffer
	if err := set.subject.Execute(&subject, view); err != nil {
		return nil, fmt.Errorf("mail: %s subject: %w", name, err)
	}
	// A subject is one header line: whatever a customer typed into a company name must
	// not start another header.
	view["subject"] = strings.Join(strings.Fields(subject.String()), " ")
	if err := set.text.Execute(&text, view); err != nil {
		return nil, fmt.Errorf("mail: %s text: %w", name, err)
	}
	if err := set.html.Execute(&html, view); err != nil {
		return nil, fmt.Errorf("mail: %s html: %w", name, err)
	}
	return &Rendered{
		Subject: view["subject"].(string),
		Text:    strings.TrimSpace(text.String()) + "\n",
		HTML:    strings.TrimSpace(html.String()) + "\n",
	}, nil
}

// checkPayloadKeys makes sure every payload type has a template and its JSON keys are the
// ones the template's spec lists, so a renamed field tag stops the server at start instead
// of failing each email of that kind in the worker.
func checkPayloadKeys() error {
	for _, name := range emails.Templates() {
		spec, ok := specs[name]
		if !ok {
			return fmt.Errorf("mail: payload %s has no template", name)
		}
		zero, err := emails.Decode(name, []byte("{}"))
		if err != nil {
			return err
		}
		view, err := templateView(zero)
		if err != nil {
			return err
		}
		want := append(slices.Clone(spec.required), spec.nullable...)
		got := slices.Collect(maps.Keys(view))
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("mail: payload %s has keys %v, its template expects %v", name, got, want)
		}
	}
	return nil
}

// validator renders with placeholder links, for Validate.
var validator = sync.OnceValues(func() (*Renderer, error) {
	return NewRenderer("https://frontend.invalid", "https://backoffice.invalid")
})

// Validate reports whether an outbox row of template name holding data (as JSON) renders
// as the worker will render it, in both languages: for enqueuers' tests, which read what
// the store wrote.
func Validate(name string, data map[string]any) error {
	r, err := validator()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	e, err := emails.Decode(name, raw)
	if err != nil {
		return err
	}
	for _, lang := range []string{"ro", "en"} {
		if _, err := r.Render(e, lang); err != nil {
			return err
		}
	}
	return nil
}

// addLinks adds the links an email needs, built from the configured base URLs, to view.
func (r *Renderer) addLinks(name string, view map[string]any) {
	str := func(k string) string { s, _ := view[k].(string); return s }
	switch name {
	case emails.TemplateVerifyEmail:
		view["verifyURL"] = r.frontendURL + "/verify-email?token=" + url.QueryEscape(str("token"))
	case emails.TemplatePasswordReset:
		view["resetURL"] = r.frontendURL + "/reset-password?token=" + url.QueryEscape(str("token"))
	case emails.TemplateRFQConfirmation:
		view["trackingURL"] = ""
		if tok := str("trackingToken"); tok != "" {
			view["trackingURL"] = r.frontendURL + "/rfq/" + url.PathEscape(str("rfqId")) + "?token=" + url.QueryEscape(tok)
		}
		view["ordersURL"] = r.frontendURL + "/account/orders"
	case emails.TemplateOperatorNewRFQ:
		view["backofficeURL"] = r.backofficeURL + "/rfq/" + url.PathEscape(str("rfqId"))
		view["mailtoURL"] = "mailto:" + url.PathEscape(str("email")) // no ?cc= smuggled in
		if _, ok := view["attachments"]; !ok {
			view["attachments"] = []any{} // RFQs without files, and rows queued before files existed
		}
		r.addFileLinks(view["attachments"], view["backofficeURL"].(string))
	case emails.TemplateQuoteReady:
		view["pdfURL"] = str("pdfUrl")
	case emails.TemplateOperatorQuoteAnswer:
		view["backofficeURL"] = r.backofficeURL + "/rfq/" + url.PathEscape(str("rfqId"))
	case emails.TemplateRFQStatusChanged, emails.TemplateRFQMessage:
		view["rfqURL"] = r.frontendURL + "/rfq/" + url.PathEscape(str("rfqId"))
	case emails.TemplateOperatorRFQMessage:
		view["backofficeURL"] = r.backofficeURL + "/rfq/" + url.PathEscape(str("rfqId"))
		view["mailtoURL"] = "mailto:" + url.PathEscape(str("email"))
	}
}

// addFileLinks points each attached file at the back office's download, where the
// operator's staff session is the permission (the API's /api/files/{id} wants a Bearer
// token a link in an email cannot carry). A row queued with a ready URL keeps it; a file
// with neither links the RFQ's page, which lists its files.
func (r *Renderer) addFileLinks(list any, rfqPage string) {
	files, _ := list.([]any)
	for _, f := range files {
		m, ok := f.(map[string]any)
		if !ok {
			continue
		}
		if id, _ := m["id"].(string); id != "" {
			m["url"] = r.backofficeURL + "/files/" + url.PathEscape(id)
		} else if u, _ := m["url"].(string); u == "" {
			m["url"] = rfqPage
		}
	}
}

// templateView is what the templates see: e's JSON as a map, the same keys and value types
// whether e was decoded from an outbox row (the worker) or built in Go (tests, previews).
// The templates keep their lower-case keys ({{.referenceNumber}}), which are the
// payloads' JSON tags and the keys of rows queued before payloads were typed.
func templateView(e emails.Email) (map[string]any, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// dict builds a map for a sub-template call: {{template "button" dict "url" .u "label" "x"}}.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}
