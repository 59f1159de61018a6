package store

import (
	"context"
	"strings"
	"time"
)

// Address types (the seed's AddressType).
const (
	AddressBilling  = "BILLING"
	AddressDelivery = "DELIVERY"
)

// Address is a saved billing or delivery address of a user.
type Address struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	IsDefault  bool      `json:"isDefault"`
	Street     string    `json:"street"`
	City       string    `json:"city"`
	County     string    `json:"county"`
	PostalCode string    `json:"postalCode"`
	Country    string    `json:"country"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// AddressInput is a new address (every field but Country and IsDefault required) or a
// PATCH (nil leaves a field unchanged).
type AddressInput struct {
	Type       *string
	IsDefault  *bool
	Street     *string
	City       *string
	County     *string
	PostalCode *string
	Country    *string
}

var errAddressNotFound = ErrNotFound("Adresa nu există.", "The address does not exist.")

// validate checks a complete address and normalises it in place.
func (a *Address) validate() error {
	v := &Validator{}
	var ok bool
	checkAddressType(v, a.Type)
	a.Street = v.Text("street", a.Street, 3, 200, "Strada trebuie să aibă între 3 și 200 de caractere.", "The street must be 3 to 200 characters long.")
	a.City = v.Text("city", a.City, 2, 100, "Localitatea trebuie să aibă între 2 și 100 de caractere.", "The city must be 2 to 100 characters long.")
	a.Country = v.Text("country", a.Country, 2, 60, "Țara trebuie să aibă între 2 și 60 de caractere.", "The country must be 2 to 60 characters long.")
	romania := IsRomania(a.Country)
	if romania {
		a.Country = "Romania"
		if a.County, ok = NormalizeCounty(a.County); !ok {
			v.Add("county", "Alege un județ din listă (sau București).", "Choose a county from the list (or București).")
		}
	} else {
		a.County = v.Text("county", a.County, 2, 100, "Regiunea trebuie să aibă între 2 și 100 de caractere.", "The region must be 2 to 100 characters long.")
	}
	if a.PostalCode, ok = ValidPostalCode(a.PostalCode, romania); !ok {
		if romania {
			v.Add("postalCode", "Codul poștal trebuie să aibă 6 cifre.", "The postal code must have 6 digits.")
		} else {
			v.Add("postalCode", "Codul poștal nu este valid.", "The postal code is not valid.")
		}
	}
	return v.Err()
}

// size is what the address quota counts of it (addressQuota.bytes).
func (a *Address) size() int64 {
	return int64(len(a.Street) + len(a.City) + len(a.County) + len(a.PostalCode) + len(a.Country))
}

func checkAddressType(v *Validator, typ string) {
	v.Check(typ == AddressBilling || typ == AddressDelivery, "type",
		"Tipul adresei trebuie să fie BILLING sau DELIVERY.", "The address type must be BILLING or DELIVERY.")
}

// apply copies the set fields of in onto a.
func (in AddressInput) apply(a *Address) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Type, in.Type)
	set(&a.Street, in.Street)
	set(&a.City, in.City)
	set(&a.County, in.County)
	set(&a.PostalCode, in.PostalCode)
	set(&a.Country, in.Country)
	if in.IsDefault != nil {
		a.IsDefault = *in.IsDefault
	}
	a.Type = strings.ToUpper(strings.TrimSpace(a.Type))
}

const addressColumns = `id, type, is_default, street, city, county, postal_code, country, created_at, updated_at`

func scanAddress(row rowScanner) (*Address, error) {
	var a Address
	var created, updated string
	if err := row.Scan(&a.ID, &a.Type, &a.IsDefault, &a.Street, &a.City, &a.County, &a.PostalCode, &a.Country, &created, &updated); err != nil {
		return nil, err
	}
	a.CreatedAt, _ = ParseTime(created)
	a.UpdatedAt, _ = ParseTime(updated)
	return &a, nil
}

// AddressFilter selects a user's addresses, of one type when Type is not "" (BILLING or
// DELIVERY, in any case).
type AddressFilter struct {
	UserID string
	Type   string
}

// FindAddresses lists the user's addresses, defaults first, and how many there are (at
// most the address quota, 50 by default, so never paged).
func (db *DB) FindAddresses(ctx context.Context, f AddressFilter) ([]Address, int, error) {
	f.Type = strings.ToUpper(strings.TrimSpace(f.Type))
	if f.Type != "" {
		v := &Validator{}
		checkAddressType(v, f.Type)
		if err := v.Err(); err != nil {
			return nil, 0, err
		}
	}
	q := `SELECT ` + addressColumns + `, COUNT(*) OVER() FROM addresses WHERE user_id = ?`
	args := []any{f.UserID}
	if f.Type != "" {
		q += ` AND type = ?`
		args = append(args, f.Type)
	}
	q += ` ORDER BY type, is_default DESC, created_at, id`
	out := []Address{}
	var total int
	err := db.Read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAddress(withTotal(rows, &total))
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return rows.Err()
	})
	return out, total, err
}

var addresses = ownedTable[Address]{name: "addresses", columns: addressColumns, scan: scanAddress, notFound: errAddressNotFound}

// clearDefault makes no address of typ the user's default, so a new one can be.
func clearDefault(ctx context.Context, tx *Tx, userID, typ, exceptID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE addresses SET is_default = 0, updated_at = ?
		WHERE user_id = ? AND type = ? AND is_default = 1 AND id <> ?`, FormatTime(tx.Now), userID, typ, exceptID)
	return err
}

// CreateAddress saves a new address. When it is the default, the previous default of its
// type stops being one, in the same transaction.
func (db *DB) CreateAddress(ctx context.Context, userID string, in AddressInput) (*Address, error) {
	a := &Address{Country: "Romania"}
	in.apply(a)
	if err := a.validate(); err != nil {
		return nil, err
	}
	err := db.Write(ctx, func(tx *Tx) error {
		if err := checkQuota(ctx, tx, addressQuota, userID, "", 1, a.size()); err != nil {
			return err
		}
		a.ID = NewID()
		if a.IsDefault {
			if err := clearDefault(ctx, tx, userID, a.Type, a.ID); err != nil {
				return err
			}
		}
		now := FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO addresses (`+addressColumns+`, user_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Type, a.IsDefault, a.Street, a.City, a.County, a.PostalCode, a.Country, now, now, userID); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt = tx.Now, tx.Now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAddress changes the set fields of the user's address id.
func (db *DB) UpdateAddress(ctx context.Context, userID, id string, in AddressInput) (*Address, error) {
	return addresses.update(ctx, db, userID, id, func(tx *Tx, a *Address) error {
		before := a.size()
		in.apply(a)
		if err := a.validate(); err != nil {
			return err
		}
		if a.size() > before { // a change that does not grow always fits
			if err := checkQuota(ctx, tx, addressQuota, userID, a.ID, 0, a.size()); err != nil {
				return err
			}
		}
		if a.IsDefault {
			if err := clearDefault(ctx, tx, userID, a.Type, a.ID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE addresses SET type = ?, is_default = ?, street = ?, city = ?, county = ?,
			postal_code = ?, country = ?, updated_at = ? WHERE id = ? AND user_id = ?`,
			a.Type, a.IsDefault, a.Street, a.City, a.County, a.PostalCode, a.Country, FormatTime(tx.Now), id, userID)
		a.UpdatedAt = tx.Now
		return err
	})
}

// DeleteAddress removes the user's address id.
func (db *DB) DeleteAddress(ctx context.Context, userID, id string) error {
	return addresses.delete(ctx, db, userID, id)
}
