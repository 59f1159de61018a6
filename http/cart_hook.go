package apphttp

import "net/http"

// mergeGuestCart moves the guest cart of r's session into userID's cart, and the guest's
// unclaimed uploads to the user. Login and signup call it after success: same product, unit
// and specs add up; the guest cart is deleted.
// The guest id stays in the session, so RFQs the visitor sent as a guest remain visible
// from this browser.
func (s *Server) mergeGuestCart(r *http.Request, userID string) error {
	guestID := s.guestID(r)
	if guestID == "" {
		return nil
	}
	if err := s.db.MergeGuestCart(r.Context(), guestID, userID); err != nil {
		return err
	}
	return s.db.AdoptGuestUploads(r.Context(), guestID, userID) // files.go: uploads follow the cart
}
