package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Upload kinds (the attachments table's kind column).
const (
	UploadAttachment = "attachment"
	UploadBOM        = "bom"
)

// UnclaimedUploadTTL is how long an upload may wait for an RFQ or a project to claim it
// before the sweep deletes it, blob and row.
const UnclaimedUploadTTL = 24 * time.Hour

// Upload is one uploaded file's row. StorageKey names its content in the file store.
type Upload struct {
	ID         string
	Kind       string
	FileName   string
	FileSize   int64
	MimeType   string
	StorageKey string
	UserID     string // the uploader, when signed in
	GuestID    string // the uploader's guest session, otherwise
	RFQID      string // the RFQ that claimed it, if any
	ProjectID  string // the project that keeps it, if any
	UploadedAt time.Time
	// RFQUserID and RFQGuestID own the RFQ the file is attached to (they may read it too).
	RFQUserID, RFQGuestID string
}

// NewUpload is a stored blob to record.
type NewUpload struct {
	Kind       string
	FileName   string
	FileSize   int64
	MimeType   string
	StorageKey string
}

var errUploadNotFound = ErrNotFound("Fișierul nu a fost găsit.", "File not found.")

var (
	userUploadQuota = quotaKind{table: "attachments", bytes: "file_size",
		quota: func(q Quotas) Quota { return q.Uploads },
		noun:  Text{RO: "fișiere încărcate", EN: "uploaded files"}, remove: Text{RO: "Șterge fișiere nefolosite", EN: "Delete unused files"}}
	guestUploadQuota = func() quotaKind { k := userUploadQuota; k.owner = "session_id"; return k }()
)

// CreateUpload records an upload of owner's, within the owner's upload quota (count and
// bytes). The blob is already in the file store: the caller removes it if this fails.
func (db *DB) CreateUpload(ctx context.Context, owner CartOwner, in NewUpload) (*Upload, error) {
	if err := owner.check(); err != nil {
		return nil, err
	}
	if in.Kind != UploadAttachment && in.Kind != UploadBOM {
		return nil, fmt.Errorf("upload: unknown kind %q", in.Kind)
	}
	u := &Upload{ID: NewID(), Kind: in.Kind, FileName: in.FileName, FileSize: in.FileSize, MimeType: in.MimeType,
		StorageKey: in.StorageKey, UserID: owner.UserID, GuestID: owner.GuestID}
	err := db.Write(ctx, func(tx *Tx) error {
		kind, who := userUploadQuota, owner.UserID
		if owner.UserID == "" {
			kind, who = guestUploadQuota, owner.GuestID
		}
		if err := checkQuota(ctx, tx, kind, who, "", 1, in.FileSize); err != nil {
			return err
		}
		u.UploadedAt = tx.Now.UTC().Truncate(time.Millisecond)
		_, err := tx.ExecContext(ctx, `INSERT INTO attachments (id, user_id, session_id, kind, file_name, file_size,
				mime_type, storage_url, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, nullIfEmpty(owner.UserID), nullIfEmpty(owner.GuestID), in.Kind, in.FileName, in.FileSize,
			in.MimeType, in.StorageKey, FormatTime(tx.Now))
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// GetUpload reads upload id with the owners of the RFQ that claimed it; not found as a
// store error. Whether the caller may see it is the caller's decision (Upload.ReadableBy).
func (db *DB) GetUpload(ctx context.Context, id string) (*Upload, error) {
	var u *Upload
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		u, err = getUpload(ctx, tx, id)
		return err
	})
	return u, err
}

func getUpload(ctx context.Context, tx *Tx, id string) (*Upload, error) {
	var u Upload
	var userID, guestID, rfqID, projectID, rfqUser, rfqGuest sql.NullString
	var uploaded string
	err := tx.QueryRowContext(ctx, `SELECT a.id, a.kind, a.file_name, a.file_size, a.mime_type, a.storage_url,
			a.user_id, a.session_id, a.rfq_id, a.project_id, a.uploaded_at, r.user_id, r.guest_session_id
		FROM attachments a LEFT JOIN rfqs r ON r.id = a.rfq_id WHERE a.id = ?`, id).Scan(
		&u.ID, &u.Kind, &u.FileName, &u.FileSize, &u.MimeType, &u.StorageKey,
		&userID, &guestID, &rfqID, &projectID, &uploaded, &rfqUser, &rfqGuest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUploadNotFound
	}
	if err != nil {
		return nil, err
	}
	u.UserID, u.GuestID, u.RFQID, u.ProjectID = userID.String, guestID.String, rfqID.String, projectID.String
	u.RFQUserID, u.RFQGuestID = rfqUser.String, rfqGuest.String
	u.UploadedAt, err = ParseTime(uploaded)
	return &u, err
}

// ReadableBy reports whether the user (userID, role) or guest (guestID) may download u: its
// uploader, staff, or the owner of the RFQ it is attached to.
func (u *Upload) ReadableBy(userID, role, guestID string) bool {
	switch {
	case userID != "" && (role == RoleOperator || role == RoleAdmin):
		return true
	case userID != "" && (userID == u.UserID || userID == u.RFQUserID):
		return true
	case guestID != "" && (guestID == u.GuestID || guestID == u.RFQGuestID):
		return true
	}
	return false
}

// DeleteUpload removes upload id's row (a BOM that could not be read, a blob the caller is
// about to delete). Deleting a missing row is not an error.
func (db *DB) DeleteUpload(ctx context.Context, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ?`, id)
		return err
	})
}

// UnclaimedUploads lists up to limit uploads older than UnclaimedUploadTTL that no RFQ or
// project claims, oldest first: the sweep's work.
func (db *DB) UnclaimedUploads(ctx context.Context, limit int) ([]Upload, error) {
	var out []Upload
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, storage_url FROM attachments
			WHERE rfq_id IS NULL AND project_id IS NULL AND uploaded_at < ?
			ORDER BY uploaded_at LIMIT ?`, FormatTime(tx.Now.Add(-UnclaimedUploadTTL)), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u Upload
			if err := rows.Scan(&u.ID, &u.StorageKey); err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteUnclaimedUpload deletes upload id's row if still nothing claims it, and reports
// whether it did: only then may its blob go (an RFQ may have claimed it since the list).
func (db *DB) DeleteUnclaimedUpload(ctx context.Context, id string) (bool, error) {
	var deleted bool
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ? AND rfq_id IS NULL AND project_id IS NULL`, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		deleted = n > 0
		return err
	})
	return deleted, err
}

