package apphttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/store"
)

// rfqBackOffice is a shop with an operator, an admin, a customer and a guest RFQ.
type rfqBackOffice struct {
	*shop
	operator, operator2, admin, customer, anonymous, guest *shopVisitor
	rfqID, operatorID                                      string
}

func mustStartBackOffice(t *testing.T) *rfqBackOffice {
	t.Helper()
	s := MustStartShop(t, nil)
	b := &rfqBackOffice{shop: s}
	ctx := context.Background()
	for _, staff := range []struct{ email, name, role string }{
		{"operator@metalpro.ro", "Ana Pop", store.RoleOperator},
		{"operator2@metalpro.ro", "Dan Ionescu", store.RoleOperator},
		{"admin@metalpro.ro", "Maria Ștefan", store.RoleAdmin},
	} {
		u, err := s.DB.CreateStaff(ctx, store.Signup{Email: staff.email, Password: testPassword, Name: staff.name, Role: staff.role})
		require.NoError(t, err)
		if staff.email == "operator@metalpro.ro" {
			b.operatorID = u.ID
		}
	}
	b.operator, b.operator2, b.admin = s.NewVisitor(t), s.NewVisitor(t), s.NewVisitor(t)
	b.operator.Login("operator@metalpro.ro")
	b.operator2.Login("operator2@metalpro.ro")
	b.admin.Login("admin@metalpro.ro")
	b.customer = s.NewVisitor(t)
	b.customer.Signup("client@firma.ro")
	b.anonymous = s.NewVisitor(t)

	b.guest = s.NewVisitor(t)
	b.guest.MustAdd(s.cat.Pipe, 2, "pcs")
	r := b.guest.Do(http.MethodPost, "/api/rfq", rfqForm(), "Accept-Language", "en")
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq struct{ ID string }
	r.JSON(t, &rfq)
	b.rfqID = rfq.ID
	return b
}

type adminRFQJSON struct {
	ID          string
	Status      string
	Version     int
	Notes       *string
	Customer    *struct{ Email string }
	Assignee    *struct{ ID, Name string }
	Attachments []struct {
		ID  string
		URL *string
	}
	InternalNotes []struct{ Author, Text string }
	Messages      []struct{ AuthorKind, Author, Text string }
	History       []struct {
		From   *string
		To     string
		Actor  *string
		Reason *string
	}
	Quotes []any
}

func (b *rfqBackOffice) detail(t *testing.T, v *shopVisitor) (adminRFQJSON, shopResponse) {
	t.Helper()
	r := v.Do(http.MethodGet, "/api/admin/rfqs/"+b.rfqID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var d adminRFQJSON
	r.JSON(t, &d)
	return d, r
}

// Every RFQ workflow endpoint: anonymous 401, customer 404 (as for a path that does not
// exist), operator and admin OK, a disabled operator 401 at once.
func TestAdminRFQ_WhoMayCall(t *testing.T) {
	b := mustStartBackOffice(t)
	calls := []struct {
		method, path string
		body         func() any
		ok           int
	}{
		{http.MethodGet, "/api/admin/rfqs", nil, http.StatusOK},
		{http.MethodGet, "/api/admin/rfqs/" + b.rfqID, nil, http.StatusOK},
		{http.MethodPost, "/api/admin/rfqs/" + b.rfqID + "/notes", func() any { return map[string]any{"text": "Notă"} }, http.StatusCreated},
		{http.MethodPost, "/api/admin/rfqs/" + b.rfqID + "/messages", func() any { return map[string]any{"text": "Bună ziua"} }, http.StatusCreated},
		{http.MethodPost, "/api/admin/rfqs/" + b.rfqID + "/assign", func() any { return map[string]any{"userId": b.operatorID} }, http.StatusOK},
	}
	for _, c := range calls {
		body := func() any {
			if c.body == nil {
				return nil
			}
			return c.body()
		}
		require.Equal(t, http.StatusUnauthorized, b.anonymous.Do(c.method, c.path, body()).StatusCode, c.path)
		r := b.customer.Do(c.method, c.path, body())
		require.Equal(t, http.StatusNotFound, r.StatusCode, c.path)
		require.Equal(t, "not_found", r.Err(t).Code)
		for _, staff := range []*shopVisitor{b.operator, b.admin} {
			r := staff.Do(c.method, c.path, body())
			require.Equal(t, c.ok, r.StatusCode, "%s %s", c.path, r.Body)
		}
	}
	// The status change, by operator then admin (each on the version it read).
	d, _ := b.detail(t, b.operator)
	r := b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/status", map[string]any{"status": "ACKNOWLEDGED", "expectedVersion": d.Version})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = b.admin.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/status", map[string]any{"status": "IN_PROGRESS"}, "If-Match", r.Header.Get("ETag"))
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)

	_, err := b.DB.DisableUser(store.WithActor(context.Background(), store.Actor{Label: "cli"}), "operator@metalpro.ro")
	require.NoError(t, err)
	for _, c := range calls {
		require.Equal(t, http.StatusUnauthorized, b.operator.Do(c.method, c.path, nil).StatusCode, "disabled: %s", c.path)
	}
	_, err = b.DB.AssignRFQ(store.WithActor(context.Background(), store.Actor{Label: "cli"}), b.rfqID, b.operatorID, 0)
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err), "a disabled account cannot be assigned")
}

