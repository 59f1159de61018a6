package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

type outboxRow struct {
	Template, To, Lang string
	Data               map[string]any
}

func outbox(tb testing.TB, db *store.DB) []outboxRow {
	tb.Helper()
	rows, err := db.ReadDB().Query(`SELECT template, to_addr, lang, data FROM email_outbox ORDER BY created_at, rowid`)
	require.NoError(tb, err)
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var data string
		require.NoError(tb, rows.Scan(&r.Template, &r.To, &r.Lang, &data))
		require.NoError(tb, json.Unmarshal([]byte(data), &r.Data))
		out = append(out, r)
	}
	return out
}

func count(tb testing.TB, db *store.DB, table string) int {
	tb.Helper()
	var n int
	require.NoError(tb, db.ReadDB().QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

func TestRFQ_Submit(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	cat := storetest.MustCreateCatalog(t, db)

	t.Run("OK", func(t *testing.T) {
		guest := store.CartOwner{GuestID: "g-ok"}
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 12, Unit: "m"})
		require.NoError(t, err)
		_, err = db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Sheet, Quantity: 100, Unit: "kg"})
		require.NoError(t, err)
		in := validRFQ()
		in.CompanyName = `<b>Oțel & Fiii</b> "SRL"`
		in.DeliveryDate = "2026-05-10" // today in Bucharest
		res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in, Lang: "ro", OperatorEmail: "sales@metalpro.ro"})
		require.NoError(t, err)
		r := res.RFQ
		require.Equal(t, "RFQ-2026-00001", r.ReferenceNumber)
		require.Equal(t, store.RFQSubmitted, r.Status)
		require.Equal(t, "DAP", *r.Incoterm)
		require.Equal(t, "Cluj", r.DeliveryAddress.County)
		require.Equal(t, "Romania", r.BillingAddress.Country)
		require.Len(t, r.Items, 2)
		require.Equal(t, 612.0, r.Items[0].GrossPrice, "12 m × 51 RON")
		require.Equal(t, 560.0, r.Items[1].GrossPrice, "100 kg × 5.60 RON")
		require.Equal(t, 5.6, *r.Items[1].UnitPrice)
		require.Equal(t, 1172.0, *r.EstimatedTotal)
		require.NotEmpty(t, res.TrackingToken)
		require.Equal(t, 201, res.Response.Status)
		require.Contains(t, string(res.Response.Body), `"referenceNumber":"RFQ-2026-00001"`)

		cart, err := db.Cart(ctx, guest)
		require.NoError(t, err)
		require.Empty(t, cart.Items, "the cart is emptied")

		mails := outbox(t, db)
		require.Len(t, mails, 2)
		require.Equal(t, "rfq_confirmation", mails[0].Template)
		require.Equal(t, "ana@example.ro", mails[0].To)
		require.Equal(t, "RFQ-2026-00001", mails[0].Data["referenceNumber"])
		require.Equal(t, `<b>Oțel & Fiii</b> "SRL"`, mails[0].Data["companyName"], "raw text; mail escapes")
		require.Equal(t, 1172.0, mails[0].Data["estimatedTotal"])
		require.Equal(t, "2026-05-10", mails[0].Data["deliveryDate"])
		require.Equal(t, res.TrackingToken, mails[0].Data["trackingToken"])
		require.Len(t, mails[0].Data["items"], 2)
		require.Equal(t, "operator_new_rfq", mails[1].Template)
		require.Equal(t, "sales@metalpro.ro", mails[1].To)
		require.Equal(t, "RO14399840", mails[1].Data["cui"])
		require.Equal(t, 2.0, mails[1].Data["itemCount"])

		var hash string
		require.NoError(t, db.ReadDB().QueryRow(`SELECT tracking_token_hash FROM rfqs WHERE id = ?`, r.ID).Scan(&hash))
		require.NotContains(t, hash, res.TrackingToken, "only the token's hash is stored")
		var snapshot string
		require.NoError(t, db.ReadDB().QueryRow(`SELECT cart_snapshot FROM rfqs WHERE id = ?`, r.ID).Scan(&snapshot))
		require.Contains(t, snapshot, `"estimatedTotal":1172`)
	})

	t.Run("ErrEmptyCart", func(t *testing.T) {
		_, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: store.CartOwner{GuestID: "g-empty"}, Input: validRFQ()})
		require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
	})

	t.Run("ErrWithdrawnItemChangesNothing", func(t *testing.T) {
		guest := store.CartOwner{GuestID: "g-withdrawn"}
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Wire, Quantity: 5, Unit: "kg"})
		require.NoError(t, err)
		_, err = db.WriteDB().Exec(`UPDATE products SET is_active = 0 WHERE id = ?`, cat.Wire)
		require.NoError(t, err)
		before := count(t, db, "email_outbox")
		_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), OperatorEmail: "ops@x.ro"})
		require.Equal(t, "items[0]", fieldOf(t, err))
		require.Equal(t, before, count(t, db, "email_outbox"))
		_, err = db.WriteDB().Exec(`UPDATE products SET is_active = 1 WHERE id = ?`, cat.Wire)
		require.NoError(t, err)
		res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), OperatorEmail: "ops@x.ro"})
		require.NoError(t, err)
		require.Equal(t, "RFQ-2026-00002", res.RFQ.ReferenceNumber, "the failed attempt used no number")
	})

	t.Run("ErrInvalidForm", func(t *testing.T) {
		guest := store.CartOwner{GuestID: "g-form"}
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Wire, Quantity: 5, Unit: "kg"})
		require.NoError(t, err)
		cases := map[string]func(in *store.RFQInput){
			"companyName":                func(in *store.RFQInput) { in.CompanyName = " " },
			"cui":                        func(in *store.RFQInput) { in.CUI = "RO14399841" },
			"email":                      func(in *store.RFQInput) { in.Email = "ana@" },
			"phone":                      func(in *store.RFQInput) { in.Phone = "12" },
			"billingAddress":             func(in *store.RFQInput) { in.BillingAddress = nil },
			"billingAddress.county":      func(in *store.RFQInput) { in.BillingAddress.County = "Transilvania" },
			"deliveryAddress.postalCode": func(in *store.RFQInput) { in.DeliveryAddress.PostalCode = "40001" },
			"incoterm":                   func(in *store.RFQInput) { in.Incoterm = "XYZ" },
			"deliveryDate":               func(in *store.RFQInput) { in.DeliveryDate = "2026-05-09" },
			"notes":                      func(in *store.RFQInput) { in.Notes = string(make([]rune, 2001)) },
			"attachmentIds[0]":           func(in *store.RFQInput) { in.AttachmentIDs = []string{store.NewID()} },
			"attachmentIds":              func(in *store.RFQInput) { in.AttachmentIDs = make([]string, store.MaxRFQAttachments+1) },
		}
		for field, mutate := range cases {
			in := validRFQ()
			mutate(&in)
			_, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in})
			require.Equal(t, field, fieldOf(t, err), field)
		}
		t.Run("BadDate", func(t *testing.T) {
			in := validRFQ()
			in.DeliveryDate = "2026-02-30"
			_, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: in})
			require.Equal(t, "deliveryDate", fieldOf(t, err))
		})
		t.Run("ForeignAddress", func(t *testing.T) {
			in := validRFQ()
			in.DeliveryAddress = &store.RFQAddress{Street: "Hauptstraße 1", City: "Wien", County: "", PostalCode: "1010", Country: "Austria"}
			in.Phone = "+43 1 234 5678"
			in.CUI = ""
			require.NoError(t, in.Validate(clk.Now()))
		})
	})
}

