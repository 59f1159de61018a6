package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// User roles. INDIVIDUAL and BUSINESS come from signup; OPERATOR and ADMIN are staff
// accounts created from the command line.
const (
	RoleIndividual = "INDIVIDUAL"
	RoleBusiness   = "BUSINESS"
	RoleOperator   = "OPERATOR"
	RoleAdmin      = "ADMIN"
)

// User is a customer or staff account. It never carries the password hash out of the store.
type User struct {
	ID            string    `json:"id"`
	Email         string    `json:"email"`
	Name          string    `json:"name"`
	Phone         *string   `json:"phone"`
	Role          string    `json:"role"`
	EmailVerified bool      `json:"emailVerified"`
	Language      string    `json:"language"` // "ro" or "en": the language of the user's emails
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	Company       *Company  `json:"company"`
}

// Company is a business customer's legal entity.
type Company struct {
	ID         string     `json:"id"`
	LegalName  string     `json:"legalName"`
	CUI        *string    `json:"cui"`
	Address    *string    `json:"address"`
	City       *string    `json:"city"`
	County     *string    `json:"county"`
	PostalCode *string    `json:"postalCode"`
	Country    string     `json:"country"`
	IsVerified bool       `json:"isVerified"`
	VerifiedAt *time.Time `json:"verifiedAt"`
}

// userColumns are selected by scanUser, in its order.
const userColumns = `u.id, u.email, u.name, u.phone, u.role, u.email_verified, u.language, u.created_at, u.updated_at,
	c.id, c.legal_name, c.cui, c.address, c.city, c.county, c.postal_code, c.country, c.is_verified, c.verified_at`

// userTables is the FROM clause matching userColumns.
const userTables = `users u LEFT JOIN companies c ON c.user_id = u.id`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(row rowScanner, extra ...any) (*User, error) {
	var (
		u                                  User
		phone                              sql.NullString
		created, updated                   string
		cID, cName, cCountry               sql.NullString
		cCUI, cAddr, cCity, cCounty, cPost sql.NullString
		cVerified                          sql.NullBool
		cVerifiedAt                        sql.NullString
	)
	dest := []any{&u.ID, &u.Email, &u.Name, &phone, &u.Role, &u.EmailVerified, &u.Language, &created, &updated,
		&cID, &cName, &cCUI, &cAddr, &cCity, &cCounty, &cPost, &cCountry, &cVerified, &cVerifiedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	u.Phone = parseNullText(phone)
	u.CreatedAt, _ = ParseTime(created)
	u.UpdatedAt, _ = ParseTime(updated)
	if cID.Valid {
		u.Company = &Company{
			ID: cID.String, LegalName: cName.String, CUI: parseNullText(cCUI), Address: parseNullText(cAddr),
			City: parseNullText(cCity), County: parseNullText(cCounty), PostalCode: parseNullText(cPost),
			Country: cCountry.String, IsVerified: cVerified.Bool, VerifiedAt: parseNullTime(cVerifiedAt),
		}
	}
	return &u, nil
}

var errUserNotFound = ErrNotFound("Utilizatorul nu există.", "The user does not exist.")

// getUser loads a user with their company.
func getUser(ctx context.Context, tx *Tx, id string) (*User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM `+userTables+` WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errUserNotFound
	}
	return u, err
}

// UserByID returns the user with their company.
func (db *DB) UserByID(ctx context.Context, id string) (*User, error) {
	var u *User
	err := db.Read(ctx, func(tx *Tx) error {
		var err error
		u, err = getUser(ctx, tx, id)
		return err
	})
	return u, err
}
