package apphttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/emails"
	apphttp "github.com/metalpro/backend/http"
	"github.com/metalpro/backend/http/apitest"
	"github.com/metalpro/backend/mail"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// TestRFQ_GuestEndToEnd does what a storefront visitor does: fill a cart in three units,
// submit, read the RFQ back and get the emails.
func TestRFQ_GuestEndToEnd(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)

	pipe, sheet, wire := v.Browse("TR-40x40x3"), v.Browse("TN-2x1000x2000"), v.Browse("SR-6")
	require.Equal(t, []string{s.cat.Pipe, s.cat.Sheet, s.cat.Wire}, []string{pipe, sheet, wire})
	v.MustAdd(pipe, 2, "pcs")      // two 6 m bars: 2 × 306.00
	v.MustAdd(sheet, 250.5, "kg")  // 250.5 kg × 5.60
	c := v.MustAdd(wire, 40, "kg") // 40 kg × 7.20
	require.Equal(t, 612+1402.8+288.0, c.EstimatedTotal)

	form := rfqForm()
	form["companyName"] = `<script>alert("x")</script> Oțel & Fiii SRL`
	form["deliveryDate"] = time.Now().In(store.Bucharest).AddDate(0, 0, 7).Format("2006-01-02")
	r := v.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq rfqJSON
	r.JSON(t, &rfq)
	year := time.Now().In(store.Bucharest).Year()
	require.Equal(t, fmt.Sprintf("RFQ-%d-00001", year), rfq.ReferenceNumber)
	require.Equal(t, "SUBMITTED", rfq.Status)
	require.Equal(t, 2302.8, *rfq.EstimatedTotal)
	require.Len(t, rfq.Items, 3)
	require.Equal(t, "TR-40x40x3", rfq.Items[0].ProductSKU)
	require.Equal(t, "pcs", rfq.Items[0].Unit)
	require.Equal(t, 306.0, *rfq.Items[0].UnitPrice)
	require.Equal(t, 612.0, rfq.Items[0].GrossPrice, "grossPrice is the line total")
	require.NotNil(t, rfq.Attachments)
	require.Empty(t, rfq.Attachments)
	require.Equal(t, "/api/rfq/"+rfq.ID, r.Header.Get("Location"))

	require.Empty(t, v.Cart().Items, "the cart is emptied")

	r = v.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "the session that sent it can read it")
	var again rfqJSON
	r.JSON(t, &again)
	require.Equal(t, rfq.ReferenceNumber, again.ReferenceNumber)
	require.Equal(t, `<script>alert("x")</script> Oțel & Fiii SRL`, again.CompanyName)

	mails := shopOutbox(t, s.DB)
	require.Len(t, mails, 2)
	conf, op := mails[0], mails[1]
	require.Equal(t, "rfq_confirmation", conf.Template)
	require.Equal(t, "ana@example.ro", conf.To)
	require.Equal(t, rfq.ReferenceNumber, conf.Data["referenceNumber"])
	require.Equal(t, rfq.ID, conf.Data["rfqId"])
	require.Equal(t, 2302.8, conf.Data["estimatedTotal"])
	require.Equal(t, form["deliveryDate"], conf.Data["deliveryDate"])
	require.Equal(t, `<script>alert("x")</script> Oțel & Fiii SRL`, conf.Data["companyName"], "raw in data; mail escapes when rendering")
	require.NotContains(t, conf.RawData, "&lt;", "not HTML-escaped in the data (JSON's \\u003c is fine)")
	require.NotContains(t, conf.RawData, "&amp;")
	require.Len(t, conf.Data["items"], 3)
	require.Equal(t, "operator_new_rfq", op.Template)
	require.Equal(t, "sales@metalpro.ro", op.To)
	require.Equal(t, rfq.ReferenceNumber, op.Data["referenceNumber"])
	require.Equal(t, "RO14399840", op.Data["cui"])
	require.Equal(t, "+40722123456", op.Data["phone"], "stored in E.164")
	require.Equal(t, 3.0, op.Data["itemCount"])
	require.Equal(t, 2302.8, op.Data["estimatedTotal"])
	require.Len(t, op.Data["items"], 3, "the operator sees the lines, not only their count")
	require.Equal(t, form["deliveryDate"], op.Data["deliveryDate"])
	require.Equal(t, form["notes"], op.Data["notes"])
	require.Equal(t, form["incoterm"], op.Data["incoterm"])
	require.Contains(t, op.Data["deliveryAddress"], form["deliveryAddress"].(map[string]any)["city"])

	t.Run("EmailsRender", func(t *testing.T) {
		for _, m := range mails {
			require.NoError(t, mail.Validate(m.Template, m.Data), m.Template)
		}
		r, err := mail.NewRenderer("https://metalpro.ro", "https://office.metalpro.ro")
		require.NoError(t, err)
		queued, err := emails.Decode(conf.Template, []byte(conf.RawData))
		require.NoError(t, err)
		out, err := r.Render(queued, "ro")
		require.NoError(t, err)
		require.Equal(t, "Confirmare cerere de ofertă "+rfq.ReferenceNumber+" - MetalPro", out.Subject)
		require.Contains(t, out.HTML, "&lt;script&gt;", "escaped when rendered")
		require.NotContains(t, out.HTML, "<script>")
		require.Contains(t, out.HTML, "https://metalpro.ro/rfq/"+rfq.ID+"?token=")
	})
	t.Run("TrackingLink", func(t *testing.T) {
		token, _ := conf.Data["trackingToken"].(string)
		require.NotEmpty(t, token)
		stranger := s.NewVisitor(t)
		r := stranger.Do(http.MethodGet, "/api/rfq/"+rfq.ID+"?token="+url.QueryEscape(token), nil)
		require.Equal(t, http.StatusOK, r.StatusCode)
		r = stranger.Do(http.MethodGet, "/api/rfq/"+rfq.ID+"?token="+url.QueryEscape(token+"x"), nil)
		require.Equal(t, http.StatusNotFound, r.StatusCode)
	})
	t.Run("StillVisibleAfterSignup", func(t *testing.T) {
		v.Signup("ana@example.ro")
		require.Equal(t, http.StatusOK, v.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode,
			"the browser that sent it as a guest still sees it")
		v.token = ""
	})
	t.Run("ErrSomeoneElsesRFQ", func(t *testing.T) {
		stranger := s.NewVisitor(t)
		stranger.MustAdd(s.cat.Wire, 1, "kg") // a session of its own
		require.Equal(t, http.StatusNotFound, stranger.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode)
		stranger.Signup("someone@example.ro")
		require.Equal(t, http.StatusNotFound, stranger.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode,
			"a user cannot read another session's guest RFQ")
		r := stranger.Do(http.MethodGet, "/api/rfq/"+store.NewID(), nil)
		require.Equal(t, http.StatusNotFound, r.StatusCode)
		require.Equal(t, "not_found", r.Err(t).Code)
	})
}