func TestRFQ_ReferenceNumbersRestartEachYear(t *testing.T) {
	ctx := context.Background()
	// 31 Dec 2026 21:30 UTC is 23:30 in Bucharest (UTC+2): still 2026.
	clk := testclock.New(time.Date(2026, 12, 31, 21, 30, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	cat := storetest.MustCreateCatalog(t, db)
	submit := func() string {
		t.Helper()
		owner := store.CartOwner{GuestID: store.NewID()}
		_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m"})
		require.NoError(t, err)
		res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ()})
		require.NoError(t, err)
		return res.RFQ.ReferenceNumber
	}
	require.Equal(t, "RFQ-2026-00001", submit())
	require.Equal(t, "RFQ-2026-00002", submit())
	clk.Set(time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC)) // 00:30 on 1 Jan 2027 in Bucharest
	require.Equal(t, "RFQ-2027-00001", submit())
	require.Equal(t, "RFQ-2027-00002", submit())
}

func TestRFQ_Idempotency(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	guest := store.CartOwner{GuestID: "g-idem"}
	_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 3, Unit: "m"})
	require.NoError(t, err)
	key := &store.Idempotency{Scope: "guest:g-idem", Key: "k1", RequestHash: "h1"}
	first, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), Idempotency: key})
	require.NoError(t, err)
	require.False(t, first.Replayed)

	again, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), Idempotency: key})
	require.NoError(t, err, "the cart is empty now, yet the retry gets the first answer")
	require.True(t, again.Replayed)
	require.Equal(t, first.Response, again.Response)
	require.Equal(t, 1, count(t, db, "rfqs"))

	_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(),
		Idempotency: &store.Idempotency{Scope: "guest:g-idem", Key: "k1", RequestHash: "other"}})
	require.Equal(t, store.ECodeConflict, store.ErrorCode(err))

	_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: store.CartOwner{GuestID: "someone-else"}, Input: validRFQ(),
		Idempotency: &store.Idempotency{Scope: "guest:someone-else", Key: "k1", RequestHash: "h1"}})
	require.Equal(t, store.ErrEmptyCart, err, "keys are scoped to their caller: no answer of another's")
}

