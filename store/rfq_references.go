package store

import (
	"context"
	"strings"
)

// RFQReferences maps RFQ ids to their reference numbers in one query (the audit log's page
// names the RFQs its rows are about); unknown ids are left out.
func (db *DB) RFQReferences(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, reference_number FROM rfqs WHERE id IN (`+
			strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, ref string
			if err := rows.Scan(&id, &ref); err != nil {
				return err
			}
			out[id] = ref
		}
		return rows.Err()
	})
	return out, err
}
