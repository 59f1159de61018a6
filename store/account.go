package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Signup is a new customer account.
type Signup struct {
	Email    string
	Password string
	Name     string
	Phone    *string
	Role     string // RoleIndividual or RoleBusiness (RoleOperator/RoleAdmin only from CreateStaff)
	Company  *CompanyInput
	Lang     string // language of the verification email
}

// CompanyInput is a company's editable fields; nil leaves a field as it is, "" clears an
// optional one.
type CompanyInput struct {
	LegalName  *string
	CUI        *string
	Address    *string
	City       *string
	County     *string
	PostalCode *string
}

// ErrEmailTaken is the seed's answer to a second account with the same email.
var ErrEmailTaken = Errorf(ECodeConflict, "Un cont cu acest email există deja.", "An account with this email already exists.")

// ErrBadCredentials is the one answer for an unknown email and a wrong password.
var ErrBadCredentials = Errorf(ECodeUnauth, "Email sau parolă incorectă.", "Incorrect email or password.")

// Validate checks a customer signup and normalises it in place (CreateUser calls it too;
// the API calls it first to spare the captcha for well-formed requests).
func (in *Signup) Validate() error { return in.validate(false) }

// validate checks and normalises in place; staff allows the staff roles instead of the
// customer ones.
func (in *Signup) validate(staff bool) error {
	v := &Validator{}
	v.CheckEmail("email", &in.Email)
	CheckPassword(v, "password", in.Password, in.Email)
	in.Name = v.Text("name", in.Name, 2, 100, "Numele trebuie să aibă între 2 și 100 de caractere.", "The name must be 2 to 100 characters long.")
	checkPhone(v, "phone", &in.Phone)
	switch {
	case staff && (in.Role == RoleOperator || in.Role == RoleAdmin):
	case staff:
		v.Add("role", "Rolul trebuie să fie OPERATOR sau ADMIN.", "The role must be OPERATOR or ADMIN.")
	case in.Role != RoleIndividual && in.Role != RoleBusiness:
		v.Add("role", "Tipul de cont trebuie să fie INDIVIDUAL sau BUSINESS.", "The account type must be INDIVIDUAL or BUSINESS.")
	}
	if in.Role == RoleBusiness && in.Company == nil {
		v.Add("company", "Un cont de firmă are nevoie de datele firmei.", "A business account needs its company details.")
	}
	if in.Company != nil {
		checkCompany(v, in.Company, "company.", "company.name", true)
	}
	return v.Err()
}

// checkPhone normalises an optional phone number; "" means none.
func checkPhone(v *Validator, field string, phone **string) {
	if *phone == nil || strings.TrimSpace(**phone) == "" {
		*phone = nil
		return
	}
	p, ok := NormalizePhone(**phone)
	if !ok {
		v.Add(field, "Numărul de telefon nu este valid (ex. 0722 123 456 sau +40 722 123 456).",
			"The phone number is not valid (e.g. +40 722 123 456).")
		return
	}
	*phone = &p
}

// checkCompany validates and normalises c; required says whether the legal name must be
// present (a new company) or may be absent (an update).
func checkCompany(v *Validator, c *CompanyInput, prefix, nameField string, required bool) {
	if c.LegalName == nil && required {
		c.LegalName = new(string)
	}
	if c.LegalName != nil {
		*c.LegalName = v.Text(nameField, *c.LegalName, 2, 200, "Denumirea firmei trebuie să aibă între 2 și 200 de caractere.", "The company name must be 2 to 200 characters long.")
	}
	if c.CUI != nil && strings.TrimSpace(*c.CUI) != "" {
		cui, ok := NormalizeCUI(*c.CUI)
		if !ok {
			v.Add(prefix+"cui", "CUI invalid: verifică cifrele (cifra de control nu se potrivește).",
				"Invalid CUI (Romanian tax id): its check digit does not match.")
		}
		c.CUI = &cui
	}
	checkOptionalText(v, prefix+"address", c.Address, 200, "Adresa poate avea cel mult 200 de caractere.", "The address may be at most 200 characters long.")
	checkOptionalText(v, prefix+"city", c.City, 100, "Localitatea poate avea cel mult 100 de caractere.", "The city may be at most 100 characters long.")
	if c.County != nil && strings.TrimSpace(*c.County) != "" {
		county, ok := NormalizeCounty(*c.County)
		if !ok {
			v.Add(prefix+"county", "Județul nu este valid.", "Unknown county.")
		}
		c.County = &county
	}
	if c.PostalCode != nil && strings.TrimSpace(*c.PostalCode) != "" {
		pc, ok := ValidPostalCode(*c.PostalCode, true)
		if !ok {
			v.Add(prefix+"postalCode", "Codul poștal trebuie să aibă 6 cifre.", "The postal code must have 6 digits.")
		}
		c.PostalCode = &pc
	}
}