// TestRFQ_UserFlow: a guest fills a cart, signs in (the cart follows), submits, and finds
// the RFQ in the account's list.
func TestRFQ_UserFlow(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 18, "m")
	v.MustAdd(s.cat.Sheet, 4, "pcs")
	v.Signup("buyer@example.ro")
	require.Len(t, v.Cart().Items, 2, "the cart survives login")

	r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	var rfq rfqJSON
	r.JSON(t, &rfq)
	require.Equal(t, 18*51+4*175.84, *rfq.EstimatedTotal)

	r = v.Do(http.MethodGet, "/api/rfq?status=SUBMITTED&page=1&limit=10", nil)
	require.Equal(t, http.StatusOK, r.StatusCode, "%s", r.Body)
	var list struct {
		RFQs       []rfqJSON `json:"rfqs"`
		Pagination struct {
			Page, Limit, Total, TotalPages int
		} `json:"pagination"`
	}
	r.JSON(t, &list)
	require.Len(t, list.RFQs, 1)
	require.Equal(t, rfq.ReferenceNumber, list.RFQs[0].ReferenceNumber)
	require.Equal(t, 1, list.Pagination.Total)
	require.Equal(t, 1, list.Pagination.TotalPages)
	require.Equal(t, 10, list.Pagination.Limit)

	require.Equal(t, http.StatusOK, v.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode)

	t.Run("ErrListNeedsLogin", func(t *testing.T) {
		r := s.NewVisitor(t).Do(http.MethodGet, "/api/rfq", nil)
		require.Equal(t, http.StatusUnauthorized, r.StatusCode)
	})
	t.Run("ErrBadListQuery", func(t *testing.T) {
		for _, q := range []string{"?limit=0", "?limit=101", "?page=0", "?page=x", "?status=DONE"} {
			r := v.Do(http.MethodGet, "/api/rfq"+q, nil)
			require.Equal(t, http.StatusBadRequest, r.StatusCode, q)
		}
	})
	t.Run("ErrOthersCannotRead", func(t *testing.T) {
		guest := s.NewVisitor(t)
		guest.MustAdd(s.cat.Wire, 1, "kg")
		require.Equal(t, http.StatusNotFound, guest.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode,
			"a guest cannot read a user's RFQ")
		other := s.NewVisitor(t)
		other.Signup("other@example.ro")
		require.Equal(t, http.StatusNotFound, other.Do(http.MethodGet, "/api/rfq/"+rfq.ID, nil).StatusCode)
		r := other.Do(http.MethodGet, "/api/rfq", nil)
		require.Equal(t, http.StatusOK, r.StatusCode)
		require.Contains(t, string(r.Body), `"rfqs":[]`)
	})
}