// The workflow as two operators and the customer live it: acknowledge (the customer is
// emailed in English, the RFQ's language), a refused skip with the allowed statuses, two
// operators acting on the same version (the second gets 409, nothing is overwritten), notes
// the customer never sees, messages both ways, and the audit log of it all.
func TestAdminRFQ_Workflow(t *testing.T) {
	b := mustStartBackOffice(t)
	d, r := b.detail(t, b.operator)
	require.Equal(t, "SUBMITTED", d.Status)
	require.Equal(t, 1, d.Version)
	require.Equal(t, `"1"`, r.Header.Get("ETag"))
	require.Nil(t, d.Customer, "a guest RFQ")
	require.Equal(t, "Livrare cu macara.", *d.Notes, "the customer's remark keeps its name")
	require.Empty(t, d.InternalNotes)
	require.NotNil(t, d.Quotes)
	require.Len(t, d.History, 1)

	status := func(v *shopVisitor, to string, version int, reason string) shopResponse {
		body := map[string]any{"status": to, "expectedVersion": version}
		if reason != "" {
			body["reason"] = reason
		}
		return v.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/status", body)
	}
	r = status(b.operator, "QUOTED", 1, "")
	require.Equal(t, http.StatusConflict, r.StatusCode, "%s", r.Body)
	var refused struct {
		Code    string
		Allowed []string
	}
	r.JSON(t, &refused)
	require.Equal(t, "invalid_transition", refused.Code)
	require.Equal(t, "Cererea nu poate trece din starea „trimisă” în „ofertată”.", r.Err(t).Error)
	require.Equal(t, []string{"ACKNOWLEDGED", "CANCELLED"}, refused.Allowed)

	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/status", map[string]any{"status": "ACKNOWLEDGED"})
	require.Equal(t, http.StatusBadRequest, r.StatusCode, "no version: the change could overwrite someone's")

	// Both operators saw version 1 and acknowledge at the same moment.
	before := len(shopOutbox(t, b.DB))
	var wg sync.WaitGroup
	start := make(chan struct{})
	codes, errs := make([]int, 2), make([]error, 2)
	for i, op := range []*shopVisitor{b.operator, b.operator2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i], errs[i] = postRFQStatus(op, b.URL+"/api/admin/rfqs/"+b.rfqID+"/status", `{"status":"ACKNOWLEDGED"}`, `"1"`)
		}()
	}
	close(start)
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	require.ElementsMatch(t, []int{http.StatusOK, http.StatusConflict}, codes)
	d, _ = b.detail(t, b.operator)
	require.Equal(t, 2, d.Version)
	require.Equal(t, "ACKNOWLEDGED", d.Status)
	require.Len(t, d.History, 2, "one change, not two")
	winner := map[bool]string{true: "operator@metalpro.ro", false: "operator2@metalpro.ro"}[codes[0] == http.StatusOK]
	require.Equal(t, winner, *d.History[1].Actor)
	require.Len(t, shopOutbox(t, b.DB), before+1, "the customer gets one email, not two")
	// A retry on the stale version is still refused, with the conflict code.
	r = status(b.operator2, "CANCELLED", 1, "")
	require.Equal(t, http.StatusConflict, r.StatusCode)
	require.Equal(t, "version_conflict", r.Err(t).Code)
	mails := shopOutbox(t, b.DB)
	last := mails[len(mails)-1]
	require.Equal(t, "rfq_status_changed", last.Template)
	require.Equal(t, "ana@example.ro", last.To)

	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/assign", map[string]any{"userId": b.operatorID, "expectedVersion": 2})
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/notes", map[string]any{"text": "Client nou: verifică CUI."})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/messages", map[string]any{"text": "Putem livra în 10 zile lucrătoare."})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	mails = shopOutbox(t, b.DB)
	require.Equal(t, "rfq_message", mails[len(mails)-1].Template)

	// The guest reads the RFQ: the message is there, the internal note is not.
	r = b.guest.Do(http.MethodGet, "/api/rfq/"+b.rfqID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	require.NotContains(t, string(r.Body), "verifică CUI")
	var seen struct {
		Messages []struct{ AuthorKind, Author, Text string }
	}
	r.JSON(t, &seen)
	require.Len(t, seen.Messages, 1)
	require.Equal(t, "Ana Pop", seen.Messages[0].Author)

	r = b.guest.Do(http.MethodPost, "/api/rfq/"+b.rfqID+"/messages", map[string]any{"text": "Mulțumesc, aștept oferta."})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	mails = shopOutbox(t, b.DB)
	require.Equal(t, "operator_rfq_message", mails[len(mails)-1].Template)
	require.Equal(t, "operator@metalpro.ro", mails[len(mails)-1].To, "the assignee")
	r = b.customer.Do(http.MethodPost, "/api/rfq/"+b.rfqID+"/messages", map[string]any{"text": "?"})
	require.Equal(t, http.StatusNotFound, r.StatusCode, "someone else's RFQ")
	r = b.guest.Do(http.MethodPost, "/api/rfq/"+b.rfqID+"/messages", map[string]any{"text": ""})
	require.Equal(t, http.StatusBadRequest, r.StatusCode)

	d, _ = b.detail(t, b.operator2)
	require.Equal(t, "Ana Pop", d.Assignee.Name)
	require.Len(t, d.InternalNotes, 1)
	require.Len(t, d.Messages, 2)
	require.Equal(t, "CUSTOMER", d.Messages[1].AuthorKind)

	r = b.admin.Do(http.MethodGet, "/api/admin/audit?entity=rfq&entityId="+b.rfqID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode)
	var audit struct {
		Entries []struct {
			Action string
			Actor  struct{ Label string }
		}
	}
	r.JSON(t, &audit)
	var actions []string
	for _, e := range audit.Entries {
		actions = append(actions, e.Action+" by "+e.Actor.Label)
	}
	require.ElementsMatch(t, []string{"rfq.status by " + winner,
		"rfq.assign by operator@metalpro.ro", "rfq.note by operator@metalpro.ro", "rfq.message by operator@metalpro.ro"}, actions)
}