// TestRFQ_SubmitRechecks covers what can change between the pre-check and the submit
// transaction: the transaction looks again instead of trusting the pre-check.
func TestRFQ_SubmitRechecks(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)

	t.Run("ConcurrentRetryGetsTheFirstAnswer", func(t *testing.T) {
		guest := store.CartOwner{GuestID: "g-race"}
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 3, Unit: "m"})
		require.NoError(t, err)
		sub := store.RFQSubmission{Owner: guest, Input: validRFQ(), Respond: respondJSON,
			Idempotency: &store.Idempotency{Scope: "guest:g-race", Key: "k", RequestHash: "h"}}
		first, err := db.CheckRFQ(ctx, sub)
		require.NoError(t, err)
		second, err := db.CheckRFQ(ctx, sub)
		require.NoError(t, err)
		require.Nil(t, second.Replay, "both pass the pre-check before either commits")

		created, err := db.SubmitRFQ(ctx, first)
		require.NoError(t, err)
		replayed, err := db.SubmitRFQ(ctx, second)
		require.NoError(t, err)
		require.True(t, replayed.Replayed)
		require.Equal(t, created.Response, replayed.Response)
	})

	t.Run("ErrCartEmptiedSinceThePreCheck", func(t *testing.T) {
		guest := store.CartOwner{GuestID: "g-emptied"}
		_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Pipe, Quantity: 3, Unit: "m"})
		require.NoError(t, err)
		checked, err := db.CheckRFQ(ctx, store.RFQSubmission{Owner: guest, Input: validRFQ()})
		require.NoError(t, err)
		require.NoError(t, db.ClearCart(ctx, guest))
		_, err = db.SubmitRFQ(ctx, checked)
		require.Equal(t, store.ErrEmptyCart, err)
	})
}

// submitRFQ is what POST /api/rfq does with the store: the pre-check, then the submit
// (the answer rendered as JSON unless the test renders its own).
func submitRFQ(ctx context.Context, db *store.DB, sub store.RFQSubmission) (*store.SubmittedRFQ, error) {
	if sub.Respond == nil {
		sub.Respond = respondJSON
	}
	checked, err := db.CheckRFQ(ctx, sub)
	if err != nil {
		return nil, err
	}
	if checked.Replay != nil {
		return &store.SubmittedRFQ{Response: *checked.Replay, Replayed: true}, nil
	}
	return db.SubmitRFQ(ctx, checked)
}

func respondJSON(rfq *store.RFQ) (store.StoredResponse, error) {
	body, err := json.Marshal(rfq)
	return store.StoredResponse{Status: 201, Body: body}, err
}