func TestRFQ_Submit_Errors(t *testing.T) {
	s := MustStartShop(t, nil)

	t.Run("ErrEmptyCart", func(t *testing.T) {
		for _, v := range []*shopVisitor{s.NewVisitor(t), func() *shopVisitor {
			v := s.NewVisitor(t)
			c := v.MustAdd(s.cat.Wire, 1, "kg")
			v.Do(http.MethodDelete, "/api/cart/items/"+c.Items[0].ID, nil)
			return v
		}()} {
			r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
			require.Equal(t, http.StatusBadRequest, r.StatusCode, "%s", r.Body)
			require.Contains(t, r.Err(t).Error, "Coșul este gol")
		}
		var n int
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfqs`).Scan(&n))
		require.Zero(t, n)
	})

	t.Run("ErrInvalidForm", func(t *testing.T) {
		v := s.NewVisitor(t)
		v.MustAdd(s.cat.Wire, 1, "kg")
		form := rfqForm()
		form["email"] = "not-an-email"
		form["cui"] = "RO14399841"
		form["deliveryDate"] = "2020-01-01"
		form["incoterm"] = "ABC"
		form["attachmentIds"] = make([]string, store.MaxRFQAttachments+1) // too many: whose they are is checked later
		form["billingAddress"].(map[string]any)["postalCode"] = "4000"
		r := v.Do(http.MethodPost, "/api/rfq", form, "Accept-Language", "en")
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		fields := map[string]bool{}
		for _, d := range r.Err(t).Details {
			fields[d.Field] = true
		}
		for _, f := range []string{"email", "cui", "deliveryDate", "incoterm", "attachmentIds", "billingAddress.postalCode"} {
			require.True(t, fields[f], "%s in %s", f, r.Body)
		}
		require.Len(t, v.Cart().Items, 1, "a refused submission keeps the cart")
	})

	t.Run("ErrItemsFromClient", func(t *testing.T) {
		v := s.NewVisitor(t)
		v.MustAdd(s.cat.Wire, 1, "kg")
		form := rfqForm()
		form["estimatedTotal"] = 1
		r := v.Do(http.MethodPost, "/api/rfq", form)
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, "estimatedTotal", r.Err(t).Details[0].Field)
	})

	t.Run("ErrWithdrawnProduct", func(t *testing.T) {
		id := storetest.MustCreateProduct(t, s.DB, storetest.Product{SKU: "TMP-1", Title: "Produs temporar", BaseUnit: "kg", Price: 3, Weight: 1})
		v := s.NewVisitor(t)
		v.MustAdd(id, 1, "kg")
		require.NoError(t, s.DB.WriteCatalog(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ExecContext(context.Background(), `UPDATE products SET is_active = 0 WHERE id = ?`, id)
			return err
		}))
		r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
		require.Equal(t, "items[0]", r.Err(t).Details[0].Field)
	})
}

func TestRFQ_RateLimit(t *testing.T) {
	s := MustStartShop(t, nil) // the seed's 10 per hour per IP
	v := s.NewVisitor(t)
	bad := rfqForm()
	bad["email"] = "x"
	for i := 0; i < 5; i++ { // refused forms and empty carts create nothing and do not count
		require.Equal(t, http.StatusBadRequest, v.Do(http.MethodPost, "/api/rfq", bad).StatusCode)
		require.Equal(t, http.StatusBadRequest, v.Do(http.MethodPost, "/api/rfq", rfqForm()).StatusCode)
	}
	for i := 0; i < 10; i++ {
		v.MustAdd(s.cat.Wire, 1, "kg")
		r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
		require.Equal(t, http.StatusCreated, r.StatusCode, "submission %d: %s", i+1, r.Body)
	}
	v.MustAdd(s.cat.Wire, 1, "kg")
	r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusTooManyRequests, r.StatusCode)
	require.Equal(t, "Prea multe cereri de ofertă. Te rugăm să încerci mai târziu.", r.Err(t).Error)
	require.NotEmpty(t, r.Header.Get("Retry-After"))
	require.Len(t, v.Cart().Items, 1, "nothing happened to the cart")
}

func TestRFQ_IdempotencyKey(t *testing.T) {
	s := MustStartShop(t, nil)
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Pipe, 3, "m")
	first := v.Do(http.MethodPost, "/api/rfq", rfqForm(), "Idempotency-Key", "form-7f3a")
	require.Equal(t, http.StatusCreated, first.StatusCode, "%s", first.Body)

	t.Run("SameBodyReplays", func(t *testing.T) {
		again := v.Do(http.MethodPost, "/api/rfq", rfqForm(), "Idempotency-Key", "form-7f3a")
		require.Equal(t, http.StatusCreated, again.StatusCode)
		require.Equal(t, string(first.Body), string(again.Body))
		require.Equal(t, "true", again.Header.Get("Idempotent-Replayed"))
		var n int
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfqs`).Scan(&n))
		require.Equal(t, 1, n)
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM email_outbox`).Scan(&n))
		require.Equal(t, 2, n, "no second set of emails")
	})
	t.Run("ErrDifferentBody", func(t *testing.T) {
		form := rfqForm()
		form["notes"] = "Altă cerere"
		r := v.Do(http.MethodPost, "/api/rfq", form, "Idempotency-Key", "form-7f3a")
		require.Equal(t, http.StatusConflict, r.StatusCode)
		require.Equal(t, "conflict", r.Err(t).Code)
	})
	t.Run("ScopedToCaller", func(t *testing.T) {
		other := s.NewVisitor(t)
		other.MustAdd(s.cat.Wire, 2, "kg")
		r := other.Do(http.MethodPost, "/api/rfq", rfqForm(), "Idempotency-Key", "form-7f3a")
		require.Equal(t, http.StatusCreated, r.StatusCode)
		require.NotEqual(t, string(first.Body), string(r.Body), "another caller's key is another submission")
	})
	t.Run("ConcurrentRetriesMakeOneRFQ", func(t *testing.T) {
		w := s.NewVisitor(t)
		w.MustAdd(s.cat.Sheet, 2, "pcs")
		body, err := json.Marshal(rfqForm())
		require.NoError(t, err)
		const n = 6
		bodies := make([]string, n)
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/rfq", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", "double-click")
				resp, err := w.hc.Do(req)
				if err != nil {
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				codes[i], bodies[i] = resp.StatusCode, string(b)
			}(i)
		}
		wg.Wait()
		for i := 0; i < n; i++ {
			require.Equal(t, http.StatusCreated, codes[i], bodies[i])
			require.Equal(t, bodies[0], bodies[i], "every retry gets the one RFQ")
		}
		var count int
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfqs r JOIN rfq_items i ON i.rfq_id = r.id
			WHERE i.product_id = ?`, s.cat.Sheet).Scan(&count))
		require.Equal(t, 1, count)
	})
	t.Run("ErrMalformedKey", func(t *testing.T) {
		r := v.Do(http.MethodPost, "/api/rfq", rfqForm(), "Idempotency-Key", strings.Repeat("k", 256))
		require.Equal(t, http.StatusBadRequest, r.StatusCode)
	})
}

