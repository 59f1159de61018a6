package store

import "time"

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
	Language      string    `json:"-"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
	Company       *Company  `json:"company"`
}

// IsStaff reports whether u may use the back office.
func (u *User) IsStaff() bool { return u.Role == RoleOperator || u.Role == RoleAdmin }

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
