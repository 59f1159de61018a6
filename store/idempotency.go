package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
)

// IdempotencyTTL is how long a submission's Idempotency-Key is remembered.
const IdempotencyTTL = 24 * time.Hour

// Idempotency identifies one logical submission: Key from the client's Idempotency-Key
// header, Scope the caller ("user:<id>" or "guest:<id>", so two callers can never see each
// other's answers), RequestHash a digest of the request body.
type Idempotency struct {
	Scope       string
	Key         string
	RequestHash string
}

// HashRequest is the digest stored to tell a retry (same body) from a misuse of the key.
func HashRequest(canonicalBody []byte) string {
	sum := sha256.Sum256(canonicalBody)
	return hex.EncodeToString(sum[:])
}

var errIdempotencyMismatch = Errorf(ECodeConflict,
	"Cheia Idempotency-Key a fost deja folosită pentru o altă cerere.",
	"This Idempotency-Key was already used for a different request.")

// StoredResponse is the first answer to an idempotent request.
type StoredResponse struct {
	Status int
	Body   []byte
}

// findIdempotent returns the stored answer for k, or nil when the key is new (or has
// expired). The same key with another body is a conflict.
func findIdempotent(ctx context.Context, tx *Tx, k Idempotency) (*StoredResponse, error) {
	var hash, body string
	var status int
	err := tx.QueryRowContext(ctx, `SELECT request_hash, status, response FROM idempotency_keys
		WHERE scope = ? AND key = ? AND expires_at > ?`, k.Scope, k.Key, FormatTime(tx.Now)).Scan(&hash, &status, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if hash != k.RequestHash {
		return nil, errIdempotencyMismatch
	}
	return &StoredResponse{Status: status, Body: []byte(body)}, nil
}

// saveIdempotent records the answer in the submission's own transaction: either the RFQ
// and its key both exist, or neither does.
func saveIdempotent(ctx context.Context, tx *Tx, k Idempotency, rfqID string, resp StoredResponse) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys
		(scope, key, request_hash, rfq_id, status, response, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, rfq_id = excluded.rfq_id,
			status = excluded.status, response = excluded.response, created_at = excluded.created_at,
			expires_at = excluded.expires_at`,
		k.Scope, k.Key, k.RequestHash, rfqID, resp.Status, string(resp.Body),
		FormatTime(tx.Now), FormatTime(tx.Now.Add(IdempotencyTTL)))
	return err
}
