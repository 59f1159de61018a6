package store

import (
	"context"
	"fmt"
)

// Quota bounds what one user may keep of one kind of thing: at most MaxCount rows holding
// at most MaxBytes in all. Zero leaves that measure unbounded.
type Quota struct {
	MaxCount int
	MaxBytes int64
}

// Quotas are the per-user quotas (README, "Per-user quotas"). Any account can be made
// without verification, so without them one sign-up could fill the disk.
type Quotas struct {
	Projects  Quota
	Addresses Quota
	// Uploads bounds the BOM and attachment files one owner (user, or guest session) keeps
	// (attachment.go).
	Uploads Quota
}

// DefaultQuotas: a realistic BOM is tens of kilobytes, so 100 projects in 10 MB leave a
// busy buyer far from the limit, while 100 accounts at their limit fill 1 GB, not the
// volume. 50 addresses is more than any company's sites; their bytes are bounded by their
// field lengths (under 0.7 KB each), the byte quota only keeps the rule uniform.
func DefaultQuotas() Quotas {
	return Quotas{
		Projects:  Quota{MaxCount: 100, MaxBytes: 10 << 20},
		Addresses: Quota{MaxCount: 50, MaxBytes: 64 << 10},
		Uploads:   Quota{MaxCount: 200, MaxBytes: 250 << 20},
	}
}

// withDefaults fills each zero quota from DefaultQuotas.
func (q Quotas) withDefaults() Quotas {
	def := DefaultQuotas()
	for _, p := range []struct{ q, def *Quota }{{&q.Projects, &def.Projects}, {&q.Addresses, &def.Addresses}, {&q.Uploads, &def.Uploads}} {
		if *p.q == (Quota{}) {
			*p.q = *p.def
		}
	}
	return q
}

// quotaKind says how to measure one kind of a user's rows.
type quotaKind struct {
	table string
	// owner is the column naming the owner: user_id unless set (guest uploads: session_id).
	owner string
	// bytes is the SQL size of one row. octet_length reads only the record header, not
	// the (possibly megabyte) value, so summing it over a user's rows stays cheap.
	bytes  string
	quota  func(Quotas) Quota
	noun   Text // plural, for the messages
	remove Text // what frees room
}

var (
	projectQuota = quotaKind{table: "projects", bytes: "octet_length(bom_data)",
		quota: func(q Quotas) Quota { return q.Projects },
		noun:  Text{RO: "proiecte", EN: "projects"}, remove: Text{RO: "Șterge un proiect", EN: "Delete a project"}}
	addressQuota = quotaKind{table: "addresses",
		bytes: "octet_length(street) + octet_length(city) + octet_length(county) + octet_length(postal_code) + octet_length(country)",
		quota: func(q Quotas) Quota { return q.Addresses },
		noun:  Text{RO: "adrese", EN: "addresses"}, remove: Text{RO: "Șterge o adresă", EN: "Delete an address"}}
)

// checkQuota refuses, with ECodeQuotaExceeded, a write that would leave the user with more
// rows or bytes of kind than the quota allows: addCount new rows (0 for an update) and a
// row of newBytes in place of row exceptID ("" for none). It runs inside the write
// transaction that then writes, so requests that arrive together are counted one after
// the other and cannot pass together.
func checkQuota(ctx context.Context, tx *Tx, kind quotaKind, userID, exceptID string, addCount int, newBytes int64) error {
	q := kind.quota(tx.db.quotas)
	owner := kind.owner
	if owner == "" {
		owner = "user_id"
	}
	var count int
	var bytes int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(`+kind.bytes+`), 0) FROM `+kind.table+`
		WHERE `+owner+` = ? AND id <> ?`, userID, exceptID).Scan(&count, &bytes); err != nil {
		return fmt.Errorf("quota %s: %w", kind.table, err)
	}
	if exceptID != "" {
		count++ // the row being replaced stays
	}
	if q.MaxCount > 0 && addCount > 0 && count+addCount > q.MaxCount {
		return Errorf(ECodeQuotaExceeded,
			fmt.Sprintf("Poți păstra cel mult %s. %s ca să faci loc.", roCount(q.MaxCount, kind.noun.RO), kind.remove.RO),
			fmt.Sprintf("You can keep at most %d %s. %s to make room.", q.MaxCount, kind.noun.EN, kind.remove.EN))
	}
	if q.MaxBytes > 0 && bytes+newBytes > q.MaxBytes {
		return Errorf(ECodeQuotaExceeded,
			fmt.Sprintf("Datele tale (%s) ar depăși %s, cât poate păstra un cont. %s sau micșorează-l ca să faci loc.",
				kind.noun.RO, sizeText(q.MaxBytes), kind.remove.RO),
			fmt.Sprintf("Your %s would exceed %s, what one account can keep. %s or make one smaller to make room.",
				kind.noun.EN, sizeText(q.MaxBytes), kind.remove.EN))
	}
	return nil
}

// roCount writes a count in Romanian: "5 proiecte", but "20 de proiecte" (from 20 on,
// unless the number ends in 01–19).
func roCount(n int, plural string) string {
	if r := n % 100; r >= 1 && r <= 19 {
		return fmt.Sprintf("%d %s", n, plural)
	}
	return fmt.Sprintf("%d de %s", n, plural)
}

// sizeText is a byte count for people: "10 MB", "64 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
