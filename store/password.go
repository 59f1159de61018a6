package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// DefaultPasswordCost is the bcrypt cost of password hashes (the seed's 12 salt rounds).
const DefaultPasswordCost = 12

// Password rules. 10 characters is NIST SP 800-63B's spirit (length over composition
// rules); 256 bounds the work an attacker can make us do per request.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// commonPasswords are the most common leaked passwords of at least MinPasswordLen
// characters (shorter ones fail the length rule anyway), lower-case.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
})

// CheckPassword adds a field error to v when pw is too short, too long or one of the most
// common passwords. email is the account's address: a password equal to it is refused too.
func CheckPassword(v *Validator, field, pw, email string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		v.Add(field, "Parola trebuie să aibă cel puțin 10 caractere.", "The password must be at least 10 characters long.")
	case n > MaxPasswordLen:
		v.Add(field, "Parola poate avea cel mult 256 de caractere.", "The password may be at most 256 characters long.")
	case commonPasswords()[strings.ToLower(pw)] || (email != "" && strings.EqualFold(pw, email)):
		v.Add(field, "Parola este prea ușor de ghicit. Alege alta.", "This password is too easy to guess. Choose another one.")
	}
}

// passwordPepperKey only separates domains: it is not a secret (a secret pepper would make
// every hash useless if it were lost or rotated).
var passwordPepperKey = []byte("metalpro password v1")

// prehash turns any password into 44 ASCII bytes: HMAC-SHA256, base64. bcrypt reads only
// the first 72 bytes of its input, so without this a 100-byte passphrase would be as strong
// as its first 72 bytes and two passphrases sharing those bytes would both match. Base64
// keeps NUL bytes (which some bcrypt implementations stop at) out of the input. We pre-hash
// rather than reject long passwords because password managers and passphrases produce them.
func prehash(pw string) []byte {
	m := hmac.New(sha256.New, passwordPepperKey)
	m.Write([]byte(pw))
	out := make([]byte, base64.StdEncoding.EncodedLen(sha256.Size))
	base64.StdEncoding.Encode(out, m.Sum(nil))
	return out
}

// hashPassword hashes pw with the database's cost. It takes ~0.2 s at cost 12: call it
// before opening a write transaction, never inside one.
func (db *DB) hashPassword(ctx context.Context, pw string) (string, error) {
	var h []byte
	var err error
	if slotErr := db.hashing.run(ctx, func() { h, err = bcrypt.GenerateFromPassword(prehash(pw), db.passwordCost) }); slotErr != nil {
		return "", slotErr
	}
	return string(h), err
}

// passwordMatches reports whether pw matches hash, in constant time for a given hash.
func (db *DB) passwordMatches(ctx context.Context, hash, pw string) (bool, error) {
	var ok bool
	err := db.hashing.run(ctx, func() { ok = bcrypt.CompareHashAndPassword([]byte(hash), prehash(pw)) == nil })
	return ok, err
}

// WarmPasswordCheck computes the dummy hash ahead of the first login with an unknown email,
// which would otherwise take twice as long as every other and stand out.
func (db *DB) WarmPasswordCheck() { db.dummyHash() }

// dummyHash is compared against when a login names an unknown email, so that answer takes
// as long as a wrong password and does not reveal which emails have accounts.
func (db *DB) dummyHash() string {
	db.dummyOnce.Do(func() {
		h, err := bcrypt.GenerateFromPassword(prehash("not a real password, only for timing"), db.passwordCost)
		if err == nil {
			db.dummy = string(h)
		}
	})
	return db.dummy
}