// KeepUploadInProject marks the user's upload id as kept by project projectID, so the sweep
// leaves it (a saved BOM keeps its file).
func KeepUploadInProject(ctx context.Context, tx *Tx, userID, id, projectID string) error {
	res, err := tx.ExecContext(ctx, `UPDATE attachments SET project_id = ? WHERE id = ? AND user_id = ?`, projectID, id, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errUploadNotFound
	}
	return nil
}

// MaxRFQAttachments is how many files one RFQ may carry.
const MaxRFQAttachments = 20

// checkRFQAttachments refuses (as a field error, nothing written) any id that is not one of
// owner's own unclaimed uploads (drawings, and the BOM the cart came from, which the
// operator wants to see as the customer wrote it); with rfqID set it also claims them.
func checkRFQAttachments(ctx context.Context, tx *Tx, owner CartOwner, ids []string, rfqID string) error {
	if len(ids) == 0 {
		return nil
	}
	col, who := owner.where()
	v := &Validator{}
	seen := map[string]bool{}
	for i, id := range ids {
		field := fmt.Sprintf("attachmentIds[%d]", i)
		if seen[id] {
			v.Add(field, "Fișierul este atașat de două ori.", "The file is attached twice.")
			continue
		}
		seen[id] = true
		var n int64
		if rfqID == "" {
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM attachments WHERE id = ?
					AND rfq_id IS NULL AND `+col, id, who).Scan(&n); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE attachments SET rfq_id = ? WHERE id = ?
					AND rfq_id IS NULL AND `+col, rfqID, id, who)
			if err != nil {
				return err
			}
			if n, err = res.RowsAffected(); err != nil {
				return err
			}
		}
		v.Check(n == 1, field, "Fișierul atașat nu există, nu este al tău sau este deja atașat altei cereri.",
			"The attached file does not exist, is not yours or is already attached to another request.")
	}
	return v.Err()
}

// AdoptGuestUploads gives a guest's unclaimed uploads to the user who just signed in from
// the same browser, so drawings attached before signing in can still go with the RFQ.
func (db *DB) AdoptGuestUploads(ctx context.Context, guestID, userID string) error {
	if guestID == "" || userID == "" {
		return nil
	}
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE attachments SET user_id = ?, session_id = NULL
			WHERE session_id = ? AND user_id IS NULL AND rfq_id IS NULL`, userID, guestID)
		return err
	})
}
