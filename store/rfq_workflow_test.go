package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/internal/testclock"
	"github.com/metalpro/backend/store"
	"github.com/metalpro/backend/store/storetest"
)

// staffCtx creates a staff account and returns a context acting as it.
func staffCtx(t *testing.T, db *store.DB, email, name string) (context.Context, string) {
	t.Helper()
	u, err := db.CreateStaff(context.Background(), store.Signup{Email: email, Password: "operator-parola-2026", Name: name, Role: store.RoleOperator})
	require.NoError(t, err)
	return store.WithActor(context.Background(), store.Actor{UserID: u.ID, Label: u.Email}), u.ID
}

func guestRFQ(t *testing.T, db *store.DB, guest, lang string) *store.SubmittedRFQ {
	t.Helper()
	ctx := context.Background()
	var pipe string
	if err := db.ReadDB().QueryRow(`SELECT id FROM products WHERE sku = ?`, "TR-40x40x3").Scan(&pipe); err != nil {
		pipe = storetest.MustCreateCatalog(t, db).Pipe
	}
	owner := store.CartOwner{GuestID: guest}
	_, err := db.AddCartItem(ctx, owner, store.CartItemInput{ProductID: pipe, Quantity: 6, Unit: "m"})
	require.NoError(t, err)
	res, err := submitRFQ(ctx, db, store.RFQSubmission{Owner: owner, Input: validRFQ(), Lang: lang})
	require.NoError(t, err)
	return res
}

func TestRFQWorkflow_StatusChanges(t *testing.T) {
	db := storetest.MustOpen(t)
	ana, _ := staffCtx(t, db, "ana@metalpro.ro", "Ana Pop")
	rfq := guestRFQ(t, db, "g-1", "en").RFQ

	a, err := db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1})
	require.NoError(t, err)
	require.Equal(t, store.RFQAcknowledged, a.Status)
	require.Equal(t, 2, a.Version)
	mail := outbox(t, db)
	last := mail[len(mail)-1]
	require.Equal(t, "rfq_status_changed", last.Template)
	require.Equal(t, "en", last.Lang, "the customer's language at submission")
	require.Equal(t, "ana@example.ro", last.To)

	// Skipping a step: refused with the allowed next statuses, nothing changes.
	_, err = db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQCompleted, ExpectedVersion: 2})
	var e *store.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, store.ECodeInvalidTransition, e.Code)
	require.Equal(t, []string{store.RFQInProgress, store.RFQCancelled}, e.Allowed)

	// No version: refused before anything is read.
	_, err = db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQInProgress})
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))

	a, err = db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQCancelled, Reason: "Clientul a renunțat.", ExpectedVersion: 2})
	require.NoError(t, err)
	require.Equal(t, store.RFQCancelled, a.Status)
	_, err = db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: rfq.ID, Status: store.RFQInProgress, ExpectedVersion: 3})
	require.ErrorAs(t, err, &e)
	require.Equal(t, []string{}, e.Allowed, "a cancelled RFQ goes nowhere")

	d, err := db.AdminRFQDetail(context.Background(), rfq.ID)
	require.NoError(t, err)
	require.Len(t, d.History, 3, "submitted, acknowledged, cancelled")
	require.Nil(t, d.History[0].From)
	require.Equal(t, "ana@metalpro.ro", *d.History[2].Actor)
	require.Equal(t, "Clientul a renunțat.", *d.History[2].Reason)
	entries, _, err := db.FindAudit(context.Background(), store.AuditFilter{Entity: "rfq", EntityID: rfq.ID})
	require.NoError(t, err)
	require.Len(t, entries, 2)
}

// Two operators act on the same version at the same moment: one change wins, the other
// is told the RFQ moved on; the RFQ shows the winner's change only.
func TestRFQWorkflow_ConcurrentChangesConflict(t *testing.T) {
	db := storetest.MustOpen(t)
	ana, _ := staffCtx(t, db, "ana@metalpro.ro", "Ana Pop")
	dan, _ := staffCtx(t, db, "dan@metalpro.ro", "Dan Ion")
	rfq := guestRFQ(t, db, "g-2", "ro").RFQ

	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, 2)
	for i, op := range []struct {
		ctx    context.Context
		status string
	}{{ana, store.RFQAcknowledged}, {dan, store.RFQCancelled}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = db.ChangeRFQStatus(op.ctx, store.RFQStatusChange{RFQID: rfq.ID, Status: op.status, ExpectedVersion: 1})
		}()
	}
	close(start)
	wg.Wait()
	codes := []string{store.ErrorCode(errs[0]), store.ErrorCode(errs[1])}
	require.ElementsMatch(t, []string{"", store.ECodeVersionConflict}, codes)
	d, err := db.AdminRFQDetail(context.Background(), rfq.ID)
	require.NoError(t, err)
	require.Equal(t, 2, d.Version)
	require.Len(t, d.History, 2, "one change only")
	winner := store.RFQAcknowledged
	if errs[0] != nil {
		winner = store.RFQCancelled
	}
	require.Equal(t, winner, d.Status)
}

