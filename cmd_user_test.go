package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/metalpro/backend/store"
)

func TestRun_UserCreate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := func(string) string { return "" }
	create := func(password string, args ...string) (string, error) {
		stdin = strings.NewReader(password + "\n")
		t.Cleanup(func() { stdin = nil })
		var out strings.Builder
		err := run(context.Background(), append([]string{"metalpro", "user", "create", "-data-dir", dir}, args...), getenv, &out)
		return out.String(), err
	}

	out, err := create("operator-parola-2026", "-email", "Ana@MetalPro.ro", "-name", "Ana Pop", "-role", "operator")
	require.NoError(t, err)
	require.Contains(t, out, "created OPERATOR account ana@metalpro.ro")
	require.NotContains(t, out, "operator-parola-2026", "the password is never printed")

	db, err := store.Open(context.Background(), filepath.Join(dir, "metalpro.db"), store.Schema, store.Options{})
	require.NoError(t, err)
	defer db.Close()
	u, err := db.Authenticate(context.Background(), "ana@metalpro.ro", "operator-parola-2026")
	require.NoError(t, err)
	require.Equal(t, store.RoleOperator, u.Role)
	require.True(t, u.EmailVerified)

	t.Run("ErrCustomerRole", func(t *testing.T) {
		_, err := create("operator-parola-2026", "-email", "x@metalpro.ro", "-name", "X Y", "-role", "BUSINESS")
		require.ErrorContains(t, err, "role")
	})
	t.Run("ErrWeakPassword", func(t *testing.T) {
		_, err := create("password123", "-email", "y@metalpro.ro", "-name", "Y Z", "-role", "ADMIN")
		require.ErrorContains(t, err, "password")
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		_, err := create("operator-parola-2026", "-email", "ana@metalpro.ro", "-name", "Ana Pop")
		require.ErrorContains(t, err, "already exists")
	})
}

// `user disable` ends the account's sessions, refuses its password from then on and is
// audited as "cli"; `user list` shows it disabled.
func TestRun_UserDisableAndList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	getenv := func(string) string { return "" }
	runCmd := func(args ...string) (string, error) {
		var out strings.Builder
		err := run(context.Background(), append([]string{"metalpro", "user"}, args...), getenv, &out)
		return out.String(), err
	}
	stdin = strings.NewReader("operator-parola-2026\n")
	t.Cleanup(func() { stdin = nil })
	_, err := runCmd("create", "-data-dir", dir, "-email", "ana@metalpro.ro", "-name", "Ana Pop", "-role", "OPERATOR")
	require.NoError(t, err)

	out, err := runCmd("list", "-data-dir", dir)
	require.NoError(t, err)
	require.Regexp(t, `ana@metalpro.ro\s+OPERATOR\s+Ana Pop\s+active`, out)

	out, err = runCmd("disable", "-data-dir", dir, "Ana@MetalPro.ro")
	require.NoError(t, err)
	require.Contains(t, out, "disabled Ana@MetalPro.ro")
	out, err = runCmd("list", "-data-dir", dir)
	require.NoError(t, err)
	require.Regexp(t, `ana@metalpro.ro\s+OPERATOR\s+Ana Pop\s+disabled \d{4}-`, out)

	_, err = runCmd("disable", "-data-dir", dir, "nobody@metalpro.ro")
	require.ErrorContains(t, err, "does not exist")

	db, err := store.Open(context.Background(), filepath.Join(dir, "metalpro.db"), store.Schema, store.Options{})
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Authenticate(context.Background(), "ana@metalpro.ro", "operator-parola-2026")
	require.ErrorIs(t, err, store.ErrBadCredentials)
	entries, _, err := db.FindAudit(context.Background(), store.AuditFilter{Entity: "user"})
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, "cli", entries[0].Actor.Label)
}