func checkOptionalText(v *Validator, field string, s *string, maxLen int, ro, en string) {
	if s == nil {
		return
	}
	*s = v.Text(field, *s, 0, maxLen, ro, en)
}

// CreateUser creates a customer account (and its company), and queues the verification
// email in the same transaction.
func (db *DB) CreateUser(ctx context.Context, in Signup) (*User, error) {
	if err := in.validate(false); err != nil {
		return nil, err
	}
	return db.createUser(ctx, in, true)
}

// CreateStaff creates an operator or admin account (from the command line). Staff emails
// are taken as verified: whoever runs the command vouches for them.
func (db *DB) CreateStaff(ctx context.Context, in Signup) (*User, error) {
	if err := in.validate(true); err != nil {
		return nil, err
	}
	in.Company = nil
	return db.createUser(ctx, in, false)
}

func (db *DB) createUser(ctx context.Context, in Signup, verify bool) (*User, error) {
	if db.emailTaken(ctx, in.Email) {
		return nil, ErrEmailTaken // spare the ~0.3 s hash for the obvious case
	}
	hash, err := db.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	lang := "ro"
	if in.Lang == "en" {
		lang = "en"
	}
	var u *User
	err = db.Write(ctx, func(tx *Tx) error {
		if exists(ctx, tx, `SELECT 1 FROM users WHERE email = ?`, in.Email) {
			return ErrEmailTaken
		}
		id, now := NewID(), FormatTime(tx.Now)
		if _, err := tx.ExecContext(ctx, `INSERT INTO users
			(id, email, password_hash, name, phone, role, email_verified, language, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, in.Email, hash, in.Name, nullIfEmpty(in.Phone), in.Role, !verify, lang, now, now); err != nil {
			return err
		}
		if in.Company != nil {
			if err := insertCompany(ctx, tx, id, in.Company); err != nil {
				return err
			}
		}
		var err error
		if u, err = getUser(ctx, tx, id); err != nil {
			return err
		}
		if verify {
			return queueVerificationEmail(ctx, tx, u)
		}
		return nil
	})
	return u, err
}

func (db *DB) emailTaken(ctx context.Context, email string) bool {
	var one int
	return db.read.QueryRowContext(ctx, `SELECT 1 FROM users WHERE email = ?`, email).Scan(&one) == nil
}

func exists(ctx context.Context, tx *Tx, query string, args ...any) bool {
	var one int
	return tx.QueryRowContext(ctx, query, args...).Scan(&one) == nil
}

func insertCompany(ctx context.Context, tx *Tx, userID string, c *CompanyInput) error {
	now := FormatTime(tx.Now)
	_, err := tx.ExecContext(ctx, `INSERT INTO companies
		(id, user_id, legal_name, cui, address, city, county, postal_code, country, is_verified, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Romania', 0, ?, ?)`,
		NewID(), userID, *c.LegalName, nullIfEmpty(c.CUI), nullIfEmpty(c.Address), nullIfEmpty(c.City),
		nullIfEmpty(c.County), nullIfEmpty(c.PostalCode), now, now)
	return err
}

// Authenticate returns the user whose email and password match. An unknown email costs the
// same bcrypt comparison as a wrong password and gets the same error.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*User, error) {
	// A password longer than any account can have is refused before the email is looked
	// up, so the answer takes the same path (no hashing) whether or not the email exists.
	if len(password) > MaxPasswordLen*4 {
		return nil, ErrBadCredentials
	}
	email, _ = NormalizeEmail(email)
	var hash string
	var disabledAt sql.NullString
	u, err := scanUser(db.read.QueryRowContext(ctx,
		`SELECT `+userColumns+`, u.password_hash, u.disabled_at FROM `+userTables+` WHERE u.email = ?`, email), &hash, &disabledAt)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := db.passwordMatches(ctx, db.dummyHash(), password); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if ok, err := db.passwordMatches(ctx, hash, password); err != nil || !ok {
		if err == nil {
			err = ErrBadCredentials
		}
		return nil, err
	}
	if disabledAt.Valid {
		// The same answer as a wrong password, after the same hashing: a disabled account
		// does not tell a guesser that its password was right.
		return nil, ErrBadCredentials
	}
	return u, nil
}

// ProfileInput is a PATCH of the user's own profile; nil leaves a field unchanged.
type ProfileInput struct {
	Name     *string
	Phone    *string // "" removes the phone number
	Language *string // "ro" or "en": the language of the user's emails
}

// UpdateProfile changes the user's name, phone and email language.
func (db *DB) UpdateProfile(ctx context.Context, userID string, in ProfileInput) (*User, error) {
	v := &Validator{}
	if in.Name != nil {
		*in.Name = v.Text("name", *in.Name, 2, 100, "Numele trebuie să aibă între 2 și 100 de caractere.", "The name must be 2 to 100 characters long.")
	}
	clearPhone := in.Phone != nil && strings.TrimSpace(*in.Phone) == ""
	checkPhone(v, "phone", &in.Phone)
	if in.Language != nil {
		v.Check(*in.Language == "ro" || *in.Language == "en", "language",
			"Limba trebuie să fie „ro” sau „en”.", `The language must be "ro" or "en".`)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var u *User
	err := db.Write(ctx, func(tx *Tx) error {
		if in.Name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, updated_at = ? WHERE id = ?`,
				*in.Name, FormatTime(tx.Now), userID); err != nil {
				return err
			}
		}
		if in.Language != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET language = ?, updated_at = ? WHERE id = ?`,
				*in.Language, FormatTime(tx.Now), userID); err != nil {
				return err
			}
		}
		if in.Phone != nil || clearPhone {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET phone = ?, updated_at = ? WHERE id = ?`,
				nullIfEmpty(in.Phone), FormatTime(tx.Now), userID); err != nil {
				return err
			}
		}
		var err error
		u, err = getUser(ctx, tx, userID)
		return err
	})
	return u, err
}

// ChangePassword replaces the user's password after checking the current one, and ends
// every other session of the user (keepSessionID stays signed in).
func (db *DB) ChangePassword(ctx context.Context, userID, keepSessionID, current, next string) error {
	var hash, email string
	err := db.read.QueryRowContext(ctx, `SELECT password_hash, email FROM users WHERE id = ?`, userID).Scan(&hash, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return errUserNotFound
	}
	if err != nil {
		return err
	}
	v := &Validator{}
	ok := false
	if len(current) <= MaxPasswordLen*4 {
		if ok, err = db.passwordMatches(ctx, hash, current); err != nil {
			return err
		}
	}
	if !ok {
		v.Add("currentPassword", "Parola actuală nu este corectă.", "The current password is not correct.")
	}
	CheckPassword(v, "newPassword", next, email)
	if err := v.Err(); err != nil {
		return err
	}
	newHash, err := db.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
			newHash, FormatTime(tx.Now), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE user_id = ? AND id <> ?`, userID, keepSessionID); err != nil {
			return err
		}
		// A reset link sent before the change must not undo it.
		_, err := tx.ExecContext(ctx, `DELETE FROM user_tokens WHERE user_id = ? AND purpose = ? AND used_at IS NULL`,
			userID, PurposePasswordReset)
		return err
	})
}

// UpdateCompany edits the user's company, creating it when the user has none (then a
// legal name is required). A customer who adds a company becomes a BUSINESS account. A
// change of legal name or CUI withdraws an earlier verification: it vouched for other data.
func (db *DB) UpdateCompany(ctx context.Context, userID string, in CompanyInput) (*User, error) {
	var u *User
	err := db.Write(ctx, func(tx *Tx) error {
		cur, err := getUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		v := &Validator{}
		checkCompany(v, &in, "", "legalName", cur.Company == nil)
		if err := v.Err(); err != nil {
			return err
		}
		now := FormatTime(tx.Now)
		if cur.Company == nil {
			if err := insertCompany(ctx, tx, userID, &in); err != nil {
				return err
			}
			if cur.Role == RoleIndividual {
				if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, updated_at = ? WHERE id = ?`,
					RoleBusiness, now, userID); err != nil {
					return err
				}
			}
		} else {
			c := cur.Company
			changedIdentity := (in.LegalName != nil && *in.LegalName != c.LegalName) ||
				(in.CUI != nil && *in.CUI != deref(c.CUI))
			set := func(col string, val *string) error {
				if val == nil {
					return nil
				}
				var arg any = nullIfEmpty(val)
				if col == "legal_name" {
					arg = *val
				}
				_, err := tx.ExecContext(ctx, `UPDATE companies SET `+col+` = ?, updated_at = ? WHERE user_id = ?`, arg, now, userID)
				return err
			}
			for _, f := range []struct {
				col string
				val *string
			}{{"legal_name", in.LegalName}, {"cui", in.CUI}, {"address", in.Address}, {"city", in.City},
				{"county", in.County}, {"postal_code", in.PostalCode}} {
				if err := set(f.col, f.val); err != nil {
					return err
				}
			}
			if changedIdentity && c.IsVerified {
				if _, err := tx.ExecContext(ctx, `UPDATE companies SET is_verified = 0, verified_at = NULL WHERE user_id = ?`, userID); err != nil {
					return err
				}
			}
		}
		u, err = getUser(ctx, tx, userID)
		return err
	})
	return u, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