// fakeCaptcha accepts the token "good" only.
type fakeCaptcha struct{}

func (fakeCaptcha) Verify(_ context.Context, token, _ string) error {
	if token != "good" {
		return store.Errorf(store.ECodeInvalid, "Verificarea captcha a eșuat.", "Captcha verification failed.")
	}
	return nil
}

func TestRFQ_GuestCaptcha(t *testing.T) {
	s := MustStartShop(t, nil)
	s.Srv.SetCaptcha(fakeCaptcha{})
	v := s.NewVisitor(t)
	v.MustAdd(s.cat.Wire, 1, "kg")
	r := v.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusBadRequest, r.StatusCode)
	form := rfqForm()
	form["hcaptchaToken"] = "good"
	r = v.Do(http.MethodPost, "/api/rfq", form)
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)

	r = v.Do(http.MethodPost, "/api/auth/signup", map[string]any{
		"email": "c@example.ro", "password": testPassword, "name": "Ion Popescu", "role": "INDIVIDUAL", "hcaptchaToken": "good",
	})
	require.Equal(t, http.StatusCreated, r.StatusCode, "%s", r.Body)
	v.token = accessToken(t, r)

	v.MustAdd(s.cat.Wire, 1, "kg")
	r = v.Do(http.MethodPost, "/api/rfq", rfqForm())
	require.Equal(t, http.StatusCreated, r.StatusCode, "signed-in customers are not asked")
}

