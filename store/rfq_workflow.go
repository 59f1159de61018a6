package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/metalpro/backend/emails"
)

// The back office works an RFQ: status changes along the workflow table (rfq_status.go),
// assignment to a staff member. Each change names the RFQ version it was decided on, so
// two operators acting on the same state cannot silently overwrite each other: the second
// gets version_conflict and reloads. Every change writes its audit row (and a status
// change its history row and, for ACKNOWLEDGED and CANCELLED, the customer's email) in the
// change's own transaction.

// MaxRFQReasonLen bounds the reason of a status change.
const MaxRFQReasonLen = 1000

// RFQStatusChange moves an RFQ to Status. ExpectedVersion is the version the operator saw.
type RFQStatusChange struct {
	RFQID           string
	Status          string
	Reason          string
	ExpectedVersion int
}

// ErrRFQVersionConflict answers a change decided on a version that is no longer current.
var ErrRFQVersionConflict = Errorf(ECodeVersionConflict,
	"Cererea a fost modificată între timp de altcineva. Reîncarcă pagina și încearcă din nou.",
	"Someone else changed this request in the meantime. Reload the page and try again.")

// errRFQTransition refuses a status change the workflow does not allow, naming the ones it does.
func errRFQTransition(from, to string) *Error {
	e := Errorf(ECodeInvalidTransition,
		fmt.Sprintf("Cererea nu poate trece din starea „%s” în „%s”.", rfqStatusRO[from], rfqStatusRO[to]),
		fmt.Sprintf("The request cannot move from %s to %s.", from, to))
	e.Allowed = AllowedNextStatuses(from)
	return e
}

// rfqStatusRO names each status in Romanian for people.
var rfqStatusRO = map[string]string{
	RFQSubmitted: "trimisă", RFQAcknowledged: "preluată", RFQInProgress: "în lucru",
	RFQQuoted: "ofertată", RFQCompleted: "finalizată", RFQCancelled: "anulată",
}

// rfqAuditState is what an RFQ's audit rows record of it.
type rfqAuditState struct {
	Status     string  `json:"status"`
	AssigneeID *string `json:"assigneeId"`
	Version    int     `json:"version"`
	Reason     *string `json:"reason,omitempty"`
}

func auditStateOf(r *RFQ) rfqAuditState {
	return rfqAuditState{Status: r.Status, AssigneeID: r.AssigneeID, Version: r.Version}
}

// ChangeRFQStatus moves an RFQ along the workflow as the actor in ctx.
func (db *DB) ChangeRFQStatus(ctx context.Context, ch RFQStatusChange) (*AdminRFQ, error) {
	v := &Validator{}
	v.Check(slices.Contains(RFQStatuses, ch.Status), "status", "Status necunoscut.", "Unknown status.")
	ch.Reason = strings.TrimSpace(ch.Reason)
	v.Check(len([]rune(ch.Reason)) <= MaxRFQReasonLen, "reason",
		fmt.Sprintf("Motivul poate avea cel mult %d de caractere.", MaxRFQReasonLen),
		fmt.Sprintf("The reason may have at most %d characters.", MaxRFQReasonLen))
	checkExpectedVersion(v, ch.ExpectedVersion)
	if err := v.Err(); err != nil {
		return nil, err
	}
	actor, _ := ActorFrom(ctx)
	var out *AdminRFQ
	err := db.Write(ctx, func(tx *Tx) error {
		rfq, err := rfqForChange(ctx, tx, ch.RFQID, ch.ExpectedVersion)
		if err != nil {
			return err
		}
		if !CanMoveRFQ(rfq.Status, ch.Status) {
			return errRFQTransition(rfq.Status, ch.Status)
		}
		before := auditStateOf(rfq)
		if err := bumpRFQ(ctx, tx, rfq, `status = ?`, ch.Status); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rfq_history (id, rfq_id, from_status, to_status, reason, actor_id, actor_label, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, NewID(), rfq.ID, before.Status, ch.Status, nullIfEmpty(ch.Reason),
			nullIfEmpty(actor.UserID), actor.Label, FormatTime(tx.Now)); err != nil {
			return err
		}
		after := rfqAuditState{Status: ch.Status, AssigneeID: rfq.AssigneeID, Version: rfq.Version + 1}
		if ch.Reason != "" {
			after.Reason = &ch.Reason
		}
		if err := Audit(ctx, tx, "rfq.status", "rfq", rfq.ID, before, after); err != nil {
			return err
		}
		if ch.Status == RFQAcknowledged || ch.Status == RFQCancelled {
			if _, err := EnqueueEmail(ctx, tx, OutboxEmail{To: rfq.Email, Lang: rfq.Language, Email: emails.RFQStatusChanged{
				RFQID: rfq.ID, ReferenceNumber: rfq.ReferenceNumber, ContactPerson: rfq.ContactPerson,
				Status: ch.Status, Reason: nilIfEmpty(ch.Reason),
			}}); err != nil {
				return err
			}
		}
		out, err = adminRFQ(ctx, tx, rfq.ID)
		return err
	})
	return out, err
}

