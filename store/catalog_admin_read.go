package store

import "context"

// AdminProduct reads one product for the back office's edit page, active or withdrawn
// (GetProduct is the storefront's: active products only).
func (db *DB) AdminProduct(ctx context.Context, id string) (*AdminProduct, error) {
	var out *AdminProduct
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		out, err = adminProduct(ctx, tx, id)
		return err
	})
	return out, err
}