func TestRFQ_Visibility(t *testing.T) {
	ctx := context.Background()
	db := storetest.MustOpen(t)
	cat := storetest.MustCreateCatalog(t, db)
	userID := storetest.MustCreateUser(t, db, "u@example.ro")
	otherUser := storetest.MustCreateUser(t, db, "o@example.ro")
	submit := func(owner store.CartOwner) *store.SubmittedRFQ {
		_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: cat.Pipe, Quantity: 1, Unit: "m"})
		require.NoError(t, err)
		res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ()})
		require.NoError(t, err)
		return res
	}
	guestRFQ := submit(store.CartOwner{GuestID: "g-vis"})
	userRFQ := submit(store.CartOwner{UserID: userID})

	allowed := []struct {
		id string
		v  store.RFQViewer
	}{
		{guestRFQ.RFQ.ID, store.RFQViewer{GuestID: "g-vis"}},
		{guestRFQ.RFQ.ID, store.RFQViewer{Token: guestRFQ.TrackingToken}},
		{guestRFQ.RFQ.ID, store.RFQViewer{UserID: userID, GuestID: "g-vis"}},
		{userRFQ.RFQ.ID, store.RFQViewer{UserID: userID}},
		{userRFQ.RFQ.ID, store.RFQViewer{Token: userRFQ.TrackingToken}},
	}
	for _, a := range allowed {
		_, err := db.RFQForViewer(ctx, a.id, a.v)
		require.NoError(t, err, "%+v", a.v)
	}
	denied := []struct {
		id string
		v  store.RFQViewer
	}{
		{guestRFQ.RFQ.ID, store.RFQViewer{GuestID: "g-other"}},
		{guestRFQ.RFQ.ID, store.RFQViewer{UserID: otherUser, GuestID: "g-other"}},
		{guestRFQ.RFQ.ID, store.RFQViewer{Token: userRFQ.TrackingToken}},
		{guestRFQ.RFQ.ID, store.RFQViewer{Token: "guess"}},
		{userRFQ.RFQ.ID, store.RFQViewer{GuestID: "g-vis"}},
		{userRFQ.RFQ.ID, store.RFQViewer{UserID: otherUser}},
		{"not-a-uuid", store.RFQViewer{UserID: userID}},
		{store.NewID(), store.RFQViewer{UserID: userID}},
	}
	for _, d := range denied {
		_, err := db.RFQForViewer(ctx, d.id, d.v)
		require.Equal(t, store.ECodeNotFound, store.ErrorCode(err), "%+v", d.v)
	}

	t.Run("List", func(t *testing.T) {
		submit(store.CartOwner{UserID: userID})
		list, total, err := db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Page: 1, Limit: 1})
		require.NoError(t, err)
		require.Equal(t, 2, total)
		require.Len(t, list, 1)
		for page := 1; page <= 2; page++ {
			list, total, err := db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Page: page, Limit: 1})
			require.NoError(t, err)
			require.Equal(t, 2, total)
			require.Len(t, list, 1)
			one, err := db.RFQForViewer(ctx, list[0].ID, store.RFQViewer{UserID: userID})
			require.NoError(t, err)
			require.NotEmpty(t, one.Items)
			require.Equal(t, one, list[0], "a listed RFQ is the RFQ as read alone, its own items and all")
		}
		list, total, err = db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Page: 3, Limit: 1})
		require.NoError(t, err)
		require.Equal(t, 2, total, "a page past the end still tells the total")
		require.Empty(t, list)
		_, _, err = db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Page: 1, Limit: store.MaxPageLimit + 1})
		require.Error(t, err, "a limit the API refuses is refused, not replaced by another")
		list, total, err = db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Status: "QUOTED"})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, list)
		_, _, err = db.FindRFQs(ctx, store.RFQFilter{UserID: userID, Status: "nope"})
		require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
		list, total, err = db.FindRFQs(ctx, store.RFQFilter{UserID: otherUser})
		require.NoError(t, err)
		require.Zero(t, total)
		require.Empty(t, list)
	})
}

func TestRFQ_IdempotencyKeysExpire(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	cat := storetest.MustCreateCatalog(t, db)
	guest := store.CartOwner{GuestID: "g-exp-key"}
	key := store.Idempotency{Scope: "guest:g-exp-key", Key: "k", RequestHash: "h1"}
	_, err := db.AddCartItem(ctx, guest, store.CartItemInput{ProductID: cat.Wire, Quantity: 1, Unit: "kg"})
	require.NoError(t, err)
	_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), Idempotency: &key})
	require.NoError(t, err)

	clk.Add(store.IdempotencyTTL + time.Minute)
	other := key
	other.RequestHash = "h2"
	_, err = submitRFQ(ctx, db, store.RFQSubmission{Owner: guest, Input: validRFQ(), Idempotency: &other})
	require.Equal(t, store.ErrEmptyCart, err, "an expired key is forgotten, not a conflict (nor a replay)")
	require.Equal(t, int64(1), mustSweep(t, db)["expired idempotency keys"])
}