// AssignRFQ gives the RFQ to an active staff member (userID), or to nobody (""), as the
// actor in ctx. expectedVersion 0 skips the version check: an assignment does not depend
// on the RFQ's state, but a client that sends it is protected like a status change.
func (db *DB) AssignRFQ(ctx context.Context, rfqID, userID string, expectedVersion int) (*AdminRFQ, error) {
	if expectedVersion != 0 {
		v := &Validator{}
		checkExpectedVersion(v, expectedVersion)
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	var out *AdminRFQ
	err := db.Write(ctx, func(tx *Tx) error {
		rfq, err := rfqForChange(ctx, tx, rfqID, expectedVersion)
		if err != nil {
			return err
		}
		var assignee any
		if userID != "" {
			if !isActiveStaff(ctx, tx, userID) {
				v := &Validator{}
				v.Add("userId", "Cererea poate fi atribuită doar unui operator sau administrator activ.",
					"A request can be assigned only to an active operator or administrator.")
				return v.Err()
			}
			assignee = userID
		}
		before := auditStateOf(rfq)
		if err := bumpRFQ(ctx, tx, rfq, `assignee_id = ?`, assignee); err != nil {
			return err
		}
		after := before
		after.AssigneeID, after.Version = nilIfEmpty(userID), rfq.Version+1
		if err := Audit(ctx, tx, "rfq.assign", "rfq", rfq.ID, before, after); err != nil {
			return err
		}
		out, err = adminRFQ(ctx, tx, rfq.ID)
		return err
	})
	return out, err
}

func checkExpectedVersion(v *Validator, version int) {
	v.Check(version >= 1, "expectedVersion",
		"Trimite versiunea cererii pe care ai văzut-o (expectedVersion sau antetul If-Match).",
		"Send the version of the request you saw (expectedVersion or the If-Match header).")
}

// rfqForChange loads the RFQ a staff change applies to and checks it is still at the
// version the change was decided on (0: no check).
func rfqForChange(ctx context.Context, tx *Tx, id string, expectedVersion int) (*RFQ, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, errRFQNotFound
	}
	rfq, err := scanRFQ(tx.QueryRowContext(ctx, `SELECT `+rfqColumns+` FROM rfqs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errRFQNotFound
	}
	if err != nil {
		return nil, err
	}
	if expectedVersion != 0 && rfq.Version != expectedVersion {
		return nil, ErrRFQVersionConflict
	}
	return rfq, nil
}

// bumpRFQ applies set (one assignment) to the RFQ and moves it to the next version. The
// WHERE on the version is a second guard: the write transaction already serialises
// changes, but a row that moved on must never be overwritten.
func bumpRFQ(ctx context.Context, tx *Tx, rfq *RFQ, set string, arg any) error {
	res, err := tx.ExecContext(ctx, `UPDATE rfqs SET `+set+`, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		arg, FormatTime(tx.Now), rfq.ID, rfq.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err == nil {
			err = ErrRFQVersionConflict
		}
		return err
	}
	return nil
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