func TestAdminRFQ_Queue(t *testing.T) {
	b := mustStartBackOffice(t)
	r := b.operator.Do(http.MethodGet, "/api/admin/rfqs?q=RFQ-&status=SUBMITTED&assignee=none&from=2020-01-01&sort=-submittedAt", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var list struct {
		RFQs       []adminRFQJSON
		Pagination struct{ Total int }
		Counts     map[string]int
	}
	r.JSON(t, &list)
	require.Equal(t, 1, list.Pagination.Total)
	require.Equal(t, b.rfqID, list.RFQs[0].ID)
	require.Equal(t, 1, list.Counts["SUBMITTED"])
	require.Contains(t, list.Counts, "CANCELLED")
	for _, bad := range []string{"status=DONE", "sort=price", "from=ieri", "limit=0"} {
		r = b.operator.Do(http.MethodGet, "/api/admin/rfqs?"+bad, nil)
		require.Equal(t, http.StatusBadRequest, r.StatusCode, bad)
	}
	r = b.operator.Do(http.MethodGet, "/api/admin/rfqs/"+strconv.Itoa(42), nil)
	require.Equal(t, http.StatusNotFound, r.StatusCode)
}

// postRFQStatus sends a status change with If-Match from a goroutine: it reports problems as
// an error (no require outside the test's goroutine).
func postRFQStatus(v *shopVisitor, url, body, ifMatch string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+v.token)
	req.Header.Set("If-Match", ifMatch)
	resp, err := v.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

// The back office's RFQ is the customer's RFQ plus its own fields, written out in the
// document (RFQ forbids extra properties, so it cannot be extended by reference): a field
// added to RFQ must be added to AdminRFQ and AdminRFQDetail too, or staff responses with
// it would fail their own contract.
func TestAdminRFQ_SchemaCoversRFQ(t *testing.T) {
	raw, err := apphttp.OpenAPI()
	require.NoError(t, err)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
				Required   []string       `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	rfq := doc.Components.Schemas["RFQ"]
	for _, name := range []string{"AdminRFQ", "AdminRFQDetail"} {
		s := doc.Components.Schemas[name]
		for p := range rfq.Properties {
			if p == "messages" && name == "AdminRFQ" {
				continue // the customer's detail only; staff read them on AdminRFQDetail
			}
			if p == "quoteValidUntil" {
				continue // the customer's view; staff read each version's validUntil in quotes
			}
			require.Contains(t, s.Properties, p, "%s lacks RFQ's %q", name, p)
		}
		require.Subset(t, s.Required, rfq.Required, name)
	}
}

// Each side of an RFQ's conversation may send MaxRFQMessagesPerHour messages an hour; the
// next is 429 with Retry-After, and the other side can still write.
func TestAdminRFQ_MessageRate(t *testing.T) {
	b := mustStartBackOffice(t)
	for i := range store.MaxRFQMessagesPerHour {
		r := b.guest.Do(http.MethodPost, "/api/rfq/"+b.rfqID+"/messages", map[string]any{"text": "Întrebarea " + strconv.Itoa(i+1)})
		require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	}
	r := b.guest.Do(http.MethodPost, "/api/rfq/"+b.rfqID+"/messages", map[string]any{"text": "Încă una"})
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode, "%s", r.Body)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/messages", map[string]any{"text": "Vă răspundem azi."})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	r = b.operator.Do(http.MethodPost, "/api/admin/rfqs/"+b.rfqID+"/notes", map[string]any{"text": strings.Repeat("ș", store.MaxRFQTextLen+1)})
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
}

// The detail's attachments carry a signed link staff can open without their token (a
// plain <a href> in the back office).
func TestAdminRFQ_AttachmentLinks(t *testing.T) {
	s := startFileShop(t, nil, nil, nil)
	_, err := s.DB.CreateStaff(context.Background(), store.Signup{Email: "operator@metalpro.ro", Password: testPassword, Name: "Ana Pop", Role: store.RoleOperator})
	require.NoError(t, err)
	guest := s.NewVisitor(t)
	guest.MustAdd(s.cat.Pipe, 12, "m")
	var up fileJSON
	guest.UploadBytes("/api/upload/attachment", "desen.pdf", drawing).JSON(t, &up)
	form := rfqForm()
	form["attachmentIds"] = []string{up.ID}
	r := guest.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq struct{ ID string }
	r.JSON(t, &rfq)

	staff := s.NewVisitor(t)
	staff.Login("operator@metalpro.ro")
	r = staff.Do(http.MethodGet, "/api/admin/rfqs/"+rfq.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var d adminRFQJSON
	r.JSON(t, &d)
	require.Len(t, d.Attachments, 1)
	require.NotNil(t, d.Attachments[0].URL)
	got := s.fetch(t, *d.Attachments[0].URL)
	require.Equal(t, http.StatusOK, got.StatusCode)
	require.Equal(t, drawing, got.Body)
}