func TestRFQWorkflow_AssignNotesMessages(t *testing.T) {
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	ana, anaID := staffCtx(t, db, "ana@metalpro.ro", "Ana Pop")
	res := guestRFQ(t, db, "g-3", "ro")
	rfq := res.RFQ
	customer := storetest.MustCreateUser(t, db, "client@firma.ro")

	_, err := db.AssignRFQ(ana, rfq.ID, customer, 0)
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err), "only staff can be assigned")
	a, err := db.AssignRFQ(ana, rfq.ID, anaID, 1)
	require.NoError(t, err)
	require.Equal(t, "Ana Pop", a.Assignee.Name)
	_, err = db.AssignRFQ(ana, rfq.ID, "", 1)
	require.Equal(t, store.ECodeVersionConflict, store.ErrorCode(err))

	_, err = db.AddRFQNote(ana, rfq.ID, "Sună clientul pentru termen.")
	require.NoError(t, err)
	m, err := db.AddStaffRFQMessage(ana, rfq.ID, "Putem livra în 10 zile lucrătoare.")
	require.NoError(t, err)
	require.Equal(t, "Ana Pop", m.Author)
	_, err = db.AddCustomerRFQMessage(context.Background(), rfq.ID, store.RFQViewer{Token: res.TrackingToken}, "Mulțumesc!", "sales@metalpro.ro")
	require.NoError(t, err)
	mail := outbox(t, db)
	require.Equal(t, "operator_rfq_message", mail[len(mail)-1].Template)
	require.Equal(t, "ana@metalpro.ro", mail[len(mail)-1].To, "the assignee hears of the answer")
	_, err = db.AddCustomerRFQMessage(context.Background(), rfq.ID, store.RFQViewer{GuestID: "someone-else"}, "?", "")
	require.Equal(t, store.ECodeNotFound, store.ErrorCode(err))

	d, err := db.AdminRFQDetail(context.Background(), rfq.ID)
	require.NoError(t, err)
	require.Len(t, d.Notes, 1)
	require.Len(t, d.Messages, 2)
	require.Equal(t, store.RFQMessageByCustomer, d.Messages[1].AuthorKind)
	customerView, err := db.RFQMessages(context.Background(), rfq.ID)
	require.NoError(t, err)
	require.Len(t, customerView, 2)

	// The customer's side has its hourly share; an hour later it has it again.
	for i := 1; i < store.MaxRFQMessagesPerHour; i++ {
		_, err = db.AddCustomerRFQMessage(context.Background(), rfq.ID, store.RFQViewer{GuestID: "g-3"}, "încă o întrebare", "")
		require.NoError(t, err, "message %d", i)
	}
	_, err = db.AddCustomerRFQMessage(context.Background(), rfq.ID, store.RFQViewer{GuestID: "g-3"}, "încă una", "")
	require.Equal(t, store.ECodeRateLimited, store.ErrorCode(err))
	_, err = db.AddStaffRFQMessage(ana, rfq.ID, "Staff still can.")
	require.NoError(t, err, "each side has its own share")
	clk.Advance(time.Hour)
	_, err = db.AddCustomerRFQMessage(context.Background(), rfq.ID, store.RFQViewer{GuestID: "g-3"}, "după o oră", "")
	require.NoError(t, err)

	_, err = db.AddRFQNote(ana, rfq.ID, "   ")
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
}

func TestRFQWorkflow_Queue(t *testing.T) {
	clk := testclock.New(time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC))
	db := storetest.MustOpenWith(t, store.Options{Now: clk.Now})
	ana, anaID := staffCtx(t, db, "ana@metalpro.ro", "Ana Pop")
	first := guestRFQ(t, db, "g-a", "ro").RFQ
	clk.Advance(time.Hour)
	second := guestRFQ(t, db, "g-b", "ro").RFQ
	_, err := db.ChangeRFQStatus(ana, store.RFQStatusChange{RFQID: second.ID, Status: store.RFQAcknowledged, ExpectedVersion: 1})
	require.NoError(t, err)
	_, err = db.AssignRFQ(ana, second.ID, anaID, 0)
	require.NoError(t, err)

	p, err := db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{})
	require.NoError(t, err)
	require.Equal(t, 2, p.Total)
	require.Equal(t, first.ID, p.RFQs[0].ID, "oldest first")
	require.Equal(t, 1, p.Counts[store.RFQSubmitted])
	require.Equal(t, 1, p.Counts[store.RFQAcknowledged])
	require.Equal(t, 0, p.Counts[store.RFQQuoted])

	p, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{Status: store.RFQAcknowledged, Sort: "-submittedAt"})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	require.Equal(t, 1, p.Counts[store.RFQSubmitted], "counts ignore the status filter")
	p, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{Assignee: "none"})
	require.NoError(t, err)
	require.Equal(t, []string{first.ID}, []string{p.RFQs[0].ID})
	p, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{Q: second.ReferenceNumber})
	require.NoError(t, err)
	require.Len(t, p.RFQs, 1)
	p, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{Q: "100%_"})
	require.NoError(t, err)
	require.Empty(t, p.RFQs, "wildcards match themselves")
	from := first.SubmittedAt.Add(time.Minute)
	p, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{From: &from})
	require.NoError(t, err)
	require.Equal(t, 1, p.Total)
	require.Equal(t, 0, p.Counts[store.RFQSubmitted])
	_, err = db.FindAdminRFQs(context.Background(), store.AdminRFQFilter{Sort: "price"})
	require.Equal(t, store.ECodeInvalid, store.ErrorCode(err))
}
