package store

import "context"

// ClaimGuestRFQs joins to userID's account the RFQs sent as a guest from the browser whose
// guest session is guestID (signup and login call it), and, when the user's address is
// verified, the guest RFQs sent with that address. It returns how many joined.
//
// By address only once verified: anyone can sign up with any address, and an unverified
// one proves nothing, so it must not open someone else's RFQs.
func (db *DB) ClaimGuestRFQs(ctx context.Context, userID, guestID string) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		n, err = claimGuestRFQs(ctx, tx, userID, guestID)
		return err
	})
	return n, err
}

func claimGuestRFQs(ctx context.Context, tx *Tx, userID, guestID string) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE rfqs SET user_id = ?1
		WHERE user_id IS NULL AND (
			(?2 != '' AND guest_session_id = ?2) OR
			email = (SELECT email FROM users WHERE id = ?1 AND email_verified = 1))`,
		userID, guestID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