// TestRFQ_ConcurrentSubmissions: 50 guests submit at once through real HTTP; every RFQ is
// stored, with reference numbers 1..50 and no duplicates or gaps.
func TestRFQ_ConcurrentSubmissions(t *testing.T) {
	s := MustStartShop(t, func(c *apphttp.Config) {
		c.RateLimits.RFQ = apphttp.Limit{Max: 1000, Window: time.Hour}
		c.RateLimits.API = apphttp.Limit{Max: 100000, Window: time.Hour}
	})
	const n = 50
	visitors := make([]*shopVisitor, n)
	for i := range visitors {
		visitors[i] = s.NewVisitor(t)
		visitors[i].MustAdd(s.cat.Sheet, i+1, "pcs")
	}
	type result struct {
		req  *http.Request
		resp *http.Response
		body []byte
		err  error
	}
	results := make([]result, n)
	body, err := json.Marshal(rfqForm())
	require.NoError(t, err)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, v := range visitors {
		wg.Add(1)
		go func(i int, v *shopVisitor) { // no require here: t.FailNow belongs to the test goroutine
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/rfq", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			<-start
			resp, err := v.hc.Do(req)
			res := result{req: req, resp: resp, err: err}
			if err == nil {
				res.body, res.err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			results[i] = res
		}(i, v)
	}
	close(start)
	wg.Wait()
	refs := make([]string, n)
	for i, res := range results {
		require.NoError(t, res.err)
		require.Equal(t, http.StatusCreated, res.resp.StatusCode, "submission %d: %s", i, res.body)
		apitest.Check(t, res.req, res.resp, res.body)
		var rfq rfqJSON
		require.NoError(t, json.Unmarshal(res.body, &rfq))
		refs[i] = rfq.ReferenceNumber
	}
	year := time.Now().In(store.Bucharest).Year()
	sorted := append([]string(nil), refs...)
	sort.Strings(sorted)
	for i, ref := range sorted {
		require.Equal(t, fmt.Sprintf("RFQ-%d-%05d", year, i+1), ref)
	}
	var rfqs, items, mails int
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfqs`).Scan(&rfqs))
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM rfq_items`).Scan(&items))
	require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT COUNT(*) FROM email_outbox`).Scan(&mails))
	require.Equal(t, n, rfqs)
	require.Equal(t, n, items)
	require.Equal(t, 2*n, mails)
	// each RFQ carries its own visitor's cart (quantity i+1)
	for i, v := range visitors {
		var q float64
		require.NoError(t, s.DB.ReadDB().QueryRow(`SELECT ri.quantity FROM rfq_items ri JOIN rfqs r ON r.id = ri.rfq_id
			WHERE r.reference_number = ?`, refs[i]).Scan(&q))
		require.Equal(t, float64(i+1), q)
		require.Empty(t, v.Cart().Items)
	}
}
